"""The demo: default calendars and policies, and clocks for the demo's open cases."""

from __future__ import annotations

import pytest

from rapport.cases.models import Case
from rapport.domain.case_rules import ACTIVE_STATUSES
from rapport.seeding.demo import seed_demo
from rapport.sla.models import Calendar, Clock, Policy
from tests.conftest import NOW


@pytest.fixture
def standard():
    """No test policies here: the demo brings its own."""


@pytest.fixture
def ola():
    """No test policies here: the demo brings its own."""


@pytest.mark.django_db
def test_the_demo_brings_calendars_policies_and_running_clocks():
    seed_demo(now=NOW, seed=1)

    assert set(Calendar.objects.values_list("name", flat=True)) == {"Office hours (England and Wales)", "24/7"}
    office = Calendar.objects.get(name="Office hours (England and Wales)")
    assert (office.tz, office.holidays) == ("Europe/London", "england")
    assert Policy.objects.filter(internal=True).exists()
    active = Case.objects.filter(status__in=sorted(ACTIVE_STATUSES))
    assert active.exists()
    assert not active.exclude(sla_clocks__isnull=False).exists()  # every open case is measured
    assert Case.objects.filter(next_breach_at__isnull=False).exists()
    assert Clock.objects.filter(breached_at__isnull=False).exists()  # the demo has some history
    assert not Clock.objects.filter(running_since__isnull=False, due_at__isnull=True).exists()
