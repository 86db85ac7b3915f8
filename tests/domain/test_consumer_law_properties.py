"""Properties of the statutory remedies engine that hold for any coherent set of dated facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.domain.consumer_law import (
    Kind,
    Nation,
    PurchaseFacts,
    RemedyCode,
    ServiceBreach,
    assess,
    refund_due,
    short_term_reject_until,
)

PROPERTIES = settings(derandomize=True, max_examples=200, deadline=None)
days_ = st.dates(min_value=date(2016, 1, 1), max_value=date(2040, 12, 31))
ALLOWED = {
    Kind.GOODS: {
        RemedyCode.SHORT_TERM_REJECT,
        RemedyCode.REPAIR,
        RemedyCode.REPLACEMENT,
        RemedyCode.PRICE_REDUCTION,
        RemedyCode.FINAL_REJECT,
        RemedyCode.CANCEL,
    },
    Kind.DIGITAL_CONTENT: {RemedyCode.REPAIR, RemedyCode.REPLACEMENT, RemedyCode.PRICE_REDUCTION, RemedyCode.CANCEL},
    Kind.SERVICE: {RemedyCode.REPEAT_PERFORMANCE, RemedyCode.PRICE_REDUCTION, RemedyCode.CANCEL},
}


def _after(start: date, most: int) -> st.SearchStrategy[date]:
    return st.integers(min_value=0, max_value=most).map(lambda n: start + timedelta(days=n))


@st.composite
def facts_and_day(draw: st.DrawFn) -> tuple[PurchaseFacts, date]:
    """Coherent facts about one purchase, and an assessment day on or after every one of them."""
    kind = draw(st.sampled_from(list(Kind)))
    contract = draw(days_)
    delivered = draw(st.none() | _after(contract, 60))
    is_goods = kind is Kind.GOODS
    installation_notified = draw(st.none() | _after(delivered, 20)) if is_goods and delivered else None
    perishable_days = draw(st.none() | st.integers(min_value=1, max_value=60)) if is_goods else None
    repair = draw(st.sampled_from(["none", "under way", "returned"]))
    requested = draw(_after(delivered or contract, 120)) if repair != "none" else None
    returned = draw(_after(requested, 40)) if requested and repair == "returned" else None
    repairs_tried = draw(st.integers(min_value=1 if returned else 0, max_value=3))
    reported = draw(_after(returned or contract, 400))
    info_given = draw(st.booleans())
    info_received = None if info_given else draw(st.none() | _after(delivered or contract, 500))
    facts = PurchaseFacts(
        kind=kind,
        contract_date=contract,
        delivered=delivered,
        installation_notified=installation_notified,
        reported=reported,
        price=Decimal(draw(st.integers(min_value=0, max_value=1_000_000))) / 100,
        perishable_days=perishable_days,
        repairs_tried=repairs_tried,
        repair_requested=requested,
        repair_returned=returned,
        repair_impossible=draw(st.booleans()),
        trader_failed_reasonable_time=draw(st.booleans()),
        motor_vehicle=is_goods and draw(st.booleans()),
        installation_fault=is_goods and draw(st.booleans()),
        presumption_rebutted=draw(st.booleans()),
        service_breach=draw(st.sampled_from([None, *ServiceBreach])) if kind is Kind.SERVICE else None,
        distance_sale=draw(st.booleans()),
        cancellation_info_given=info_given,
        cancellation_info_received=info_received,
        nation=draw(st.sampled_from(list(Nation))),
    )
    on = draw(_after(max(facts.dated().values()), 3000))
    return facts, on


@PROPERTIES
@given(case=facts_and_day(), later=st.integers(min_value=0, max_value=400))
def test_a_later_report_never_opens_a_remedy_an_earlier_one_did_not_have(case, later):
    facts, on = case
    later_report = min(on, facts.reported + timedelta(days=later))

    earlier = assess(facts, on)
    reported_later = assess(replace(facts, reported=later_report), on)

    assert reported_later.codes <= earlier.codes


@PROPERTIES
@given(case=facts_and_day(), later=st.integers(min_value=0, max_value=3000))
def test_a_later_assessment_never_opens_a_remedy_an_earlier_one_did_not_have(case, later):
    facts, on = case

    assert assess(facts, on + timedelta(days=later)).codes <= assess(facts, on).codes


@PROPERTIES
@given(case=facts_and_day(), pence=st.integers(min_value=0, max_value=1_000_000))
def test_every_assessment_keeps_the_rules(case, pence):
    facts, on = case

    assessment = assess(facts, on)

    # Remedies belong to their kind of contract (CRA ss.19, 42, 54; CCR reg.29 only at a distance).
    assert assessment.codes <= ALLOWED[facts.kind]
    if not facts.distance_sale:
        assert RemedyCode.CANCEL not in assessment.codes
    # s.19(4): an installation fault has no short-term right to reject.
    if facts.installation_fault:
        assert RemedyCode.SHORT_TERM_REJECT not in assessment.codes
    # s.24(5), s.44(3), s.56(3): the second tier only after repair fails, is impossible or is late
    # (s.54(5): a late service goes straight to a price reduction).
    failed_once = facts.kind is Kind.GOODS and facts.repairs_tried >= 1
    if not (failed_once or facts.repair_impossible or facts.trader_failed_reasonable_time):
        assert RemedyCode.FINAL_REJECT not in assessment.codes
        if facts.service_breach is not ServiceBreach.REASONABLE_TIME:
            assert RemedyCode.PRICE_REDUCTION not in assessment.codes
    # No remedy outlives limitation.
    assert all(r.until is None or r.until <= assessment.limitation_until for r in assessment.remedies)
    if on > assessment.limitation_until:
        assert assessment.remedies == ()
    # s.22(3)-(4): never less than 30 days, or the goods' shorter life, after the later of delivery and notice.
    if assessment.short_term_reject_until is not None:
        assert facts.delivered is not None
        start = max(facts.contract_date, facts.delivered, facts.installation_notified or facts.delivered)
        assert assessment.short_term_reject_until >= start + timedelta(days=min(30, facts.perishable_days or 30))
    # Every sentence of the explanation cites the law.
    assert assessment.explanation_lines
    assert all(
        line.endswith(".") and any(cite in line for cite in ("s.", "reg.", "art."))
        for line in assessment.explanation_lines
    )
    # The price changes words, never remedies.
    repriced = assess(replace(facts, price=Decimal(pence) / 100), on)
    assert repriced.codes == assessment.codes


@PROPERTIES
@given(
    start=days_,
    perishable=st.none() | st.integers(min_value=1, max_value=60),
    asked=st.integers(min_value=-5, max_value=40),
    waited=st.integers(min_value=0, max_value=60),
)
def test_short_term_reject_period_is_30_days_or_shorter_life_and_waiting_only_adds(start, perishable, asked, waited):
    base = short_term_reject_until(start, perishable_days=perishable)
    requested = start + timedelta(days=asked)
    back = requested + timedelta(days=waited)

    extended = short_term_reject_until(start, perishable_days=perishable, waiting=(requested, back))

    assert base == start + timedelta(days=min(30, perishable or 30))
    assert extended >= base
    if start < back and requested <= base:
        # s.22(7): at least 7 days after the goods come back.
        assert extended >= back + timedelta(days=7)


@PROPERTIES
@given(agreed=days_)
def test_refund_is_due_13_days_after_the_day_the_trader_agrees(agreed):
    assert refund_due(agreed) - agreed == timedelta(days=13)
