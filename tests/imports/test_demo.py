"""The demo's imported history: a small Zendesk export imported as the real thing, once."""

from __future__ import annotations

import pytest

from rapport.cases.models import Case
from rapport.imports.demo import seed_imports_demo
from rapport.imports.models import ImportedCaseData, ImportRun

pytestmark = pytest.mark.django_db


def test_the_demo_imports_its_zendesk_history_once(now):
    seed_imports_demo(now)
    seed_imports_demo(now)
    run = ImportRun.objects.get()
    assert run.state == "finished"
    assert run.report["created"]["cases"] == 3
    assert Case.objects.count() == 3
    assert Case.objects.filter(type="complaint").count() == 1
    assert ImportedCaseData.objects.filter(rating_score__isnull=False).count() == 2
    assert all(c.created_at < now for c in Case.objects.all())
