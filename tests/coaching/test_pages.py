"""The coaching pages: My performance, a leader's view of an agent, targets, sessions, appraisals
with sign-off and PDF, the pulse; permissions, CSV, empty states, errors on forms, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.coaching import services
from rapport.coaching.models import Action, PulseResponse, Session, Target
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()  # the pages read the real clock


@pytest.fixture
def session(team_leader, agent, case):
    return services.session_create(
        actor=team_leader,
        agent_id=agent.pk,
        held_on=TODAY,
        topic="Late refund complaint",
        notes="Went well",
        links=[("case", case.pk)],
        actions=[services.ActionIn("Re-read HEAT", agent.pk, TODAY + timedelta(days=3))],
    )


def test_my_performance_shows_targets_history_and_empty_states(agent, team_leader, team, django_assert_max_num_queries):
    client = signed_in(agent)
    html = client.get("/coaching/").content.decode()
    assert "<h1>My performance</h1>" in html
    assert "No coaching sessions yet." in html
    assert "No appraisals yet." in html
    assert '<caption id="perf-caption">Figures against targets</caption>' in html
    services.target_set(
        actor=team_leader,
        kpi="csat",
        value="85",
        team_id=team.pk,
        starts_on=TODAY - timedelta(days=1),
        ends_on=TODAY + timedelta(days=30),
        reason="Customer charter",
    )
    for i in range(3):
        services.session_create(
            actor=team_leader,
            agent_id=agent.pk,
            held_on=TODAY - timedelta(days=i),
            topic=f"Topic {i}",
            actions=[services.ActionIn("Do it", agent.pk, None)],
        )
    # a fixed number a KPI of the catalogue (each for the agent and the team), whatever the sessions:
    # grows with the catalogue (routing and chat added six), never with the history
    with django_assert_max_num_queries(80):
        html = signed_in(agent).get("/coaching/").content.decode()
    assert "Topic 0" in html
    assert "Topic 2" in html
    assert "Customer charter" in html
    csv = client.get("/coaching/?csv=sessions")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().count("\n") == 4
    assert (
        "Customer Satisfaction" in client.get("/coaching/?csv=performance").content.decode()
        or "CSAT" in client.get("/coaching/?csv=performance").content.decode()
    )


def test_the_agent_page_costs_the_same_however_many_sessions(agent, team_leader, case, django_assert_max_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert signed_in(team_leader).get(f"/coaching/agents/{agent.pk}/").status_code == 200
        return len(captured)

    services.session_create(
        actor=team_leader,
        agent_id=agent.pk,
        held_on=TODAY,
        topic="One",
        links=[("case", case.pk)],
        actions=[services.ActionIn("a", agent.pk, None)],
    )
    count()  # the first request of a process warms the desk's short-lived copies
    one = count()
    for i in range(5):
        services.session_create(
            actor=team_leader,
            agent_id=agent.pk,
            held_on=TODAY,
            topic=f"More {i}",
            links=[("case", case.pk)],
            actions=[services.ActionIn("a", agent.pk, None), services.ActionIn("b", agent.pk, None)],
        )
    assert count() == one


def test_leaders_see_their_team_and_not_others(team_leader, agent, other_agent, manager):
    leader = signed_in(team_leader)
    assert leader.get(f"/coaching/agents/{agent.pk}/").status_code == 200
    assert leader.get(f"/coaching/agents/{other_agent.pk}/").status_code == 404
    assert signed_in(agent).get(f"/coaching/agents/{other_agent.pk}/").status_code == 404
    assert signed_in(manager).get(f"/coaching/agents/{other_agent.pk}/").status_code == 200
    people = leader.get("/coaching/agents/").content.decode()
    assert agent.name in people
    assert other_agent.name not in people


def test_a_leader_records_a_session_with_links_and_actions_from_the_page(team_leader, agent, case):
    client = signed_in(team_leader)
    form = client.get(f"/coaching/agents/{agent.pk}/sessions/new/")
    assert form.status_code == 200
    assert 'for="id_topic"' in form.content.decode()
    response = client.post(
        f"/coaching/agents/{agent.pk}/sessions/new/",
        {
            "held_on": TODAY.isoformat(),
            "topic": "Tone",
            "cases": case.reference,
            "work": "",
            "action_1": "Practise",
            "owner_1": str(agent.pk),
            "due_1": (TODAY + timedelta(days=7)).isoformat(),
            "action_2": "",
            "owner_2": str(agent.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Session.objects.get()
    assert created.links.get().ref == case.pk
    assert created.actions.get().text == "Practise"
    page = client.get(response["Location"]).content.decode()
    assert case.reference in page
    assert "Practise" in page
    assert "Coaching session recorded" in page


def test_a_session_form_with_bad_links_says_which_field(team_leader, agent):
    client = signed_in(team_leader)
    bad = client.post(
        f"/coaching/agents/{agent.pk}/sessions/new/",
        {
            "held_on": TODAY.isoformat(),
            "topic": "x",
            "cases": "banana",
            "owner_1": str(agent.pk),
            "owner_2": str(agent.pk),
        },
    )
    assert bad.status_code == 422
    assert "No case banana." in bad.content.decode()
    bad = client.post(
        f"/coaching/agents/{agent.pk}/sessions/new/",
        {
            "held_on": TODAY.isoformat(),
            "topic": "x",
            "work": "widget 3",
            "owner_1": str(agent.pk),
            "owner_2": str(agent.pk),
        },
    )
    assert bad.status_code == 422
    assert "Unknown kind of work" in bad.content.decode()
    assert signed_in(agent).get(f"/coaching/agents/{agent.pk}/sessions/new/").status_code == 404
    assert not Session.objects.exists()


def test_the_session_page_and_marking_an_action_done(agent, team_mate, session, django_assert_max_num_queries):
    client = signed_in(agent)
    with django_assert_max_num_queries(25):
        html = client.get(f"/coaching/sessions/{session.pk}/").content.decode()
    assert "Re-read HEAT" in html
    assert "Coaching session recorded" in html
    assert '<caption id="actions-caption">' in html
    action = Action.objects.get()
    assert client.post(f"/coaching/actions/{action.pk}/done/").status_code == 302
    action.refresh_from_db()
    assert action.done_at is not None
    assert signed_in(team_mate).get(f"/coaching/sessions/{session.pk}/").status_code == 404
    assert "Re-read HEAT" in client.get(f"/coaching/sessions/{session.pk}/?csv=actions").content.decode()


def test_targets_page_sets_and_lists_with_errors_beside_fields(team_leader, agent, team, django_assert_max_num_queries):
    client = signed_in(team_leader)
    bad = client.post(
        "/coaching/targets/",
        {
            "kpi": "csat",
            "whom": f"team:{team.pk}",
            "value": "150",
            "starts_on": "2026-03-01",
            "ends_on": "2026-02-01",
            "reason": "x",
        },
    )
    assert bad.status_code == 422
    body = bad.content.decode()
    assert "A percentage target is from 0 to 100." in body
    assert "end on or after" in body
    ok = client.post(
        "/coaching/targets/",
        {
            "kpi": "csat",
            "whom": f"agent:{agent.pk}",
            "value": "88",
            "starts_on": "2026-03-01",
            "ends_on": "2026-06-01",
            "reason": "Charter",
        },
    )
    assert ok.status_code == 302
    assert Target.objects.get().agent == agent
    with django_assert_max_num_queries(15):
        html = client.get("/coaching/targets/").content.decode()
    assert "Charter" in html
    assert "Charter" in client.get("/coaching/targets/?csv=targets").content.decode()
    assert "Set a target" not in signed_in(agent).get("/coaching/targets/").content.decode()
    assert signed_in(agent).post("/coaching/targets/", {"kpi": "csat"}).status_code == 404


def test_appraisal_pages_comment_sign_lock_and_pdf(team_leader, agent, now, django_assert_max_num_queries):
    leader = signed_in(team_leader)
    created = leader.post(
        f"/coaching/agents/{agent.pk}/appraisals/new/",
        {"starts_on": (TODAY - timedelta(days=60)).isoformat(), "ends_on": TODAY.isoformat()},
    )
    assert created.status_code == 302
    url = created["Location"]
    assert leader.post(url, {"comment": "A strong quarter", "version": 1}).status_code == 302
    leader.post(url + "sign/", {"version": 2})
    me = signed_in(agent)
    with django_assert_max_num_queries(20):
        html = me.get(url).content.decode()
    assert "A strong quarter" in html
    assert "signed by the leader, waiting for the agent" in html.lower()
    me.post(url + "sign/", {"version": 3})
    html = me.get(url).content.decode()
    assert "Signed by both (locked)" in html
    assert "Save comment" not in html
    assert me.post(url, {"comment": "late", "version": 4}).status_code == 404
    pdf = me.get(url.rstrip("/") + ".pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_pulse_page_answers_anonymously_and_shows_results_within_the_rule(agent, manager, crowd, now):
    client = signed_in(manager)
    opened = client.post(
        "/coaching/pulse/",
        {
            "form": "round",
            "title": "Pulse",
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + timedelta(days=9)).isoformat(),
        },
    )
    assert opened.status_code == 302
    me = signed_in(agent)
    page = me.get("/coaching/pulse/").content.decode()
    assert "anonymous by design" in page
    assert "Send my answer" in page
    bad = me.post("/coaching/pulse/", {"form": "answer", "recommend": "12"})
    assert bad.status_code == 422
    ok = me.post(
        "/coaching/pulse/", {"form": "answer", "recommend": "9", "tools": "4", "training": "5", "workload": "2"}
    )
    assert ok.status_code == 302
    assert PulseResponse.objects.count() == 1
    assert "You have answered" in me.get("/coaching/pulse/").content.decode()
    from rapport.coaching.models import PulseRound

    results = client.get(f"/coaching/pulse/{PulseRound.objects.get().pk}/").content.decode()
    assert "Not shown: fewer than 5 answers" in results
    assert "Whole service" in results
    csv = client.get(f"/coaching/pulse/{PulseRound.objects.get().pk}/?csv=results").content.decode()
    assert "Whole service" in csv
    assert "+100" not in csv


def test_every_coaching_page_passes_the_basic_accessibility_checks(team_leader, manager, agent, session, crowd):
    from tests.web.html_checks import page_problems

    appraisal = services.appraisal_create(
        actor=team_leader, agent_id=agent.pk, starts_on=TODAY - timedelta(days=30), ends_on=TODAY
    )
    pulse = services.pulse_round_open(actor=manager, title="Pulse", opens_on=TODAY, closes_on=TODAY)
    pages = [
        "/coaching/",
        f"/coaching/agents/{agent.pk}/",
        "/coaching/agents/",
        "/coaching/targets/",
        "/coaching/sessions/",
        f"/coaching/sessions/{session.pk}/",
        f"/coaching/agents/{agent.pk}/sessions/new/",
        f"/coaching/agents/{agent.pk}/appraisals/new/",
        f"/coaching/appraisals/{appraisal.pk}/",
        "/coaching/pulse/",
        f"/coaching/pulse/{pulse.pk}/",
    ]
    for user in (team_leader, manager):
        client = signed_in(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert page_problems(response.content.decode()) == [], url


def test_list_and_form_pages_cost_a_fixed_number_of_queries(
    team_leader, manager, agent, crowd, django_assert_max_num_queries
):
    pulse = services.pulse_round_open(actor=manager, title="Pulse", opens_on=TODAY, closes_on=TODAY)
    for person in crowd[0]:
        services.pulse_answer(actor=person, round_id=pulse.pk, recommend=9, tools=4, training=4, workload=4)
    for i in range(8):
        services.session_create(
            actor=team_leader,
            agent_id=crowd[0][i % 7].pk,
            held_on=TODAY,
            topic=f"T{i}",
            actions=[services.ActionIn("a", team_leader.pk, None)],
        )
    client = signed_in(manager)
    for url, most in [
        ("/coaching/agents/", 12),
        ("/coaching/sessions/", 14),
        ("/coaching/pulse/", 14),
        (f"/coaching/pulse/{pulse.pk}/", 14),
        (f"/coaching/agents/{agent.pk}/sessions/new/", 14),
        (f"/coaching/agents/{agent.pk}/appraisals/new/", 14),
    ]:
        client.get(url)  # the first request warms the desk's short-lived copies
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url
