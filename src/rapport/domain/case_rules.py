"""Rules about a case's life that do not need the database.

Statuses follow domain.md §2: a case is new until someone works it, may wait on the customer or a
third party, is resolved when the answer is given, and closed when nothing more will happen.
"""

from __future__ import annotations

import re
from enum import IntEnum, StrEnum


class CaseType(StrEnum):
    ENQUIRY = "enquiry"
    REQUEST = "request"
    COMPLAINT = "complaint"
    INTERNAL_REQUEST = "internal_request"
    DATA_REQUEST = "data_request"


class Status(StrEnum):
    NEW = "new"
    OPEN = "open"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    WAITING_ON_THIRD_PARTY = "waiting_on_third_party"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Priority(IntEnum):
    """Stored as a number so that queues sort by urgency in the index."""

    LOW = 1
    NORMAL = 2
    HIGH = 3
    URGENT = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> Priority:
        return cls[label.upper()]


class Channel(StrEnum):
    EMAIL = "email"
    PORTAL = "portal"
    PHONE = "phone"
    FACE_TO_FACE = "face_to_face"
    CHAT = "chat"
    LETTER = "letter"


ACTIVE_STATUSES = frozenset({Status.NEW, Status.OPEN, Status.WAITING_ON_CUSTOMER, Status.WAITING_ON_THIRD_PARTY})
"""Statuses of a case that still needs someone to act: the backlog."""

_ALLOWED: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset(Status) - {Status.NEW},
    Status.OPEN: frozenset(Status) - {Status.NEW, Status.OPEN},
    Status.WAITING_ON_CUSTOMER: frozenset(Status) - {Status.NEW, Status.WAITING_ON_CUSTOMER},
    Status.WAITING_ON_THIRD_PARTY: frozenset(Status) - {Status.NEW, Status.WAITING_ON_THIRD_PARTY},
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    # A closed case is reopened, never edited back to an earlier working state silently.
    Status.CLOSED: frozenset({Status.OPEN}),
}


def can_move(current: Status, target: Status) -> bool:
    """Whether a case may go from ``current`` to ``target`` status."""
    return target in _ALLOWED[current]


def status_after_customer_message(current: Status) -> Status:
    """A customer's message puts the case back in front of the team.

    A case waiting on the customer, resolved or closed re-opens: the customer has more to say.
    """
    if current in {Status.WAITING_ON_CUSTOMER, Status.RESOLVED, Status.CLOSED}:
        return Status.OPEN
    return current


# --- tags ------------------------------------------------------------------------------------------

TAG_CHARACTERS = "Tags can only use letters, numbers and hyphens: change “{tag}”."
TAG_TOO_LONG = "Keep each tag to 50 characters or fewer: “{tag}” is longer."
TAG_MAX = 50
_TAG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def tidy_tag(tag: str) -> str:
    """A tag as stored: lower case, spaces as hyphens. Nothing else is changed silently."""
    return re.sub(r"\s+", "-", tag.strip().lower())


def tag_problem(tag: str) -> str | None:
    """Why ``tag`` can't be stored as written (it would become something else, e.g.
    ``<script>x</script>`` as ``scriptxscript``), or None. Capitals and spaces are only tidied."""
    tidied = tidy_tag(tag)
    if not _TAG.fullmatch(tidied):
        return TAG_CHARACTERS.format(tag=tag)
    if len(tidied) > TAG_MAX:
        return TAG_TOO_LONG.format(tag=tag[:TAG_MAX] + "…")
    return None
