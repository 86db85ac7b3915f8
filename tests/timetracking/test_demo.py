"""The demo's time entries and attachment previews."""

from __future__ import annotations

import pytest
from django.db import transaction

from rapport.cases.models import Attachment, CaseEvent
from rapport.seeding.demo import seed_demo
from rapport.timetracking.models import RunningTimer, TimeEntry
from tests.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo(now=NOW, seed=1)
        transaction.set_rollback(True)


def test_the_demo_has_time_across_cases_and_agents_each_a_case_event(demo):
    entries = TimeEntry.objects.all()
    assert entries.values("case").distinct().count() >= 50
    assert entries.values("agent").distinct().count() >= 3
    assert entries.values("category").distinct().count() == 4
    assert CaseEvent.objects.filter(kind="time_logged").count() == entries.count()
    assert not entries.filter(worked_on__gt=NOW.date()).exists()
    assert RunningTimer.objects.count() == 1


def test_the_demo_shows_previews_of_photos_and_invoices_and_type_and_size_of_the_rest(demo):
    shown = set(Attachment.objects.values_list("content_type", "preview_state").distinct())
    assert shown == {("image/jpeg", "ready"), ("application/pdf", "ready"), ("text/csv", "none")}
