"""Case life rules: status moves and what a customer's message does."""

from __future__ import annotations

import pytest

from rapport.domain.case_rules import Priority, Status, can_move, status_after_customer_message


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (Status.NEW, Status.OPEN, True),
        (Status.NEW, Status.RESOLVED, True),
        (Status.OPEN, Status.NEW, False),
        (Status.RESOLVED, Status.OPEN, True),
        (Status.RESOLVED, Status.CLOSED, True),
        (Status.RESOLVED, Status.WAITING_ON_CUSTOMER, False),
        (Status.CLOSED, Status.OPEN, True),
        (Status.CLOSED, Status.RESOLVED, False),
    ],
)
def test_status_moves(current, target, allowed):
    assert can_move(current, target) is allowed


@pytest.mark.parametrize(
    ("current", "after"),
    [
        (Status.WAITING_ON_CUSTOMER, Status.OPEN),
        (Status.RESOLVED, Status.OPEN),
        (Status.CLOSED, Status.OPEN),
        (Status.NEW, Status.NEW),
        (Status.WAITING_ON_THIRD_PARTY, Status.WAITING_ON_THIRD_PARTY),
    ],
)
def test_customer_message_puts_the_case_back_in_front_of_the_team(current, after):
    assert status_after_customer_message(current) is after


def test_priority_labels_round_trip():
    assert [Priority.from_label(p.label) for p in Priority] == list(Priority)
    with pytest.raises(KeyError):
        Priority.from_label("extreme")
