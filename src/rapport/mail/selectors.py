"""Reads for the email channel's pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from rapport.mail.models import FlaggedAddress, Mailbox, OutboxEmail, OutboxState, QuarantinedMail, QuarantineState
from rapport.platform import caches
from rapport.platform.shortlived import ShortLivedCopy

LIST_LIMIT = 50
# A queued email nobody has tried to send this long after it was due: no worker is sending mail.
NOT_PICKED_UP = timedelta(minutes=15)
# Emails given up on this recently still mean "delivery is failing" in the desk's header.
RECENT_FAILURE = timedelta(hours=24)


@dataclass(frozen=True)
class DeliveryTrouble:
    """Whether outbound mail is failing now, in numbers a person can act on."""

    retrying: int = 0  # queued again after a failed attempt
    failed: int = 0  # given up after the last attempt (in the last day, for the header)
    not_picked_up: int = 0  # due for a while and never tried: no worker is sending
    last_error: str = ""

    @property
    def failing(self) -> bool:
        return bool(self.retrying or self.failed or self.not_picked_up)

    @property
    def summary(self) -> str:
        parts = []
        if self.retrying:
            parts.append(f"{self.retrying:,} waiting to be tried again after failing")
        if self.failed:
            parts.append(f"{self.failed:,} given up on")
        if self.not_picked_up:
            parts.append(f"{self.not_picked_up:,} not yet tried although due (is the worker running?)")
        return "; ".join(parts)


def delivery_trouble(*, now: datetime, failed_since: datetime | None = None) -> DeliveryTrouble:
    """The outbox's emails that show delivery is failing (one query, and one more for the newest
    error when there is one). ``failed_since`` limits the given-up ones to recent failures; None
    counts them all (the email page)."""
    recent = Q(state=OutboxState.FAILED)
    if failed_since is not None:
        recent &= Q(claimed_at__gte=failed_since)
    retrying = Q(state=OutboxState.QUEUED, attempts__gt=0)
    idle = Q(state=OutboxState.QUEUED, attempts=0, next_attempt_at__lt=now - NOT_PICKED_UP)
    found = (
        OutboxEmail.objects.filter(retrying | recent | idle)
        .order_by()
        .aggregate(
            retrying=Count("id", filter=retrying),
            failed=Count("id", filter=recent),
            idle=Count("id", filter=idle),
            latest=Max("claimed_at", filter=retrying | recent),
        )
    )
    last_error = ""
    if found["latest"] is not None:
        # Only when something failed: the newest error names the cause (connection refused …).
        last_error = (
            OutboxEmail.objects.filter(claimed_at=found["latest"])
            .exclude(last_error="")
            .values_list("last_error", flat=True)
            .first()
            or ""
        )
    return DeliveryTrouble(found["retrying"], found["failed"], found["idle"], last_error)


def _header_trouble() -> bool:
    """Whether the desk's header warns that email is not going out. Only the yes/no is needed, so
    the error text is not read (one query)."""
    now = timezone.now()
    retrying = Q(state=OutboxState.QUEUED, attempts__gt=0)
    recent = Q(state=OutboxState.FAILED, claimed_at__gte=now - RECENT_FAILURE)
    idle = Q(state=OutboxState.QUEUED, attempts=0, next_attempt_at__lt=now - NOT_PICKED_UP)
    return OutboxEmail.objects.filter(retrying | recent | idle).exists()


HEADER_MAX_AGE = 60.0
# Display only (ADR 0007): every staff page shows it, so each process reads it at most once a minute.
# No write clears it: the worker's sending attempts, in another process, are what change it.
mail_failing: ShortLivedCopy[bool] = caches.short_lived("mail.failing", _header_trouble, ttl=HEADER_MAX_AGE, copies=())


@dataclass(frozen=True)
class MailOverview:
    mailboxes: list[Mailbox]
    outbox_counts: list[tuple[str, int]]
    needs_attention: list[OutboxEmail]
    quarantined: list[QuarantinedMail]
    trouble: DeliveryTrouble


def mail_overview(now: datetime | None = None) -> MailOverview:
    """Everything the email page shows, in at most six queries whatever the volumes."""
    now = now or timezone.now()
    counts = dict(OutboxEmail.objects.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return MailOverview(
        mailboxes=list(Mailbox.objects.all()),
        outbox_counts=[(label, counts.get(state, 0)) for state, label in OutboxState.choices],
        needs_attention=list(
            OutboxEmail.objects.filter(
                Q(state__in=[OutboxState.FAILED, OutboxState.UNCERTAIN, OutboxState.BOUNCED])
                | Q(state=OutboxState.QUEUED, attempts__gt=0)
            )
            .only("id", "to", "subject", "state", "attempts", "last_error", "created_at", "next_attempt_at")
            .order_by("-created_at", "-id")[:LIST_LIMIT]
        ),
        quarantined=list(
            QuarantinedMail.objects.filter(state=QuarantineState.HELD)
            .defer("raw")
            .order_by("-received_at", "-id")[:LIST_LIMIT]
        ),
        trouble=delivery_trouble(now=now),
    )


@dataclass(frozen=True)
class DeliveryState:
    """Where an outbound message stands on its way to the customer."""

    state: str  # queued, sent, retrying, failed, bounced, held, suppressed
    label: str
    detail: str = ""


def _delivery_state(state: str, attempts: int, last_error: str, next_attempt_at: datetime | None) -> DeliveryState:
    if state == OutboxState.QUEUED and attempts:
        when = timezone.localtime(next_attempt_at).strftime("%H:%M") if next_attempt_at else ""
        detail = f"Tried {attempts} time{'s' if attempts != 1 else ''}: {last_error}".strip()
        return DeliveryState("retrying", f"Not delivered yet, trying again{f' at {when}' if when else ''}", detail)
    labels = {
        OutboxState.QUEUED: ("queued", "Queued to send"),
        OutboxState.SENDING: ("queued", "Sending"),
        OutboxState.SENT: ("sent", "Sent"),
        OutboxState.FAILED: ("failed", "Not delivered: sending failed"),
        OutboxState.UNCERTAIN: ("failed", "May not have been sent: check before sending again"),
        OutboxState.BOUNCED: ("bounced", "Bounced: the customer's mail server refused it"),
        OutboxState.SUPPRESSED: ("held", "Not sent: the customer's contact preferences"),
    }
    key, label = labels.get(OutboxState(state), ("queued", state))
    return DeliveryState(key, label, last_error if key in {"failed", "bounced", "held"} else "")


def delivery_states(message_ids: Iterable[int]) -> dict[int, DeliveryState]:
    """The delivery state of each of these messages that was sent by email, by message id: one
    query whatever their number (nothing to ask when there are none)."""
    ids = list(message_ids)
    if not ids:
        return {}
    rows = OutboxEmail.objects.filter(message_id__in=ids).values_list(
        "message_id", "state", "attempts", "last_error", "next_attempt_at"
    )
    return {row[0]: _delivery_state(*row[1:]) for row in rows}


def address_flag(email: str) -> FlaggedAddress | None:
    """The flag on an email address, if mail to it has bounced (one query on the unique address)."""
    if not email:
        return None
    return FlaggedAddress.objects.filter(address=email.lower()).first()
