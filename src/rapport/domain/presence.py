"""Who else is working a case right now (collision detection, issue 16).

Help Scout and Zendesk show "Megan is viewing" and "Megan is replying" on a conversation so two
agents do not answer one customer twice (Help Scout, "Collision detection": a person shows while
their browser keeps the conversation open, and as replying while they type). An entry lasts
``ttl`` seconds after its last sign of life; a page that stops polling drops out by itself.

Pure: the caller passes the moment (seconds since the epoch) and the entries held in the cache.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

VIEWING = "viewing"
REPLYING = "replying"
NOTING = "noting"
STATES = (VIEWING, REPLYING, NOTING)
_WORDS = {VIEWING: "is viewing", REPLYING: "is replying", NOTING: "is writing a note"}


@dataclass(frozen=True)
class Presence:
    """One person on a case: who, doing what, until when (epoch seconds)."""

    user_id: int
    name: str
    state: str
    until: float


def arrive(
    held: Mapping[int, Presence], *, user_id: int, name: str, state: str | None, now: float, ttl: float
) -> dict[int, Presence]:
    """The entries after ``user_id`` shows a sign of life. ``state`` None is a poll: it keeps what
    they were doing (a poll never turns "replying" back into "viewing"); an unknown state is
    "viewing". Entries past their time are dropped."""
    kept = current(held, now)
    before = kept.get(user_id)
    if state is None:
        state = before.state if before else VIEWING
    elif state not in STATES:
        state = VIEWING
    kept[user_id] = Presence(user_id, name, state, now + ttl)
    return kept


def current(held: Mapping[int, Presence], now: float) -> dict[int, Presence]:
    """The entries still alive at ``now``."""
    return {uid: p for uid, p in held.items() if p.until > now}


def others(held: Mapping[int, Presence], *, user_id: int, now: float) -> list[Presence]:
    """Everyone else on the case now, those writing first, then by name (a stable order, so an
    unchanged list reads the same and is not announced again)."""
    alive = [p for p in current(held, now).values() if p.user_id != user_id]
    return sorted(alive, key=lambda p: (p.state == VIEWING, p.name.lower(), p.user_id))


def sentence(people: Sequence[Presence]) -> str:
    """ "Megan Jones is replying. Sam Patel is viewing." (empty when nobody else is here)."""
    return " ".join(f"{p.name} {_WORDS.get(p.state, _WORDS[VIEWING])}." for p in people)
