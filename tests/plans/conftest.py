"""Fixtures for service plans: a plan for the front line, active over the test clock's day, and a
stand-in for the workforce figures so each trigger can be driven by the figures a test chooses."""

from __future__ import annotations

from datetime import date

import pytest

from rapport import extensions
from rapport.plans import services
from tests.api.conftest import auth  # noqa: F401 - the API tests sign in with it


@pytest.fixture
def plan(manager, team, now):
    return services.plan_create(
        actor=manager,
        fields=services.PlanFields(
            title="Front line spring plan",
            team_id=team.pk,
            owner_id=manager.pk,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 5, 31),
            status="active",
            planned_weekly_contacts=1400,
        ),
        sections={"objectives": [{"text": "Keep our promises", "kpi": "sla_attainment", "target": 90}]},
        now=now,
    )


@pytest.fixture
def figures(monkeypatch):
    """``figures.now = PlanningFigures(...)``: what the workforce app reports from then on."""

    class Figures:
        now = extensions.PlanningFigures()
        asked: list[int | None] = []

    def provider(team_id, when):
        Figures.asked.append(team_id)
        return Figures.now

    monkeypatch.setattr(extensions, "planning_figures", [provider])
    return Figures


def contingency(plan, manager, now, **fields):
    values = {"name": "Phones down", "trigger": "system_down", "responses": ["holding_message"]} | fields
    return services.contingency_add(
        actor=manager, plan_id=plan.pk, fields=services.ContingencyFields(**values), now=now
    )
