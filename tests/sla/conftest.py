"""SLA fixtures: England office hours, a standard policy and an internal OLA, made before any case,
so that ``case`` (opened Monday 2 March 2026 at 10:00 GMT) starts its clocks under them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.conftest import auth  # noqa: F401  (the API tests sign in with it)

H = timedelta(hours=1)
OFFICE = {str(day): [["09:00", "17:30"]] for day in range(5)}


@pytest.fixture
def office(db):
    from rapport.sla.models import Calendar

    return Calendar.objects.create(name="Office", hours=OFFICE, tz="Europe/London", holidays="england")


@pytest.fixture
def always(db):
    from rapport.sla.models import Calendar

    return Calendar.objects.create(name="24/7", hours={str(d): [["00:00", "24:00"]] for d in range(7)})


@pytest.fixture(autouse=True)
def standard(office):
    from rapport.sla.models import Policy

    return Policy.objects.create(
        name="Standard", calendar=office, first_response=4 * H, next_response=4 * H, resolution=16 * H
    )


@pytest.fixture(autouse=True)
def ola(always):
    from rapport.sla.models import Policy

    return Policy.objects.create(
        name="Internal", internal=True, calendar=always, first_response=24 * H, resolution=48 * H
    )
