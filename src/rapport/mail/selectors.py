"""Reads for the email channel's pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from rapport.mail.models import FlaggedAddress, Mailbox, OutboxEmail, OutboxState, QuarantinedMail, QuarantineState

LIST_LIMIT = 50


@dataclass(frozen=True)
class MailOverview:
    mailboxes: list[Mailbox]
    outbox_counts: list[tuple[str, int]]
    needs_attention: list[OutboxEmail]
    quarantined: list[QuarantinedMail]


def mail_overview() -> MailOverview:
    """Everything the email page shows, in four queries whatever the volumes."""
    counts = dict(OutboxEmail.objects.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return MailOverview(
        mailboxes=list(Mailbox.objects.all()),
        outbox_counts=[(label, counts.get(state, 0)) for state, label in OutboxState.choices],
        needs_attention=list(
            OutboxEmail.objects.filter(state__in=[OutboxState.FAILED, OutboxState.UNCERTAIN])
            .only("id", "to", "subject", "state", "attempts", "last_error", "created_at")
            .order_by("-created_at", "-id")[:LIST_LIMIT]
        ),
        quarantined=list(
            QuarantinedMail.objects.filter(state=QuarantineState.HELD)
            .defer("raw")
            .order_by("-received_at", "-id")[:LIST_LIMIT]
        ),
    )


def address_flag(email: str) -> FlaggedAddress | None:
    """The flag on an email address, if mail to it has bounced (one query on the unique address)."""
    if not email:
        return None
    return FlaggedAddress.objects.filter(address=email.lower()).first()
