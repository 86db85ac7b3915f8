"""Statutory remedies engine: dated cases for every rule and its edges, each naming its section.

Unless a case says otherwise the purchase is goods bought and delivered on Saturday 1 March 2025,
in England, for £499.99, and the assessment is made on the day the problem was reported.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from rapport.domain.consumer_law import (
    BAD_PERISHABLE_DAYS,
    BAD_PRICE,
    BAD_REPAIRS_TRIED,
    FACT_AFTER_ASSESSMENT,
    GOODS_ONLY,
    INFO_RECEIVED_BUT_GIVEN,
    REPORTED_BEFORE_CONTRACT,
    REPORTED_BEFORE_RETURN,
    RETURNED_BEFORE_REQUEST,
    RETURNED_NOT_COUNTED,
    RETURNED_WITHOUT_REQUEST,
    SERVICE_ONLY,
    UNKNOWN_VALUE,
    Assessment,
    Kind,
    Nation,
    PurchaseFacts,
    RemedyCode,
    ServiceBreach,
    assess,
    cancellation_refund_due,
    limitation_until,
    refund_due,
    short_term_reject_until,
)

MARCH_1 = date(2025, 3, 1)

STRR = RemedyCode.SHORT_TERM_REJECT
REPAIR = RemedyCode.REPAIR
REPLACE = RemedyCode.REPLACEMENT
REDUCE = RemedyCode.PRICE_REDUCTION
FINAL = RemedyCode.FINAL_REJECT
REPEAT = RemedyCode.REPEAT_PERFORMANCE
CANCEL = RemedyCode.CANCEL


def d(month: int, day: int, year: int = 2025) -> date:
    return date(year, month, day)


def goods(**changes: object) -> PurchaseFacts:
    base: dict[str, object] = {
        "kind": "goods",
        "contract_date": MARCH_1,
        "delivered": MARCH_1,
        "reported": MARCH_1,
        "price": Decimal("499.99"),
    }
    return PurchaseFacts(**(base | changes))


def digital(**changes: object) -> PurchaseFacts:
    return goods(kind="digital_content", **changes)


def service(**changes: object) -> PurchaseFacts:
    base: dict[str, object] = {"delivered": None}
    return goods(kind="service", **(base | changes))


def assess_on_report(facts: PurchaseFacts) -> Assessment:
    return assess(facts, facts.reported)


# --- s.22: the short-term right to reject ------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "until", "open_"),
    [
        pytest.param(goods(reported=d(3, 31)), d(3, 31), True, id="day 30 after delivery: 31 March, still open"),
        pytest.param(goods(reported=d(4, 1)), d(3, 31), False, id="day 31 after delivery: 1 April, too late"),
        pytest.param(goods(reported=MARCH_1), d(3, 31), True, id="on the day of delivery"),
        pytest.param(
            goods(contract_date=d(2, 1), delivered=d(2, 1), reported=d(3, 3)),
            d(3, 3),
            True,
            id="February has 28 days: delivered 1 February, last day 3 March",
        ),
        pytest.param(
            goods(installation_notified=d(3, 10), reported=d(4, 9)),
            d(4, 9),
            True,
            id="s.22(3)(c): counted from the notice that installation is done",
        ),
        pytest.param(
            goods(installation_notified=d(3, 10), reported=d(4, 10)),
            d(4, 9),
            False,
            id="s.22(3)(c): day 31 after the installation notice",
        ),
        pytest.param(
            goods(contract_date=d(3, 10), delivered=MARCH_1, reported=d(4, 9)),
            d(4, 9),
            True,
            id="s.22(3)(a): goods on approval, counted from the contract when ownership passed",
        ),
    ],
)
def test_short_term_right_to_reject_lasts_30_days_beginning_the_day_after_delivery(facts, until, open_):
    assessment = assess_on_report(facts)

    assert assessment.short_term_reject_until == until
    assert (STRR in assessment.codes) is open_
    if open_:
        remedy = assessment.remedy(STRR)
        assert remedy is not None
        assert (remedy.section, remedy.until) == ("CRA 2015 s.22", until)


@pytest.mark.parametrize(
    ("perishable_days", "reported", "until", "open_"),
    [
        pytest.param(7, d(3, 8), d(3, 8), True, id="flowers lasting 7 days: last day 8 March"),
        pytest.param(7, d(3, 9), d(3, 8), False, id="flowers lasting 7 days: 9 March is too late"),
        pytest.param(29, d(3, 30), d(3, 30), True, id="29 days is shorter than 30"),
        pytest.param(30, d(3, 31), d(3, 31), True, id="30 days is not shorter: the usual period"),
        pytest.param(45, d(3, 31), d(3, 31), True, id="a longer life never lengthens the period"),
    ],
)
def test_perishable_goods_can_be_rejected_only_while_they_can_be_expected_to_last(
    perishable_days, reported, until, open_
):
    """s.22(4): "the end of that shorter period"."""
    assessment = assess_on_report(goods(perishable_days=perishable_days, reported=reported))

    assert assessment.short_term_reject_until == until
    assert (STRR in assessment.codes) is open_


@pytest.mark.parametrize(
    ("waiting", "perishable_days", "until"),
    [
        pytest.param(None, None, d(3, 31), id="no waiting period"),
        pytest.param(
            (d(3, 10), d(3, 20)), None, d(4, 11), id="8 days used, 11 days waiting, 22 days left after 20 March"
        ),
        pytest.param((d(3, 29), d(4, 5)), None, d(4, 12), id="3 days left after the repair: the 7-day floor"),
        pytest.param((d(3, 31), d(3, 31)), None, d(4, 7), id="asked on the last day, back the same day: 7 days"),
        pytest.param((d(3, 25), d(4, 5)), None, d(4, 12), id="exactly 7 days left: the same either way"),
        pytest.param((d(3, 24), d(4, 5)), None, d(4, 13), id="8 days left: more than the floor"),
        pytest.param((MARCH_1, d(3, 3)), None, d(4, 2), id="asked on the day of delivery: all 30 days after"),
        pytest.param((d(4, 1), d(4, 10)), None, d(3, 31), id="asked after the right had ended: nothing revives"),
        pytest.param((d(3, 3), d(3, 4)), 7, d(3, 11), id="perishable: 6 days left, so the 7-day floor wins"),
    ],
)
def test_waiting_period_stops_the_clock_and_leaves_at_least_7_days(waiting, perishable_days, until):
    """s.22(6)-(8): the waiting period runs from the request to the day the goods come back, both included."""
    assert short_term_reject_until(MARCH_1, perishable_days=perishable_days, waiting=waiting) == until


def test_a_waiting_period_over_before_the_30_days_begin_does_not_count():
    # given goods installed on 10 March, repaired between delivery and installation
    start = d(3, 10)

    # when the 30 days are counted from the installation notice
    until = short_term_reject_until(start, waiting=(d(3, 2), d(3, 5)))

    # then the repair changed nothing
    assert until == d(4, 9)


def test_goods_still_faulty_after_a_repair_can_be_rejected_in_the_extended_period():
    # given a repair asked for on 10 March and returned on 20 March, still faulty
    facts = goods(repair_requested=d(3, 10), repair_returned=d(3, 20), repairs_tried=1, reported=d(4, 11))

    # when assessed on the last day of the extended period
    assessment = assess_on_report(facts)

    # then the consumer may still reject, and the tier-two remedies are open too
    assert assessment.short_term_reject_until == d(4, 11)
    assert assessment.codes == {STRR, REPAIR, REPLACE, REDUCE, FINAL}
    assert "do not count" in assessment.explanation
    assert STRR not in assess_on_report(replace(facts, reported=d(4, 12))).codes


def test_while_a_repair_is_under_way_the_consumer_must_give_the_trader_a_reasonable_time():
    # given a repair asked for on 10 March that has not come back by 25 March
    facts = goods(reported=d(3, 10), repair_requested=d(3, 10))

    # when assessed on 25 March
    assessment = assess(facts, d(3, 25))

    # then s.23(6)-(7) hold the consumer to the repair, and the s.22 period is paused
    assert assessment.codes == {REPAIR, REPLACE}
    assert assessment.short_term_reject_until == d(4, 16)  # at least: 22 days left after 25 March
    assert "paused" in assessment.explanation
    assert "s.23(6)-(7)" in assessment.explanation


def test_a_repair_asked_for_after_the_30_days_pauses_nothing():
    # given a fault raised on 20 March, but a repair only asked for on 5 April, still under way
    facts = goods(reported=d(3, 20), repair_requested=d(4, 5))

    # when assessed on 10 April
    assessment = assess(facts, d(4, 10))

    # then the consumer is held to the repair (s.23(6)) and the s.22 period was never paused
    assert assessment.codes == {REPAIR, REPLACE}
    assert assessment.short_term_reject_until == d(3, 31)
    assert "s.23(6)-(7)" in assessment.explanation
    assert "paused" not in assessment.explanation


def test_a_paused_period_keeps_growing_until_the_goods_come_back():
    facts = goods(reported=d(3, 10), repair_requested=d(3, 10))

    assert assess(facts, d(5, 1)).short_term_reject_until == d(5, 23)


def test_a_repair_that_takes_too_long_frees_the_consumer_to_reject():
    # given a repair under way since 10 March that the trader has not done within a reasonable time
    facts = goods(reported=d(3, 10), repair_requested=d(3, 10), trader_failed_reasonable_time=True)

    # when assessed on 1 May
    assessment = assess(facts, d(5, 1))

    # then the paused short-term right, and s.24(5)(c), are both open
    assert assessment.codes == {STRR, REPAIR, REPLACE, REDUCE, FINAL}
    assert "s.24(5)(c)" in assessment.explanation


# --- s.23 and s.24: repair or replacement, then price reduction or final rejection --------------------


@pytest.mark.parametrize(
    ("changes", "codes", "cited"),
    [
        pytest.param({"reported": d(5, 20)}, {REPAIR, REPLACE}, "s.24(5)", id="first report after 30 days"),
        pytest.param(
            {"reported": d(5, 20), "repairs_tried": 1, "repair_requested": d(4, 1), "repair_returned": d(4, 10)},
            {REPAIR, REPLACE, REDUCE, FINAL},
            "s.24(5)(a)",
            id="s.24(5)(a): the fault came back after one repair",
        ),
        pytest.param(
            {"reported": d(5, 20), "repairs_tried": 1},
            {REPAIR, REPLACE, REDUCE, FINAL},
            "s.24(5)(a)",
            id="s.24(5)(a): one replacement, dates not recorded",
        ),
        pytest.param(
            {"reported": d(5, 20), "repair_impossible": True},
            {REDUCE, FINAL},
            "s.24(5)(b)",
            id="s.24(5)(b): neither repair nor replacement possible (s.23(3))",
        ),
        pytest.param(
            {"reported": d(3, 5), "repair_impossible": True},
            {STRR, REDUCE, FINAL},
            "s.23(3)",
            id="s.23(3) within 30 days: reject now or use s.24",
        ),
        pytest.param(
            {"reported": d(5, 20), "trader_failed_reasonable_time": True, "repair_requested": d(5, 1)},
            {REPAIR, REPLACE, REDUCE, FINAL},
            "s.24(5)(c)",
            id="s.24(5)(c): not repaired within a reasonable time",
        ),
    ],
)
def test_price_reduction_and_final_rejection_come_only_after_repair_or_replacement_fails(changes, codes, cited):
    assessment = assess(goods(**changes), d(5, 20))

    assert assessment.codes == codes
    assert cited in assessment.explanation


def test_a_second_different_fault_after_one_repair_opens_the_final_right_to_reject():
    """s.24(6)(a): a repair counts "whether in relation to one fault or more than one"."""
    # given the screen was repaired in April, and in June the speaker fails
    facts = goods(repairs_tried=1, repair_requested=d(4, 1), repair_returned=d(4, 8), reported=d(6, 2))

    # when the new fault is assessed
    assessment = assess_on_report(facts)

    # then the trader does not get a second chance as of right
    assert assessment.codes == {REPAIR, REPLACE, REDUCE, FINAL}
    final = assessment.remedy(FINAL)
    assert final is not None
    assert (final.section, final.until) == ("CRA 2015 s.24", d(3, 1, 2031))
    assert not assessment.deduction_for_use_allowed


@pytest.mark.parametrize(
    ("changes", "allowed"),
    [
        pytest.param({"reported": d(9, 1)}, False, id="6 months beginning 2 March end on 1 September"),
        pytest.param({"reported": d(9, 2)}, True, id="2 September: a deduction for use may be made"),
        pytest.param({"reported": d(4, 1), "motor_vehicle": True}, True, id="s.24(10)(a): motor vehicles always"),
        pytest.param(
            {"installation_notified": d(3, 10), "reported": d(9, 10)},
            False,
            id="s.24(11)(c): counted from the installation notice",
        ),
    ],
)
def test_deduction_for_use_on_final_rejection(changes, allowed):
    """s.24(8)-(11): no deduction within 6 months beginning with the first day after delivery."""
    facts = goods(repairs_tried=1, **changes)

    assessment = assess_on_report(facts)

    assert FINAL in assessment.codes
    assert assessment.deduction_for_use_allowed is allowed


# --- s.19(14)-(15): the 6-month presumption ----------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "presumed"),
    [
        pytest.param(goods(reported=d(8, 31)), True, id="31 August: the last day of 6 months beginning 1 March"),
        pytest.param(goods(reported=d(9, 1)), False, id="1 September: the consumer must show the fault"),
        pytest.param(
            goods(delivered=d(8, 31, 2023), contract_date=d(8, 31, 2023), reported=d(2, 29, 2024)),
            True,
            id="delivered 31 August 2023: 6 months end on 29 February 2024",
        ),
        pytest.param(
            goods(delivered=d(8, 31, 2023), contract_date=d(8, 31, 2023), reported=d(3, 1, 2024)),
            False,
            id="delivered 31 August 2023: 1 March 2024 is outside",
        ),
        pytest.param(goods(reported=d(5, 1), presumption_rebutted=True), False, id="s.19(15)(a)-(b): rebutted"),
        pytest.param(
            goods(reported=d(3, 20), perishable_days=14),
            False,
            id="s.19(15)(b): a perishable failing after its expected life",
        ),
        pytest.param(goods(reported=d(3, 10), perishable_days=14), True, id="a perishable failing within its life"),
        pytest.param(goods(delivered=None), False, id="nothing delivered, nothing presumed"),
        pytest.param(digital(reported=d(8, 31)), True, id="s.42(9): digital content, 6 months from supply"),
        pytest.param(digital(reported=d(9, 1)), False, id="s.42(9): digital content, too late"),
        pytest.param(service(service_breach="reasonable_care", reported=d(3, 5)), False, id="no presumption"),
    ],
)
def test_a_fault_within_6_months_is_presumed_present_at_delivery(facts, presumed):
    assert assess_on_report(facts).presumed_at_delivery is presumed


def test_the_presumption_does_not_help_the_short_term_right_to_reject():
    """s.19(14) names only the later tiers (repair, replacement, price reduction, final rejection)."""
    explanation = assess_on_report(goods(reported=d(3, 10))).explanation

    assert "This does not apply to the short-term right to reject." in explanation


# --- s.15 and s.19(4): installation faults --------------------------------------------------------------


def test_an_installation_only_fault_gives_no_short_term_right_to_reject():
    # given a dishwasher that works, installed badly, reported 5 days after the installation notice
    facts = goods(installation_notified=d(3, 3), installation_fault=True, reported=d(3, 8))

    # when assessed
    assessment = assess_on_report(facts)

    # then only s.23 applies for now (s.19(4))
    assert assessment.codes == {REPAIR, REPLACE}
    assert assessment.short_term_reject_until is None
    assert "ss.15, 19(4) and 23" in assessment.explanation


def test_an_installation_fault_reaches_the_final_right_to_reject_after_one_failed_attempt():
    facts = goods(installation_notified=d(3, 3), installation_fault=True, repairs_tried=1, reported=d(4, 8))

    assert assess_on_report(facts).codes == {REPAIR, REPLACE, REDUCE, FINAL}


def test_limitation_for_an_installation_fault_runs_from_the_installation():
    facts = goods(installation_notified=d(3, 3), installation_fault=True, reported=d(3, 8))

    assert assess_on_report(facts).limitation_until == d(3, 3, 2031)


# --- ss.42-44: digital content ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        pytest.param({"reported": d(3, 2)}, {REPAIR, REPLACE}, id="no short-term right to reject, even on day 1"),
        pytest.param({"reported": d(5, 2), "repairs_tried": 1}, {REPAIR, REPLACE}, id="a failed repair alone"),
        pytest.param({"reported": d(5, 2), "repair_impossible": True}, {REDUCE}, id="s.44(3)(a): s.43(3) applies"),
        pytest.param(
            {"reported": d(5, 2), "trader_failed_reasonable_time": True},
            {REPAIR, REPLACE, REDUCE},
            id="s.44(3)(b): not repaired in a reasonable time",
        ),
        pytest.param({"reported": d(5, 2), "delivered": None}, set(), id="not supplied yet"),
    ],
)
def test_digital_content_is_repaired_or_replaced_then_reduced_in_price(changes, codes):
    assessment = assess_on_report(digital(**changes))

    assert assessment.codes == codes
    assert assessment.short_term_reject_until is None
    assert assessment.deduction_for_use_allowed is False
    assert "s.16" in assessment.explanation


def test_digital_content_remedies_cite_chapter_3():
    assessment = assess_on_report(digital(reported=d(5, 2), trader_failed_reasonable_time=True))

    assert {remedy.code: remedy.section for remedy in assessment.remedies} == {
        REPAIR: "CRA 2015 s.43",
        REPLACE: "CRA 2015 s.43",
        REDUCE: "CRA 2015 s.44",
    }
    assert "s.44(4)" in assessment.explanation


# --- ss.49-57: services ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "codes", "sections"),
    [
        pytest.param(
            {"service_breach": "reasonable_care"}, {REPEAT}, {"CRA 2015 s.55"}, id="s.49 breach: repeat performance"
        ),
        pytest.param(
            {"service_breach": "information"}, {REPEAT}, {"CRA 2015 s.55"}, id="s.50 breach: repeat performance"
        ),
        pytest.param(
            {"service_breach": "reasonable_care", "repair_impossible": True},
            {REDUCE},
            {"CRA 2015 s.56"},
            id="s.56(3)(a): repeat performance impossible",
        ),
        pytest.param(
            {"service_breach": "reasonable_care", "trader_failed_reasonable_time": True},
            {REPEAT, REDUCE},
            {"CRA 2015 s.55", "CRA 2015 s.56"},
            id="s.56(3)(b): not performed again in a reasonable time",
        ),
        pytest.param(
            {"service_breach": "reasonable_time"},
            {REDUCE},
            {"CRA 2015 s.56"},
            id="s.52 breach: price reduction only (s.54(5))",
        ),
        pytest.param({}, set(), set(), id="no breach recorded"),
    ],
)
def test_services_get_repeat_performance_then_a_price_reduction(changes, codes, sections):
    assessment = assess_on_report(service(reported=d(3, 20), **changes))

    assert assessment.codes == codes
    assert {remedy.section for remedy in assessment.remedies} == sections
    assert assessment.short_term_reject_until is None
    assert assessment.deduction_for_use_allowed is False


def test_service_limitation_runs_from_performance_when_known():
    facts = service(service_breach="reasonable_care", delivered=d(3, 12), reported=d(3, 20))

    assert assess_on_report(facts).limitation_until == d(3, 12, 2031)


# --- CCR 2013 regs.29-31: cancellation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "until", "open_"),
    [
        pytest.param(goods(distance_sale=True, reported=d(3, 15)), d(3, 15), True, id="goods: 14 days after arrival"),
        pytest.param(goods(distance_sale=True, reported=d(3, 16)), d(3, 15), False, id="goods: day 15 is too late"),
        pytest.param(goods(reported=d(3, 2)), None, False, id="bought in a shop: no right to cancel"),
        pytest.param(
            goods(distance_sale=True, delivered=None, reported=d(3, 5)),
            None,
            True,
            id="goods not arrived yet: open, end not known",
        ),
        pytest.param(
            goods(distance_sale=True, perishable_days=5, reported=d(3, 2)),
            None,
            False,
            id="reg.28(1)(d): perishables cannot be cancelled",
        ),
        pytest.param(
            service(distance_sale=True, reported=d(3, 15)),
            d(3, 15),
            True,
            id="service: 14 days after the contract",
        ),
        pytest.param(
            digital(distance_sale=True, delivered=d(3, 4), reported=d(3, 15)),
            d(3, 15),
            True,
            id="digital content: 14 days after the contract",
        ),
        pytest.param(
            goods(distance_sale=True, cancellation_info_given=False, reported=d(3, 15, 2026)),
            d(3, 15, 2026),
            True,
            id="reg.31(3): never told, extended by 12 months",
        ),
        pytest.param(
            goods(distance_sale=True, cancellation_info_given=False, reported=d(3, 16, 2026)),
            d(3, 15, 2026),
            False,
            id="reg.31(3): the day after the extension",
        ),
        pytest.param(
            goods(
                distance_sale=True, cancellation_info_given=False, cancellation_info_received=d(5, 1), reported=d(5, 15)
            ),
            d(5, 15),
            True,
            id="reg.31(2): told late, 14 days after being told",
        ),
        pytest.param(
            goods(
                distance_sale=True,
                delivered=d(3, 10),
                cancellation_info_given=False,
                cancellation_info_received=d(3, 5),
                reported=d(3, 24),
            ),
            d(3, 24),
            True,
            id="reg.31(2): told after the contract but before delivery, the usual 14 days still run",
        ),
        pytest.param(
            goods(
                distance_sale=True,
                cancellation_info_given=False,
                cancellation_info_received=d(3, 2, 2026),
                reported=d(3, 10, 2026),
            ),
            d(3, 15, 2026),
            True,
            id="reg.31(3): told after the 12-month window, which changes nothing",
        ),
    ],
)
def test_cancellation_period_for_distance_and_off_premises_contracts(facts, until, open_):
    assessment = assess_on_report(facts)

    assert assessment.cancellation_until == until
    assert (CANCEL in assessment.codes) is open_


def test_cancelling_goods_not_yet_delivered_has_no_last_day_yet():
    assessment = assess_on_report(goods(distance_sale=True, delivered=None, reported=d(3, 5)))

    cancel = assessment.remedy(CANCEL)
    assert cancel is not None
    assert (cancel.section, cancel.until) == ("CCR 2013 reg.29", None)
    assert assessment.codes == {CANCEL}
    assert "s.28" in assessment.explanation


@pytest.mark.parametrize(
    ("facts", "caveat"),
    [
        pytest.param(digital(distance_sale=True, reported=d(3, 2)), "reg.37", id="digital content downloads"),
        pytest.param(service(distance_sale=True, reported=d(3, 2)), "reg.36", id="services started early"),
    ],
)
def test_cancellation_explains_when_the_right_may_already_be_lost(facts, caveat):
    assert caveat in assess_on_report(facts).explanation


# --- limitation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "until", "statute"),
    [
        (Nation.ENGLAND, d(3, 1, 2031), "Limitation Act 1980 s.5"),
        (Nation.WALES, d(3, 1, 2031), "Limitation Act 1980 s.5"),
        (Nation.NORTHERN_IRELAND, d(3, 1, 2031), "Limitation (Northern Ireland) Order 1989 art.4(a)"),
        (Nation.SCOTLAND, d(3, 1, 2030), "Prescription and Limitation (Scotland) Act 1973 s.6"),
    ],
)
def test_limitation_is_6_years_or_5_in_scotland(nation, until, statute):
    assessment = assess_on_report(goods(nation=nation, reported=d(4, 1)))

    assert assessment.limitation_until == until
    assert statute in assessment.explanation


def test_limitation_from_29_february_ends_on_28_february():
    assert limitation_until(d(2, 29, 2024), "england") == d(2, 28, 2030)


@pytest.mark.parametrize(
    ("on", "codes"),
    [
        pytest.param(d(3, 1, 2031), {REPAIR, REPLACE, REDUCE, FINAL}, id="the last day of the 6 years"),
        pytest.param(d(3, 2, 2031), set(), id="the day after: nothing can be enforced"),
    ],
)
def test_no_remedy_outlives_limitation(on, codes):
    facts = goods(repairs_tried=1, reported=d(2, 1, 2031))

    assessment = assess(facts, on)

    assert assessment.codes == codes
    assert all(
        remedy.until is not None and remedy.until <= assessment.limitation_until for remedy in assessment.remedies
    )


def test_a_time_barred_assessment_says_so_and_nothing_else():
    assessment = assess(goods(nation="scotland", reported=d(4, 1)), d(3, 2, 2030))

    assert assessment.remedies == ()
    assert len(assessment.explanation_lines) == 2
    assert "goodwill" in assessment.explanation


# --- refunds ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agreed", "due"),
    [
        pytest.param(MARCH_1, d(3, 14), id="14 days beginning with 1 March end on 14 March"),
        pytest.param(d(12, 25), d(1, 7, 2026), id="across the year end"),
    ],
)
def test_refund_is_due_within_14_days_beginning_with_the_day_the_trader_agrees(agreed, due):
    """s.20(15): day 1 is the day of agreement."""
    assert refund_due(agreed) == due


@pytest.mark.parametrize(
    ("informed", "goods_back", "due"),
    [
        pytest.param(MARCH_1, None, d(3, 15), id="service or collected goods: 14 days after being told"),
        pytest.param(MARCH_1, d(3, 6), d(3, 20), id="goods sent back: 14 days after they or proof arrive"),
    ],
)
def test_cancellation_refund_is_due_14_days_after(informed, goods_back, due):
    """CCR reg.34."""
    assert cancellation_refund_due(informed, goods_back=goods_back) == due


@pytest.mark.parametrize(
    ("facts", "section"),
    [
        pytest.param(goods(reported=d(3, 2)), "CRA 2015 s.20(15)", id="goods"),
        pytest.param(digital(repair_impossible=True, reported=d(3, 2)), "CRA 2015 s.44(4)", id="digital content"),
        pytest.param(service(service_breach="reasonable_time", reported=d(3, 2)), "CRA 2015 s.56(4)", id="service"),
    ],
)
def test_the_refund_deadline_is_explained_when_money_is_due_back(facts, section):
    assert f"within 14 days beginning with the day we agree you are entitled to it ({section})" in (
        assess_on_report(facts).explanation
    )


def test_no_refund_line_when_only_repair_is_open():
    assert "refund is due" not in assess_on_report(goods(reported=d(5, 1))).explanation


# --- the explanation ---------------------------------------------------------------------------------------


def test_the_explanation_is_plain_english_with_dates_money_and_sections():
    # given goods reported on day 30
    assessment = assess_on_report(goods(reported=d(3, 31)))

    # then the letter can say it in words, and every sentence cites the law
    assert assessment.explanation.splitlines()[0] == (
        "You can reject the goods for a full refund of £499.99 until 31 March 2025 (CRA 2015 ss.20 and 22). "
        "That is 30 days beginning with the day after delivery on 1 March 2025 (s.22(3))."
    )
    assert all(("s." in line or "reg." in line) for line in assessment.explanation_lines)


def test_an_expired_short_term_right_is_explained_with_both_dates():
    assert (
        "The short-term right to reject ended on 31 March 2025, before you raised the problem on 1 April 2025 "
        "(CRA 2015 s.22(1))."
    ) in assess_on_report(goods(reported=d(4, 1))).explanation


# --- the facts ------------------------------------------------------------------------------------------


def test_strings_become_their_enums():
    facts = service(service_breach="reasonable_time", nation="wales")

    assert (facts.kind, facts.service_breach, facts.nation) == (
        Kind.SERVICE,
        ServiceBreach.REASONABLE_TIME,
        Nation.WALES,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "gift"}, UNKNOWN_VALUE.format(name="kind", allowed="goods, digital_content, service", value="gift")),
        (
            {"nation": "cornwall"},
            UNKNOWN_VALUE.format(name="nation", allowed="england, wales, scotland, northern_ireland", value="cornwall"),
        ),
        ({"price": Decimal("-1")}, BAD_PRICE),
        ({"price": 10.5}, BAD_PRICE),
        ({"price": Decimal("NaN")}, BAD_PRICE),
        ({"perishable_days": 0}, BAD_PERISHABLE_DAYS),
        ({"repairs_tried": -1}, BAD_REPAIRS_TRIED),
        ({"reported": d(2, 28)}, REPORTED_BEFORE_CONTRACT),
        ({"repair_returned": d(3, 5), "repairs_tried": 1}, RETURNED_WITHOUT_REQUEST),
        ({"repair_requested": d(3, 6), "repair_returned": d(3, 5), "repairs_tried": 1}, RETURNED_BEFORE_REQUEST),
        ({"repair_requested": d(3, 2), "repair_returned": d(3, 5), "reported": d(3, 6)}, RETURNED_NOT_COUNTED),
        (
            {"repair_requested": d(3, 2), "repair_returned": d(3, 5), "repairs_tried": 1, "reported": d(3, 4)},
            REPORTED_BEFORE_RETURN,
        ),
        ({"service_breach": "reasonable_care"}, SERVICE_ONLY),
        ({"cancellation_info_received": d(3, 5)}, INFO_RECEIVED_BUT_GIVEN),
    ],
)
def test_facts_that_cannot_be_assessed_are_refused(changes, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        goods(**changes)


@pytest.mark.parametrize("name", ["installation_fault", "motor_vehicle"])
def test_goods_only_facts_are_refused_for_services(name):
    with pytest.raises(ValueError, match=f"^{GOODS_ONLY.format(name=name)}$"):
        service(**{name: True})


def test_facts_dated_after_the_assessment_are_refused():
    facts = goods(reported=d(3, 10))

    with pytest.raises(ValueError, match="reported") as error:
        assess(facts, d(3, 9))

    assert str(error.value) == FACT_AFTER_ASSESSMENT.format(name="reported", value=d(3, 10), on=d(3, 9))


def test_the_assessment_lists_remedies_in_a_stable_order():
    facts = goods(repairs_tried=1, distance_sale=True, reported=d(3, 5))

    assert [remedy.code for remedy in assess_on_report(facts).remedies] == [
        STRR,
        REPAIR,
        REPLACE,
        REDUCE,
        FINAL,
        CANCEL,
    ]
