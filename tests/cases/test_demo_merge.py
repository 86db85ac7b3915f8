"""The demo shows merge, split and CC: one merged pair, a case split off, a son copied."""

from __future__ import annotations

import pytest

from rapport.cases.models import Case, CaseEvent
from rapport.seeding.demo import seed_demo
from tests.conftest import NOW


@pytest.mark.django_db
def test_the_demo_has_a_merged_pair_a_split_and_a_cc_list():
    seed_demo(now=NOW, seed=1)

    pointer = Case.objects.get(merged_into__isnull=False)
    assert pointer.status == "closed"
    assert pointer.customer_id == pointer.merged_into.customer_id
    split = CaseEvent.objects.get(kind="split_to")
    assert Case.objects.get(pk=int(split.after.split("-")[1])).customer_id == split.case.customer_id
    assert Case.objects.filter(cc="tom.evans@example.co.uk").count() == 2  # the case and the case split off it
