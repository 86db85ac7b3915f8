"""/api/v1/macros: list (paginated, filtered by scope and name), create, read, change, delete; and
/api/v1/cases/{reference}/macros/{id}/apply: preview (``?preview=true``) or apply, with the
version read. Every rule is the services'; errors name their fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from rapport import access as policy
from rapport.accounts.api import ERRORS, ErrorOut, actor
from rapport.domain.case_rules import Priority
from rapport.macros import access, selectors, services
from rapport.macros.models import Macro

router = Router(tags=["macros"])
case_router = Router(tags=["macros"])

ScopeName = Literal["personal", "team", "shared"]
CONFLICT: dict[Any, type[Schema]] = {409: ErrorOut}


class MacroOut(Schema):
    id: int
    name: str
    scope: ScopeName
    team: int | None = Field(description="The team of a team macro.")
    owner: int | None = Field(description="The person a personal macro belongs to.")
    reply: str = Field(description="The reply to the customer: Markdown with {{ placeholders }}.")
    note: str = Field(description="An internal note, with the same placeholders.")
    set_status: str
    set_priority: str | None
    add_tags: list[str]
    set_owner: int | None
    set_team: int | None
    uses: int
    last_used_at: datetime | None
    can_edit: bool
    created_at: datetime
    updated_at: datetime


class MacroPage(Schema):
    items: list[MacroOut]
    next_cursor: str | None


class MacroQuery(Schema):
    scope: ScopeName | None = None
    q: str = Field("", max_length=100, description="Words of the macro's name.")
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page.")
    limit: int = Field(50, ge=1, le=100)


class MacroIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=1000)
    scope: ScopeName = "personal"
    team: int | None = None
    reply: str = Field("", max_length=100_000)
    note: str = Field("", max_length=100_000)
    set_status: str = ""
    set_priority: str | int | None = Field(None, description='A priority label ("high") or number; null leaves it.')
    add_tags: list[str] | str = Field(default_factory=list)
    set_owner: int | None = None
    set_team: int | None = None


class MacroPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=1000)
    scope: ScopeName | None = None
    team: int | None = None
    reply: str | None = Field(None, max_length=100_000)
    note: str | None = Field(None, max_length=100_000)
    set_status: str | None = None
    set_priority: str | int | None = None
    add_tags: list[str] | str | None = None
    set_owner: int | None = None
    set_team: int | None = None


class ApplyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="The version of the case you read.")


class ChangeOut(Schema):
    field: str
    label: str
    before: str
    after: str
    changes: bool


class PreviewOut(Schema):
    reply: str = Field(description="The reply as it would be stored (Markdown, placeholders filled, not yet signed).")
    reply_html: str = Field(description="The reply as the customer would read it (sanitised; empty for plain text).")
    reply_text: str = Field(description="The plain-text part of the reply.")
    plain_text_only: bool
    note: str
    changes: list[ChangeOut]
    refusals: list[str] = Field(description="Why it cannot be applied now; empty when it can.")


class AppliedOut(Schema):
    applied: bool
    reference: str
    version: int = Field(description="The case's version now.")
    message_id: int | None = Field(description="The reply sent, if the macro has one.")
    preview: PreviewOut


def _out(macro: Macro, user: Any) -> dict[str, Any]:
    return {
        "id": macro.pk,
        "name": macro.name,
        "scope": macro.scope,
        "team": macro.team_id,
        "owner": macro.owner_id,
        "reply": macro.reply,
        "note": macro.note,
        "set_status": macro.set_status,
        "set_priority": Priority(macro.set_priority).label if macro.set_priority is not None else None,
        "add_tags": [t.strip() for t in macro.add_tags.split(",") if t.strip()],
        "set_owner": macro.set_owner_id,
        "set_team": macro.set_team_id,
        "uses": macro.uses,
        "last_used_at": macro.last_used_at,
        "can_edit": access.can_edit(user, macro),
        "created_at": macro.created_at,
        "updated_at": macro.updated_at,
    }


def _data(values: dict[str, Any], base: services.MacroData | None = None) -> services.MacroData:
    renamed = {
        {"team": "team_id", "set_owner": "set_owner_id", "set_team": "set_team_id"}.get(k, k): v
        for k, v in values.items()
    }
    if base is None:
        return services.MacroData(**renamed)
    merged = {**base.__dict__, **renamed}
    return services.MacroData(**merged)


@router.get("", response={200: MacroPage, **ERRORS}, summary="List the macros you can use")
def list_macros(request: HttpRequest, query: Query[MacroQuery]) -> Any:
    """By name; ``scope`` keeps one kind, ``q`` matches words of the name. Staff only."""
    user = actor(request)
    policy.require_staff(user)
    page = selectors.macro_page(user, scope=query.scope or "", query=query.q, cursor=query.cursor, size=query.limit)
    return {"items": [_out(m, user) for m in page.items], "next_cursor": page.next_cursor}


@router.post("", response={201: MacroOut, **ERRORS}, summary="Create a macro")
def create_macro(request: HttpRequest, payload: MacroIn) -> Any:
    """Agents create personal macros, team leaders their teams', managers shared ones. Unknown
    placeholders are refused, named by field (``reply``, ``note``)."""
    user = actor(request)
    macro = services.macro_create(actor=user, data=_data(payload.model_dump()), now=timezone.now())
    return Status(201, _out(selectors.macro_get(user, macro.pk), user))


@router.get("/{macro_id}", response={200: MacroOut, **ERRORS}, summary="A macro")
def get_macro(request: HttpRequest, macro_id: int) -> Any:
    """A macro you can use (another person's personal macro is not found)."""
    user = actor(request)
    policy.require_staff(user)
    return _out(selectors.macro_get(user, macro_id), user)


@router.patch("/{macro_id}", response={200: MacroOut, **ERRORS}, summary="Change a macro")
def patch_macro(request: HttpRequest, macro_id: int, payload: MacroPatch) -> Any:
    """Send only what changes; ``null`` clears an action."""
    user = actor(request)
    policy.require_staff(user)
    macro = selectors.macro_get(user, macro_id)
    changes = payload.model_dump(exclude_unset=True)
    for text in ("name", "reply", "note", "set_status", "add_tags"):
        if text in changes and changes[text] is None:
            changes[text] = ""
    if changes.get("scope") is None:
        changes.pop("scope", None)
    data = _data(changes, services.macro_data(macro))
    services.macro_update(actor=user, macro=macro, data=data, now=timezone.now())
    return _out(selectors.macro_get(user, macro_id), user)


@router.delete("/{macro_id}", response={204: None, **ERRORS}, summary="Delete a macro")
def delete_macro(request: HttpRequest, macro_id: int) -> Any:
    """Its owner, its team's leader or a manager; cases it was applied to keep what it did."""
    user = actor(request)
    policy.require_staff(user)
    services.macro_delete(actor=user, macro=selectors.macro_get(user, macro_id))
    return Status(204, None)


def _preview_out(preview: services.Preview) -> dict[str, Any]:
    return {
        "reply": preview.reply_source,
        "reply_html": preview.reply_html,
        "reply_text": preview.reply_text,
        "plain_text_only": preview.plain_text_only,
        "note": preview.note,
        "changes": [
            {"field": c.field, "label": c.label, "before": c.before, "after": c.after, "changes": c.changes}
            for c in preview.changes
        ],
        "refusals": list(preview.refusals),
    }


@case_router.post(
    "/{reference}/macros/{macro_id}/apply",
    response={200: AppliedOut, **CONFLICT, **ERRORS},
    summary="Apply a macro to a case (or preview it)",
)
def apply_macro(request: HttpRequest, reference: str, macro_id: int, payload: ApplyIn, preview: bool = False) -> Any:
    """With ``?preview=true`` nothing is written: the reply as the customer would read it, the
    changes (before and after) and any refusals. Otherwise the macro is applied to the case at
    ``version``: 409 if the case changed since (with ``current``) or if the policy refuses it
    (the reasons in ``detail``)."""
    user = actor(request)
    case = policy.access_case(user, reference, why=policy.VIA_API)
    macro = selectors.macro_get(user, macro_id)
    now = timezone.now()
    if preview:
        shown = services.macro_preview(actor=user, case=case, macro=macro, now=now)
        return {
            "applied": False,
            "reference": case.reference,
            "version": case.version,
            "message_id": None,
            "preview": _preview_out(shown),
        }
    applied = services.apply_macro(actor=user, case=case, macro=macro, version=payload.version, now=now)
    return {
        "applied": True,
        "reference": applied.case.reference,
        "version": applied.case.version,
        "message_id": applied.reply.pk if applied.reply else None,
        "preview": _preview_out(applied.preview),
    }
