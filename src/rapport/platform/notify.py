"""Email that is not a message on a case: survey invitations, staff notifications, reminders.

``email_send`` is the one way the apps send such mail. When the mail app is installed it sets
``queue``, and every such email goes through its outbox: written in the caller's transaction, sent
by a background job, retried with back-off while the mail server is down, sent exactly once.
Without it, the email is handed straight to Django's configured backend.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


@dataclass(frozen=True)
class EmailAttachment:
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


queue: Callable[..., Any] | None = None
"""Set by the mail app: takes ``email_send``'s arguments and puts the email in its outbox."""


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
    """Send one email. ``text`` is always sent; ``html`` adds an alternative part."""
    if queue is not None:
        queue(
            to=list(to),
            subject=subject,
            text=text,
            html=html,
            attachments=[(a.filename, a.content, a.content_type) for a in attachments],
            headers=dict(headers or {}),
            from_email=from_email,
        )
        return
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
