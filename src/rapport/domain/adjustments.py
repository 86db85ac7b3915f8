"""Reasonable adjustments as rules (Equality Act 2010 ss.20, 29).

s.29(7) applies the duty to make reasonable adjustments to anyone providing a service to the
public, and s.20(7) says a person "is not (subject to express provision to the contrary) entitled
to require a disabled person ... to pay to any extent [the] costs of complying with the duty".
So no charge or fee may ever be linked to an adjustment: the check is a rule, not a reminder.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

CHARGE_REFUSED = "The cost of a reasonable adjustment can never be charged to the customer (Equality Act 2010 s.20(7))."
MAX_EXTRA_MINUTES = 60 * 24 * 30


def charge_refusal(charge_pence: int, *, linked_to_adjustment: bool) -> str | None:
    """Why a charge cannot be made, or None when it may: any non-zero charge linked to an
    adjustment is refused, whatever its amount or wording."""
    if linked_to_adjustment and charge_pence != 0:
        return CHARGE_REFUSED
    return None


def extra_time(minutes: Sequence[int]) -> timedelta:
    """The extra business time a customer's targets get: the largest of their extra-time
    adjustments (two adjustments for the same need do not add up), capped at 30 days."""
    return timedelta(minutes=min(max(minutes, default=0), MAX_EXTRA_MINUTES))
