"""Erasing a person removes the email channel's copies of them too: raw emails kept beside
messages, outbox copies with their headers and attachments, and quarantined mail."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from rapport.cases.models import Case
from rapport.cases.services import message_add
from rapport.mail.inbound import quarantine_hold
from rapport.mail.models import MailMessage, OutboxEmail, QuarantinedMail
from rapport.privacy.erasure import customer_erase
from tests.privacy.test_end_to_end import database_text, storage_text

NAME, EMAIL = "Morwenna Trelawny", "morwenna.trelawny@example.org"


def _email_with_a_refused_file() -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{NAME} <{EMAIL}>"
    msg["To"] = "support@rapport.example"
    msg["Subject"] = f"Refund for {NAME}"
    msg["Message-ID"] = "<erase-me-1@example.org>"
    msg.set_content(f"Hello, this is {NAME}. My order has not come.")
    msg.add_attachment(
        b"MZ\x90\x00 not really a program", maintype="application", subtype="octet-stream", filename="setup.exe"
    )
    return msg.as_bytes()


def _traces() -> list[tuple[str, str]]:
    terms = (NAME.lower(), EMAIL.lower(), "trelawny")
    return [(where, t) for where, text in database_text() + storage_text() for t in terms if t in text.lower()]


@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_no_copy_of_the_person_in_the_email_channel(receive, agent, manager, now):
    filed = receive(_email_with_a_refused_file())
    case = Case.objects.get(pk=filed.case_id)
    message_add(actor=agent, reference=case.reference, kind="outbound", body=f"Dear {NAME}, we are on it.", now=now)
    quarantine_hold(raw=f"From: {NAME} <{EMAIL}>\r\n\r\nunreadable".encode(), reason="could not be parsed", now=now)
    assert MailMessage.objects.exclude(raw="").exists(), "the raw email was kept beside the message"
    assert OutboxEmail.objects.filter(message__case=case).exists()
    assert QuarantinedMail.objects.count() == 1
    assert _traces(), "the person is in the email copies before erasure"

    customer_erase(actor=manager, customer_id=case.customer_id, now=now)

    assert _traces() == []
    assert MailMessage.objects.filter(case=case).count() >= 1, "the mail rows stay for statistics"
