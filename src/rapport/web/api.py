"""/api/v1/saved-views: the queue's saved views, as the desk's tabs show them (``web.saved_views``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime, ConfigDict

from rapport.access import VIA_API
from rapport.accounts.api import ERRORS, actor
from rapport.cases.schemas import CaseFilters
from rapport.customers.schemas import CustomerKindName
from rapport.platform import csv_export
from rapport.platform.csv_export import CONTENT_TYPES
from rapport.platform.downloads import private_download
from rapport.platform.errors import NotFound
from rapport.web import exports, saved_views

router = Router(tags=["views"])


class SavedViewIn(Schema):
    """A view: its name, the queue's filters and sort as they appear in the queue's address
    (``{"queue": "team", "status": ["open"], "sort": "priority"}``), and whether it is shared."""

    model_config = ConfigDict(extra="forbid")

    name: str
    filters: dict[str, Any] = Field(default_factory=dict)
    shared: bool = False
    position: int | None = Field(None, ge=0, le=1000)


class SavedViewChanges(Schema):
    """What to change; leave out what stays."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    filters: dict[str, Any] | None = None
    shared: bool | None = None
    position: int | None = Field(None, ge=0, le=1000)


class SavedViewOut(Schema):
    id: int
    name: str
    filters: dict[str, list[str]]
    shared: bool
    position: int
    owner: int = Field(alias="owner_id")
    created_at: datetime
    updated_at: datetime


class SavedViewList(Schema):
    items: list[SavedViewOut]


@router.get("", response={200: SavedViewList, **ERRORS}, summary="The saved views I see")
def list_views(request: HttpRequest) -> Any:
    """Your own views and the shared ones, in the order the queue shows them as tabs."""
    return {"items": list(saved_views.saved_views(actor(request)))}


@router.post("", response={201: SavedViewOut, **ERRORS}, summary="Save a view")
def create_view(request: HttpRequest, payload: SavedViewIn, response: HttpResponse) -> Any:
    """Team leaders, managers and admins may share a view with every member of staff."""
    view = saved_views.saved_view_create(
        actor=actor(request),
        name=payload.name,
        filters=payload.filters,
        shared=payload.shared,
        position=payload.position,
    )
    response["Location"] = f"/api/v1/saved-views/{view.pk}"
    return Status(201, view)


@router.get("/{view_id}", response={200: SavedViewOut, **ERRORS}, summary="One saved view")
def get_view(request: HttpRequest, view_id: int) -> Any:
    """One of your views or a shared one; another person's own view is not found."""
    return saved_views.saved_view(actor(request), view_id)


@router.patch("/{view_id}", response={200: SavedViewOut, **ERRORS}, summary="Change a saved view")
def update_view(request: HttpRequest, view_id: int, payload: SavedViewChanges) -> Any:
    """Its owner changes a view; a manager or admin may also change a shared one."""
    changes = payload.model_dump(exclude_unset=True)
    return saved_views.saved_view_update(actor=actor(request), view_id=view_id, changes=changes)


@router.delete("/{view_id}", response={204: None, **ERRORS}, summary="Delete a saved view")
def delete_view(request: HttpRequest, view_id: int) -> Any:
    """Its owner deletes a view; a manager or admin may also delete a shared one."""
    saved_views.saved_view_delete(actor=actor(request), view_id=view_id)
    return Status(204, None)


# --- /exports: data out (``web.exports``, ADR 0031) -------------------------------------------------

ExportFormat = Literal["csv", "json"]
FILE_RESPONSE = {
    "description": "The export, streamed as it is read: CSV (a header row, then one row per item) or a JSON array.",
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
    },
}

exports_router = Router(tags=["exports"])


class CaseExportQuery(CaseFilters):
    format: ExportFormat = Field("csv", description="csv (for a spreadsheet) or json.")


class CustomerExportQuery(Schema):
    format: ExportFormat = Field("csv", description="csv (for a spreadsheet) or json.")
    q: str | None = Field(None, max_length=200, description="Start of the name, or the whole email address.")
    kind: CustomerKindName | None = None
    updated_since: AwareDatetime | None = Field(None, description="Only records changed at or after this moment.")
    created_since: AwareDatetime | None = Field(None, description="Only records created at or after this moment.")


class ReportExportQuery(Schema):
    format: ExportFormat = Field("csv", description="csv (for a spreadsheet) or json.")
    start: date | None = Field(None, description="First day of the period (default: as the report's page).")
    end: date | None = Field(None, description="Last day of the period.")


