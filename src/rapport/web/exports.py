"""Data out: the case list (with the queue's filters), the customer list and each report table as
CSV or JSON, streamed from the pages and the API, or written by the worker when large (ADR 0031).

One path for every list: the list's own selector gives the rows and the keyset that orders them;
``Keyset.walk`` reads them a batch at a time (keyset, never OFFSET), and ``platform.csv_export``
writes each batch as it is read, every CSV cell through the one formula-injection guard. Each batch's
people are written to the access log before the batch is sent, once per person per export.

An export of more than ``RAPPORT_EXPORT_STREAM_LIMIT`` rows becomes an ``ExportJob``: the worker
writes the file to storage (a temporary file on the way, never memory) and the person who asked
downloads it from the link until it expires. Notes about customers and internal notes on cases are
never exported: what leaves the building is the list as the desk shows it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import User
from rapport.cases import selectors as case_selectors
from rapport.cases.models import Case
from rapport.customers import selectors as customer_selectors
from rapport.customers.models import Customer
from rapport.domain.case_rules import Priority
from rapport.platform import csv_export, jobs
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.platform.pagination import Keyset
from rapport.web.models import ExportJob, ExportStatus

RUN_JOB = "web.export_run"
BATCH = 2000
KEEP_FOR = timedelta(days=7)
STAFF_ONLY = "Only staff can export lists."
NO_REPORT = "No report table with that name. The names are listed at /api/v1/exports/reports."
NO_JOB = "No export with that id."
NOT_READY = "This export is not ready yet: ask again shortly."
CHOOSE_FORMAT = "Choose csv or json."
CASE_EXPORT = "case list export"
CUSTOMER_EXPORT = "customer list export"

CASE_HEADER = (
    "Reference", "Subject", "Status", "Type", "Channel", "Priority", "Customer id", "Customer", "Team", "Owner",
    "Tags", "Opened", "Last changed", "First response", "Resolved", "Next SLA breach",
)  # fmt: skip
CUSTOMER_HEADER = (
    "Id", "Kind", "Name", "Organisation", "Email", "Phone", "Address", "Preferred channel", "Tier", "Added",
    "Last changed",
)  # fmt: skip


@dataclass(frozen=True)
class Export:
    """An export ready to write: its file name (without extension), header and batches of rows,
    and how many rows it will hold (``None`` when counting would cost as much as writing)."""

    filename: str
    header: Sequence[str]
    batches: Iterable[Sequence[Sequence[Any]]]
    size: int | None


def check_format(fmt: str) -> str:
    if fmt not in csv_export.FORMATS:
        raise FieldError(format=CHOOSE_FORMAT)
    return fmt


def _require_export(actor: User) -> None:
    if not policy.can_export_lists(actor):
        raise Forbidden(STAFF_ONLY)


def _logged(
    actor: User, batches: Iterable[list[Any]], ids: Callable[[Any], int], *, what: str, why: str
) -> Iterator[list[Any]]:
    """Each batch, once its people not yet logged in this export are in the access log."""
    seen: set[int] = set()
    for batch in batches:
        fresh = {ids(row) for row in batch} - seen
        if fresh:
            policy.accessed(actor, sorted(fresh), what=what, why=why)
            seen |= fresh
        yield batch


# --- the case list ------------------------------------------------------------------------------------


def _case_row(case: Case) -> list[Any]:
    return [
        case.reference,
        case.subject,
        case.status,
        case.type,
        case.channel,
        Priority(case.priority).label,
        case.customer_id,
        case.customer.name,
        case.team.name if case.team else "",
        case.owner.name if case.owner else "",
        ", ".join(sorted(tag.name for tag in case.tags.all())),
        case.created_at,
        case.updated_at,
        case.first_response_at,
        case.resolved_at,
        case.next_breach_at,
    ]


def case_export(
    actor: User, params: Mapping[str, str | list[str]], *, now: datetime, why: str, count: bool = True
) -> Export:
    """The actor's case list with the queue's filters (``QueueFilter``), in the queue's order."""
    _require_export(actor)
    flt = case_selectors.QueueFilter.from_params(dict(params))
    rows, keyset = case_selectors.queue_rows(actor, flt, now=now)
    walked = _logged(actor, keyset.walk(rows, batch=BATCH), lambda c: c.customer_id, what=CASE_EXPORT, why=why)
    return Export(
        filename=f"cases-{timezone.localdate(now).isoformat()}",
        header=CASE_HEADER,
        batches=([_case_row(case) for case in batch] for batch in walked),
        size=rows.count() if count else None,
    )


# --- the customer list --------------------------------------------------------------------------------

CUSTOMER_EXPORT_KEYSET = Keyset((("name", str, False), ("id", int, False)))


def _customer_row(customer: Customer) -> list[Any]:
    return [
        customer.pk, customer.kind, customer.name, customer.organisation, customer.email, customer.phone,
        customer.address, customer.preferred_channel, customer.tier, customer.created_at, customer.updated_at,
    ]  # fmt: skip


