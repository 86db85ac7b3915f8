"""The demo's import: a small Zendesk export checked by a dry run, once; the desk is untouched."""

from __future__ import annotations

import pytest

from rapport.cases.models import Case
from rapport.imports.demo import seed_imports_demo
from rapport.imports.models import ImportedCaseData, ImportRun

pytestmark = pytest.mark.django_db


def test_the_demo_checks_its_zendesk_export_once(now):
    seed_imports_demo(now)
    seed_imports_demo(now)
    run = ImportRun.objects.get()
    assert (run.state, run.dry_run) == ("finished", True)
    assert run.report["created"] == {
        "cases": 3, "customers": 3, "messages": 6, "notes": 1, "organisations": 1, "ratings": 2, "staff": 1,
    }  # fmt: skip
    assert Case.objects.count() == 0
    assert not ImportedCaseData.objects.exists()
