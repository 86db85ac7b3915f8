"""Outbound email: agent replies threaded and sent exactly once over real SMTP, with retries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport import extensions
from rapport.cases.models import Case
from rapport.cases.services import message_add
from rapport.mail import outbound
from rapport.mail.models import MailMessage, OutboxEmail, OutboxState
from tests.mail.conftest import build
from tests.mail.smtp_server import SmtpServer, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def emailed_case(receive):
    """A case opened by the customer's email (so the conversation has a Message-ID to thread on)."""
    result = receive(
        build(sender="Alice Jones <alice@example.com>", message_id="<first@example.com>"), acknowledge=False
    )
    return Case.objects.get(pk=result.case_id)


def reply(agent, case, now, **kwargs):
    Case.objects.filter(pk=case.pk).update(team=None)
    return message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="We have rebooked your delivery for Thursday.",
        now=now,
        **kwargs,
    )


def test_an_agent_reply_on_an_email_case_is_queued_with_threading_headers(agent, emailed_case, now):
    message = reply(agent, emailed_case, now)

    email = OutboxEmail.objects.get()
    assert email.message == message
    assert email.state == OutboxState.QUEUED
    assert email.to == "alice@example.com"
    assert email.subject == f"Re: Where is my parcel? [{emailed_case.reference}]"
    assert email.headers["In-Reply-To"] == "<first@example.com>"
    assert email.headers["References"] == "<first@example.com>"
    assert MailMessage.objects.get(outbound=True).message_id_header == email.message_id_header


def test_notes_and_portal_replies_send_no_email(agent, case, now):
    message_add(actor=agent, reference=case.reference, kind="note", body="Internal only.", now=now)
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Portal reply.", channel="portal", now=now)

    assert OutboxEmail.objects.count() == 0


