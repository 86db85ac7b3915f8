"""/api/v1/saved-views: the queue's saved views, as the desk's tabs show them (``web.saved_views``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from rapport.accounts.api import ERRORS, actor
from rapport.web import saved_views

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
