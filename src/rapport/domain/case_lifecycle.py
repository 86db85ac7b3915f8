"""The life of a case as a pure state machine: what each thing that happens to a case does to its
status and clocks, and which events the timeline records for it (domain.md §2, "every interaction
is recorded once, in order, with who did what"; §2 "moments of truth": first contact, first reply,
resolution).

``step(state, action, at)`` returns the new state and the events to record, in order. It is the one
place these rules live: the services (one case at a time), the batch filing of mail and the seeder
all replay their work through it, so they cannot drift apart.

- A case opens when it gets an owner, or when staff first reply.
- The first reply to the customer records the first response (once).
- A customer's message re-opens a case that waited on them, was resolved or closed.
- Resolving sets the resolved time; closing sets the closed time (and the resolved time, if the
  case was closed without being resolved first); any other move clears both (a re-open).
- Every action that records a change is one new version of the case (what optimistic edits check).

Moments are whatever the caller counts time in (``datetime`` in the services, the seeder's column
values): the machine only stores and compares them for equality, never does arithmetic on them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from rapport.domain.case_rules import Status, can_move, status_after_customer_message

T = TypeVar("T")

CHANGED = "changed"
FIRST_RESPONSE = "first_response"


@dataclass(frozen=True, slots=True)
class CaseState(Generic[T]):
    """What the lifecycle knows of a case."""

    status: Status
    owned: bool
    first_response_at: T | None = None
    resolved_at: T | None = None
    closed_at: T | None = None
    version: int = 1


@dataclass(frozen=True, slots=True)
class EventSpec(Generic[T]):
    """An event to record: ``changed`` (a field from ``before`` to ``after``) or ``first_response``
    (whose ``after`` is the moment itself, which the writer formats)."""

    kind: str
    field: str = ""
    before: str = ""
    after: str | T = ""


@dataclass(frozen=True, slots=True)
class CustomerWrote:
    """A message from the customer (by email, the portal, or logged by staff on their behalf)."""


@dataclass(frozen=True, slots=True)
class StaffWrote:
    """A reply to the customer (``reply=True``) or an internal note, and the status staff chose to
    move the case to with it (``status_after``), if any."""

    reply: bool
    status_after: Status | None = None


@dataclass(frozen=True, slots=True)
class Edit:
    """Staff change fields of the case at once (one new version). ``status`` is a move;
    ``owner`` is ``(before, after)`` as recorded, ``after`` empty when the case loses its owner.
    ``leading`` and ``trailing`` are changes to fields outside the lifecycle (subject, priority,
    team, tags …), recorded before and after the status and owner, as the case page lists them."""

    status: Status | None = None
    owner: tuple[str, str] | None = None
    leading: tuple[EventSpec[object], ...] = ()
    trailing: tuple[EventSpec[object], ...] = ()


@dataclass(frozen=True, slots=True)
class AnsweredInPerson:
    """A call or a conversation: answered as it happens, so the first response is now (no event:
    the message that logs the contact is the record)."""


Action = CustomerWrote | StaffWrote | Edit | AnsweredInPerson


class MoveRefused(ValueError):
    """A status move the lifecycle does not allow (``case_rules.can_move``)."""

    def __init__(self, current: Status, target: Status) -> None:
        super().__init__(f"A {current.replace('_', ' ')} case cannot move to {target.replace('_', ' ')}.")
        self.current = current
        self.target = target


def opened(*, owned: bool) -> CaseState[T]:
    """A new case: open when it arrives with an owner, new otherwise."""
    return CaseState(status=Status.OPEN if owned else Status.NEW, owned=owned)


def step(state: CaseState[T], action: Action, at: T) -> tuple[CaseState[T], list[EventSpec[T]]]:
    """Apply ``action`` at moment ``at``: the new state and the events to record, in order.

    Raises ``MoveRefused`` for a status move ``case_rules.can_move`` forbids, leaving nothing
    changed (the state is immutable)."""
    events: list[EventSpec[T]] = []
    if isinstance(action, CustomerWrote):
        state = _move(state, status_after_customer_message(state.status), at, events)
    elif isinstance(action, StaffWrote):
        target = state.status
        if action.reply:
            if state.first_response_at is None:
                state = replace(state, first_response_at=at)
                events.append(EventSpec(FIRST_RESPONSE, after=at))
            if state.status == Status.NEW:
                target = Status.OPEN
        if action.status_after is not None and action.status_after != target:
            if not can_move(target, action.status_after):
                raise MoveRefused(target, action.status_after)
            target = action.status_after
        state = _move(state, target, at, events)
    elif isinstance(action, Edit):
        events.extend(action.leading)  # type: ignore[arg-type]  # values of other fields are plain text
        if action.status is not None and action.status != state.status:
            if not can_move(state.status, action.status):
                raise MoveRefused(state.status, action.status)
            state = _move(state, action.status, at, events)
        if action.owner is not None:
            before, after = action.owner
            events.append(EventSpec(CHANGED, "owner", before, after))
            state = replace(state, owned=bool(after))
            if state.owned and state.status == Status.NEW:
                state = _move(state, Status.OPEN, at, events)
        events.extend(action.trailing)  # type: ignore[arg-type]
    elif isinstance(action, AnsweredInPerson) and state.first_response_at is None:
        state = replace(state, first_response_at=at)
    if any(e.kind == CHANGED for e in events):
        state = replace(state, version=state.version + 1)
    return state, events


def _move(state: CaseState[T], target: Status, at: T, events: list[EventSpec[T]]) -> CaseState[T]:
    """Move to ``target`` (recorded), with the resolved and closed times that follow from it."""
    if target == state.status:
        return state
    events.append(EventSpec(CHANGED, "status", state.status.value, target.value))
    if target == Status.RESOLVED:
        return replace(state, status=target, resolved_at=at, closed_at=None)
    if target == Status.CLOSED:
        return replace(state, status=target, resolved_at=state.resolved_at or at, closed_at=at)
    return replace(state, status=target, resolved_at=None, closed_at=None)
