"""Gap evidence each capability provides through ``extensions.gap_evidence``, read by the gap
analysis: SLA targets missed, RATER gaps and low CSAT, complaint root causes with their cost,
overdue data requests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from rapport.improvement import gaps

pytestmark = pytest.mark.django_db


def _scope(now):
    return gaps.gap_scope("service", "", now - timedelta(days=28), now + timedelta(days=1))


def _found(now, provider):
    return {g.evidence.key: g for g in gaps.analyse(_scope(now)) if g.provider == provider}


def test_sla_targets_missed_by_policy_and_team(seed_cases, now, team):
    from rapport.sla.models import Calendar, Clock, Policy

    policy = Policy.objects.create(name="Standard", calendar=Calendar.objects.create(name="Office hours"))
    cases = seed_cases(4, now - timedelta(days=3))
    for i, case in enumerate(cases):
        started = case.created_at
        Clock.objects.create(
            case=case,
            policy=policy,
            target="first_response",
            target_time=timedelta(hours=8),
            started_at=started,
            stopped_at=started + timedelta(hours=1),
            breached_at=started + timedelta(hours=8) if i < 3 else None,
        )

    found = _found(now, "sla")

    by_policy = found["sla:policy:Standard"]
    assert (by_policy.evidence.size, by_policy.evidence.reach) == (0.75, 4)
    assert by_policy.evidence.why == "3 of 4 targets missed (25% attained)."
    assert set(by_policy.evidence.case_ids) == {c.pk for c in cases[:3]}
    assert found[f"sla:team:{team.pk}"].evidence.title == "Team Front line: SLA targets missed"


def test_rater_gaps_and_low_csat(seed_cases, customer, now):
    from rapport.feedback.models import SurveyAnswer, SurveyInvitation

    case, other = seed_cases(2, now - timedelta(days=2))

    def answer(kind, case=case, **scores):
        invitation = SurveyInvitation.objects.create(
            kind=kind,
            customer=customer,
            case=case if kind != "rater" else None,
            status="answered",
            created_at=now - timedelta(days=1),
            send_after=now,
            expires_at=now + timedelta(days=14),
        )
        return SurveyAnswer.objects.create(
            invitation=invitation,
            kind=kind,
            customer=customer,
            case=case if kind != "rater" else None,
            answered_at=now - timedelta(hours=1),
            case_type="enquiry",
            **scores,
        )

    answer("rater", reliability_expected=7, reliability_perceived=4, empathy_expected=5, empathy_perceived=6)
    answer("csat", score=2)
    answer("csat", case=other, score=5)

    rater = _found(now, "rater")
    low = _found(now, "low_scores")

    assert set(rater) == {"rater:reliability"}  # empathy exceeds what was expected: no gap
    assert rater["rater:reliability"].evidence.size == pytest.approx(3 / 6)
    assert low["low_csat:enquiry"].evidence.why == "1 of 2 CSAT answers at 3 or under."
    assert low["low_csat:enquiry"].evidence.case_ids == (case.pk,)


def test_complaint_root_causes_by_volume_and_cost(seed_cases, manager, now):
    from rapport.complaints.models import Award, Complaint, RootCause

    late = RootCause.objects.create(code="late-delivery", name="Late delivery")
    wrong = RootCause.objects.create(code="wrong-item", name="Wrong item")
    cases = seed_cases(3, now - timedelta(days=5), complaints=3)
    complaints = [
        Complaint.objects.update_or_create(case=case, defaults={"received_at": case.created_at, "root_cause": cause})[0]
        for case, cause in zip(cases, [late, late, wrong], strict=True)
    ]
    Award.objects.create(
        complaint=complaints[0],
        kind="refund",
        basis="legal",
        amount_pence=4999,
        status="granted",
        requested_by=manager,
        requested_at=now,
    )
    Award.objects.create(
        complaint=complaints[1],
        kind="goodwill",
        basis="goodwill",
        amount_pence=1000,
        status="granted",
        requested_by=manager,
        requested_at=now,
    )

    found = _found(now, "complaints")

    late_gap = found[f"root_cause:{late.pk}"]
    assert (late_gap.evidence.reach, late_gap.evidence.cost) == (2, Decimal("59.99"))
    assert late_gap.evidence.why == "2 of 3 complaints with a root cause; redress £49.99 legal and £10.00 goodwill."
    assert late_gap.rank < found[f"root_cause:{wrong.pk}"].rank


def test_overdue_data_requests(seed_cases, now):
    from rapport.privacy.models import DataRequest

    cases = seed_cases(2, now - timedelta(days=20))
    DataRequest.objects.create(case=cases[0], kind="access", received_on=date(2026, 1, 5))  # due early February
    DataRequest.objects.create(case=cases[1], kind="access", received_on=date(2026, 2, 20))

    found = _found(now, "data_requests")

    gap = found["data_requests_overdue"]  # the one due in the period; the other is due after it
    assert (gap.evidence.size, gap.evidence.reach, gap.evidence.case_ids) == (1.0, 1, (cases[0].pk,))
