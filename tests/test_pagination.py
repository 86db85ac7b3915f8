"""Keyset pagination: stable pages, opaque cursors, tampered cursors refused with a named field."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from rapport.cases.models import Case
from rapport.cases.selectors import SORTS
from rapport.platform.errors import FieldError
from rapport.platform.pagination import page_size


@pytest.fixture
def cases(customer, now):
    # Several cases share an updated_at so that the id tiebreak is exercised.
    rows = [
        Case(
            subject=f"Case {i}",
            channel="email",
            customer=customer,
            created_at=now,
            updated_at=now - timedelta(minutes=i // 3),
            priority=1 + i % 4,
        )
        for i in range(17)
    ]
    return Case.objects.bulk_create(rows)


@pytest.mark.parametrize("sort", list(SORTS))
def test_walking_every_page_visits_every_row_once_in_order(cases, sort):
    keyset = SORTS[sort]
    seen, cursor = [], None
    while True:
        page = keyset.paginate(Case.objects.all(), cursor=cursor, size=4)
        seen.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(cases)
    assert seen == list(Case.objects.order_by(*keyset.order_by))


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!!",
        base64.urlsafe_b64encode(b"[1]").decode(),
        base64.urlsafe_b64encode(b'["x", "y"]').decode(),
        base64.urlsafe_b64encode(b"{}").decode(),
        base64.urlsafe_b64encode(b'["2026-03-02T10:00:00", 5]').decode(),
    ],
)
def test_tampered_cursor_is_a_field_error(cases, cursor):
    with pytest.raises(FieldError) as error:
        SORTS["updated"].paginate(Case.objects.all(), cursor=cursor, size=4)
    assert "cursor" in error.value.errors


@pytest.mark.parametrize(("value", "expected"), [(None, 50), ("", 50), ("10", 10), (200, 200)])
def test_page_size(value, expected):
    assert page_size(value, default=50) == expected


@pytest.mark.parametrize("value", ["0", "201", "ten", -1])
def test_page_size_out_of_range(value):
    with pytest.raises(FieldError) as error:
        page_size(value, default=50)
    assert "limit" in error.value.errors
