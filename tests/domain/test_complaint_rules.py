"""Complaint rules: closing a complaint, authority and approval, escalation, final-response dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.domain import complaint_rules as rules
from rapport.domain.complaint_rules import (
    Basis,
    ClosingFacts,
    CustomerResponse,
    DeadlineState,
    Level,
    RefusalGround,
    Stage,
    check_authority,
    closing_refusals,
    deadline_state,
    final_response_due,
    next_level,
    referral_until,
    refusal_problem,
    upheld_rate,
)

PROPERTIES = settings(derandomize=True, max_examples=200, deadline=None)
LADDER = ("agent", "team_leader", "manager", "admin")
LIMITS = {"agent": Decimal("50"), "team_leader": Decimal("250"), "manager": Decimal("1000"), "admin": Decimal("10000")}
ALL_STAGES = frozenset(Stage)


def test_a_complete_complaint_may_close():
    assert closing_refusals(ClosingFacts(ALL_STAGES, CustomerResponse.NO_REPLY, "delay")) == ()


def test_every_missing_piece_is_named_in_order():
    refusals = closing_refusals(ClosingFacts(frozenset({Stage.HEAR, Stage.APOLOGISE}), None, None))
    assert refusals == (
        rules.STAGE_MISSING.format(stage="Empathise"),
        rules.STAGE_MISSING.format(stage="Take ownership"),
        rules.RESPONSE_MISSING,
        rules.ROOT_CAUSE_MISSING,
    )


def test_a_managers_override_lets_an_incomplete_complaint_close():
    assert closing_refusals(ClosingFacts(frozenset(), None, None, overridden=True)) == ()


@pytest.mark.parametrize(
    ("amount", "role", "within", "approver"),
    [
        ("50.00", "agent", True, None),  # exactly the limit: within it
        ("50.01", "agent", False, "team_leader"),
        ("251", "agent", False, "manager"),  # skips a role whose limit does not cover it
        ("251", "team_leader", False, "manager"),
        ("999999", "agent", False, "admin"),  # nobody's limit covers it: the top role decides
        ("0", "agent", True, None),
        ("10", "unknown", False, "agent"),  # no limit set means no authority
    ],
)
def test_authority_table(amount, role, within, approver):
    check = check_authority(Decimal(amount), role, LIMITS, LADDER)
    assert (check.within_authority, check.approver_role) == (within, approver)


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError, match="zero or more"):
        check_authority(Decimal("-1"), "agent", LIMITS, LADDER)


@PROPERTIES
@given(st.decimals(min_value=0, max_value=20000, places=2), st.sampled_from(LADDER))
def test_authority_properties(amount, role):
    check = check_authority(amount, role, LIMITS, LADDER)
    # within authority exactly when the actor's own limit covers it
    assert check.within_authority == (amount <= LIMITS[role])
    if not check.within_authority:
        # the approver is more senior (at the top, another holder of the top role), and holds
        # enough authority unless nobody does
        assert LADDER.index(check.approver_role) > LADDER.index(role) or role == LADDER[-1] == check.approver_role
        assert amount <= LIMITS[check.approver_role] or check.approver_role == LADDER[-1]
    # a more senior role never needs approval where a junior one does not
    for senior in LADDER[LADDER.index(role) :]:
        if check.within_authority:
            assert check_authority(amount, senior, LIMITS, LADDER).within_authority


def test_a_legal_entitlement_is_never_refused_for_budget():
    assert refusal_problem(Basis.LEGAL, RefusalGround.BUDGET, "No money left") == rules.LEGAL_NOT_REFUSED_FOR_BUDGET
    assert refusal_problem(Basis.LEGAL, RefusalGround.NOT_ENTITLED, "Bought 9 weeks ago") is None
    assert refusal_problem(Basis.GOODWILL, RefusalGround.BUDGET, "Over this month's budget") is None
    assert refusal_problem(Basis.GOODWILL, RefusalGround.OTHER, "  ") == rules.REASON_REQUIRED


def test_the_escalation_ladder():
    assert [next_level(level) for level in Level] == [
        Level.TEAM_LEADER,
        Level.MANAGER,
        Level.COMPLAINTS_LEAD,
        None,
    ]


@pytest.mark.parametrize(
    ("received", "weeks", "due"),
    [
        (date(2026, 3, 2), 8, date(2026, 4, 27)),  # 56 days, the day of receipt not counted
        (date(2026, 12, 24), 8, date(2027, 2, 18)),  # calendar weeks: holidays count
        (date(2026, 3, 2), 1, date(2026, 3, 9)),
    ],
)
def test_final_response_due(received, weeks, due):
    assert final_response_due(received, weeks) == due


def test_final_response_needs_a_positive_period():
    with pytest.raises(ValueError, match="1 or more"):
        final_response_due(date(2026, 3, 2), 0)


@pytest.mark.parametrize(
    ("today", "responded", "state"),
    [
        (date(2026, 4, 12), None, DeadlineState.ON_TRACK),  # 15 days left
        (date(2026, 4, 13), None, DeadlineState.DUE_SOON),  # 14 days left: warn
        (date(2026, 4, 27), None, DeadlineState.DUE_SOON),  # the last day
        (date(2026, 4, 28), None, DeadlineState.OVERDUE),
        (date(2026, 5, 10), date(2026, 4, 27), DeadlineState.MET),
        (date(2026, 5, 10), date(2026, 4, 28), DeadlineState.OVERDUE),
    ],
)
def test_deadline_state(today, responded, state):
    assert deadline_state(date(2026, 4, 27), today, 14, responded=responded) == state


@pytest.mark.parametrize(
    ("sent", "months", "until"),
    [
        (date(2026, 3, 2), 6, date(2026, 9, 2)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # no 31 February: the month's last day
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2026, 11, 15), 6, date(2027, 5, 15)),  # across the year end
    ],
)
def test_referral_until(sent, months, until):
    assert referral_until(sent, months) == until


@PROPERTIES
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(min_value=1, max_value=24))
def test_referral_is_always_after_the_letter_and_within_the_months(sent, months):
    until = referral_until(sent, months)
    assert until > sent
    assert (until - sent).days <= 31 * months


def test_upheld_rate_counts_partly_upheld_as_upheld():
    assert upheld_rate(["upheld", "partly_upheld", "not_upheld", ""]) == Decimal("66.7")
    assert upheld_rate([]) is None
    assert rules.median([3.0, 1.0, 2.0, 10.0]) == 2.5
    assert rules.median([]) is None


@PROPERTIES
@given(
    st.frozensets(st.sampled_from(list(Stage))),
    st.frozensets(st.sampled_from(list(Stage))),
    st.sampled_from([None, *CustomerResponse]),
    st.sampled_from([None, "", "delay"]),
)
def test_recording_more_never_adds_a_reason_to_refuse(done, more, response, cause):
    fewer = closing_refusals(ClosingFacts(done, response, cause))
    after = closing_refusals(ClosingFacts(done | more, response, cause))
    assert set(after) <= set(fewer)
    assert (after == ()) == (done | more == ALL_STAGES and response is not None and bool(cause))


STATE_ORDER = [DeadlineState.ON_TRACK, DeadlineState.DUE_SOON, DeadlineState.OVERDUE]


@PROPERTIES
@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=-100, max_value=100),
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=0, max_value=30),
)
def test_waiting_longer_never_makes_a_deadline_look_better(due, offset, later, warn):
    today = due + timedelta(days=offset)
    earlier = deadline_state(due, today, warn)
    then = deadline_state(due, today + timedelta(days=later), warn)
    assert STATE_ORDER.index(then) >= STATE_ORDER.index(earlier)


# --- running totals, per-person caps and legal awards ---------------------------------------------


def test_a_limit_bounds_the_running_total_not_one_award():
    # given: an agent (limit £50) has already granted £40 on this complaint
    # when: they ask for £20 more
    check = check_authority(Decimal("20"), "agent", LIMITS, LADDER, already=Decimal("40"))
    # then: the £60 total is above their limit and goes to a team leader
    assert check == rules.AuthorityCheck(False, "team_leader", Decimal("60"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=8_000), min_size=1, max_size=30))
def test_splitting_an_award_never_grants_more_than_the_limit(parts_pence):
    """However an amount is split, what an agent grants alone on one complaint stays within their limit."""
    granted_alone = Decimal(0)
    already = Decimal(0)
    for pence in parts_pence:
        part = Decimal(pence) / 100
        check = check_authority(part, "agent", LIMITS, LADDER, already=already)
        already += part  # awaiting approval counts as well as granted
        if check.within_authority:
            granted_alone += part
        assert check.total == already
    assert granted_alone <= LIMITS["agent"]
    assert (already <= LIMITS["agent"]) == (granted_alone == already)


def test_a_per_person_cap_for_the_period_sends_the_award_up():
    period = rules.PeriodLimit(limit=Decimal("30"), granted=Decimal("20"))
    # within the £50 complaint limit, but £20 + £20 is above the £30 cap for the day
    assert check_authority(Decimal("20"), "agent", LIMITS, LADDER, period=period) == rules.AuthorityCheck(
        False, "team_leader", Decimal("20")
    )
    assert check_authority(Decimal("10"), "agent", LIMITS, LADDER, period=period).within_authority


@pytest.mark.parametrize(
    ("period", "today", "start"),
    [
        (rules.LimitPeriod.DAY, date(2026, 12, 4), date(2026, 12, 4)),
        (rules.LimitPeriod.WEEK, date(2026, 12, 4), date(2026, 11, 30)),  # a Friday: its Monday
        (rules.LimitPeriod.WEEK, date(2026, 11, 30), date(2026, 11, 30)),
        (rules.LimitPeriod.MONTH, date(2026, 12, 4), date(2026, 12, 1)),
    ],
)
def test_a_period_starts_on_its_first_local_day(period, today, start):
    assert rules.period_start(period, today) == start


def test_a_legal_award_needs_an_assessed_open_remedy():
    from rapport.domain.consumer_law import Remedy, RemedyCode

    on = date(2026, 12, 4)
    repair = Remedy(RemedyCode.REPAIR, "CRA 2015 s.23", date(2032, 11, 24), "")
    lapsed = Remedy(RemedyCode.SHORT_TERM_REJECT, "CRA 2015 s.22", date(2026, 12, 3), "")
    assert rules.legal_award_problem(repair, "repair", assessed=True, on=on) is None
    assert rules.legal_award_problem(None, "repair", assessed=False, on=on) == rules.NO_ASSESSMENT_FOR_LEGAL
    assert rules.legal_award_problem(None, "final_reject", assessed=True, on=on) == (
        "The remedy assessment on file does not give the customer final reject on 4 December 2026. "
        "Update the purchase facts, or record this as goodwill."
    )
    assert "ended on 3 December 2026" in rules.legal_award_problem(lapsed, "short_term_reject", assessed=True, on=on)
