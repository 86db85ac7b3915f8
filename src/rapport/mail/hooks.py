"""How the email channel plugs into the core: agent replies on email cases go out by email."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from rapport import extensions
from rapport.cases.models import Message, MessageKind
from rapport.cases.signals import message_added
from rapport.domain.case_rules import Channel
from rapport.web.policy import mail as mail_policy


@receiver(message_added, dispatch_uid="mail.reply_by_email")
def reply_by_email(sender: Any, *, message: Message, now: datetime, **kwargs: Any) -> None:
    """An agent's reply on an email case is queued for sending in the same transaction."""
    if message.kind == MessageKind.OUTBOUND and message.channel == Channel.EMAIL:
        from rapport.mail.outbound import case_message_queue

        case_message_queue(message=message, now=now)


def register() -> None:
    from rapport import notify
    from rapport.mail.erasure import customer_mail_erase
    from rapport.mail.outbound import notification_queue

    notify.queue = notification_queue

    extensions.erasure_handlers.append(customer_mail_erase)
    extensions.nav_items.append(
        extensions.NavItem(
            label="Email", url_name="mail:index", section="mail", visible=mail_policy.can_view_mail, order=80
        )
    )
