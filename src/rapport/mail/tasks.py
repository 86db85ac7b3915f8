"""Background jobs of the email channel (thin: they call the services)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_task

from rapport.mail import imap, outbound
from rapport.mail.models import Mailbox
from rapport.platform.periodic import MINUTE, periodic_job


@db_task()
def outbox_send_task(email_id: int) -> str:
    return outbound.outbox_send(email_id=email_id, now=timezone.now())


@periodic_job(crontab(minute="*"), every=MINUTE)
def outbox_flush() -> int:
    """Send what is due (retries after back-off, and anything whose job was never queued)."""
    now = timezone.now()
    outbound.outbox_recover(now=now)
    due = outbound.outbox_due(now=now)
    for email_id in due:
        outbound.outbox_send(email_id=email_id, now=timezone.now())
    return len(due)


@periodic_job(crontab(minute="*"), every=MINUTE)
def mailboxes_poll() -> int:
    """Fetch new mail from every active mailbox."""
    total = 0
    for mailbox in Mailbox.objects.filter(active=True):
        total += imap.mailbox_poll(mailbox=mailbox, now=timezone.now()).received
    return total
