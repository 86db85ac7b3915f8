"""/api/v1/automation: automation rules (managers and admins write, team leaders read), their
dry run, versions and firings."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from rapport.accounts.api import ERRORS, actor
from rapport.automation import selectors, services
from rapport.automation.models import AutomationRule

router = Router(tags=["automation"])

DEFINITION_HELP = (
    "The rule as plain data: trigger (event or time), events (for event rules), conditions "
    '({"match": "all"|"any", "conditions": [{"field", "op", "value"} or nested groups]}) and actions '
    '([{"type": ...}]). See docs/automation.md for every field, operator and action.'
)


class AutomationRuleIn(Schema):
    name: str = Field(max_length=120)
    description: str = Field("", max_length=2000)
    definition: dict[str, Any] = Field(description=DEFINITION_HELP)
    position: int = Field(100, ge=0, le=100000, description="Order among rules of its trigger, lowest first.")
    active: bool = Field(False, description="Switch on now (try the dry run first).")


class AutomationRulePatch(Schema):
    name: str | None = Field(None, max_length=120)
    description: str | None = Field(None, max_length=2000)
    definition: dict[str, Any] | None = Field(None, description=DEFINITION_HELP)
    position: int | None = Field(None, ge=0, le=100000)
    active: bool | None = None


class AutomationRuleOut(Schema):
    id: int
    name: str
    description: str
    trigger: Literal["event", "time"]
    events: list[str]
    definition: dict[str, Any]
    position: int
    active: bool
    version: int
    fired_count: int
    skipped_count: int
    last_fired_at: datetime | None
    created_at: datetime
    updated_at: datetime


class AutomationRulePage(Schema):
    items: list[AutomationRuleOut]


class AutomationDryRunMatchOut(Schema):
    case: str
    subject: str
    status: str
    actions: list[str]
    skipped: list[str]


class AutomationDryRunOut(Schema):
    scanned: int = Field(description="Cases looked at (the most recent that SQL could not rule out, at most 2,000).")
    matched: int
    event: str = Field(description="The event an event rule was tried as (its first event kind).")
    matches: list[AutomationDryRunMatchOut]


class AutomationFiringOut(Schema):
    id: int
    case: str
    version: int
    depth: int
    changes: list[str]
    skipped: list[str]
    at: datetime


class AutomationFiringPage(Schema):
    items: list[AutomationFiringOut]
    page: int
    pages: int
    count: int


class AutomationFiringQuery(Schema):
    page: int = Field(1, ge=1, le=100000)


def _out(rule: AutomationRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "name": rule.name,
        "description": rule.description,
        "trigger": rule.trigger,
        "events": list(rule.events),
        "definition": rule.definition,
        "position": rule.position,
        "active": rule.active,
        "version": rule.version,
        "fired_count": rule.fired_count,
        "skipped_count": rule.skipped_count,
        "last_fired_at": rule.last_fired_at,
        "created_at": rule.created_at,
        "updated_at": rule.updated_at,
    }


@router.get(
    "/rules",
    response={200: AutomationRulePage, **ERRORS},
    operation_id="automation_rules_list",
    summary="Automation rules",
)
def rules_list(request: HttpRequest) -> Any:
    """Every automation rule in the order it runs, with its counters and last firing."""
    return {"items": [_out(r) for r in selectors.rules_list(actor(request))]}


@router.post(
    "/rules",
    response={201: AutomationRuleOut, **ERRORS},
    operation_id="automation_rules_create",
    summary="Save an automation rule",
)
def rules_create(request: HttpRequest, body: AutomationRuleIn) -> Any:
    """Checked field by field; refused (400, naming why) when it would break the law or policy, e.g.
    resolving complaints without their HEAT stages or a reply that bypasses consent."""
    rule = services.rule_create(
        actor=actor(request),
        name=body.name,
        description=body.description,
        definition=body.definition,
        position=body.position,
        active=body.active,
        now=timezone.now(),
    )
    return Status(201, _out(rule))


@router.get(
    "/rules/{rule_id}",
    response={200: AutomationRuleOut, **ERRORS},
    operation_id="automation_rules_get",
    summary="One automation rule",
)
def rules_get(request: HttpRequest, rule_id: int) -> Any:
    """The rule as it is now (its current version)."""
    return _out(services.rule_get(actor=actor(request), rule_id=rule_id))


@router.patch(
    "/rules/{rule_id}",
    response={200: AutomationRuleOut, **ERRORS},
    operation_id="automation_rules_update",
    summary="Change an automation rule",
)
def rules_update(request: HttpRequest, rule_id: int, body: AutomationRulePatch) -> Any:
    """Only the fields sent change; a new name or definition is a new version."""
    sent = body.dict(exclude_unset=True)
    rule = services.rule_update(actor=actor(request), rule_id=rule_id, now=timezone.now(), **sent)
    return _out(rule)


@router.delete(
    "/rules/{rule_id}",
    response={204: None, **ERRORS},
    operation_id="automation_rules_delete",
    summary="Delete an automation rule",
)
def rules_delete(request: HttpRequest, rule_id: int) -> Any:
    """The rule and its versions go; what it did stays on each case's timeline."""
    services.rule_delete(actor=actor(request), rule_id=rule_id)
    return Status(204, None)


@router.get(
    "/rules/{rule_id}/dry-run",
    response={200: AutomationDryRunOut, **ERRORS},
    operation_id="automation_rules_dry_run",
    summary="Dry run of an automation rule",
)
def rules_dry_run(request: HttpRequest, rule_id: int) -> Any:
    """Which existing cases the rule would match now, and what it would do to each (nothing is changed)."""
    found = services.dry_run(actor=actor(request), rule_id=rule_id, now=timezone.now())
    return {
        "scanned": found.scanned,
        "matched": found.matched,
        "event": found.event,
        "matches": [
            {
                "case": m.case.reference,
                "subject": m.case.subject,
                "status": m.case.status,
                "actions": list(m.actions),
                "skipped": list(m.skipped),
            }
            for m in found.matches
        ],
    }


@router.get(
    "/rules/{rule_id}/firings",
    response={200: AutomationFiringPage, **ERRORS},
    operation_id="automation_rules_firings",
    summary="An automation rule's firings",
)
def rules_firings(request: HttpRequest, rule_id: int, query: Query[AutomationFiringQuery]) -> Any:
    """Newest first, 50 a page: the case, the version that fired, what it changed and what it skipped."""
    rule = services.rule_get(actor=actor(request), rule_id=rule_id)
    page = selectors.firings_page(rule, page=query.page)
    return {
        "items": [
            {
                "id": f.pk,
                "case": f.case.reference,
                "version": f.version,
                "depth": f.depth,
                "changes": list(f.changes),
                "skipped": list(f.skipped),
                "at": f.at,
            }
            for f in page.object_list
        ],
        "page": page.number,
        "pages": page.paginator.num_pages,
        "count": page.paginator.count,
    }
