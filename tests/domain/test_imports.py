"""The pure mapping rules of the importers (rapport.domain.imports)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import imports as rules
from rapport.domain.case_rules import CaseType, Channel, Priority, Status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-01T09:15:00Z", datetime(2026, 6, 1, 9, 15, tzinfo=UTC)),
        ("2026-06-01T09:15:00+01:00", datetime(2026, 6, 1, 8, 15, tzinfo=UTC)),
        ("2026-06-01 09:15:00", datetime(2026, 6, 1, 8, 15, tzinfo=UTC)),  # local, BST
        ("01/12/2026 09:15", datetime(2026, 12, 1, 9, 15, tzinfo=UTC)),  # day first, GMT
        ("29/03/2026 01:30", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # skipped hour: fold=0
        ("25/10/2026 01:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # repeated hour: the first
        (1780000000, datetime.fromtimestamp(1780000000, tz=UTC)),
        ("", None),
        (None, None),
    ],
)
def test_parse_time(text, expected):
    assert rules.parse_time(text) == expected


def test_parse_time_in_another_zone_and_refusal():
    assert rules.parse_time("2026-01-01 09:00", zone=ZoneInfo("America/New_York")) == datetime(
        2026, 1, 1, 14, 0, tzinfo=UTC
    )
    with pytest.raises(ValueError, match="not a time"):
        rules.parse_time("next Tuesday")


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_iso_times_round_trip(moment):
    assert rules.parse_time(moment.isoformat()) == moment
    assert rules.parse_time(moment.isoformat().replace("+00:00", "Z")) == moment


@pytest.mark.parametrize(
    ("raw", "status"),
    [("new", Status.NEW), ("open", Status.OPEN), ("pending", Status.WAITING_ON_CUSTOMER),
     ("hold", Status.WAITING_ON_THIRD_PARTY), ("solved", Status.RESOLVED), ("closed", Status.CLOSED)],
)  # fmt: skip
def test_zendesk_statuses(raw, status):
    ticket = rules.zendesk_ticket({"id": 1, "status": raw, "requester_id": 2, "created_at": "2026-01-01T00:00:00Z"})
    assert ticket.record.status == status
    assert ticket.issues == []


@pytest.mark.parametrize(
    ("raw", "status"),
    [(2, Status.OPEN), (3, Status.WAITING_ON_CUSTOMER), (4, Status.RESOLVED), (5, Status.CLOSED),
     (6, Status.WAITING_ON_CUSTOMER), (7, Status.WAITING_ON_THIRD_PARTY)],
)  # fmt: skip
def test_freshdesk_statuses(raw, status):
    ticket = rules.freshdesk_ticket({"id": 1, "status": raw, "requester_id": 2, "created_at": "2026-01-01T00:00:00Z"})
    assert ticket.record.status == status


@pytest.mark.parametrize(
    ("via", "channel"),
    [("email", Channel.EMAIL), ("web", Channel.PORTAL), ("voice", Channel.PHONE), ("chat", Channel.CHAT),
     ("native_messaging", Channel.CHAT), ("twitter", Channel.CHAT), ("mobile_sdk", Channel.PORTAL)],
)  # fmt: skip
def test_zendesk_channels(via, channel):
    raw = {"id": 1, "status": "open", "requester_id": 2, "created_at": "2026-01-01T00:00:00Z", "via": {"channel": via}}
    assert rules.zendesk_ticket(raw).record.channel == channel


@pytest.mark.parametrize(
    ("source", "channel"),
    [
        (1, Channel.EMAIL),
        (2, Channel.PORTAL),
        (3, Channel.PHONE),
        (7, Channel.CHAT),
        (9, Channel.PORTAL),
        (10, Channel.EMAIL),
    ],
)
def test_freshdesk_sources(source, channel):
    raw = {"id": 1, "status": 2, "source": source, "requester_id": 2, "created_at": "2026-01-01T00:00:00Z"}
    assert rules.freshdesk_ticket(raw).record.channel == channel


@pytest.mark.parametrize(
    ("zendesk", "freshdesk", "priority"),
    [
        ("low", 1, Priority.LOW),
        ("normal", 2, Priority.NORMAL),
        ("high", 3, Priority.HIGH),
        ("urgent", 4, Priority.URGENT),
    ],
)
def test_priorities(zendesk, freshdesk, priority):
    base = {"id": 1, "requester_id": 2, "created_at": "2026-01-01T00:00:00Z"}
    assert rules.zendesk_ticket({**base, "status": "open", "priority": zendesk}).record.priority == priority
    assert rules.freshdesk_ticket({**base, "status": 2, "priority": freshdesk}).record.priority == priority


@pytest.mark.parametrize(
    ("raw", "tags", "kind"),
    [("question", [], CaseType.ENQUIRY), ("incident", [], CaseType.REQUEST), ("problem", [], CaseType.REQUEST),
     ("task", [], CaseType.INTERNAL_REQUEST), (None, [], CaseType.ENQUIRY),
     ("question", ["Complaint"], CaseType.COMPLAINT)],
)  # fmt: skip
def test_zendesk_types_and_complaints_by_tag(raw, tags, kind):
    ticket = {
        "id": 1,
        "status": "open",
        "type": raw,
        "tags": tags,
        "requester_id": 2,
        "created_at": "2026-01-01T00:00:00Z",
    }
    assert rules.zendesk_ticket(ticket).record.type == kind


@pytest.mark.parametrize(("zendesk", "score"), [("good", 5), ("bad", 1), ("offered", None), ("unoffered", None)])
def test_zendesk_csat(zendesk, score):
    ticket = {
        "id": 1,
        "status": "solved",
        "requester_id": 2,
        "created_at": "2026-01-01T00:00:00Z",
        "satisfaction_rating": {"score": zendesk},
    }
    rating = rules.zendesk_ticket(ticket).record.rating
    assert (rating.score if rating else None) == score


@pytest.mark.parametrize(("value", "score"), [(103, 5), (102, 5), (101, 4), (100, 3), (-101, 2), (-102, 1), (-103, 1)])
def test_freshdesk_csat(value, score):
    ticket_id, mapped = rules.freshdesk_rating({"ticket_id": 9, "ratings": {"default_question": value}})
    assert (ticket_id, mapped.record.score) == ("9", score)


def test_unknown_values_become_issues_not_errors():
    mapped = rules.zendesk_ticket(
        {"id": 5, "status": "frozen", "priority": "meh", "type": "chore", "via": {"channel": "fax"}, "requester_id": 2,
         "created_at": "2026-01-01T00:00:00Z", "updated_at": "yesterday", "custom_fields": [{"id": 7, "value": "x"}]}
    )  # fmt: skip
    assert {i.kind for i in mapped.issues} == {
        "unknown_status", "unknown_priority", "unknown_type", "unknown_channel", "bad_time", "unlabelled_field",
    }  # fmt: skip
    assert mapped.record.status == Status.OPEN
    assert mapped.record.updated_at == mapped.record.created_at


def test_deleted_and_spam_tickets_are_not_imported():
    assert rules.zendesk_ticket({"id": 1, "status": "deleted"}).record is None
    assert rules.freshdesk_ticket({"id": 1, "spam": True}).record is None


def test_zendesk_comments_by_public_flag_and_author_role():
    assert rules.message_kind(public=False, author_is_staff=True) == rules.NOTE
    assert rules.message_kind(public=False, author_is_staff=False) == rules.NOTE
    assert rules.message_kind(public=True, author_is_staff=True) == rules.OUTBOUND
    assert rules.message_kind(public=True, author_is_staff=False) == rules.INBOUND


def test_freshdesk_conversations_say_their_kind():
    at = "2026-01-01T00:00:00Z"
    assert rules.freshdesk_conversation({"id": 1, "private": True, "created_at": at}).record.kind == rules.NOTE
    assert rules.freshdesk_conversation({"id": 1, "incoming": True, "created_at": at}).record.kind == rules.INBOUND
    assert rules.freshdesk_conversation({"id": 1, "created_at": at}).record.kind == rules.OUTBOUND


def test_inline_images_become_words_and_html_becomes_text():
    files = [rules.FileRef("1", "lid.png", url="https://x.zendesk.com/attachments/token/a/?name=lid.png")]
    html = (
        '<p>See <img src="https://x.zendesk.com/attachments/token/a/?name=lid.png"> '
        'and <img src="data:image/png;base64,AA"></p>'
    )
    assert rules.mark_inline_images(html, files) == "<p>See [image: lid.png] and [image]</p>"
    assert rules.html_text("<p>One<br>two</p><script>x()</script><p>three &amp; four</p>") == "One\ntwo\n\nthree & four"


def test_merged_targets_from_the_sources_own_words():
    assert rules.merged_target(["Request #103 was closed and merged into request #104."]) == "104"
    assert rules.merged_target(["This ticket is closed and merged into ticket 2002."]) == "2002"
    assert rules.merged_target(["Nothing merged here."]) == ""


@pytest.mark.parametrize(
    ("value", "text"),
    [(True, "Yes"), (False, "No"), (["a", "b"], "a, b"), (None, ""), (12, "12"), ({"k": "v"}, "k: v")],
)
def test_field_text(value, text):
    assert rules.field_text(value) == text


def test_names_subjects_tags_and_emails():
    assert rules.person_name("", "jo@example.com", "4", "zendesk") == "jo"
    assert rules.person_name(None, "", "4", "zendesk") == "Zendesk user 4"
    assert rules.subject_text("  ") == rules.NO_SUBJECT
    assert len(rules.subject_text("x" * 500)) == 200
    assert rules.tags_of(["VIP Customer", "billing", "billing"]) == ("billing", "vip-customer")
    assert rules.tags_of("a, b; c") == ("a", "b", "c")
    assert rules.clean_email(" Jo@Example.COM ") == "jo@example.com"
    assert rules.clean_email("not-an-address") == ""
    assert rules.humanise_key("cf_order_number") == "Order number"


def test_csv_rows():
    row = {"id": "7", "subject": "Hi", "status": "On hold", "priority": "Urgent", "type": "Complaint",
           "channel": "Face to face",
           "created_at": "02/03/2026 09:00", "Store": "Leeds", "requester_email": "A@B.example"}  # fmt: skip
    ticket = rules.csv_ticket(row).record
    assert (ticket.status, ticket.priority, ticket.type, ticket.channel) == (
        Status.WAITING_ON_THIRD_PARTY, Priority.URGENT, CaseType.COMPLAINT, Channel.FACE_TO_FACE,
    )  # fmt: skip
    assert ticket.fields == (("Store", "Leeds"),)
    assert ticket.requester_id == "a@b.example"
    assert rules.csv_ticket({"subject": "no id"}).record is None