def customer_export(actor: User, params: Mapping[str, Any], *, now: datetime, why: str, count: bool = True) -> Export:
    """The customer list with its filters (``q``, ``kind``, ``updated_since``, ``created_since``), by name."""
    _require_export(actor)
    rows = customer_selectors.customer_rows(
        actor,
        query=params.get("q") or None,
        kind=params.get("kind") or None,
        updated_since=_moment(params, "updated_since"),
        created_since=_moment(params, "created_since"),
    )
    walked = _logged(
        actor, CUSTOMER_EXPORT_KEYSET.walk(rows, batch=BATCH), lambda c: c.pk, what=CUSTOMER_EXPORT, why=why
    )
    return Export(
        filename=f"customers-{timezone.localdate(now).isoformat()}",
        header=CUSTOMER_HEADER,
        batches=([_customer_row(c) for c in batch] for batch in walked),
        size=rows.count() if count else None,
    )


def _moment(params: Mapping[str, Any], name: str) -> datetime | None:
    value = params.get(name)
    if value in (None, "") or isinstance(value, datetime):
        return value
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise FieldError({name: [case_selectors.SINCE_FORMAT]})
    return parsed


# --- report tables (``extensions.report_tables``) -------------------------------------------------


def report_names(actor: User) -> list[tuple[str, str]]:
    """(name, title) of each report table the actor may export."""
    found = []
    for name in extensions.report_tables:
        source = extensions.report_tables.get(name)
        if source is not None and source.allowed(actor):
            found.append((name, source.title))
    return found


def report_export(actor: User, name: str, params: Mapping[str, str], *, now: datetime, why: str) -> Export:
    """One report's table: small (aggregates), built at once and written in one batch."""
    _require_export(actor)
    source = extensions.report_tables.get(name)
    if source is None or not source.allowed(actor):
        raise NotFound(NO_REPORT)
    table = source.build(params)
    if table.customer_ids:
        policy.accessed(actor, table.customer_ids, what=source.title, why=why)
    return Export(
        filename=f"{name.replace('.', '-')}-{timezone.localdate(now).isoformat()}",
        header=table.header,
        batches=[table.rows],
        size=len(table.rows),
    )


# --- large exports as jobs -------------------------------------------------------------------------


def too_large(export: Export) -> bool:
    return export.size is not None and export.size > settings.RAPPORT_EXPORT_STREAM_LIMIT


def export_job_start(actor: User, *, what: str, fmt: str, params: Mapping[str, Any], now: datetime) -> ExportJob:
    """Queue a large export for the worker; it runs once this transaction commits."""
    _require_export(actor)
    plain = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in params.items() if v not in (None, "", [])}
    job = ExportJob.objects.create(
        requested_by=actor, what=what, format=check_format(fmt), params=plain, created_at=now, expires_at=now + KEEP_FOR
    )
    transaction.on_commit(lambda: jobs.enqueue(RUN_JOB, job.pk))
    return job


def _export_for(job: ExportJob, actor: User, now: datetime) -> Export:
    why = f"export {job.pk}"
    if job.what == "cases":
        return case_export(actor, job.params, now=now, why=why, count=False)
    if job.what == "customers":
        return customer_export(actor, job.params, now=now, why=why, count=False)
    return report_export(actor, job.what.removeprefix("report:"), job.params, now=now, why=why)


def export_job_run(job_id: int, *, now: datetime | None = None) -> ExportJob | None:
    """Write the export to storage for the person who asked, as they may see the list now."""
    now = now or timezone.now()
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id, status=ExportStatus.QUEUED).first()
    if job is None:
        return None
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    try:
        export = _export_for(job, job.requested_by, now)
        rows = 0

        def counted() -> Iterator[Sequence[Sequence[Any]]]:
            nonlocal rows
            for batch in export.batches:
                rows += len(batch)
                yield batch

        with tempfile.TemporaryFile() as spool:
            for chunk in csv_export.chunks(job.format, export.header, counted()):
                spool.write(chunk.encode())
            spool.seek(0)
            job.file.save(f"{export.filename}-{job.pk}.{job.format}", File(spool), save=False)
    except (FieldError, Forbidden, NotFound) as refused:
        # The list or the person's rights changed since they asked: say why, write nothing.
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(refused)[:300], finished_at=now
        )
        return None
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error="The export could not be written; ask again.", finished_at=now
        )
        raise
    job.status, job.rows, job.finished_at = ExportStatus.READY, rows, timezone.now()
    job.save(update_fields=["file", "status", "rows", "finished_at"])
    return job


def export_job_access(actor: User, job_id: int | str, *, now: datetime) -> ExportJob:
    """The actor's own export, not yet expired; anyone else's reads as missing."""
    try:
        pk = int(job_id)
    except (TypeError, ValueError):
        raise NotFound(NO_JOB) from None
    job = ExportJob.objects.filter(pk=pk, requested_by=actor, expires_at__gt=now).first()
    if job is None:
        raise NotFound(NO_JOB)
    return job


def exports_expire(*, now: datetime) -> int:
    """Remove expired exports and their files (a daily job)."""
    expired = list(ExportJob.objects.filter(expires_at__lte=now))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[j.pk for j in expired]).delete()
    return len(expired)
