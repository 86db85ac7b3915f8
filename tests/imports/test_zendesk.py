"""Importing a Zendesk export: every mapping, the awkward parts (HTML bodies, inline images,
deleted users, merged tickets, time zones), attachments from files and from a local server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rapport.accounts.models import User
from rapport.cases.models import Attachment, Case, CaseEvent, Message, SearchDocument
from rapport.customers.models import Customer
from rapport.imports.models import ImportedCaseData, ImportedRecord
from rapport.imports.services import import_run

pytestmark = pytest.mark.django_db(transaction=False)


def _case(source_id: str) -> Case:
    record = ImportedRecord.objects.get(source="zendesk", kind="ticket", source_id=source_id)
    return Case.objects.get(pk=record.object_id)


@pytest.fixture
def imported(agent, fixtures, file_server, now):
    base, _ = file_server
    return import_run(source="zendesk", path=fixtures / "zendesk", now=now, attachments_base=base)


def test_organisations_become_companies_and_people_join_them(imported):
    company = Customer.objects.get(name="Hargreaves & Daughters Ltd")
    assert company.kind == "company"
    assert "Wholesale account" in company.notes
    aisha = Customer.objects.get(email="aisha.rahman@example.co.uk")
    assert aisha.kind == "person"
    assert aisha.organisation == "Hargreaves & Daughters Ltd"
    assert aisha.phone == "+44 161 496 0732"
    assert imported.created["organisations"] == 2


def test_staff_are_matched_by_email_and_unknown_staff_are_inactive(imported, agent):
    assert ImportedRecord.objects.get(source="zendesk", kind="staff", source_id="2001").object_id == agent.pk
    tom = User.objects.get(email="tom.okafor@rapport.example")
    assert tom.is_active is False
    assert tom.role == "agent"
    assert not tom.has_usable_password()
    assert imported.matched["staff"] == 1
    assert imported.issues["staff_without_email"] == 1


def test_ticket_fields_map_to_the_case(imported, agent):
    case = _case("101")
    assert (case.status, case.priority, case.type, case.channel) == ("resolved", 3, "request", "email")
    assert case.subject == "Refund for damaged kettle"
    assert case.owner_id == agent.pk
    assert case.customer.email == "aisha.rahman@example.co.uk"
    assert sorted(case.tags.values_list("name", flat=True)) == ["billing", "vip-customer"]
    # Times with a BST offset are stored as the same instants in UTC.
    assert case.created_at == datetime(2026, 6, 1, 8, 15, tzinfo=UTC)
    assert case.updated_at == datetime(2026, 6, 3, 15, 40, tzinfo=UTC)
    assert case.resolved_at == datetime(2026, 6, 3, 15, 40, tzinfo=UTC)
    assert case.first_response_at == datetime(2026, 6, 1, 10, 2, tzinfo=UTC)
    assert case.closed_at is None


@pytest.mark.parametrize(
    ("ticket", "status", "priority", "kind", "channel"),
    [
        ("102", "open", 2, "enquiry", "portal"),
        ("103", "closed", 2, "enquiry", "email"),
        ("104", "waiting_on_customer", 4, "request", "phone"),
        ("106", "waiting_on_third_party", 1, "complaint", "chat"),
        ("107", "new", 2, "internal_request", "email"),
    ],
)
def test_statuses_priorities_types_and_channels(imported, ticket, status, priority, kind, channel):
    case = _case(ticket)
    assert (case.status, case.priority, case.type, case.channel) == (status, priority, kind, channel)


def test_custom_fields_and_csat_are_kept_as_labelled_data(imported):
    data = ImportedCaseData.objects.get(case=_case("101"))
    assert data.fields == [
        ["Order number", "ORD-55812"],
        ["Product", "kettle, small_appliances"],
        ["Goodwill offered", "Yes"],
        ["Field 360099", "Tier 2"],
    ]
    assert (data.rating_score, data.rating_comment) == (5, "Quick and kind, thank you")
    assert ImportedCaseData.objects.get(case=_case("104")).rating_score == 1
    assert not ImportedCaseData.objects.filter(case=_case("102")).exists()  # "offered" is no rating
    assert imported.issues["unlabelled_field"] == 1


def test_messages_notes_and_authors_keep_their_times(imported, agent):
    messages = list(Message.objects.filter(case=_case("101")).order_by("created_at"))
    assert [m.kind for m in messages] == ["inbound", "outbound", "note"]
    assert messages[0].author_id is None
    assert messages[1].author_id == agent.pk
    assert messages[2].body == "Refund approved under the goodwill policy, ref GW-118."
    assert messages[1].created_at == datetime(2026, 6, 1, 10, 2, tzinfo=UTC)


def test_html_bodies_are_sanitised_and_inline_images_named(imported):
    first = Message.objects.filter(case=_case("101")).order_by("created_at").first()
    assert "<script" not in first.body_html
    assert "<img" not in first.body_html
    assert "<b>cracked lid</b>" in first.body_html
    assert "[image: lid.png]" in first.body_html
    assert first.body == "My kettle arrived with a cracked lid. Photo attached."


def test_attachments_from_beside_the_export_and_from_the_configured_server(imported, file_server):
    _, asked = file_server
    names = set(Attachment.objects.values_list("filename", flat=True))
    assert names == {"receipt.pdf", "lid.png", "photo.png"}
    receipt = Attachment.objects.get(filename="receipt.pdf")
    assert receipt.content_type == "application/pdf"
    assert receipt.file.read().startswith(b"%PDF-")
    assert "/attachments/token/photo/?name=photo.png" in asked
    assert imported.issues["attachment_unavailable"] == 1  # the server answered 404


def test_attachments_without_a_base_are_reported_not_fetched(agent, fixtures, now, file_server):
    _, asked = file_server
    report = import_run(source="zendesk", path=fixtures / "zendesk", now=now)
    assert asked == []
    assert set(Attachment.objects.values_list("filename", flat=True)) == {"receipt.pdf"}
    assert report.issues["attachment_missing"] == 3


def test_deleted_users_and_missing_requesters_get_placeholders(imported):
    assert _case("102").customer.name == "Deleted user (Zendesk 1999)"
    assert _case("106").customer.name == "Permanently deleted user"
    assert imported.issues["missing_requester"] == 1
    assert imported.issues["deleted_user"] == 1


def test_a_ticket_raised_by_staff_is_a_colleagues_case(imported):
    customer = _case("107").customer
    assert (customer.kind, customer.email) == ("colleague", "tom.okafor@rapport.example")


def test_merged_tickets_point_at_the_case_they_were_merged_into(imported):
    assert _case("103").merged_into_id == _case("104").pk
    assert imported.created["merge pointers"] == 1


def test_deleted_tickets_are_not_imported(imported):
    assert not ImportedRecord.objects.filter(kind="ticket", source_id="105").exists()
    assert imported.issues["deleted_ticket"] == 1


def test_comments_in_files_of_their_own_join_their_tickets(imported):
    case = _case("104")
    bodies = list(Message.objects.filter(case=case).order_by("created_at").values_list("kind", "body"))
    assert bodies == [
        ("inbound", "Caller says the lamp has not arrived."),
        ("note", "Called the courier: out for delivery."),
        ("outbound", "Your lamp is out for delivery today."),
        ("inbound", "Thank you, it has arrived."),
    ]
    case.refresh_from_db()
    assert case.first_response_at == datetime(2026, 7, 12, 9, 45, tzinfo=UTC)
    assert imported.issues["orphan_comment"] == 1


def test_unknown_channels_are_reported_and_kept_as_a_field(imported):
    assert imported.issues["unknown_channel"] == 1
    assert ImportedCaseData.objects.get(case=_case("107")).fields == [["Original channel", "carrier_pigeon"]]


def test_each_case_says_where_it_came_from_in_the_journal(imported):
    event = CaseEvent.objects.get(case=_case("101"))
    assert (event.kind, event.after) == ("imported", "Zendesk ticket 101")


def test_imported_cases_and_messages_are_searchable(imported, manager):
    from rapport.cases.search import search

    case = _case("101")
    assert SearchDocument.objects.filter(kind="case", object_id=case.pk).exists()
    hits = search(manager, "kettle")
    assert any(hit.case_id == case.pk for hit in hits)
    notes = search(manager, "goodwill")
    assert any(hit.internal for hit in notes)


def test_imported_history_starts_no_clock_and_sends_nothing(imported, mailoutbox):
    from rapport.feedback.models import SurveyInvitation
    from rapport.mail.models import OutboxEmail
    from rapport.sla.models import Clock

    assert Clock.objects.count() == 0
    assert OutboxEmail.objects.count() == 0
    assert SurveyInvitation.objects.count() == 0
    assert mailoutbox == []
    assert not Case.objects.exclude(next_breach_at=None).exists()


def test_imported_cases_feed_the_forecast_as_history(imported):
    from datetime import date

    from rapport.workforce.selectors import arrivals_history

    history = arrivals_history(interval=60, first_day=date(2026, 6, 1), last_day=date(2026, 7, 31))
    assert sum(map(sum, history["email"].counts)) == 2  # tickets 101 and 103
    assert history["email"].first_day == date(2026, 6, 1)
    assert sum(map(sum, history["phone"].counts)) == 1  # ticket 104, a call