def test_a_reply_is_sent_over_smtp_once_after_commit(
    agent, emailed_case, now, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply(agent, emailed_case, now)

    email = OutboxEmail.objects.get()
    assert email.state == OutboxState.SENT
    assert email.attempts == 1
    assert len(smtp.recorder.received) == 1
    sent = smtp.recorder.messages()[0]
    assert sent["Message-ID"] == f"<{email.message_id_header}>"
    assert sent["In-Reply-To"] == "<first@example.com>"
    assert sent["References"] == "<first@example.com>"
    assert emailed_case.reference in sent["Subject"]
    assert sent.get_body(("plain",)).get_content().strip() == "We have rebooked your delivery for Thursday."
    assert "<p>We have rebooked" in sent.get_body(("html",)).get_content()

    # Sending again (a duplicate job, the periodic flush) sends nothing more.
    assert outbound.outbox_send(email_id=email.pk, now=now) == OutboxState.SENT
    assert len(smtp.recorder.received) == 1


def test_the_customers_answer_to_our_reply_threads_back_onto_the_case(agent, emailed_case, now, receive):
    reply(agent, emailed_case, now)
    ours = OutboxEmail.objects.get().message_id_header

    result = receive(
        build(sender="alice@example.com", subject="Re: thanks", message_id="<ans@example.com>", in_reply_to=f"<{ours}>")
    )

    assert result.case_id == emailed_case.pk
    assert Case.objects.count() == 1


def test_attachments_go_out_with_the_reply(agent, emailed_case, now, smtp):
    from rapport.cases.services import Upload

    reply(agent, emailed_case, now, attachments=[Upload("label.pdf", b"%PDF-1.4 returns label")])
    outbound.outbox_send(email_id=OutboxEmail.objects.get().pk, now=now)

    sent = smtp.recorder.messages()[0]
    files = {p.get_filename(): p.get_content() for p in sent.iter_attachments()}
    assert files == {"label.pdf": b"%PDF-1.4 returns label"}


def test_smtp_down_means_retried_later_with_back_off_never_lost(agent, emailed_case, now, settings):
    port = free_port()  # nothing listens here yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    reply(agent, emailed_case, now)
    email = OutboxEmail.objects.get()

    assert outbound.outbox_send(email_id=email.pk, now=now) == OutboxState.QUEUED
    email.refresh_from_db()
    assert email.attempts == 1
    assert email.next_attempt_at == now + timedelta(minutes=1)
    assert email.last_error
    assert outbound.outbox_send(email_id=email.pk, now=now + timedelta(seconds=30)) == OutboxState.QUEUED
    email.refresh_from_db()
    assert email.attempts == 1  # not due yet: no attempt made
    assert outbound.outbox_send(email_id=email.pk, now=now + timedelta(minutes=1)) == OutboxState.QUEUED
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at == now + timedelta(minutes=3)
    assert outbound.outbox_due(now=now + timedelta(minutes=3)) == [email.pk]

    with SmtpServer(port) as server:
        assert outbound.outbox_send(email_id=email.pk, now=now + timedelta(minutes=3)) == OutboxState.SENT
        assert outbound.outbox_send(email_id=email.pk, now=now + timedelta(minutes=4)) == OutboxState.SENT
    assert len(server.recorder.received) == 1
    assert outbound.outbox_due(now=now + timedelta(days=1)) == []


def test_after_the_last_attempt_the_email_fails_and_an_admin_can_send_it_again(agent, emailed_case, now, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.RAPPORT_MAIL_MAX_ATTEMPTS = 2
    reply(agent, emailed_case, now)
    email = OutboxEmail.objects.get()
    outbound.outbox_send(email_id=email.pk, now=now)

    assert outbound.outbox_send(email_id=email.pk, now=now + timedelta(hours=1)) == OutboxState.FAILED
    assert outbound.outbox_due(now=now + timedelta(days=1)) == []
    email.refresh_from_db()
    assert outbound.outbox_requeue(email=email, now=now + timedelta(days=1))
    email.refresh_from_db()
    assert email.state == OutboxState.QUEUED
    assert email.attempts == 0


def test_an_email_interrupted_while_sending_is_held_for_a_check_not_resent(agent, emailed_case, now):
    reply(agent, emailed_case, now)
    OutboxEmail.objects.update(state=OutboxState.SENDING, claimed_at=now)

    assert outbound.outbox_recover(now=now + timedelta(minutes=5)) == 0
    assert outbound.outbox_recover(now=now + timedelta(minutes=16)) == 1
    assert OutboxEmail.objects.get().state == OutboxState.UNCERTAIN
    assert outbound.outbox_due(now=now + timedelta(days=1)) == []


def test_plain_text_only_customers_get_no_html_part(agent, emailed_case, now, smtp, monkeypatch):
    monkeypatch.setattr(
        extensions, "outbound_preferences", [lambda c: extensions.OutboundPreferences(plain_text_only=True)]
    )
    reply(agent, emailed_case, now)
    outbound.outbox_send(email_id=OutboxEmail.objects.get().pk, now=now)

    sent = smtp.recorder.messages()[0]
    assert sent.get_content_type() == "text/plain"
    assert OutboxEmail.objects.get().html == ""


def test_large_print_customers_get_a_large_print_pdf(agent, emailed_case, now, smtp, monkeypatch):
    monkeypatch.setattr(
        extensions, "outbound_preferences", [lambda c: extensions.OutboundPreferences(large_print=True)]
    )
    reply(agent, emailed_case, now)
    outbound.outbox_send(email_id=OutboxEmail.objects.get().pk, now=now)

    sent = smtp.recorder.messages()[0]
    files = {p.get_filename(): p.get_content() for p in sent.iter_attachments()}
    assert files["large-print.pdf"].startswith(b"%PDF-")


def test_customers_who_may_not_be_emailed_are_not(
    agent, emailed_case, now, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(extensions, "contact_permissions", [lambda c, purpose, channel: channel != "email"])
    with django_capture_on_commit_callbacks(execute=True):
        reply(agent, emailed_case, now)

    email = OutboxEmail.objects.get()
    assert email.state == OutboxState.SUPPRESSED
    assert email.attempts == 0
    assert outbound.outbox_due(now=now + timedelta(days=1)) == []


def test_the_owner_is_told_when_the_customer_replies(agent, emailed_case, now, receive):
    Case.objects.filter(pk=emailed_case.pk).update(owner=agent)
    receive(
        build(
            sender="alice@example.com",
            message_id="<more@example.com>",
            in_reply_to="<first@example.com>",
            body="Any news?",
        )
    )

    note = OutboxEmail.objects.get()
    assert note.to == agent.email
    assert emailed_case.reference in note.subject
    assert "Any news?" in note.text


def test_templates_edited_in_admin_are_used(receive):
    from rapport.mail.models import MailTemplate

    MailTemplate.objects.filter(key="acknowledgement").update(
        subject="Thanks, {{ customer.name }}", body="Ref {{ reference }}."
    )
    result = receive(build())

    ack = OutboxEmail.objects.get()
    reference = Case.objects.get(pk=result.case_id).reference
    assert ack.subject == f"Thanks, Priya Shah [{reference}]"
    assert ack.text == f"Ref {reference}."


def test_customers_who_prefer_another_channel_get_no_acknowledgement(receive, customer):
    customer.preferred_channel = "phone"
    customer.save()

    result = receive(build(sender="alice@example.com"))

    assert result.disposition == "case_created"
    assert OutboxEmail.objects.count() == 0


def test_a_staff_notification_goes_through_the_outbox_and_survives_smtp_being_down(
    settings, django_capture_on_commit_callbacks
):
    """``notify.email_send`` (escalations, reminders, survey invitations) is queued like a reply:
    SMTP down means the job's attempt fails and it is retried later, then sent exactly once."""
    from django.utils import timezone

    from rapport.platform import notify

    port = free_port()  # nothing listens here yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False

    with django_capture_on_commit_callbacks(execute=True):
        notify.email_send(
            to=["leader@example.com"],
            subject="Target breached on C-000001",
            text="The first response target has passed.",
            attachments=[notify.EmailAttachment("summary.txt", b"Breached.", "text/plain")],
        )

    email = OutboxEmail.objects.get()
    assert email.state == OutboxState.QUEUED  # the job ran on commit and could not connect
    assert email.attempts == 1
    assert email.last_error
    later = timezone.now() + timedelta(minutes=2)
    assert outbound.outbox_due(now=later) == [email.pk]

    with SmtpServer(port) as server:
        assert outbound.outbox_send(email_id=email.pk, now=later) == OutboxState.SENT
        assert outbound.outbox_send(email_id=email.pk, now=later + timedelta(minutes=5)) == OutboxState.SENT
    assert len(server.recorder.received) == 1
    sent = server.recorder.messages()[0]
    assert sent["Subject"] == "Target breached on C-000001"
    assert sent["To"] == "leader@example.com"
    assert [part.get_filename() for part in sent.iter_attachments()] == ["summary.txt"]
    assert outbound.outbox_due(now=later + timedelta(days=1)) == []


def test_the_acknowledgement_says_when_the_customer_will_hear_back(receive):
    from rapport.sla.models import Calendar, Policy

    office = Calendar.objects.create(
        name="Office", hours={str(d): [["09:00", "17:30"]] for d in range(5)}, tz="Europe/London", holidays="england"
    )
    Policy.objects.create(name="Standard", calendar=office, first_response=timedelta(hours=8))

    receive(build())  # Monday 2 March 2026 at 10:00: 7.5 business hours on Monday, 0.5 on Tuesday

    ack = OutboxEmail.objects.get()
    assert "We will reply by 9:30am on Tuesday 3 March." in ack.text
    assert "as soon as" not in ack.text


def test_with_no_sla_the_acknowledgement_makes_no_vague_promise(receive):
    receive(build())

    ack = OutboxEmail.objects.get()
    assert "as soon as" not in ack.text
    assert "We will reply by" not in ack.text
