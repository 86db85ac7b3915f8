"""The corpus of awkward real-world shapes: every one is filed, readable, and nothing in it is lost."""

# ruff: noqa: RUF001 - the en dashes are what the customers wrote
from __future__ import annotations

import base64

import pytest

from rapport.cases.models import Case
from rapport.mail import parsing
from rapport.mail.models import Disposition, MailMessage
from tests.mail.conftest import CORPUS, corpus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "subject", "words"),
    [
        ("multipart_alternative.eml", "Delivery date for order 88213", "was due on Friday"),
        ("quoted_printable.eml", "Refund – café voucher", "café voucher for £25"),
        ("base64_body.eml", "Account locked", "pay a bill today — please help"),
        ("iso_8859_1.eml", "Facture reçue deux fois", "j'ai reçu la facture"),
        ("windows_1252.eml", "Charged twice", "£49.99 twice – the “payment failed” page"),
        ("outlook_html.eml", "RE: Contract renewal", "renew the contract for another year"),
        (
            "calendar_invite.eml",
            "Invitation: Call about your complaint @ Mon 9 Mar 2026 10:00",
            "invitation for a call",
        ),
        ("no_message_id.eml", "Opening hours", "open on the bank holiday"),
        ("malformed_headers.eml", "not valid base64 about my order", "would like a replacement"),
        ("forwarded.eml", "Fwd: Your order has been cancelled", "Why was this cancelled"),
        ("inline_image.eml", "Photo of the damaged box", "arrived crushed"),
    ],
)
def test_each_awkward_email_opens_a_readable_case(receive, name, subject, words):
    result = receive(corpus(name))

    assert result.disposition == Disposition.CASE_CREATED, result.reason
    case = Case.objects.get(pk=result.case_id)
    assert case.subject == subject
    assert words in case.messages.get().body


def test_html_is_sanitised_and_kept_beside_the_text(receive):
    result = receive(corpus("multipart_alternative.eml"))

    message = Case.objects.get(pk=result.case_id).messages.get()
    assert message.body.startswith("Hello,\n\nMy order 88213")
    assert "<b>88213</b>" in message.body_html
    assert "<script" not in message.body_html


def test_an_html_only_email_gets_a_text_body_without_markup(receive):
    message = Case.objects.get(pk=receive(corpus("outlook_html.eml")).case_id).messages.get()

    assert "<" not in message.body
    assert "MsoNormal" not in message.body
    assert message.body.startswith("Hi team,")


def test_inline_images_and_attachments_are_stored(receive):
    message = Case.objects.get(pk=receive(corpus("inline_image.eml")).case_id).messages.get()

    files = {a.filename: a for a in message.attachments.all()}
    assert set(files) == {"box.png", "receipt.pdf"}
    assert files["box.png"].content_type == "image/png"
    assert files["receipt.pdf"].content_type == "application/pdf"


def test_a_forwarded_message_is_kept_whole_as_an_attachment(receive):
    message = Case.objects.get(pk=receive(corpus("forwarded.eml")).case_id).messages.get()

    attachment = message.attachments.get()
    assert attachment.filename.endswith(".eml")
    assert attachment.content_type == "message/rfc822"
    with attachment.file.open("rb") as handle:
        assert b"Your order 7731 has been cancelled" in handle.read()


def test_a_calendar_invitation_is_kept_as_readable_text(receive):
    message = Case.objects.get(pk=receive(corpus("calendar_invite.eml")).case_id).messages.get()

    names = sorted(message.attachments.values_list("filename", flat=True))
    assert names == ["invitation-1.ics.txt", "invite.ics.txt"]
    with message.attachments.get(filename="invitation-1.ics.txt").file.open("rb") as handle:
        assert b"SUMMARY:Call about your complaint" in handle.read()


def test_a_malformed_from_header_still_finds_the_address():
    parsed = parsing.parse(corpus("malformed_headers.eml"))

    assert parsed.sender == "jo.bloggs@example.com"
    assert parsed.message_id == "no-angle-brackets-991@example.com"


def test_a_20_mb_email_is_filed_with_its_large_attachments_kept(receive, tmp_path, settings):
    """Built at run time (not committed): 20 MB, two large attachments, one over the size limit."""
    settings.RAPPORT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
    small = b"%PDF-1.4\n" + b"0" * (8 * 1024 * 1024)
    big = b"%PDF-1.4\n" + b"1" * (11 * 1024 * 1024)
    parts = []
    for name, data in (("statement.pdf", small), ("scan.pdf", big)):
        encoded = base64.encodebytes(data).decode()
        parts.append(
            f'--big\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="{name}"\r\n'
            f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}"
        )
    raw = (
        "From: Big Sender <big@example.com>\r\nTo: support@rapport.example\r\nSubject: Scans\r\n"
        "Message-ID: <big-1@example.com>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="big"\r\n\r\n--big\r\nContent-Type: text/plain\r\n\r\n'
        "Scans attached.\r\n" + "".join(parts) + "--big--\r\n"
    ).encode()
    assert len(raw) > 20 * 1024 * 1024

    result = receive(raw)

    message = Case.objects.get(pk=result.case_id).messages.get()
    assert list(message.attachments.values_list("filename", flat=True)) == ["statement.pdf"]
    assert "scan.pdf" in message.body
    row = MailMessage.objects.get(message=message)
    assert row.raw.size == len(raw)


def test_every_corpus_file_is_covered():
    assert len(list(CORPUS.glob("*.eml"))) >= 14


@pytest.mark.parametrize(
    "sender",
    [
        "Customer 5 <c5@example.net>",
        "<c@example.net>",
        "c@example.net",
        '"Smith, John" <j@x.org>',
        "J. O'Neil <j@x.org>",
        "Name  With  Spaces <a@b.co>",
        "=?utf-8?q?Zo=C3=AB?= <zoe@example.net>",
        "Zoë <zoe@example.net>",
        "a@b.co (Comment)",
    ],
)
def test_the_plain_sender_shortcut_reads_from_as_the_full_parser_does(sender):
    from email import policy
    from email.parser import BytesParser

    from rapport.mail import parsing

    raw = f"From: {sender}\nTo: support@rapport.example\nSubject: Hello  again\n\nBody\n".encode()
    full = BytesParser(policy=policy.default).parsebytes(raw)["From"].addresses[0]

    parsed = parsing.parse(raw)

    assert (parsed.sender_name, parsed.sender) == (full.display_name, full.addr_spec.lower())
    assert parsed.subject == "Hello again"
