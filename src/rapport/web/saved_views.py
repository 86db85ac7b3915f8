"""Saved views of the queue: reads and writes (the page's tabs and ``/api/v1/saved-views``).

A view is any filter and sort the queue supports, named and placed among the tabs. Everyone keeps
their own; team leaders, managers and admins share views with every member of staff
(``access.can_share_views``). The filters are checked by the queue's own parser when saved, so a
view always opens a queue that can be shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases.selectors import QueueFilter
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.web.models import SavedView

FILTER_NAMES = ("queue", "status", "priority", "type", "channel", "team", "owner", "customer", "tag", "sort")
MAX_OWN = 20
MAX_SHARED = 20
NAME_REQUIRED = "Give the view a name."
NAME_TOO_LONG = "Keep the name to 60 characters or fewer."
NO_VIEW = "No saved view with that id."
SHARE_REFUSED = "Only team leaders, managers and admins share views."
CHANGE_REFUSED = "Only the person who saved this view, or a manager, can change it."
TOO_MANY_OWN = f"You can keep at most {MAX_OWN} views of your own; delete one first."
TOO_MANY_SHARED = f"There can be at most {MAX_SHARED} shared views; delete one first."
UNKNOWN_FILTER = "This is not one of the queue's filters."
NO_FILTERS = "Give the filters as names and values."

Filters = dict[str, list[str]]


def saved_views(actor: User) -> QuerySet[SavedView]:
    """The views ``actor`` sees as tabs: their own and the shared ones, in order (one query)."""
    policy.require_staff(actor)
    return SavedView.objects.filter(Q(owner=actor) | Q(shared=True)).order_by("position", "id")


def saved_view(actor: User, view_id: int | str) -> SavedView:
    """One view ``actor`` sees; the same ``NotFound`` for a missing view and another's personal one."""
    try:
        pk = int(view_id)
    except (TypeError, ValueError):
        raise NotFound(NO_VIEW) from None
    found = saved_views(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound(NO_VIEW)
    return found


def clean_filters(filters: Any) -> Filters:
    """The queue filters of a view, as lists of values by name, checked by the queue's parser;
    empty values are dropped so the view's address stays short."""
    if not isinstance(filters, Mapping):
        raise FieldError(filters=NO_FILTERS)
    cleaned: Filters = {}
    errors: dict[str, list[str]] = {}
    for name, value in filters.items():
        if name not in FILTER_NAMES:
            errors.setdefault(str(name), []).append(UNKNOWN_FILTER)
            continue
        values = value if isinstance(value, list) else [value]
        texts = [str(v).strip() for v in values if v is not None and not isinstance(v, dict | list)]
        if len(texts) != len(values):
            errors.setdefault(name, []).append(NO_FILTERS)
        elif kept := [t for t in texts if t]:
            cleaned[name] = kept
    if errors:
        raise FieldError(errors)
    QueueFilter.from_params(dict(cleaned))  # a FieldError names each bad value
    return cleaned


def _clean_name(name: Any) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise FieldError(name=NAME_REQUIRED)
    if len(text) > 60:
        raise FieldError(name=NAME_TOO_LONG)
    return text


def saved_view_create(
    *,
    actor: User,
    name: str,
    filters: Mapping[str, Any],
    shared: bool = False,
    position: int | None = None,
    now: datetime | None = None,
) -> SavedView:
    """Save the queue's current filters under ``name`` (after the actor's other views, unless a
    ``position`` is given)."""
    policy.require_staff(actor)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for field, check in (("name", lambda: _clean_name(name)), ("filters", lambda: clean_filters(filters))):
        try:
            values[field] = check()
        except FieldError as refused:
            for key, messages in refused.errors.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise FieldError(errors)
    if shared and not policy.can_share_views(actor):
        raise Forbidden(SHARE_REFUSED)
    with transaction.atomic():
        _check_room(actor, shared)
        if position is None:
            last = saved_views(actor).order_by("-position").values_list("position", flat=True).first()
            position = (last or 0) + 1
        return SavedView.objects.create(
            owner=actor,
            name=values["name"],
            filters=values["filters"],
            shared=shared,
            position=position,
            created_at=now,
            updated_at=now,
        )


def _check_room(actor: User, shared: bool, *, besides: int | None = None) -> None:
    views = SavedView.objects.filter(shared=True) if shared else SavedView.objects.filter(owner=actor, shared=False)
    if besides is not None:
        views = views.exclude(pk=besides)
    if views.count() >= (MAX_SHARED if shared else MAX_OWN):
        raise FieldError(shared=TOO_MANY_SHARED) if shared else FieldError(name=TOO_MANY_OWN)


EDITABLE = ("name", "filters", "shared", "position")


def saved_view_update(
    *, actor: User, view_id: int | str, changes: Mapping[str, Any], now: datetime | None = None
) -> SavedView:
    """Rename, refilter, share or move a view the actor may change."""
    now = now or timezone.now()
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise FieldError({name: ["This field cannot be changed."] for name in unknown})
    with transaction.atomic():
        view = saved_view(actor, view_id)
        if not policy.can_change_view(actor, owner_id=view.owner_id, shared=view.shared):
            raise Forbidden(CHANGE_REFUSED)
        if "name" in changes:
            view.name = _clean_name(changes["name"])
        if "filters" in changes:
            view.filters = clean_filters(changes["filters"])
        if "shared" in changes and bool(changes["shared"]) != view.shared:
            if not policy.can_share_views(actor):
                raise Forbidden(SHARE_REFUSED)
            _check_room(actor, bool(changes["shared"]), besides=view.pk)
            view.shared = bool(changes["shared"])
        if "position" in changes:
            position = changes["position"]
            if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 1000:
                raise FieldError(position="Give a position from 0 to 1000.")
            view.position = position
        view.updated_at = now
        view.save()
    return view


def saved_view_delete(*, actor: User, view_id: int | str) -> None:
    with transaction.atomic():
        view = saved_view(actor, view_id)
        if not policy.can_change_view(actor, owner_id=view.owner_id, shared=view.shared):
            raise Forbidden(CHANGE_REFUSED)
        view.delete()


def saved_view_move(*, actor: User, view_id: int | str, earlier: bool, now: datetime | None = None) -> None:
    """Swap a view with its neighbour among the actor's tabs (the order they see them in)."""
    with transaction.atomic():
        views = list(saved_views(actor).select_for_update())
        index = next((i for i, view in enumerate(views) if str(view.pk) == str(view_id)), None)
        if index is None:
            raise NotFound(NO_VIEW)
        view = views[index]
        if not policy.can_change_view(actor, owner_id=view.owner_id, shared=view.shared):
            raise Forbidden(CHANGE_REFUSED)
        other = index - 1 if earlier else index + 1
        if not 0 <= other < len(views):
            return
        # Swap, then number the list as shown (equal positions would otherwise never move); a shared
        # view the actor may not change keeps its place for everyone else.
        views[index], views[other] = views[other], views[index]
        for position, each in enumerate(views, start=1):
            mine = policy.can_change_view(actor, owner_id=each.owner_id, shared=each.shared)
            if each.position != position and mine:
                each.position = position
                each.updated_at = now or timezone.now()
                each.save(update_fields=["position", "updated_at"])
