"""Case services: creation, edits with version checks, replies, notes, attachments."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.models import Case, CaseEvent, Message
from rapport.cases.services import Upload, case_create, case_update, message_add
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound, TooLarge

PDF = b"%PDF-1.4 small test file"


def test_create_records_the_first_message_and_events(case, agent):
    assert case.reference == f"C-{case.pk:06d}"
    assert case.status == "new"
    message = case.messages.get()
    assert message.kind == "inbound"
    assert message.body == "It stopped heating after a week."
    assert list(case.events.values_list("kind", flat=True)) == ["created", "message"]


def test_create_names_every_bad_field_and_saves_nothing(agent, customer):
    with pytest.raises(FieldError) as error:
        case_create(actor=agent, customer=customer, subject=" ", body="", type="moan", priority="extreme")
    assert set(error.value.errors) == {"subject", "body", "type", "priority"}
    assert Case.objects.count() == 0


def test_update_with_a_stale_version_is_a_conflict_and_changes_nothing(case, agent, team_leader, now):
    case_update(actor=team_leader, reference=case.reference, expected_version=1, changes={"priority": "high"}, now=now)

    with pytest.raises(Conflict) as conflict:
        case_update(actor=agent, reference=case.reference, expected_version=1, changes={"priority": "low"}, now=now)

    assert conflict.value.current.version == 2
    case.refresh_from_db()
    assert case.priority == 3
    assert case.events.filter(field="priority").count() == 1


def test_update_records_before_and_after(case, agent, now):
    updated = case_update(
        actor=agent,
        reference=case.reference,
        expected_version=case.version,
        changes={"status": "waiting_on_customer", "owner": agent.pk, "tags": ["Kettle", "warranty"]},
        now=now + timedelta(minutes=5),
    )
    assert updated.version == 2
    changes = {e.field: (e.before, e.after) for e in updated.events.filter(kind="changed")}
    assert changes["status"] == ("new", "waiting_on_customer")
    assert changes["owner"] == ("", str(agent.pk))  # people by id, never by name
    assert changes["tags"] == ("", "kettle, warranty")


def test_illegal_status_move_is_refused(case, agent, now):
    case_update(actor=agent, reference=case.reference, expected_version=1, changes={"status": "closed"}, now=now)
    with pytest.raises(FieldError) as error:
        case_update(
            actor=agent, reference=case.reference, expected_version=2, changes={"status": "waiting_on_customer"}
        )
    assert "status" in error.value.errors


def test_first_outbound_reply_sets_first_response(case, agent, now):
    later = now + timedelta(hours=2)
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Sorry to hear that.", now=later)
    case.refresh_from_db()
    assert case.first_response_at == later
    assert case.status == "open"


def test_customer_reply_reopens_a_resolved_case(case, agent, customer_user, now):
    case_update(actor=agent, reference=case.reference, expected_version=1, changes={"status": "resolved"}, now=now)
    message_add(actor=customer_user, reference=case.reference, kind="inbound", body="Still broken.", now=now)
    case.refresh_from_db()
    assert case.status == "open"
    assert case.resolved_at is None


def test_customer_cannot_write_notes_or_touch_others_cases(case, other_case, customer_user):
    with pytest.raises(Forbidden):
        message_add(actor=customer_user, reference=case.reference, kind="note", body="sneaky")
    with pytest.raises(NotFound):
        message_add(actor=customer_user, reference=other_case.reference, kind="inbound", body="hello")
    assert not Message.objects.filter(body__in=["sneaky", "hello"]).exists()


def test_html_is_sanitised_before_storage(case, agent):
    message = message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="See below",
        body_html='<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:evil()">x</a></p>',
    )
    assert "script" not in message.body_html
    assert "onclick" not in message.body_html
    assert "javascript" not in message.body_html
    assert "<p>Hi" in message.body_html


def test_attachment_is_stored_and_checked(case, agent):
    message = message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="Receipt attached",
        attachments=[Upload("receipt.pdf", PDF)],
    )
    attachment = message.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.file.read() == PDF


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (Upload("run.exe", b"MZ\x90\x00"), FieldError),
        (Upload("invoice.pdf", b"<html><script>"), FieldError),
        (Upload("page.svg", b"<svg onload=alert(1)>"), FieldError),
        (Upload("big.pdf", b"%PDF-" + b"0" * 2048), TooLarge),
    ],
)
def test_bad_attachment_is_refused_and_nothing_half_saved(case, agent, settings, upload, error):
    settings.RAPPORT_MAX_ATTACHMENT_BYTES = 1024
    before = (Message.objects.count(), CaseEvent.objects.count())
    with pytest.raises(error):
        message_add(actor=agent, reference=case.reference, kind="outbound", body="x", attachments=[upload])
    assert (Message.objects.count(), CaseEvent.objects.count()) == before
