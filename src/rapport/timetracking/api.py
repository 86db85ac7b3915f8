"""/api/v1/cases/{reference}/time and /api/v1/time/{id}: time spent on cases (staff only).

Durations are whole minutes (a number) or "h:mm" text; one entry records 1 minute to 24 hours on a
day that has begun. Every refusal names its field; a changed entry is a 409 with ``current``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from rapport import access as core_policy
from rapport.accounts.api import ERRORS, actor
from rapport.platform.errors import NotFound
from rapport.timetracking import access as policy
from rapport.timetracking import selectors, services
from rapport.timetracking.models import TimeEntry

case_router = Router(tags=["time"])
router = Router(tags=["time"])

Duration = int | str


class EntryOut(Schema):
    id: int
    case: str
    agent: int
    agent_name: str
    minutes: int
    worked_on: date
    category: int
    category_name: str
    note: str
    source: str
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Send it back when you change or remove the entry.")


class CaseTimeOut(Schema):
    total_minutes: int
    entries: int
    items: list[EntryOut]
    next_cursor: str | None


class EntryIn(Schema):
    minutes: Duration = Field(description='Whole minutes (45) or hours and minutes as text ("1:30").')
    worked_on: date | None = Field(None, description="The day the work was done (default: today); not in the future.")
    category: int = Field(ge=1, le=services.MAX_ID, description="The id of a reason (GET /api/v1/time/categories).")
    note: str = Field("", max_length=200)


class EntryChangeIn(Schema):
    minutes: Duration | None = None
    worked_on: date | None = None
    category: int | None = Field(None, ge=1, le=services.MAX_ID)
    note: str | None = Field(None, max_length=200)
    version: int | None = Field(None, ge=0, le=services.MAX_ID, description="The version you read; another is a 409.")


class TimePageQuery(Schema):
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page.")
    limit: int = Field(25, ge=1, le=100)


class CategoryOut(Schema):
    id: int
    name: str


def _out(entry: TimeEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "case": entry.case.reference,
        "agent": entry.agent_id,
        "agent_name": entry.agent.name,
        "minutes": entry.minutes,
        "worked_on": entry.worked_on,
        "category": entry.category_id,
        "category_name": entry.category.name,
        "note": entry.note,
        "source": entry.source,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "version": entry.version,
    }


def _tracker(request: HttpRequest) -> Any:
    user = actor(request)
    if not policy.can_track(user):
        raise NotFound()
    return user


@case_router.get(
    "/{reference}/time", response={200: CaseTimeOut, **ERRORS}, summary="Time spent on a case, latest day first"
)
def case_time(request: HttpRequest, reference: str, query: Query[TimePageQuery]) -> Any:
    """The case's total minutes and a page of its entries (staff who can see the case)."""
    user = _tracker(request)
    case = core_policy.access_case(user, reference, why=core_policy.VIA_API)
    total = selectors.case_time(case)
    page = selectors.case_entries(case, cursor=query.cursor, size=query.limit)
    for entry in page.items:
        entry.case = case
    return {
        "total_minutes": total.minutes,
        "entries": total.entries,
        "items": [_out(e) for e in page.items],
        "next_cursor": page.next_cursor,
    }


@case_router.post("/{reference}/time", response={201: EntryOut, **ERRORS}, summary="Record time spent on a case")
def case_time_add(request: HttpRequest, reference: str, payload: EntryIn) -> Any:
    """Time the caller spent on the case: 1 minute to 24 hours, on a day that has begun; a case event."""
    user = _tracker(request)
    case = core_policy.access_case(user, reference, why=core_policy.VIA_API)
    entry = services.entry_add(
        actor=user,
        case=case,
        minutes=payload.minutes,
        worked_on=payload.worked_on,
        category_id=payload.category,
        note=payload.note,
    )
    return Status(201, _out(entry))


@router.get("/categories", response={200: list[CategoryOut], **ERRORS}, summary="Reasons time may be recorded for")
def categories(request: HttpRequest) -> Any:
    """The reasons offered for new time, in their order (managed in admin)."""
    _tracker(request)
    return [{"id": c.pk, "name": c.name} for c in selectors.categories()]


@router.patch(
    "/{entry_id}", response={200: EntryOut, **ERRORS}, summary="Change a time entry (yours; leaders: their teams')"
)
def entry_change(request: HttpRequest, entry_id: int, payload: EntryChangeIn) -> Any:
    """Change what is given; with ``version``, a change from a stale read is a 409 with ``current``."""
    user = _tracker(request)
    entry = services.entry_change(
        actor=user,
        entry_id=entry_id,
        version=payload.version,
        minutes=payload.minutes,
        worked_on=payload.worked_on,
        category_id=payload.category,
        note=payload.note,
        now=timezone.now(),
    )
    return _out(entry)


@router.delete(
    "/{entry_id}", response={204: None, **ERRORS}, summary="Remove a time entry (yours; leaders: their teams')"
)
def entry_delete(request: HttpRequest, entry_id: int, version: int | None = None) -> Any:
    """Remove the entry; the case keeps an event saying what it recorded."""
    user = _tracker(request)
    services.entry_delete(actor=user, entry_id=entry_id, version=version)
    return HttpResponse(status=204)
