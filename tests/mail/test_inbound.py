"""Inbound email: threading, idempotency, automated mail, bounces, customers and quarantine."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.models import Case, CaseEvent, Message, MessageKind
from rapport.customers.models import Customer
from rapport.mail.models import Disposition, FlaggedAddress, MailMessage, OutboxEmail, QuarantinedMail
from tests.mail.conftest import build, corpus

pytestmark = pytest.mark.django_db


def test_a_new_email_opens_a_case_for_a_new_customer(receive):
    result = receive(build())

    case = Case.objects.get()
    assert result.disposition == Disposition.CASE_CREATED
    assert result.case_id == case.pk
    assert case.channel == "email"
    assert case.subject == "Where is my parcel?"
    assert case.status == "new"
    assert case.customer.email == "priya.shah@example.net"
    assert case.customer.name == "Priya Shah"
    assert case.customer.kind == "person"
    message = case.messages.get()
    assert message.kind == MessageKind.INBOUND
    assert message.body == "It has not arrived."
    assert message.author is None
    assert list(case.events.values_list("kind", flat=True)) == ["created", "message"]


def test_the_same_email_twice_makes_one_message(receive):
    raw = build()
    first = receive(raw)
    second = receive(raw)

    assert first.disposition == Disposition.CASE_CREATED
    assert second.disposition == "duplicate"
    assert Message.objects.count() == 1
    assert MailMessage.objects.filter(outbound=False).count() == 1


def test_an_email_without_message_id_is_identified_by_its_content(receive):
    raw = corpus("no_message_id.eml")
    relayed = b"Received: from relay2.example (relay2.example [192.0.2.9]); Mon, 9 Mar 2026 10:00:00 +0000\r\n" + raw

    assert receive(raw).disposition == Disposition.CASE_CREATED
    assert receive(relayed).disposition == "duplicate"
    assert Message.objects.count() == 1
    assert MailMessage.objects.get(outbound=False).key.startswith("sha256:")


def test_a_reply_joins_its_case_by_in_reply_to(receive):
    receive(build(message_id="<first@example.net>"))
    result = receive(
        build(subject="Re: something else", message_id="<second@example.net>", in_reply_to="<first@example.net>")
    )

    assert result.disposition == Disposition.ADDED
    assert Case.objects.count() == 1
    assert Message.objects.count() == 2


def test_a_reply_joins_its_case_by_references_when_the_parent_is_unknown(receive):
    receive(build(message_id="<root@example.net>"))
    raw = build(
        subject="Re: x",
        message_id="<third@example.net>",
        in_reply_to="<unknown@elsewhere>",
        references="<root@example.net> <unknown@elsewhere>",
    )
    assert receive(raw).disposition == Disposition.ADDED
    assert Case.objects.count() == 1


def test_a_reply_joins_its_case_by_the_reference_in_the_subject(receive):
    first = receive(build(message_id="<a@example.net>"))
    reference = Case.objects.get(pk=first.case_id).reference
    result = receive(build(subject=f"Re: parcel [{reference}]", message_id="<b@example.net>"))

    assert result.case_id == first.case_id
    assert result.disposition == Disposition.ADDED


def test_a_subject_reference_to_someone_elses_case_opens_a_new_case(receive, case):
    result = receive(build(subject=f"About [{case.reference}]", message_id="<intruder@example.net>"))

    assert result.disposition == Disposition.CASE_CREATED
    assert result.case_id != case.pk
    assert case.messages.count() == 1


def test_a_reply_to_a_resolved_case_reopens_it_within_the_window(receive, now, settings):
    settings.RAPPORT_MAIL_REOPEN_DAYS = 14
    first = receive(build(message_id="<r1@example.net>"))
    Case.objects.filter(pk=first.case_id).update(status="resolved", resolved_at=now)

    result = receive(build(message_id="<r2@example.net>", in_reply_to="<r1@example.net>"), now=now + timedelta(days=3))

    case = Case.objects.get(pk=first.case_id)
    assert result.case_id == case.pk
    assert case.status == "open"
    assert case.resolved_at is None
    assert CaseEvent.objects.filter(case=case, kind="changed", field="status", before="resolved", after="open").exists()


def test_a_reply_after_the_window_opens_a_new_case(receive, now, settings):
    settings.RAPPORT_MAIL_REOPEN_DAYS = 14
    first = receive(build(message_id="<old1@example.net>"))
    Case.objects.filter(pk=first.case_id).update(status="closed", resolved_at=now, closed_at=now)

    result = receive(
        build(message_id="<old2@example.net>", in_reply_to="<old1@example.net>"), now=now + timedelta(days=15)
    )

    assert result.disposition == Disposition.CASE_CREATED
    assert result.case_id != first.case_id
    assert Case.objects.get(pk=first.case_id).status == "closed"


def test_a_known_customer_is_matched_case_insensitively(receive, customer):
    result = receive(build(sender="ALICE <Alice@Example.com>"))

    assert Case.objects.get(pk=result.case_id).customer == customer
    assert Customer.objects.count() == 1


def test_senders_at_our_own_domains_become_internal_customers(receive, settings):
    settings.RAPPORT_MAIL_DOMAINS = ["rapport.example", "staff.rapport.example"]
    result = receive(build(sender="Finance <finance@staff.rapport.example>"))

    customer = Case.objects.get(pk=result.case_id).customer
    assert customer.is_internal
    assert customer.kind == "colleague"


@pytest.mark.parametrize("name", ["auto_reply.eml", "bulk_newsletter.eml"])
def test_automated_mail_opens_no_case_and_gets_no_reply(receive, name):
    result = receive(corpus(name))

    assert result.disposition == Disposition.AUTOMATED
    assert result.reason
    assert Case.objects.count() == 0
    assert OutboxEmail.objects.count() == 0
    assert MailMessage.objects.get().disposition == Disposition.AUTOMATED


def test_an_auto_reply_on_a_thread_is_a_note_and_does_not_reopen(receive, now):
    first = receive(build(message_id="<t1@example.net>"))
    Case.objects.filter(pk=first.case_id).update(status="waiting_on_customer")
    outbox_before = OutboxEmail.objects.count()

    result = receive(
        build(
            message_id="<ooo@example.net>", in_reply_to="<t1@example.net>", headers={"Auto-Submitted": "auto-replied"}
        )
    )

    case = Case.objects.get(pk=first.case_id)
    assert result.disposition == Disposition.AUTOMATED
    assert result.case_id == case.pk
    assert case.status == "waiting_on_customer"
    assert case.messages.order_by("-id").first().kind == MessageKind.NOTE
    assert OutboxEmail.objects.count() == outbox_before


def test_mail_from_our_own_address_is_a_loop_and_ignored(receive):
    result = receive(build(sender="support@rapport.example", message_id="<loop@example>"))

    assert result.disposition == Disposition.AUTOMATED
    assert "loop" in result.reason
    assert Case.objects.count() == 0


def test_a_new_case_by_email_is_acknowledged_once_with_its_reference(receive):
    result = receive(build())

    ack = OutboxEmail.objects.get()
    reference = Case.objects.get(pk=result.case_id).reference
    assert ack.to == "priya.shah@example.net"
    assert reference in ack.subject
    assert reference in ack.text
    assert ack.headers["Auto-Submitted"] == "auto-replied"
    assert ack.headers["In-Reply-To"] == "<m1@example.net>"


def test_a_bounce_is_noted_on_its_case_and_flags_the_address(receive, agent, case, now):
    from rapport.cases.services import message_add

    message_add(actor=agent, reference=case.reference, kind="outbound", body="We are on it.", now=now)
    sent = OutboxEmail.objects.get(message__case=case)
    bounce = f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: support@rapport.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="r"

--r
Content-Type: text/plain

This is the mail system. Your message could not be delivered.

--r
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; alice@example.com
Action: failed
Status: 5.1.1

--r
Content-Type: text/rfc822-headers

From: support@rapport.example
To: alice@example.com
Message-ID: <{sent.message_id_header}>
Subject: Re: Broken kettle

--r--
""".replace("\n", "\r\n").encode()

    result = receive(bounce)

    assert result.disposition == Disposition.BOUNCE
    assert result.case_id == case.pk
    note = case.messages.order_by("-id").first()
    assert note.kind == MessageKind.NOTE
    assert "alice@example.com" in note.body
    assert FlaggedAddress.objects.get().address == "alice@example.com"
    assert Case.objects.count() == 1


