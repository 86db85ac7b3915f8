"""The improvement demo: made from the demo's own evidence, two initiatives mid-cycle, one checked."""

from __future__ import annotations

import pytest
from django.db import transaction

from rapport.improvement.models import Initiative, KpiResult, Rule, Stage, Standard, Suggestion
from rapport.seeding.demo import seed_demo
from tests.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo(now=NOW, seed=1)
        transaction.set_rollback(True)


def test_the_demo_has_two_initiatives_mid_cycle_and_one_checked(demo):
    stages = sorted(Initiative.objects.values_list("stage", flat=True))
    assert stages == sorted([Stage.PLAN, Stage.DO, Stage.CHECK])
    checked = Initiative.objects.get(stage=Stage.CHECK)
    assert checked.checked_at is not None
    assert KpiResult.objects.filter(kpi__initiative=checked, automatic=True).count() == checked.kpis.count()
    for initiative in Initiative.objects.all():
        assert initiative.gap_key, "every demo initiative answers a gap the analysis found"
        gap = initiative.evidence.get(kind="gap")
        assert gap.title
        assert initiative.requirements.filter(origin="internal").exists()
        assert initiative.requirements.filter(origin="external").exists()


def test_the_demo_states_its_promise_standards_rules_and_suggestions(demo):
    assert Standard.objects.count() == 7
    assert Standard.objects.get(touchpoint="updates").kpi == "promises_kept"
    assert Rule.objects.filter(review_on__lt=NOW.date()).count() == 1
    assert Suggestion.objects.count() == 2


def test_the_demo_has_a_tone_guide(demo):
    from rapport import extensions
    from rapport.improvement.models import ToneEntry

    assert ToneEntry.objects.filter(advice="avoid").count() >= 5
    assert ToneEntry.objects.filter(advice="prefer").exists()
    assert [f.phrase for f in extensions.tone_findings("We will utilise it going forward.")] == [
        "utilise",
        "going forward",
    ]


def test_the_demo_has_promises_made_one_revised_and_one_missed(demo):
    from rapport.sla.models import Promise, PromiseState

    states = set(Promise.objects.values_list("state", flat=True))
    assert {PromiseState.OPEN, PromiseState.KEPT, PromiseState.MISSED, PromiseState.REVISED} <= states
    revised = Promise.objects.get(state=PromiseState.REVISED)
    assert revised.revised_by.due_at > revised.due_at
