"""What the knowledge base holds about a customer, for their subject access bundle (UK GDPR Art 15)
and their erasure (Art 17), registered into the privacy app's registries through
``rapport.extensions``.

Feedback ("was this helpful?") and search logs are kept without anyone's identity, so they are
not the person's data. A deflection is: it records that this customer, while writing a new case,
opened a suggested article, and whether they then raised the case."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rapport.customers.models import Customer
from rapport.domain.references import format_reference
from rapport.extensions import Scrub
from rapport.knowledge.models import Deflection

DEFLECTIONS = "Help articles opened while raising a case"


def deflection_section(customer: Customer) -> tuple[str, list[dict[str, Any]]]:
    """Each article the person opened from the portal's suggestions, when, and what followed."""
    rows = (
        Deflection.objects.filter(customer=customer)
        .order_by("at", "pk")
        .values_list("article__title", "at", "outcome", "decided_at", "case_id")
    )
    return DEFLECTIONS, [
        {
            "article": title,
            "opened": at.isoformat(),
            "outcome": outcome,
            "decided": decided.isoformat() if decided else None,
            "case": format_reference(case_id) if case_id else None,
        }
        for title, at, outcome, decided, case_id in rows
    ]


def deflection_erase(customer: Customer, case_ids: Sequence[int], scrub: Scrub) -> Mapping[str, int]:
    """Delete the person's deflections: the self-service figures then count without them."""
    deleted, _ = Deflection.objects.filter(customer=customer).delete()
    return {"help-article deflections deleted": deleted}
