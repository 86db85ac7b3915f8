"""The KPI catalogue: cost per case (time tracking x the hourly cost assumed), NPS, self-service
resolution, each with its formula and source; the catalogue page and its CSV."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from rapport import extensions
from rapport.improvement import services
from rapport.improvement.catalogue import scope
from rapport.improvement.models import KpiAssumptions
from rapport.platform.errors import FieldError
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db


def _period(now):
    return scope("service", "", now - timedelta(days=7), now + timedelta(days=1))


@pytest.fixture
def timed(seed_cases, agent, now):
    """Three cases with 30, 60 and 90 minutes recorded on them yesterday."""
    from rapport.timetracking.models import TimeCategory, TimeEntry

    category = TimeCategory.objects.first() or TimeCategory.objects.create(name="Investigating")
    cases = seed_cases(3, now - timedelta(days=2))
    day = (now - timedelta(days=1)).date()
    for case, minutes in zip(cases, (30, 60, 90), strict=True):
        TimeEntry.objects.create(
            case=case, agent=agent, minutes=minutes, worked_on=day, category=category, created_at=now, updated_at=now
        )
    return cases


def test_cost_per_case_prices_recorded_minutes_at_the_hourly_cost_assumed(timed, manager, now):
    source = extensions.kpi_sources.get(extensions.COST_PER_CASE)

    # Mean 60 minutes at the default £18.00 an hour.
    assert source.measure(_period(now)) == pytest.approx(18.0)
    sample = source.sample(_period(now))
    assert (sample.n, sample.total) == (3, pytest.approx(54.0))
    assert sample.squares == pytest.approx(9.0**2 + 18.0**2 + 27.0**2)

    services.kpi_assumptions_save(actor=manager, now=now, hourly_staff_cost=Decimal("24.00"))
    assert source.measure(_period(now)) == pytest.approx(24.0)
    assert source.assumptions
    assert "hourly staff cost" in source.formula


def test_the_hourly_cost_must_be_sensible(manager, now):
    with pytest.raises(FieldError) as refused:
        services.kpi_assumptions_save(actor=manager, now=now, hourly_staff_cost=Decimal("0"))
    assert list(refused.value.errors) == ["hourly_staff_cost"]
    assert KpiAssumptions.current().hourly_staff_cost == Decimal("18.00")


def test_nothing_recorded_is_not_measured_never_zero(now):
    assert extensions.kpi(extensions.COST_PER_CASE, _period(now)) is None


def test_nps_is_promoters_less_detractors_and_testable_as_a_mean(seed_cases, customer, now):
    from rapport.feedback.models import SurveyAnswer, SurveyInvitation

    cases = seed_cases(5, now - timedelta(days=2))
    for case, score in zip(cases, (10, 9, 9, 8, 3), strict=True):  # 3 promoters, 1 passive, 1 detractor: NPS 40
        invitation = SurveyInvitation.objects.create(
            kind="nps",
            customer=customer,
            case=case,
            status="answered",
            created_at=now - timedelta(days=1),
            send_after=now,
            expires_at=now + timedelta(days=14),
        )
        SurveyAnswer.objects.create(
            invitation=invitation,
            kind="nps",
            customer=customer,
            case=case,
            answered_at=now - timedelta(hours=1),
            score=score,
        )
    source = extensions.kpi_sources.get(extensions.NPS)

    assert source.measure(_period(now)) == pytest.approx(40.0)
    sample = source.sample(_period(now))
    assert (sample.n, sample.total, sample.squares) == (5, 200.0, 40000.0)
    assert "detractors" in source.formula
    assert list(source.behind(_period(now), 5)) == [cases[4].pk]


def test_self_service_resolution_is_in_the_catalogue_with_its_formula_and_sample(customer, manager, now):
    from rapport.knowledge.models import Article, Deflection

    article = Article.objects.create(
        title="Returns", slug="returns", body="", owner=manager, created_at=now, updated_at=now
    )
    for outcome in ("deflected", "deflected", "deflected", "raised", "pending"):
        Deflection.objects.create(article=article, customer=customer, at=now - timedelta(hours=2), outcome=outcome)
    source = extensions.kpi_sources.get("self_service_resolution")

    assert source.formula
    assert source.source
    sample = source.sample(_period(now))
    assert (sample.n, sample.total) == (4, 3)
    assert source.measure(_period(now)) == pytest.approx(75.0)


def test_every_kpi_states_its_formula_and_source():
    from rapport.improvement.catalogue import catalogue

    missing = [e.name for e in catalogue() if not (e.source.formula and e.source.source and e.source.definition)]
    assert missing == []


def test_the_catalogue_page_shows_each_kpi_its_baseline_and_the_assumption(
    timed, manager, agent, now, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(timezone, "now", lambda: now)
    client = signed_in(agent)
    with django_assert_max_num_queries(60):
        page = client.get("/improvement/kpis/").content.decode()

    for label in ("Cost per case (staff time)", "NPS", "Self-service resolution", "Promises kept", "SLA attainment"):
        assert label in page
    assert "18.0 GBP" in page  # the baseline of cost per case
    assert "£18.00</strong> an hour" in page
    assert "Save the hourly cost" not in page  # agents read, managers set

    boss = signed_in(manager)
    assert boss.post("/improvement/kpis/", {"hourly_staff_cost": "-1"}).status_code == 422
    assert boss.post("/improvement/kpis/", {"hourly_staff_cost": "21.50"}).status_code == 302
    assert KpiAssumptions.current().hourly_staff_cost == Decimal("21.50")
    rows = boss.get("/improvement/kpis.csv").content.decode().splitlines()
    assert rows[0].startswith("KPI,Name,Definition,Formula,Source,Assumptions")
    assert any(r.startswith("Cost per case (staff time),cost_per_case,") and ",21.5,3" in r for r in rows)


def test_the_api_catalogue_gives_formula_source_and_whether_testable(client, agent, auth):
    found = {k["name"]: k for k in client.get("/api/v1/improvement/kpis", **auth(agent)).json()}

    assert found["cost_per_case"]["assumptions"]
    assert found["nps"]["testable"] is True
    assert found["self_service_resolution"]["formula"]
    assert found["promises_kept"]["kind"] == "proportion"
