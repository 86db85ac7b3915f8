"""Keyset (cursor) pagination: pages cost the same at row 10 and at row 1,000,000.

A cursor is the sort key of the last row shown, encoded as URL-safe base64 JSON. It is opaque to
clients and validated on the way back in: a tampered cursor is a 422 naming the field, not a crash.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet

from rapport.platform.errors import FieldError

T = TypeVar("T", bound=Model)
BAD_CURSOR = "This cursor is not valid; start again from the first page."


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def _encode(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, date) else v for v in values]  # a datetime is a date too
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str, kinds: Sequence[type]) -> list[Any]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(kinds):
            raise ValueError
        values: list[Any] = []
        for value, kind in zip(raw, kinds, strict=True):
            if kind is datetime:
                moment = datetime.fromisoformat(value)
                if moment.tzinfo is None:  # every stored time is aware; a naive one was not ours
                    raise ValueError
                values.append(moment)
            elif kind is date:
                values.append(date.fromisoformat(value))
            elif (kind is int and isinstance(value, int) and not isinstance(value, bool)) or (
                kind is str and isinstance(value, str)
            ):
                values.append(value)
            else:
                raise ValueError
        return values
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        raise FieldError(cursor=BAD_CURSOR) from None


@dataclass(frozen=True)
class Keyset:
    """An ordering by distinct keys, e.g. ``(("updated_at", datetime, True), ("id", int, True))``;
    the last key must be unique. The bool says descending."""

    keys: tuple[tuple[str, type, bool], ...]

    @property
    def order_by(self) -> list[str]:
        return [("-" if desc else "") + name for name, _, desc in self.keys]

    def after(self, cursor: str) -> Q:
        values = _decode(cursor, [kind for _, kind, _ in self.keys])
        condition = Q()
        for i, (name, _, desc) in enumerate(self.keys):
            step = Q(**{f"{name}__{'lt' if desc else 'gt'}": values[i]})
            for prior, (prior_name, _, _) in enumerate(self.keys[:i]):
                step &= Q(**{prior_name: values[prior]})
            condition |= step
        return condition

    def paginate(self, rows: QuerySet[T], *, cursor: str | None, size: int) -> Page[T]:
        if cursor:
            rows = rows.filter(self.after(cursor))
        items = list(rows.order_by(*self.order_by)[: size + 1])
        more = len(items) > size
        items = items[:size]
        next_cursor = _encode([getattr(items[-1], name) for name, _, _ in self.keys]) if more else None
        return Page(items=items, next_cursor=next_cursor)


def page_size(value: Any, *, default: int, maximum: int = 200) -> int:
    if value in (None, ""):
        return default
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise FieldError(limit=f"Give a page size from 1 to {maximum}.") from None
    if not 1 <= size <= maximum:
        raise FieldError(limit=f"Give a page size from 1 to {maximum}.")
    return size
