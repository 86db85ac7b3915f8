"""How imports plug into the core: the import job, the admin's navigation link, the case page's
panel of what the source held (custom fields, CSAT), and erasure and subject access for it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.http import HttpRequest

from rapport import extensions
from rapport.cases.models import Case
from rapport.customers.models import Customer
from rapport.imports import access as policy

_registered = False


def case_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    from rapport.access import can_see_internal
    from rapport.imports.selectors import imported_data

    if not can_see_internal(request.user):
        return None
    data = imported_data(case)
    if data is None or not (data.fields or data.rating_score):
        return None
    return extensions.Panel("imports/case_panel.html", place="side", order=80, context={"data": data})


def erase(customer: Customer, case_ids: Sequence[int], scrub: extensions.Scrub) -> Mapping[str, int]:
    """An erased person's words in imported ratings and fields (UK GDPR Art 17)."""
    from rapport.imports.models import ImportedCaseData

    changed = 0
    for data in ImportedCaseData.objects.filter(case_id__in=list(case_ids)):
        fields = [[label, scrub(value)] for label, value in data.fields]
        comment = scrub(data.rating_comment)
        if fields != data.fields or comment != data.rating_comment:
            data.fields, data.rating_comment = fields, comment
            data.save(update_fields=["fields", "rating_comment"])
            changed += 1
    return {"imported case data": changed}


def subject_access(customer: Customer) -> tuple[str, list[dict[str, Any]]]:
    """What imports hold about a person (UK GDPR Art 15): their imported cases' fields and ratings."""
    from rapport.imports.models import ImportedCaseData

    rows = ImportedCaseData.objects.filter(case__customer=customer).order_by("case_id")
    return (
        "Imported from other help desks",
        [
            {
                "case": data.case_id,
                "source": data.get_source_display(),
                "fields": {label: value for label, value in data.fields},
                "rating": data.rating_score,
                "rating comment": data.rating_comment,
            }
            for data in rows
        ],
    )


def _demo(now: datetime) -> None:
    from rapport.imports.demo import seed_imports_demo

    seed_imports_demo(now)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.imports import services, tasks
    from rapport.platform import jobs

    jobs.register(services.RUN_JOB, tasks.run_task)
    extensions.case_panels.append(case_panel)
    extensions.erasure_handlers.append(erase)
    extensions.subject_access_sections.append(subject_access)
    extensions.demo_seeders.append(_demo)
    extensions.nav_items.append(
        extensions.NavItem(
            label="Imports", url_name="imports:index", section="imports", visible=policy.can_import, order=96
        )
    )
