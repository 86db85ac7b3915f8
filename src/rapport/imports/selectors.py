"""Reads for the imports pages and the case page's panel."""

from __future__ import annotations

from django.db.models import QuerySet

from rapport.cases.models import Case
from rapport.imports.models import ImportedCaseData, ImportRun
from rapport.platform import caches
from rapport.platform.shortlived import ShortLivedCopy


def runs() -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("started_by").order_by("-created_at", "-id")


def run_get(run_id: int) -> ImportRun | None:
    return ImportRun.objects.select_related("started_by").filter(pk=run_id).first()


def _anything_imported() -> bool:
    return ImportedCaseData.objects.exists()


# Whether the desk holds any imported extra data at all: a display-only copy (ADR 0007), so a desk
# that never imported pays no query for the panel on every case page.
anything_imported: ShortLivedCopy[bool] = caches.short_lived(
    "imports.anything_imported", _anything_imported, ttl=60.0, copies=("imports.ImportedCaseData",)
)


def imported_data(case: Case) -> ImportedCaseData | None:
    """What the source held about ``case`` beyond Rapport's columns (one query where anything was
    imported; None when the case was not imported, or had nothing more)."""
    if not anything_imported():
        return None
    return ImportedCaseData.objects.filter(case_id=case.pk).first()
