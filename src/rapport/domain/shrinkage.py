"""Shrinkage: the share of paid time agents are not available to answer customers.

``shrinkage = Σ category hours / paid hours`` over leave, sickness, training, coaching and
meetings (the categories of the COPC CX Standard and the usual contact-centre planning texts).
Categories are entered as shares of paid time and add up: 0.12 leave + 0.04 sickness + 0.05
training + 0.03 coaching + 0.04 meetings is 0.28. Staff to schedule are then the agents
needed / (1 - shrinkage) (``rapport.domain.staffing.scheduled_for``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum


class Category(StrEnum):
    LEAVE = "leave"
    SICKNESS = "sickness"
    TRAINING = "training"
    COACHING = "coaching"
    MEETINGS = "meetings"


LABELS = {
    Category.LEAVE: "Leave",
    Category.SICKNESS: "Sickness",
    Category.TRAINING: "Training",
    Category.COACHING: "Coaching",
    Category.MEETINGS: "Meetings",
}
MAX_TOTAL = Decimal("0.9")  # above this nobody is left to answer: a mistake in the figures


def total(shares: Mapping[str, Decimal | float]) -> Decimal:
    """The shrinkage: the categories' shares of paid time added up, exactly (decimals)."""
    return sum((Decimal(str(share)) for share in shares.values()), Decimal(0))


def valid_total(shares: Mapping[str, Decimal | float]) -> bool:
    return all(Decimal(str(s)) >= 0 for s in shares.values()) and total(shares) <= MAX_TOTAL
