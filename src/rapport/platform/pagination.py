"""Keyset (cursor) pagination: pages cost the same at row 10 and at row 1,000,000.

A cursor is the sort key of the last row shown, encoded as URL-safe base64 JSON. It is opaque to
clients and validated on the way back in: a tampered cursor is a 422 naming the field, not a crash.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet

from rapport.platform.errors import FieldError

T = TypeVar("T", bound=Model)
BAD_CURSOR = "This cursor is not valid; start again from the first page."
OUT_OF_RANGE = "Give a time within the years 1 to 9999 in UTC."


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
        return self._after_values(_decode(cursor, [kind for _, kind, _ in self.keys]))

    def walk(self, rows: QuerySet[T], *, batch: int = 2000) -> Iterator[list[T]]:
        """Every row in this order, ``batch`` at a time: each batch is one query that starts after
        the last row of the one before (keyset, never OFFSET), so the millionth row costs what the
        first did and no batch holds a cursor open between queries. ``rows`` keeps its own
        ``select_related`` and ``prefetch_related`` (one extra query a batch for each prefetch)."""
        ordered = rows.order_by(*self.order_by)
        after: Q | None = None
        while True:
            items = list((ordered.filter(after) if after is not None else ordered)[:batch])
            if not items:
                return
            yield items
            if len(items) < batch:
                return
            last = items[-1]
            after = self._after_values([getattr(last, name) for name, _, _ in self.keys])

    def cursor_after(self, row: Model) -> str:
        """The cursor that continues after ``row`` (for a list still paged by number, so that its
        clients can move to the cursor from any page)."""
        return _encode([getattr(row, name) for name, _, _ in self.keys])

    def _after_values(self, values: Sequence[Any]) -> Q:
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
        next_cursor = self.cursor_after(items[-1]) if more else None
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


def since(
    rows: QuerySet[T],
    *,
    updated_since: datetime | None = None,
    created_since: datetime | None = None,
    updated_field: str = "updated_at",
    created_field: str = "created_at",
) -> QuerySet[T]:
    """Rows changed at or after ``updated_since`` and created at or after ``created_since`` (each
    optional): what a client that syncs asks for with the time of its last run. Inclusive, so a row
    written in the same instant as the last sync is seen again rather than missed."""
    check_moment("updated_since", updated_since)
    check_moment("created_since", created_since)
    if updated_since is not None:
        rows = rows.filter(**{f"{updated_field}__gte": updated_since})
    if created_since is not None:
        rows = rows.filter(**{f"{created_field}__gte": created_since})
    return rows


def check_moment(name: str, moment: datetime | None) -> None:
    """Stored times are UTC: a moment at the edge of the calendar (0001-01-01T00:00+01:00) has no UTC
    equivalent, and is refused by name rather than failing in the database driver."""
    if moment is not None:
        try:
            moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise FieldError({name: [OUT_OF_RANGE]}) from None
