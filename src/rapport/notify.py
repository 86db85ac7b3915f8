"""Email that is not a message on a case: survey invitations, staff notifications, reminders.

``email_send`` is the one way the apps send such mail. It delivers through Django's configured
email backend (SMTP from the EMAIL_* settings; an in-memory outbox in tests). The mail app may
route it through its outbox for retries; callers do not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


@dataclass(frozen=True)
class EmailAttachment:
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


def email_send(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    attachments: Sequence[EmailAttachment] = (),
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> None:
    """Send one email now. ``text`` is always sent; ``html`` adds an alternative part."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers=dict(headers or {}),
    )
    if html:
        message.attach_alternative(html, "text/html")
    for item in attachments:
        message.attach(item.filename, item.content, item.content_type)
    message.send()
