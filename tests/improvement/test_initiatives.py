"""Initiatives through Plan, Do, Check and Act; gaps to initiatives; the register and suggestions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rapport import extensions
from rapport.improvement import gaps, selectors, services
from rapport.improvement.models import Evidence, Initiative, Outcome, RuleCause, Stage, Suggestion
from rapport.platform.errors import FieldError, Forbidden
from rapport.platform.models import SettingChange

pytestmark = pytest.mark.django_db


def _scope(now):
    return gaps.gap_scope("service", "", now - timedelta(days=28), now + timedelta(days=1))


def test_agents_cannot_create_initiatives_but_team_leaders_can(agent, team_leader, now):
    fields = {"title": "Faster first replies", "problem": "Customers wait.", "check_on": date(2026, 4, 1)}
    with pytest.raises(Forbidden):
        services.initiative_create(actor=agent, now=now, fields=fields)
    made = services.initiative_create(actor=team_leader, now=now, fields=fields)
    assert (made.stage, made.owner, made.cycle) == (Stage.PLAN, team_leader, 1)


def test_an_initiative_needs_a_problem_and_a_check_date(manager, now):
    with pytest.raises(FieldError) as error:
        services.initiative_create(actor=manager, now=now, fields={"title": "x", "problem": " ", "check_on": None})
    assert set(error.value.errors) == {"problem"}
    with pytest.raises(FieldError) as error:
        services.initiative_create(actor=manager, now=now, fields={"title": "x", "problem": "y", "stage": "act"})
    assert set(error.value.errors) == {"stage"}


def test_a_gap_becomes_an_initiative_with_its_evidence_and_cases(manager, seed_cases, now):
    made = seed_cases(30, now - timedelta(days=5))  # one customer, an hour apart: repeats after the first
    gap = next(g for g in gaps.analyse(_scope(now)) if g.evidence.key == "repeat_contacts")
    assert gap.evidence.reach == 30
    assert gap.evidence.size == pytest.approx(29 / 30)
    assert gap.why == "97% short of the standard x 30 reached = 29.0"

    initiative = services.initiative_create(
        actor=manager,
        now=now,
        gap=gap,
        fields={"title": gap.evidence.title, "problem": gap.evidence.why, "check_on": date(2026, 4, 1)},
    )

    evidence = Evidence.objects.get(initiative=initiative)
    assert evidence.kind == "gap"
    assert evidence.case_ids[0] == made[-1].pk
    assert initiative.gap_key == "improvement/repeat_contacts"
    assert gaps.find(_scope(now), "improvement/repeat_contacts") is not None


def test_gaps_from_providers_rank_with_ours_by_size_times_reach(monkeypatch, now):
    registry = extensions.Registry("gap evidence")
    registry.register(
        "kb_searches",
        lambda scope: [
            extensions.GapEvidence("search:refunds", "Searches for refunds found nothing", 0.4, 50, "20 of 50."),
            extensions.GapEvidence("search:parking", "Searches for parking found nothing", 0.9, 2, "2 of 2."),
        ],
    )
    monkeypatch.setattr(extensions, "gap_evidence", registry)
    ranked = gaps.analyse(_scope(now))
    assert [(g.rank, g.provider, g.evidence.key) for g in ranked] == [
        (1, "kb_searches", "search:refunds"),
        (2, "kb_searches", "search:parking"),
    ]
    assert ranked[0].why == "40% short of the standard x 50 reached = 20.0"


def test_requirements_are_classified_and_legislation_cites_its_act(manager, initiative, now):
    with pytest.raises(FieldError) as error:
        services.requirement_add(
            actor=manager,
            initiative=initiative,
            now=now,
            text="Refund within 14 days",
            origin="external",
            category="legislation",
            obligation="mandatory",
        )
    assert set(error.value.errors) == {"citation"}
    found = services.requirement_add(
        actor=manager,
        initiative=initiative,
        now=now,
        text="Refund within 14 days",
        origin="external",
        category="legislation",
        obligation="mandatory",
        citation="Consumer Rights Act 2015 s.20(15)",
    )
    assert found.citation == "Consumer Rights Act 2015 s.20(15)"


def test_a_milestone_done_links_what_it_changed_and_the_register_records_the_cause(manager, initiative, now):
    rule = services.rule_save(
        actor=manager,
        now=now - timedelta(days=3),
        fields={
            "title": "Refunds policy",
            "kind": "policy",
            "source": "Refunds policy v3",
            "review_on": date(2026, 9, 1),
        },
    )
    rule.review_on = date(2026, 6, 1)
    changed = services.rule_save(
        actor=manager, now=now - timedelta(days=1), fields={"review_on": date(2026, 6, 1)}, rule=rule
    )
    change = SettingChange.objects.filter(object_id=str(changed.pk)).order_by("-at").first()
    milestone = services.milestone_add(
        actor=manager, initiative=initiative, now=now, title="Update the policy", due_on=date(2026, 3, 5)
    )

    services.milestone_done(actor=manager, milestone=milestone, now=now, setting_change_id=change.pk)

    initiative.refresh_from_db()
    assert initiative.change_at == change.at
    assert RuleCause.objects.get(change=change).initiative == initiative
    history = dict((c.pk, i) for c, i in selectors.rule_history())
    assert history[change.pk] == initiative.pk


def test_act_adjust_starts_a_linked_cycle_with_the_same_kpis(manager, initiative, now):
    later = now + timedelta(days=1)
    services.stage_move(actor=manager, initiative=initiative, now=now)
    services.kpi_add(actor=manager, initiative=initiative, now=now, kpi="complaint_rate", target=10)
    services.stage_move(actor=manager, initiative=initiative, now=now)
    services.stage_move(actor=manager, initiative=initiative, now=now)
    assert initiative.stage == Stage.ACT

    with pytest.raises(FieldError):
        services.act(actor=manager, initiative=initiative, now=later, outcome="adjusted", reason=" ")
    following = services.act(
        actor=manager, initiative=initiative, now=later, outcome="adjusted", reason="Halfway there."
    )

    initiative.refresh_from_db()
    assert (initiative.stage, initiative.outcome, initiative.outcome_reason) == (
        Stage.CLOSED,
        Outcome.ADJUSTED,
        "Halfway there.",
    )
    assert (following.parent, following.cycle, following.stage) == (initiative, 2, Stage.PLAN)
    assert [k.kpi for k in following.kpis.all()] == ["complaint_rate"]
    assert [c.pk for c in selectors.cycles(following)] == [initiative.pk, following.pk]
    assert [c.pk for c in selectors.cycles(initiative)] == [initiative.pk, following.pk]
    with pytest.raises(FieldError):
        services.act(actor=manager, initiative=initiative, now=later, outcome="abandoned", reason="Again")


def test_check_needs_a_kpi_before_moving_to_check(manager, initiative, now):
    services.stage_move(actor=manager, initiative=initiative, now=now)
    with pytest.raises(FieldError) as error:
        services.stage_move(actor=manager, initiative=initiative, now=now)
    assert "kpi" in error.value.errors


def test_cost_benefit_of_an_initiative(initiative):
    found = selectors.appraisal(initiative)
    assert found.payback_months == 8.0  # 12,000 one-off, 1,500 a month saved
    assert found.net_present_value > 0


def test_staff_suggestions_feed_the_gap_analysis_and_become_initiatives(agent, manager, now):
    services.suggestion_create(
        actor=agent, now=now - timedelta(hours=2), text="Customers ask where their parcel is.", touchpoint="updates"
    )
    services.suggestion_create(
        actor=agent, now=now - timedelta(hours=1), text="Tell them before they ask.", touchpoint="updates"
    )
    with pytest.raises(FieldError):
        services.suggestion_create(actor=agent, now=now, text="x", touchpoint="nowhere")

    [gap] = [
        g for g in gaps.analyse(_scope(now)) if g.provider == "improvement" and g.evidence.key.startswith("suggestions")
    ]
    assert (gap.evidence.key, gap.evidence.reach) == ("suggestions:updates", 2)

    first = Suggestion.objects.order_by("id").first()
    made = services.initiative_create(
        actor=manager,
        now=now,
        suggestion_id=first.pk,
        fields={"title": "Proactive updates", "problem": first.text, "check_on": date(2026, 4, 1)},
    )
    first.refresh_from_db()
    assert (first.status, first.initiative) == ("taken_up", made)
    assert Evidence.objects.get(initiative=made).kind == "suggestion"


def test_standards_become_gaps_when_missed_and_the_journey_shows_red(manager, seed_cases, now):
    services.standard_save(
        actor=manager,
        now=now,
        touchpoint="complaint",
        expectation="Few customers need to complain",
        behaviour="Put it right first time",
        kpi="complaint_rate",
        target=10,
        amber_within=5,
    )
    made = seed_cases(20, now - timedelta(days=3), complaints=8)  # 40%

    rows = {
        r.touchpoint.code: r
        for r in selectors.journey(dimension="service", value="", start=now - timedelta(days=28), end=now)
    }
    assert rows["complaint"].rag.value == "red"
    assert rows["complaint"].value == pytest.approx(40.0)
    assert set(rows["complaint"].case_ids) == {c.pk for c in made[:8]}
    assert rows["first_reply"].standard is None
    assert rows["handoff"].touchpoint.internal

    [gap] = [g for g in gaps.analyse(_scope(now)) if g.evidence.key == "standard:complaint"]
    assert gap.evidence.size == pytest.approx(3.0)
    assert gap.evidence.why == "Red: 30.0% short of the target over 20 counted."


def test_the_register_lists_rules_living_in_rapport_and_flags_overdue_reviews(manager, initiative, now):
    services.standard_save(
        actor=manager,
        now=now,
        touchpoint="first_reply",
        expectation="A reply within a working day",
        behaviour="",
        kpi="complaint_rate",
        target=10,
        amber_within=5,
    )
    services.rule_save(
        actor=manager,
        now=now,
        fields={
            "title": "Equality Act 2010 s.20",
            "kind": "legislation",
            "source": "Equality Act 2010 s.20",
            "review_on": date(2026, 1, 1),
            "owner": manager,
        },
    )
    [kept] = selectors.kept_rules(now.date())
    assert kept.overdue
    live = [r for r in selectors.live_rules() if r.model == "improvement.standard"]
    assert live[0].values["target"] == 10.0
    assert live[0].last_change is not None


def test_the_csv_has_a_row_per_kpi_result(manager, initiative, seed_cases, now):
    change = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
    seed_cases(50, change - timedelta(days=5), complaints=20)
    seed_cases(50, change + timedelta(days=2), complaints=5)
    services.stage_move(actor=manager, initiative=initiative, now=change, change_at=change)
    services.kpi_add(actor=manager, initiative=initiative, now=change, kpi="complaint_rate", target=10)
    services.check_run(initiative=initiative, now=now, actor=manager)

    rows = list(selectors.csv_rows())
    assert len(rows) == 1
    assert rows[0][0] == initiative.pk
    assert rows[0][7] == "complaint_rate"
    assert rows[0][-1] == "improved"
    assert Initiative.objects.count() == 1
