"""Reads for the imports pages and the case page's panel."""

from __future__ import annotations

from django.db.models import QuerySet

from rapport.cases.models import Case
from rapport.imports.models import ImportedCaseData, ImportRun


def runs() -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("started_by").order_by("-created_at", "-id")


def run_get(run_id: int) -> ImportRun | None:
    return ImportRun.objects.select_related("started_by").filter(pk=run_id).first()


def imported_data(case: Case) -> ImportedCaseData | None:
    """What the source held about ``case`` beyond Rapport's columns (one query; None when the case
    was not imported, or had nothing more)."""
    return ImportedCaseData.objects.filter(case_id=case.pk).first()