def test_an_unparseable_email_is_quarantined_with_its_bytes_and_reason(receive):
    raw = corpus("no_sender.eml")
    result = receive(raw)

    held = QuarantinedMail.objects.get()
    assert result.disposition == "quarantined"
    assert "sender" in held.reason
    assert bytes(held.raw) == raw
    assert Case.objects.count() == 0


def test_quarantined_mail_is_kept_once_and_can_be_retried(receive, now):
    from rapport.mail.inbound import quarantine_retry

    raw = corpus("no_sender.eml")
    receive(raw)
    receive(raw)
    held = QuarantinedMail.objects.get()
    assert held.attempts == 2

    # An admin fixes the cause (here: the email now has a sender) and retries.
    QuarantinedMail.objects.filter(pk=held.pk).update(raw=b"From: someone@example.com\r\n" + raw)
    held.refresh_from_db()
    result = quarantine_retry(held=held, now=now)

    held.refresh_from_db()
    assert result.disposition == Disposition.CASE_CREATED
    assert held.state == "released"
    assert held.released_at == now


def test_attachments_that_cannot_be_stored_are_kept_with_the_original_email(receive, settings):
    settings.RAPPORT_MAX_ATTACHMENT_BYTES = 10  # any attachment over this is withheld, not refused
    raw = corpus("inline_image.eml")
    result = receive(raw)

    case = Case.objects.get(pk=result.case_id)
    message = case.messages.get()
    assert "Kept with the original email" in message.body
    assert message.attachments.count() == 0
    row = MailMessage.objects.get(message=message)
    with row.raw.open("rb") as handle:
        assert handle.read() == raw


def test_an_unexpected_failure_quarantines_that_email_and_the_next_one_is_filed(receive, monkeypatch):
    from rapport.mail import inbound

    real = inbound._customer

    def broken(parsed, now):
        if parsed.sender == "bad@example.net":
            raise RuntimeError("disk on fire")
        return real(parsed, now)

    monkeypatch.setattr(inbound, "_customer", broken)
    first = receive(build(sender="bad@example.net", message_id="<bad@example.net>"))
    second = receive(build(sender="good@example.net", message_id="<good@example.net>"))

    assert first.disposition == "quarantined"
    assert "disk on fire" in first.reason
    assert second.disposition == Disposition.CASE_CREATED
    assert Case.objects.count() == 1
    assert MailMessage.objects.filter(key="bad@example.net").count() == 0
