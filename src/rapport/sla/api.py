"""/api/v1/sla: a case's targets, elapsed and remaining business time, pauses and deadlines; the
attainment report. Staff only (customers get the not-found answer, as for another's case)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from rapport.accounts.api import ERRORS, actor
from rapport.platform.errors import FieldError
from rapport.sla import promises, selectors
from rapport.sla.models import Promise
from rapport.sla.schemas import AttainmentReportOut, CaseSlaOut, PromiseIn, PromiseOut, ReportQuery, SettingsOut

router = Router(tags=["sla"])


@router.get("/cases/{reference}", response={200: CaseSlaOut, **ERRORS}, summary="A case's service levels")
def case_sla(request: HttpRequest, reference: str) -> Any:
    """Each target on the case: the time allowed, used and left in business time, its state, and
    the pauses and deadlines behind it. Staff only."""
    sla = selectors.case_sla(actor(request), reference, now=timezone.now())
    return {
        "reference": sla.case.reference,
        "next_breach_at": sla.case.next_breach_at,
        "targets": [
            {
                "target": row.target,
                "policy": row.policy,
                "internal": row.internal,
                "target_seconds": int(row.target_time.total_seconds()),
                "adjustment_seconds": int(row.adjustment.total_seconds()),
                "started_at": row.started_at,
                "elapsed_seconds": int(row.used.total_seconds()),
                "remaining_seconds": int(row.remaining.total_seconds()),
                "due_at": row.due_at if row.stopped_at is None else None,
                "state": row.state,
                "warned_at": row.warned_at,
                "breached_at": row.breached_at,
                "stopped_at": row.stopped_at,
            }
            for row in sla.targets
        ],
        "pauses": sla.pauses,
        "deadlines": sla.deadlines,
        "promises": [_promise(p) for p in sla.promises],
    }


def _promise(p: Promise) -> dict[str, Any]:
    return {
        "made_at": p.made_at,
        "due_at": p.due_at,
        "state": p.state,
        "decided_at": p.decided_at,
        "revised": p.revises_id is not None,
        "proposed": p.proposed,
        "at_risk_at": p.at_risk_at,
        "proposed_due": p.proposed_due,
    }


@router.post("/cases/{reference}/promise", response={201: PromiseOut, **ERRORS}, summary="Set a new time for a promise")
def promise_revise(request: HttpRequest, reference: str, data: PromiseIn) -> Any:
    """Before the case's promise is missed, the case owner (or a team leader or manager) sets a new
    time, or confirms the one the SLA proposes (``due_at`` omitted); the customer is told at once."""
    due = data.due_at
    if due is not None and timezone.is_naive(due):
        raise FieldError(due_at="Give the time with its offset, e.g. 2026-12-11T13:00:00+00:00.")
    new = promises.promise_revise(
        actor=actor(request), reference=reference, due=due, proposed=due is None, reason=data.reason, now=timezone.now()
    )
    return Status(201, _promise(new))


@router.get("/report", response={200: AttainmentReportOut, **ERRORS}, summary="SLA attainment")
def report(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    """Targets met and missed between two office days, overall and by group; ``target`` narrows
    it to one kind of target. Staff only."""
    if query.end < query.start:
        raise FieldError(end="The end date must be on or after the start date.")
    found = selectors.attainment(actor(request), start=query.start, end=query.end, target=query.target)
    overall = found.overall
    return {
        "start": found.start,
        "end": found.end,
        "overall": {
            "dimension": "all",
            "group": overall.key,
            "met": overall.met,
            "missed": overall.missed,
            "percent": overall.percent,
        },
        "rows": [
            {"dimension": group, "group": row.key, "met": row.met, "missed": row.missed, "percent": row.percent}
            for group, rows in found.groups.items()
            for row in rows
        ],
    }


@router.get("/settings", response={200: SettingsOut, **ERRORS}, summary="SLA settings (staff)")
def sla_settings(request: HttpRequest) -> Any:
    """The desk's SLA settings that clients need to show the queue as the desk does."""
    return {"breaching_soon_seconds": int(selectors.sla_settings(actor(request)).total_seconds())}
