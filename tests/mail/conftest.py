"""Fixtures for the email channel: the corpus of awkward messages and a builder for plain ones."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def build(
    *,
    sender: str = "Priya Shah <priya.shah@example.net>",
    subject: str = "Where is my parcel?",
    body: str = "It has not arrived.",
    message_id: str | None = "<m1@example.net>",
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
    date=None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "support@rapport.example"
    msg["Subject"] = subject
    if date is not None:
        msg["Date"] = format_datetime(date)
    if message_id:
        msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


@pytest.fixture
def receive(db, now):
    """``receive(raw, **kwargs)`` files one email at the test clock."""
    from rapport.mail.inbound import mail_receive

    def run(raw: bytes, **kwargs):
        kwargs.setdefault("now", now)
        return mail_receive(raw=raw, **kwargs)

    return run
