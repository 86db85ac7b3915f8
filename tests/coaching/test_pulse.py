"""The staff pulse: anonymous by design, answered once, results never below five and no
complementary figure; the service-profit chain reads it through the registry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rapport import extensions
from rapport.coaching import selectors, services
from rapport.coaching.models import PulseAnswered, PulseResponse
from rapport.platform.errors import FieldError, Forbidden, NotFound, Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def pulse(manager, now):
    return services.pulse_round_open(
        actor=manager, title="Pulse, March", opens_on=date(2026, 3, 1), closes_on=date(2026, 3, 14), now=now
    )


def _answer(person, pulse, now, recommend=9, tools=4, training=4, workload=3):
    services.pulse_answer(
        actor=person, round_id=pulse.pk, recommend=recommend, tools=tools, training=training, workload=workload, now=now
    )


def test_only_managers_open_rounds_and_rounds_are_checked(agent, manager, now):
    with pytest.raises(Forbidden):
        services.pulse_round_open(
            actor=agent, title="x", opens_on=date(2026, 3, 1), closes_on=date(2026, 3, 2), now=now
        )
    with pytest.raises(FieldError) as refused:
        services.pulse_round_open(
            actor=manager, title="x", opens_on=date(2026, 3, 1), closes_on=date(2026, 5, 1), now=now
        )
    assert "closes_on" in refused.value.errors


def test_an_answer_is_stored_without_the_respondent_and_only_once(agent, team, pulse, now):
    _answer(agent, pulse, now)
    response = PulseResponse.objects.get()
    stored = {f.name for f in PulseResponse._meta.get_fields()}
    assert stored == {"id", "round", "team", "recommend", "tools", "training", "workload"}  # no user, no time
    assert response.team == team
    assert PulseAnswered.objects.filter(round=pulse, user=agent).exists()
    assert {f.name for f in PulseAnswered._meta.get_fields()} == {"id", "round", "user"}
    with pytest.raises(Refused):
        _answer(agent, pulse, now)
    assert PulseResponse.objects.count() == 1


def test_bad_answers_and_closed_rounds_are_refused(agent, pulse, now):
    with pytest.raises(FieldError) as refused:
        _answer(agent, pulse, now, recommend=11, tools=0)
    assert set(refused.value.errors) == {"recommend", "tools"}
    with pytest.raises(FieldError):
        _answer(agent, pulse, now, recommend="9")
    with pytest.raises(NotFound):
        _answer(agent, pulse, now + timedelta(days=30))
    assert not PulseAnswered.objects.exists()  # nothing half-written


def test_results_hide_groups_below_five_and_the_complementary_group(
    manager, team_leader, agent, pulse, crowd, now, other_agent
):
    front, billing = crowd
    for person in [agent, *front]:  # 8 in the front line
        _answer(person, pulse, now, recommend=10)
    for person in [other_agent, *billing[:2]]:  # 3 in billing
        _answer(person, pulse, now, recommend=2)
    results = selectors.pulse_results(manager, pulse)
    assert results.total.summary.n == 11
    by_team = {c.group: c for c in results.teams}
    assert by_team["Billing"].summary is None  # 3 answers
    # 8 is enough on its own, but total (11) - front line (8) would reveal billing's 3: hidden too
    assert by_team["Front line"].summary is None
    assert "fewer than 5" in by_team["Front line"].note

    leader_view = selectors.pulse_results(team_leader, pulse)
    assert [c.group for c in leader_view.teams] == ["Front line"]
    assert [c.group for c in selectors.pulse_results(agent, pulse).teams] == []


def test_groups_of_five_or_more_are_shown_with_enps(manager, pulse, crowd, agent, other_agent, now):
    front, billing = crowd
    for person in [agent, *front[:4]]:  # 5 in the front line: 3 promoters, 2 detractors
        _answer(person, pulse, now, recommend=10 if person in front[:3] else 3)
    for person in [other_agent, *billing]:  # 4 ... plus one more below
        _answer(person, pulse, now, recommend=8)
    from tests.conftest import make_user

    extra = make_user("bill9@example.com", "agent", [other_agent.teams.get()])
    _answer(extra, pulse, now, recommend=8)
    cells = {c.group: c for c in selectors.pulse_results(manager, pulse).teams}
    assert cells["Front line"].summary.enps.value == pytest.approx(20.0)
    assert cells["Billing"].summary.n == 5
    assert cells["Billing"].summary.agreeing["tools"] == 100.0


def test_the_service_profit_chain_reads_the_pulse_not_hand_entered_scores(
    manager, pulse, crowd, agent, other_agent, team, now
):
    from rapport.feedback import selectors as feedback
    from rapport.feedback.models import StaffMeasure

    StaffMeasure.objects.create(team=team, month=date(2026, 3, 1), staff_survey_score=99, headcount=8)
    front, billing = crowd
    for person in [agent, *front]:
        _answer(person, pulse, now, recommend=9)
    for person in [other_agent, *billing]:
        _answer(person, pulse, now, recommend=5)
    assert extensions.staff_voice  # the coaching app provides the staff's voice
    chain = {r.group: r for r in feedback.service_profit_chain(start=date(2026, 3, 1), end=date(2026, 4, 1))}
    front_row, billing_row = chain["Team: Front line"], chain["Team: Billing"]
    assert front_row.staff_survey is None  # the hand-entered 99 is not read
    # billing has 4 answers: hidden, and so is the front line, which the total would reveal it from
    assert billing_row.staff_enps is None
    assert billing_row.staff_voice == "fewer than 5 answers: not shown"
    assert front_row.staff_enps is None

    from tests.conftest import make_user

    _answer(make_user("bill9@example.com", "agent", [other_agent.teams.get()]), pulse, now, recommend=5)
    chain = {r.group: r for r in feedback.service_profit_chain(start=date(2026, 3, 1), end=date(2026, 4, 1))}
    assert chain["Team: Front line"].staff_enps == 100.0
    assert chain["Team: Front line"].staff_voice == "eNPS +100 (n=8)"
    assert chain["Team: Billing"].staff_voice == "eNPS -100 (n=5)"


def test_the_chain_reads_one_round_so_five_answers_are_five_people(manager, crowd, agent, now):
    """Three people answering two rounds are six answers but three people: never shown."""
    from rapport.feedback import selectors as feedback

    front, _ = crowd
    first = services.pulse_round_open(
        actor=manager, title="Feb", opens_on=date(2026, 2, 1), closes_on=date(2026, 2, 10), now=now
    )
    second = services.pulse_round_open(
        actor=manager, title="Mar", opens_on=date(2026, 2, 20), closes_on=date(2026, 3, 5), now=now
    )
    for person in front[:3]:
        _answer(person, first, now - timedelta(days=25), recommend=10)
        _answer(person, second, now, recommend=10)
    voice = selectors.staff_voice(date(2026, 1, 1), date(2026, 4, 1))
    assert all(v.enps is None for v in voice.values())
    chain = {r.group: r for r in feedback.service_profit_chain(start=date(2026, 1, 1), end=date(2026, 4, 1))}
    assert chain["Team: Front line"].staff_enps is None
