"""Case evidence shows what the desk's records say: HEAT stages, a data request's timeliness, an
adjustment honoured. Facts for the assessor, not a gate."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rapport.cases.services import case_create, message_add
from rapport.complaints import services as complaints
from rapport.learning.checks import evidence_checks
from rapport.learning.selectors import learner_evidence
from rapport.learning.services import evidence_add
from rapport.privacy.services import adjustment_record, data_request_create, data_request_update
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _evidence(unit, agent, kind, case, now):
    return evidence_add(
        actor=agent,
        learner=agent,
        kind=kind,
        summary="My work",
        point_ids=[unit.marking_points.get(position=1).pk],
        case_reference=case.reference,
        now=now,
    )


def _texts(evidence):
    return [(c.met, c.text) for c in evidence_checks(learner_evidence(evidence.learner)).get(evidence.pk, [])]


def test_a_complaint_shows_the_heat_stages_it_went_through(unit, agent, complaint, now):
    evidence = _evidence(unit, agent, "complaint", complaint, now)
    ref = complaint.reference
    complaints.complaint_hear(
        actor=agent, reference=ref, account="Torn arm.", summary="Damaged sofa.", confirmed=True, now=now
    )
    complaints.complaint_empathise(actor=agent, reference=ref, said="How annoying.", now=now)
    assert _texts(evidence) == [(False, "HEAT stages not recorded: Apologise, Take ownership.")]

    complaints.complaint_apologise(actor=agent, reference=ref, said="Sorry.", now=now)
    complaints.complaint_take_ownership(
        actor=agent, reference=ref, handler=agent, action_plan="Replace it.", promised_date=now.date(), now=now
    )
    assert _texts(evidence) == [(True, "Went through every HEAT stage (hear, empathise, apologise, take ownership).")]

    page = signed_in(agent).get(f"/learning/learners/{agent.pk}/").content.decode()
    assert "Went through every HEAT stage" in page


def test_a_data_request_says_whether_it_was_answered_in_time(unit, agent, customer, now):
    request = data_request_create(actor=agent, customer=customer, kind="access", now=now)
    evidence = _evidence(unit, agent, "data_request", request.case, now)
    assert _texts(evidence) == [(None, "Not answered yet; the statutory date is 02 April 2026.")]

    data_request_update(actor=agent, reference=request.case.reference, changes={"completed_on": date(2026, 3, 20)})
    assert _texts(evidence) == [(True, "Answered in time: 20 March 2026, due 02 April 2026.")]

    data_request_update(actor=agent, reference=request.case.reference, changes={"completed_on": date(2026, 4, 9)})
    assert _texts(evidence) == [(False, "Answered late: 09 April 2026, due 02 April 2026.")]


def test_an_adjustment_is_shown_honoured_or_not_reply_by_reply(unit, agent, customer, team, now):
    case = case_create(actor=agent, customer=customer, subject="Help", body="Please", team=team, now=now)
    evidence = _evidence(unit, agent, "adjustment", case, now)
    assert _texts(evidence) == [(False, "No reasonable adjustment was in force for the customer during this case.")]

    adjustment_record(actor=agent, customer=customer, kind="plain_text", now=now + timedelta(minutes=1))
    assert _texts(evidence) == [(None, "Plain text only: no replies on this case while it was in force.")]

    message_add(actor=agent, reference=case.reference, kind="outbound", body="Hi", now=now + timedelta(hours=1))
    assert _texts(evidence) == [(True, "Plain text only: the one reply on this case followed it.")]

    message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="Hi",
        body_html="<p>Hi</p>",
        now=now + timedelta(hours=2),
    )
    assert _texts(evidence) == [(False, "Plain text only: 1 of 2 replies on this case did not follow it.")]


def test_checks_cost_a_fixed_number_of_queries(unit, agent, customer, team, complaint, now, django_assert_num_queries):
    for n in range(3):
        case = case_create(actor=agent, customer=customer, subject=f"C{n}", body="b", team=team, now=now)
        _evidence(unit, agent, "adjustment", case, now)
        _evidence(unit, agent, "complaint", complaint, now)
        request = data_request_create(actor=agent, customer=customer, kind="access", now=now)
        _evidence(unit, agent, "data_request", request.case, now)
    evidence = learner_evidence(agent)
    with django_assert_num_queries(4):  # complaints, data requests, adjustments, replies
        evidence_checks(evidence)
