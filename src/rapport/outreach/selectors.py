"""Reads for proactive service: the sends, one send's preview (counts, who is skipped and why,
the formats adjustments ask for), its recipients, and a customer's proactive contacts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet

from rapport import extensions
from rapport.accounts.models import User
from rapport.customers.models import Customer
from rapport.domain.outreach import BY_HAND, FORMAT_LABELS, SKIP_LABELS, Delivery, Skip, delivery, skips_for
from rapport.outreach.audiences import SEND, segment_customers, with_reason
from rapport.outreach.models import Outreach, Recipient, RecipientState

SHOWN_SKIPPED = 20  # per reason on the preview; the CSV has them all
BATCH = 1000


@dataclass(frozen=True)
class SkippedCustomer:
    customer_id: int
    name: str
    reason: str
    label: str


@dataclass(frozen=True)
class Preview:
    """What sending would do now: ``matched`` customers, ``to_send`` of them reached (``by_email``
    and ``by_hand``), the skipped by reason with some of them by name, and the formats asked for."""

    matched: int
    to_send: int
    by_email: int
    by_hand: int
    skipped: tuple[tuple[str, str, int], ...]  # (reason, label, count), in Skip order
    skipped_customers: tuple[SkippedCustomer, ...]
    formats: tuple[tuple[str, int], ...]  # (label, count)

    @property
    def skipped_total(self) -> int:
        return sum(n for _r, _l, n in self.skipped)


def delivery_for(customer: Customer, preferences: extensions.OutboundPreferences | None) -> Delivery | None:
    """How one customer is reached: their adjustment's preferred channel first; the record's own
    preferred channel only when there is no email address to write to."""
    prefs = preferences or extensions.OutboundPreferences()
    preferred = prefs.preferred_channel
    if preferred not in BY_HAND and not customer.email and customer.preferred_channel in BY_HAND:
        preferred = customer.preferred_channel
    return delivery(
        has_email=bool(customer.email),
        preferred_channel=preferred,
        plain_text_only=prefs.plain_text_only,
        large_print=prefs.large_print,
        easy_read=prefs.easy_read,
        bsl_relay=prefs.bsl_relay,
    )


def preview(actor: User, outreach: Outreach) -> Preview:
    """Counts by reason in one grouped query; the customers to reach are read in batches of a
    thousand for their adjustments (one query per batch per hook)."""
    annotated = with_reason(segment_customers(actor, outreach.segment), purpose=outreach.purpose)
    counts = {r["reason"]: r["n"] for r in annotated.values("reason").annotate(n=Count("pk")).order_by()}
    reasons = skips_for(outreach.purpose)
    named: list[SkippedCustomer] = []
    for reason in reasons:
        if counts.get(reason.value):
            for pk, name in (
                annotated.filter(reason=reason.value).order_by("name", "pk").values_list("pk", "name")[:SHOWN_SKIPPED]
            ):
                named.append(SkippedCustomer(pk, name, reason.value, SKIP_LABELS[reason]))
    formats: Counter[str] = Counter()
    by_email = by_hand = 0
    sendable = annotated.filter(reason=SEND).order_by("pk").only("pk", "email", "preferred_channel")
    last = 0
    while True:
        batch = list(sendable.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1].pk
        preferences = extensions.preferences_for_many([c.pk for c in batch])
        for customer in batch:
            found = delivery_for(customer, preferences.get(customer.pk))
            if found is None:
                continue
            by_hand += found.by_hand
            by_email += not found.by_hand
            formats.update(FORMAT_LABELS[f] for f in found.formats)
    return Preview(
        matched=sum(counts.values()),
        to_send=counts.get(SEND, 0),
        by_email=by_email,
        by_hand=by_hand,
        skipped=tuple((r.value, SKIP_LABELS[r], counts[r.value]) for r in reasons if counts.get(r.value)),
        skipped_customers=tuple(named),
        formats=tuple(sorted(formats.items(), key=lambda item: (-item[1], item[0]))),
    )


def skipped_all(actor: User, outreach: Outreach) -> QuerySet[Customer]:
    """Every customer the send would skip, with ``reason``, for the preview's CSV."""
    annotated = with_reason(segment_customers(actor, outreach.segment), purpose=outreach.purpose)
    return annotated.exclude(reason=SEND).order_by("name", "pk")


def outreaches() -> QuerySet[Outreach]:
    return Outreach.objects.select_related("created_by", "sent_by").order_by("-created_at", "-id")


def recipients(outreach: Outreach, *, state: str = "") -> QuerySet[Recipient]:
    found = Recipient.objects.filter(outreach=outreach).select_related("customer").order_by("id")
    return found.filter(state=state) if state else found


def customer_contacts(customer_id: int, *, limit: int = 10) -> list[Recipient]:
    """A customer's latest proactive contacts (sent or skipped), newest first: one query."""
    return list(
        Recipient.objects.filter(customer_id=customer_id).select_related("outreach").order_by("-at", "-id")[:limit]
    )


def proactive_count(*, start: datetime, end: datetime) -> int:
    """Proactive messages that went out in [start, end): by email or listed to call or post."""
    return Recipient.objects.filter(
        at__gte=start, at__lt=end, state__in=[RecipientState.QUEUED, RecipientState.BY_HAND]
    ).count()


SKIP_REASONS = [s.value for s in Skip]