class ExportJobOut(Schema):
    id: int
    what: str = Field(description='"cases", "customers" or "report:<name>".')
    format: ExportFormat
    status: Literal["queued", "running", "ready", "failed"]
    rows: int = Field(description="Rows written (once ready).")
    error: str
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime = Field(description="After this the file is deleted and the link answers 404.")
    url: str = Field(description="Where to ask for this job's status.")
    download_url: str | None = Field(description="The file, once ready.")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/api/v1/exports/jobs/{obj.pk}"

    @staticmethod
    def resolve_download_url(obj: Any) -> str | None:
        return f"/api/v1/exports/jobs/{obj.pk}/file" if obj.status == "ready" else None


class ReportNameOut(Schema):
    name: str
    title: str


def _answer(
    request: HttpRequest, response: HttpResponse, export: exports.Export, *, what: str, fmt: str, params: dict[str, Any]
) -> Any:
    """The file, streamed; or, for a large export, 202 and the job that will write it."""
    if exports.too_large(export):
        job = exports.export_job_start(actor(request), what=what, fmt=fmt, params=params, now=timezone.now())
        response["Location"] = f"/api/v1/exports/jobs/{job.pk}"
        return Status(202, job)
    return csv_export.streamed(fmt, export.header, export.batches, filename=export.filename)


@exports_router.get(
    "/cases",
    response={202: ExportJobOut, **ERRORS},
    summary="Export the case list",
    openapi_extra={"responses": {"200": FILE_RESPONSE}},
)
def export_cases(request: HttpRequest, filters: Query[CaseExportQuery], response: HttpResponse) -> Any:
    """The case list with the same filters and sort as ``GET /api/v1/cases`` (every page at once),
    as CSV or JSON, streamed; internal notes are never in it. Staff only. A list longer than
    ``RAPPORT_EXPORT_STREAM_LIMIT`` rows answers 202 with an export job: poll its ``url`` until
    ``status`` is "ready", then download ``download_url``."""
    user = actor(request)
    params = filters.filter_params()
    export = exports.case_export(user, params, now=timezone.now(), why=VIA_API)
    return _answer(request, response, export, what="cases", fmt=filters.format, params=params)


@exports_router.get(
    "/customers",
    response={202: ExportJobOut, **ERRORS},
    summary="Export the customer list",
    openapi_extra={"responses": {"200": FILE_RESPONSE}},
)
def export_customers(request: HttpRequest, filters: Query[CustomerExportQuery], response: HttpResponse) -> Any:
    """The customer list with the filters of ``GET /api/v1/customers``, by name, as CSV or JSON,
    streamed (the desk's notes on customers are not exported). Staff only. A list longer than
    ``RAPPORT_EXPORT_STREAM_LIMIT`` rows answers 202 with an export job, as for cases."""
    params = filters.model_dump(exclude={"format"}, exclude_none=True)
    export = exports.customer_export(actor(request), params, now=timezone.now(), why=VIA_API)
    return _answer(request, response, export, what="customers", fmt=filters.format, params=params)


@exports_router.get(
    "/reports", response={200: list[ReportNameOut], **ERRORS}, summary="Report tables that can be exported"
)
def list_reports(request: HttpRequest) -> Any:
    """The report tables the caller may export, by name (a short, fixed list)."""
    return [{"name": name, "title": title} for name, title in exports.report_names(actor(request))]


@exports_router.get(
    "/reports/{name}",
    response={202: ExportJobOut, **ERRORS},
    summary="Export a report table",
    openapi_extra={"responses": {"200": FILE_RESPONSE}},
)
def export_report(request: HttpRequest, name: str, filters: Query[ReportExportQuery], response: HttpResponse) -> Any:
    """One report's table for a period, as CSV or JSON (``GET /api/v1/exports/reports`` names them)."""
    params = {k: v.isoformat() for k, v in filters.model_dump(exclude={"format"}, exclude_none=True).items()}
    export = exports.report_export(actor(request), name, params, now=timezone.now(), why=VIA_API)
    return _answer(request, response, export, what=f"report:{name}", fmt=filters.format, params=params)


@exports_router.get("/jobs/{job_id}", response={200: ExportJobOut, **ERRORS}, summary="A large export's progress")
def job_status(request: HttpRequest, job_id: int) -> Any:
    """Whether the export is written yet, and its ``download_url`` once it is. Only the person
    who asked sees it (others get 404)."""
    return exports.export_job_access(actor(request), job_id, now=timezone.now())


@exports_router.get(
    "/jobs/{job_id}/file",
    response=ERRORS,
    summary="Download a large export",
    openapi_extra={"responses": {"200": FILE_RESPONSE}},
)
def job_file(request: HttpRequest, job_id: int) -> HttpResponse:
    """The written file, as an attachment (404 before it is ready, or after it expires)."""
    job = exports.export_job_access(actor(request), job_id, now=timezone.now())
    if job.status != "ready" or not job.file:
        raise NotFound(exports.NOT_READY)
    return private_download(job.file, filename=job.file.name.rsplit("/", 1)[-1], content_type=CONTENT_TYPES[job.format])
