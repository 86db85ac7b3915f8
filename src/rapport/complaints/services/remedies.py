"""The statutory remedies: the purchase facts recorded on a complaint and what the Consumer Rights
Act 2015 gives on a date (``rapport.domain.consumer_law``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from rapport.accounts.models import User
from rapport.complaints.models import Complaint
from rapport.complaints.services.records import complaint_access, entry, record
from rapport.domain import consumer_law
from rapport.platform.errors import FieldError

DATE_FIELDS = (
    "contract_date",
    "reported",
    "delivered",
    "installation_notified",
    "repair_requested",
    "repair_returned",
    "cancellation_info_received",
)


def purchase_facts(data: dict[str, Any]) -> consumer_law.PurchaseFacts:
    """Stored facts (JSON: ISO dates, price as text) as ``PurchaseFacts``; ``ValueError`` if unusable."""
    values: dict[str, Any] = {}
    for name, value in data.items():
        if value in (None, ""):
            continue
        if name in DATE_FIELDS:
            values[name] = value if isinstance(value, date) else date.fromisoformat(str(value))
        elif name == "price":
            values[name] = Decimal(str(value))
        else:
            values[name] = value
    return consumer_law.PurchaseFacts(**values)


def _facts_json(facts: consumer_law.PurchaseFacts) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in consumer_law.PurchaseFacts.__dataclass_fields__:
        value = getattr(facts, name)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        out[name] = value
    return out


def complaint_assess(
    *, actor: User, reference: str, facts: dict[str, Any], now: datetime | None = None
) -> consumer_law.Assessment:
    """Record the purchase facts and assess the statutory remedies on today's date."""
    now = now or timezone.now()
    try:
        parsed = purchase_facts(facts)
        assessment = consumer_law.assess(parsed, timezone.localdate(now))
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise FieldError(facts=str(exc)) from None
    with transaction.atomic():
        complaint = complaint_access(actor, reference, for_update=True)
        complaint.facts = _facts_json(parsed)
        complaint.save(update_fields=["facts"])
        codes = ", ".join(r.code for r in assessment.remedies) or "none"
        record(complaint, [entry(complaint, actor, now, "remedies_assessed", after=codes)], now)
    return assessment


def assessment_for(complaint: Complaint, on: date) -> consumer_law.Assessment | None:
    """The statutory assessment from the stored facts on ``on``; None when none are recorded."""
    if not complaint.facts:
        return None
    try:
        return consumer_law.assess(purchase_facts(complaint.facts), on)
    except (ValueError, TypeError):
        return None
