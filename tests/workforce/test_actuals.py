"""After the day: forecast against actual contacts, required against on duty, adherence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rapport.seeding import bulk
from rapport.workforce import selectors, services
from rapport.workforce.models import Activity, Shift

pytestmark = pytest.mark.django_db

DAY = date(2026, 2, 27)  # a Friday in GMT, before the seeder's clock


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 2, 27, hour, minute, tzinfo=UTC)


def test_actuals_compare_forecast_with_what_came_and_the_rota_with_what_agents_did(agent, other_agent):
    # given six weeks of contacts, and two agents rostered 08:00-16:00 with a break at noon
    bulk.seed(cases=1000, seed=19, now=datetime(2026, 3, 2, 6, tzinfo=UTC), days=42)
    for person in (agent, other_agent):
        Shift.objects.create(agent=person, starts_at=_at(8), ends_at=_at(16))
        Shift.objects.create(agent=person, starts_at=_at(12), ends_at=_at(12, 30), activity=Activity.BREAK)
    # the agent keeps to it; the other never signs in until 10:00 and skips the break
    services.status_set(actor=agent, agent=agent, status="available", now=_at(8))
    services.status_set(actor=agent, agent=agent, status="on_break", now=_at(12))
    services.status_set(actor=agent, agent=agent, status="available", now=_at(12, 30))
    services.status_set(actor=agent, agent=agent, status="off_shift", now=_at(16))
    services.status_set(actor=other_agent, agent=other_agent, status="available", now=_at(10))

    # when the day is looked back on in 30-minute intervals
    view = selectors.actuals_view(day=DAY, interval=30)
    by = {c.label: c for c in view.cells}

    # then contacts came and were forecast, and staffing and adherence follow the statuses
    assert view.actual_total > 0
    assert view.forecast_total > 0
    assert by["08:00"].staffed == 1
    assert by["08:00"].adherence == 0.5
    assert by["10:00"].staffed == 2
    assert by["10:00"].adherence == 1.0
    assert by["12:00"].staffed == 1  # one on a break, the other working through it
    assert by["12:00"].adherence == 0.5
    assert by["20:00"].adherence is None  # nobody rostered
    assert by["03:00"].required == 0


def test_actuals_page_and_csv(client, agent):
    client.force_login(agent)
    day = (datetime.now(tz=UTC).date() - timedelta(days=3)).isoformat()
    page = client.get(f"/planning/actuals/?day={day}")
    assert page.status_code == 200
    assert "Forecast against actual contacts" in page.content.decode()
    csv = client.get(f"/planning/actuals/?day={day}&format=csv")
    assert (
        csv.content.decode().splitlines()[0] == "Interval,Forecast contacts,Actual contacts,Required,On duty,Adherence"
    )


def test_actuals_api_refuses_a_day_not_over(client, agent):
    from tests.api.conftest import fields

    client.force_login(agent)
    future = (datetime.now(tz=UTC).date() + timedelta(days=2)).isoformat()
    refused = client.get(f"/api/v1/workforce/actuals?day={future}")
    assert refused.status_code == 422
    assert "day" in fields(refused)
    past = (datetime.now(tz=UTC).date() - timedelta(days=2)).isoformat()
    body = client.get(f"/api/v1/workforce/actuals?day={past}&interval=30").json()
    assert len(body["intervals"]) == 48
