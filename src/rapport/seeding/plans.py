"""A case's life as a list of steps, drawn from a scenario: the same plan feeds the demo (through
the services) and the bulk seeder (straight into the tables).

Plain values only (times are whole seconds since the epoch, UTC) so that a million plans are cheap.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from itertools import accumulate
from typing import Generic, NamedTuple, TypeVar

from rapport.domain.case_rules import CaseType, Channel, Priority, Status
from rapport.seeding.scenarios import GENERIC_ASKS, GENERIC_TAGS, GENERIC_THIRD_PARTY, Scenario

ASSIGN = "assign"  # a team leader gives the case an owner (services.case_update)
MESSAGE = "message"  # services.message_add
STATUS = "status"  # services.case_update of the status

INBOUND = "inbound"
OUTBOUND = "outbound"
NOTE = "note"

# Contacts logged as they happen (services.contact_log): owned and answered at once.
LOGGED_BY_STAFF = frozenset({Channel.PHONE, Channel.FACE_TO_FACE})

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR

EXTERNAL_CHANNELS = (
    (Channel.EMAIL, 35),
    (Channel.PHONE, 25),
    (Channel.PORTAL, 14),
    (Channel.CHAT, 12),
    (Channel.FACE_TO_FACE, 8),
    (Channel.LETTER, 6),
)
INTERNAL_CHANNELS = (
    (Channel.EMAIL, 40),
    (Channel.CHAT, 25),
    (Channel.PORTAL, 15),
    (Channel.PHONE, 15),
    (Channel.FACE_TO_FACE, 5),
)
PRIORITIES = ((Priority.LOW, 15), (Priority.NORMAL, 58), (Priority.HIGH, 21), (Priority.URGENT, 6))
COMPLAINT_PRIORITIES = ((Priority.NORMAL, 45), (Priority.HIGH, 40), (Priority.URGENT, 15))
# The backlog is recent: old cases are nearly all finished, this week's mostly still in hand.
RECENT_STATUSES = (
    (Status.NEW, 14),
    (Status.OPEN, 30),
    (Status.WAITING_ON_CUSTOMER, 16),
    (Status.WAITING_ON_THIRD_PARTY, 8),
    (Status.RESOLVED, 20),
    (Status.CLOSED, 12),
)
OLD_STATUSES = (
    (Status.NEW, 1),
    (Status.OPEN, 2),
    (Status.WAITING_ON_CUSTOMER, 2),
    (Status.WAITING_ON_THIRD_PARTY, 1),
    (Status.RESOLVED, 9),
    (Status.CLOSED, 85),
)


T = TypeVar("T")


class Step(NamedTuple):
    at: int
    action: str  # ASSIGN | MESSAGE | STATUS
    kind: str = ""  # MESSAGE: inbound | outbound | note
    body: str = ""
    status: str = ""  # MESSAGE: the status to move to afterwards (outbound); STATUS: the new status


class CasePlan(NamedTuple):
    scenario: Scenario
    type: str
    channel: str
    priority: int
    subject: str
    body: str  # the customer's first message
    tags: tuple[str, ...]
    created_at: int
    logged_by_staff: bool
    steps: tuple[Step, ...]
    status: str  # where the case ends


class Weighted(Generic[T]):
    """Weighted choice by bisecting a precomputed cumulative table (``random.choices`` rebuilds its
    table on every call, which a million cases notice)."""

    def __init__(self, pairs: Sequence[tuple[T, int]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> T:
        return self.values[bisect_right(self.cumulative, rng.random() * self.total)]


_EXTERNAL_CHANNELS = Weighted(EXTERNAL_CHANNELS)
_INTERNAL_CHANNELS = Weighted(INTERNAL_CHANNELS)
_PRIORITIES = Weighted(PRIORITIES)
_COMPLAINT_PRIORITIES = Weighted(COMPLAINT_PRIORITIES)
_RECENT = Weighted(RECENT_STATUSES)
_OLD = Weighted(OLD_STATUSES)


def draw_channel(rng: random.Random, *, internal: bool) -> str:
    return str((_INTERNAL_CHANNELS if internal else _EXTERNAL_CHANNELS).draw(rng))


def draw_type(rng: random.Random, scenario: Scenario) -> str:
    types = scenario.types
    return str(types[0] if len(types) == 1 or rng.random() < 0.7 else rng.choice(types[1:]))


def draw_priority(rng: random.Random, case_type: str) -> int:
    table = _COMPLAINT_PRIORITIES if case_type == CaseType.COMPLAINT else _PRIORITIES
    return int(table.draw(rng))


def draw_status(rng: random.Random, *, age_seconds: int) -> str:
    return str((_RECENT if age_seconds < 14 * DAY else _OLD).draw(rng))


def draw_tags(rng: random.Random, scenario: Scenario) -> tuple[str, ...]:
    tags = {rng.choice(scenario.tags)}
    if rng.random() < 0.35:
        tags.add(rng.choice(scenario.tags))
    if rng.random() < 0.12:
        tags.add(rng.choice(GENERIC_TAGS))
    return tuple(sorted(tags))


def day_text(ts: int) -> str:
    """A date as people write it in a message: ``Tuesday 3 March``."""
    when = datetime.fromtimestamp(ts, tz=UTC)
    return f"{when:%A} {when.day} {when:%B}"


def fill(template: str, slots: Mapping[str, str]) -> str:
    return template.format_map(slots)


def plan_case(
    rng: random.Random,
    scenario: Scenario,
    slots: Mapping[str, str],
    *,
    channel: str,
    status: str,
    messages: int,
    created_at: int,
    now: int,
    case_type: str | None = None,
    priority: int | None = None,
) -> CasePlan:
    """Plan a case that ends in ``status`` with ``messages`` messages (2 to 4, the first from the customer).

    Steps never run past ``now``; they may share a second when the case is young.
    """
    case_type = case_type or draw_type(rng, scenario)
    logged = channel in LOGGED_BY_STAFF
    if logged and status == Status.NEW:
        status = Status.OPEN  # a call is answered as it happens
    t = created_at
    steps: list[Step] = []

    def later(low: int, high: int) -> int:
        nonlocal t
        t = min(t + rng.randrange(low, high), now)
        return t

    said: set[str] = set()

    def say(kind: str, pool: Sequence[str], low: int, high: int, status_after: str = "") -> None:
        # Nobody writes the same note or message twice on one case: an optional step (one that
        # moves no status) with nothing new left to say is left out.
        fresh = [text for text in pool if text not in said]
        if not fresh and not status_after and kind != OUTBOUND:
            return
        text = rng.choice(fresh or pool)
        said.add(text)
        steps.append(Step(later(low, high), MESSAGE, kind, fill(text, slots), status_after))

    rest = messages - 1
    if status == Status.NEW:
        for _ in range(rest):
            if rng.random() < 0.5:
                say(INBOUND, scenario.follow_ups, 2 * HOUR, 2 * DAY)
            else:
                say(NOTE, scenario.notes, 5 * MINUTE, 4 * HOUR)
    else:
        if not logged:
            steps.append(Step(later(5 * MINUTE, 3 * HOUR), ASSIGN))
        tail = 0 if status == Status.OPEN else 1
        for index in range(max(rest - tail, 0)):
            if index == 0:
                say(OUTBOUND, scenario.replies, 20 * MINUTE, 8 * HOUR)
            elif rng.random() < 0.5:
                say(INBOUND, scenario.follow_ups, 2 * HOUR, 2 * DAY)
            else:
                say(NOTE, scenario.notes, 10 * MINUTE, 6 * HOUR)
        if status == Status.WAITING_ON_CUSTOMER:
            say(OUTBOUND, scenario.asks or GENERIC_ASKS, 30 * MINUTE, DAY, Status.WAITING_ON_CUSTOMER)
        elif status == Status.WAITING_ON_THIRD_PARTY:
            say(NOTE, scenario.third_party or GENERIC_THIRD_PARTY, 30 * MINUTE, DAY)
            steps.append(Step(later(MINUTE, 10 * MINUTE), STATUS, status=Status.WAITING_ON_THIRD_PARTY))
        elif status in {Status.RESOLVED, Status.CLOSED}:
            say(OUTBOUND, scenario.closings, HOUR, 3 * DAY, Status.RESOLVED)
            if status == Status.CLOSED:
                steps.append(Step(later(2 * DAY, 10 * DAY), STATUS, status=Status.CLOSED))
    return CasePlan(
        scenario=scenario,
        type=case_type,
        channel=channel,
        priority=priority if priority is not None else draw_priority(rng, case_type),
        subject=fill(rng.choice(scenario.subjects), slots)[:200],
        body=fill(rng.choice(scenario.openings), slots),
        tags=draw_tags(rng, scenario),
        created_at=created_at,
        logged_by_staff=logged,
        steps=tuple(steps),
        status=status,
    )
