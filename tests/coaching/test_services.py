"""Targets, coaching sessions and actions, appraisals and their sign-off, reminders: the rules
and who may do what (agents their own, team leaders their teams', managers everyone)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from rapport.coaching import selectors, services
from rapport.coaching.models import Action, AuditEntry, Reminder, SessionLink, Target
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound, Refused

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)


def _target(actor, **kw):
    values = {
        "kpi": "fcr",
        "value": "75",
        "starts_on": TODAY,
        "ends_on": TODAY + timedelta(days=30),
        "reason": "Fewer repeats",
    }
    values.update(kw)
    return services.target_set(actor=actor, **values)


def test_a_leader_sets_targets_for_their_team_and_its_agents_with_period_and_reason(team_leader, agent, team, now):
    target = _target(team_leader, agent_id=agent.pk, now=now)
    team_target = _target(team_leader, team_id=team.pk, kpi="csat", value="85", now=now)
    assert (target.agent, target.value, target.reason) == (agent, 75, "Fewer repeats")
    assert team_target.team == team
    assert (
        AuditEntry.objects.filter(subject="target", subject_id=target.pk).get().what.startswith("Target set for Agent")
    )


def test_targets_are_refused_outside_the_rules(team_leader, agent, other_agent, other_team, team):
    with pytest.raises(FieldError) as refused:
        _target(team_leader, agent_id=other_agent.pk)  # not their team
    assert "agent" in refused.value.errors
    with pytest.raises(FieldError) as refused:
        _target(team_leader, team_id=other_team.pk)
    assert "team" in refused.value.errors
    with pytest.raises(FieldError) as refused:
        _target(agent, agent_id=agent.pk)  # nobody sets their own target
    assert "agent" in refused.value.errors
    with pytest.raises(FieldError) as refused:
        _target(
            team_leader, agent_id=agent.pk, kpi="made_up", value="abc", reason=" ", ends_on=TODAY - timedelta(days=1)
        )
    assert set(refused.value.errors) == {"kpi", "value", "reason", "ends_on"}
    with pytest.raises(FieldError) as refused:
        _target(team_leader, team_id=team.pk, value="140")  # a percentage
    assert refused.value.errors["value"] == ["A percentage target is from 0 to 100."]
    with pytest.raises(FieldError):
        _target(team_leader, agent_id=agent.pk, team_id=team.pk)
    assert not Target.objects.exists()


def test_my_performance_shows_my_figures_against_targets_with_the_team_s(team_leader, agent, team, now):

    _target(team_leader, team_id=team.pk, kpi="fcr", value="60", now=now)
    _target(team_leader, agent_id=agent.pk, kpi="fcr", value="90", now=now, reason="Personal stretch")
    perf = selectors.performance(agent, today=TODAY)
    row = next(r for r in perf.rows if r.kpi == "fcr")
    assert row.target.reason == "Personal stretch"  # the agent's own target wins
    assert row.state == "not measured"  # nothing resolved yet: not a miss
    kpis = [r.kpi for r in perf.rows]
    assert kpis.index("first_response_hours") < kpis.index("csat") < kpis.index("fcr")
    assert "rota_adherence" in kpis
    assert "sla_attainment" in kpis


def test_a_session_records_notes_links_actions_and_follow_up(team_leader, agent, case, now):
    session = services.session_create(
        actor=team_leader,
        agent_id=agent.pk,
        held_on=TODAY,
        topic="Late refund complaint",
        notes="Went well",
        follow_up_on=TODAY + timedelta(days=7),
        links=[("case", case.pk)],
        actions=[services.ActionIn("Re-read HEAT", agent.pk, TODAY + timedelta(days=3))],
        now=now,
    )
    assert list(SessionLink.objects.filter(session=session).values_list("kind", "ref")) == [("case", case.pk)]
    assert session.actions.get().owner == agent
    shown = selectors.shown_links(agent, list(session.links.all()))[session.pk]
    assert shown[0].label.startswith(case.reference)
    assert shown[0].url.endswith(f"/cases/{case.reference}/")


def test_sessions_refuse_unknown_work_work_the_leader_cannot_see_and_self_coaching(team_leader, agent, other_case, now):
    with pytest.raises(FieldError) as refused:
        services.session_create(
            actor=team_leader, agent_id=agent.pk, held_on=TODAY, topic="x", links=[("widget", 1)], now=now
        )
    assert "Unknown kind" in refused.value.errors["links"][0]
    with pytest.raises(FieldError) as refused:
        services.session_create(
            actor=team_leader, agent_id=agent.pk, held_on=TODAY, topic="x", links=[("case", other_case.pk)], now=now
        )
    assert "you may see" in refused.value.errors["links"][0]
    with pytest.raises(FieldError) as refused:
        services.session_create(actor=team_leader, agent_id=team_leader.pk, held_on=TODAY, topic="x", now=now)
    assert "agent" in refused.value.errors
    with pytest.raises(FieldError) as refused:
        services.session_create(
            actor=team_leader, agent_id=agent.pk, held_on=TODAY + timedelta(days=1), topic="x", now=now
        )
    assert "held_on" in refused.value.errors
    with pytest.raises(FieldError) as refused:
        services.session_create(
            actor=team_leader,
            agent_id=agent.pk,
            held_on=TODAY,
            topic="x",
            actions=[services.ActionIn("Someone else's job", 999, None)],
            now=now,
        )
    assert "actions[0].owner" in refused.value.errors


def test_who_sees_sessions_and_who_marks_actions_done(team_leader, agent, team_mate, other_agent, manager, now):
    session = services.session_create(
        actor=team_leader,
        agent_id=agent.pk,
        held_on=TODAY,
        topic="Tone",
        now=now,
        actions=[services.ActionIn("Practise", agent.pk, None)],
    )
    assert list(selectors.sessions(agent)) == [session]
    assert list(selectors.sessions(manager)) == [session]
    assert list(selectors.sessions(team_mate)) == []  # a colleague in the team sees nothing
    assert list(selectors.sessions(other_agent)) == []
    action = session.actions.get()
    with pytest.raises(NotFound):
        services.action_done(actor=team_mate, action_id=action.pk, now=now)
    done = services.action_done(actor=agent, action_id=action.pk, now=now)
    assert done.done_at == now
    assert done.done_by == agent
    with pytest.raises(Forbidden):
        services.action_add(actor=agent, session_id=session.pk, item=services.ActionIn("More", agent.pk))


def test_reminders_for_actions_due_overdue_and_follow_ups_once_a_day(team_leader, agent, now, monkeypatch):
    monkeypatch.setattr("rapport.platform.notify.queue", None)  # straight to the test mailbox
    services.session_create(
        actor=team_leader,
        agent_id=agent.pk,
        held_on=TODAY - timedelta(days=7),
        topic="Empathy",
        follow_up_on=TODAY,
        actions=[
            services.ActionIn("Overdue one", agent.pk, TODAY - timedelta(days=1)),
            services.ActionIn("Due soon", team_leader.pk, TODAY + timedelta(days=2)),
            services.ActionIn("Later", agent.pk, TODAY + timedelta(days=10)),
        ],
        now=now,
    )
    assert services.reminders_send(now=now) == 4  # overdue, due soon, follow-up to the agent and the leader
    kinds = sorted(Reminder.objects.values_list("user__email", "kind"))
    assert kinds == [
        ("agent@example.com", "action_overdue"),
        ("agent@example.com", "follow_up"),
        ("leader@example.com", "action_due"),
        ("leader@example.com", "follow_up"),
    ]
    assert len(mail.outbox) == 4
    assert "Overdue one" in mail.outbox[0].body + mail.outbox[1].body + mail.outbox[2].body + mail.outbox[3].body
    assert services.reminders_send(now=now) == 0  # the same day: nothing twice
    assert services.reminders_send(now=now + timedelta(days=1)) == 2  # still overdue; the other now overdue


def _appraisal(team_leader, agent, now):
    return services.appraisal_create(
        actor=team_leader, agent_id=agent.pk, starts_on=TODAY - timedelta(days=90), ends_on=TODAY, now=now
    )


def test_an_appraisal_gathers_the_evidence_rapport_holds(team_leader, agent, now):
    services.session_create(
        actor=team_leader,
        agent_id=agent.pk,
        held_on=TODAY - timedelta(days=10),
        topic="x",
        now=now,
        actions=[services.ActionIn("Done one", agent.pk, None), services.ActionIn("Open one", agent.pk, None)],
    )
    services.action_done(actor=agent, action_id=Action.objects.get(text="Done one").pk, now=now)
    appraisal = _appraisal(team_leader, agent, now)
    ev = appraisal.evidence
    assert ev["coaching"] == {"sessions": 1, "actions_agreed": 2, "actions_done": 1, "done": ["Done one"]}
    assert {k["kpi"] for k in ev["kpis"]} >= {"fcr", "csat", "rota_adherence"}
    assert "qa_trend" in ev["not_measured"]  # the quality app is not installed here
    with pytest.raises(FieldError):
        services.appraisal_create(
            actor=team_leader, agent_id=agent.pk, starts_on=TODAY, ends_on=TODAY + timedelta(days=5), now=now
        )
    with pytest.raises(FieldError):
        services.appraisal_create(actor=agent, agent_id=agent.pk, starts_on=TODAY, ends_on=TODAY, now=now)


def test_appraisal_evidence_includes_the_learning_portfolio(team_leader, agent, case, customer, now):
    from rapport.learning.models import Evidence

    Evidence.objects.create(
        learner=agent,
        kind="case",
        case=case,
        summary="Took a refund complaint through HEAT",
        added_at=now - timedelta(days=3),
    )
    appraisal = _appraisal(team_leader, agent, now)
    titles = {s["title"]: s for s in appraisal.evidence["sections"]}
    assert titles["Learning portfolio"]["items"] == ["Took a refund complaint through HEAT"]
    assert "1 piece of evidence added, 0 accepted" in titles["Learning portfolio"]["summary"]


def test_sign_off_by_both_locks_the_appraisal_and_a_comment_withdraws_signatures(team_leader, agent, team_mate, now):
    appraisal = _appraisal(team_leader, agent, now)
    services.appraisal_comment(actor=team_leader, appraisal_id=appraisal.pk, comment="Good quarter", now=now)
    services.appraisal_sign(actor=team_leader, appraisal_id=appraisal.pk, now=now)
    changed = services.appraisal_comment(actor=agent, appraisal_id=appraisal.pk, comment="Agreed", now=now)
    assert changed.leader_signed_at is None  # the leader signed a different record
    with pytest.raises(NotFound):
        services.appraisal_sign(actor=team_mate, appraisal_id=appraisal.pk, now=now)
    with pytest.raises(Conflict):
        services.appraisal_sign(actor=agent, appraisal_id=appraisal.pk, version=1, now=now)
    services.appraisal_sign(actor=agent, appraisal_id=appraisal.pk, now=now)
    locked = services.appraisal_sign(actor=team_leader, appraisal_id=appraisal.pk, now=now)
    assert locked.locked
    with pytest.raises(Refused):
        services.appraisal_comment(actor=agent, appraisal_id=appraisal.pk, comment="Changed my mind", now=now)
    with pytest.raises(Refused):
        services.appraisal_sign(actor=agent, appraisal_id=appraisal.pk, now=now)
    trail = list(
        AuditEntry.objects.filter(subject="appraisal", subject_id=appraisal.pk)
        .order_by("id")
        .values_list("what", flat=True)
    )
    assert trail[-1] == "Signed by the leader; now locked"
    assert "The agent's comment changed; signatures withdrawn" in trail
    entry = AuditEntry.objects.first()
    entry.what = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()


def test_the_appraisal_pdf_holds_the_evidence_comments_and_signatures(team_leader, agent, now):
    from rapport.coaching import exports

    appraisal = _appraisal(team_leader, agent, now)
    pdf = exports.appraisal_pdf(appraisal, list(selectors.audit("appraisal", appraisal.pk)))
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 2000
