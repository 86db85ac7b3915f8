"""The case lifecycle (rapport.domain.case_lifecycle), for every sequence of actions.

What holds, whatever happens to a case and in whatever order:
* the status events chain: each move starts where the last one ended, and the last one ends at
  the state's status (the timeline alone tells where the case is);
* resolved and closed times are set exactly when the status says so, at the moment of the move;
* the first response is recorded once, at the first reply, and never moves;
* a case with an owner is never new; a customer's message never leaves it waiting on them,
  resolved or closed;
* the version grows by one for each action that recorded a change, and only then;
* a refused move changes nothing.
Runs are deterministic (derandomize) and bounded in size.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.domain.case_lifecycle import (
    CHANGED,
    FIRST_RESPONSE,
    AnsweredInPerson,
    CaseState,
    CustomerWrote,
    Edit,
    EventSpec,
    MoveRefused,
    StaffWrote,
    opened,
    step,
)
from rapport.domain.case_rules import Status, can_move

PROPERTY = settings(max_examples=300, derandomize=True, deadline=None)

statuses = st.sampled_from(list(Status))
actions = st.one_of(
    st.just(CustomerWrote()),
    st.builds(StaffWrote, reply=st.booleans(), status_after=st.none() | statuses),
    st.builds(
        Edit,
        status=st.none() | statuses,
        owner=st.none() | st.sampled_from([("", "Sam"), ("Sam", ""), ("Sam", "Ana")]),
        leading=st.sampled_from([(), (EventSpec(CHANGED, "subject", "a", "b"),)]),
    ),
    st.just(AnsweredInPerson()),
)


def replay(owned: bool, script: list) -> tuple[CaseState[int], list[tuple[int, EventSpec[int]]], list]:
    """Apply ``script`` at moments 1, 2, 3 …, skipping refused moves; returns the final state, the
    recorded events with their moments, and each (before, after, events) step taken."""
    state: CaseState[int] = opened(owned=owned)
    recorded, taken = [], []
    for at, action in enumerate(script, start=1):
        try:
            after, events = step(state, action, at)
        except MoveRefused:
            continue
        taken.append((state, after, events))
        recorded.extend((at, e) for e in events)
        state = after
    return state, recorded, taken


@PROPERTY
@given(owned=st.booleans(), script=st.lists(actions, max_size=12))
def test_the_status_events_tell_where_the_case_is(owned, script):
    state, recorded, _ = replay(owned, script)
    status = Status.OPEN if owned else Status.NEW
    for _, event in recorded:
        if event.kind == CHANGED and event.field == "status":
            assert event.before == status
            assert can_move(status, Status(event.after))
            status = Status(event.after)
    assert state.status == status


@PROPERTY
@given(owned=st.booleans(), script=st.lists(actions, max_size=12))
def test_resolved_and_closed_times_follow_the_status(owned, script):
    state, recorded, _ = replay(owned, script)
    moves = [(at, e.after) for at, e in recorded if e.kind == CHANGED and e.field == "status"]
    assert (state.closed_at is not None) == (state.status == Status.CLOSED)
    assert (state.resolved_at is not None) == (state.status in {Status.RESOLVED, Status.CLOSED})
    if state.status == Status.CLOSED:
        assert state.closed_at == moves[-1][0]
    if state.status == Status.RESOLVED:
        assert state.resolved_at == moves[-1][0]
    if state.status == Status.CLOSED and len(moves) > 1 and moves[-2][1] == Status.RESOLVED:
        assert state.resolved_at == moves[-2][0]  # closing keeps the time it was resolved


@PROPERTY
@given(owned=st.booleans(), script=st.lists(actions, max_size=12))
def test_the_first_response_is_recorded_once_at_the_first_reply(owned, script):
    state, recorded, _ = replay(owned, script)
    firsts = [(at, e) for at, e in recorded if e.kind == FIRST_RESPONSE]
    assert len(firsts) <= 1
    if firsts:
        at, event = firsts[0]
        assert event.after == at
        assert state.first_response_at == at
    elif state.first_response_at is not None:  # answered in person: no event, the message is the record
        assert any(isinstance(a, AnsweredInPerson) for a in script)


@PROPERTY
@given(owned=st.booleans(), script=st.lists(actions, max_size=12))
def test_each_action_keeps_the_rules_of_the_desk(owned, script):
    _, _, taken = replay(owned, script)
    for before, after, events in taken:
        if after.owned:
            assert after.status != Status.NEW
        changed = any(e.kind == CHANGED for e in events)
        assert after.version == before.version + (1 if changed else 0)
        if before.first_response_at is not None:
            assert after.first_response_at == before.first_response_at


@PROPERTY
@given(state=st.builds(CaseState, status=statuses, owned=st.booleans()), at=st.integers(1, 9))
def test_a_customer_message_puts_the_case_in_front_of_the_team(state, at):
    after, _ = step(state, CustomerWrote(), at)
    assert after.status not in {Status.WAITING_ON_CUSTOMER, Status.RESOLVED, Status.CLOSED}


@PROPERTY
@given(current=statuses, target=statuses)
def test_a_refused_move_changes_nothing(current, target):
    state: CaseState[int] = CaseState(status=current, owned=True, version=3)
    if target == current or can_move(current, target):
        return
    with pytest.raises(MoveRefused, match="cannot move to"):
        step(state, Edit(status=target), 5)
    assert state == CaseState(status=current, owned=True, version=3)


def test_an_assignment_opens_a_new_case_in_one_version():
    # given a new case, when a team leader gives it an owner
    state, events = step(opened(owned=False), Edit(owner=("", "Sam")), 7)
    # then the owner and the status change are one edit
    assert events == [EventSpec(CHANGED, "owner", "", "Sam"), EventSpec(CHANGED, "status", "new", "open")]
    assert (state.status, state.owned, state.version) == (Status.OPEN, True, 2)


def test_a_reply_that_resolves_records_the_first_response_then_the_move():
    state, events = step(opened(owned=True), StaffWrote(reply=True, status_after=Status.RESOLVED), 4)
    assert events == [EventSpec(FIRST_RESPONSE, after=4), EventSpec(CHANGED, "status", "open", "resolved")]
    assert (state.first_response_at, state.resolved_at, state.version) == (4, 4, 2)


def test_a_customer_reopens_a_closed_case_and_its_times_clear():
    closed, _ = step(opened(owned=True), Edit(status=Status.CLOSED), 3)
    assert (closed.resolved_at, closed.closed_at) == (3, 3)
    reopened, events = step(closed, CustomerWrote(), 9)
    assert events == [EventSpec(CHANGED, "status", "closed", "open")]
    assert (reopened.status, reopened.resolved_at, reopened.closed_at) == (Status.OPEN, None, None)
