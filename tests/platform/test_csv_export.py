"""One rule against CSV formula injection, and every CSV export uses it."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from rapport.platform.csv_export import safe_cell, writer

SRC = Path(__file__).resolve().parents[2] / "src" / "rapport"


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example")',
        "+SUM(A1:A2)",
        "-2+3+cmd|' /C calc'!A0",  # starts with a digit after the minus: still a formula
        "-1+1",
        "@SUM(1)",
        "\t=1+1",
        "\r=1+1",
        "- a bullet point",
        "+44 20 7946 0000",
    ],
)
def test_text_a_spreadsheet_would_run_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-12.50", "-3", "+3", "-1,234.50", "-5%", "-.5", "-1e3", "0", "Alice", "a=b", ""])
def test_numbers_and_plain_text_are_written_as_they_are(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("number", [-5, Decimal("-12.50"), -0.25, 7, None])
def test_numbers_stay_numbers(number):
    assert safe_cell(number) is number


def test_the_writer_guards_every_cell_and_a_spreadsheet_reads_numbers_back():
    out = io.StringIO()

    writer(out).writerows([["=name", "count"], ["-2+3", -4], ["Bob", "-4.5"]])

    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'=name", "count"],
        ["'-2+3", "-4"],
        ["Bob", "-4.5"],
    ]


def test_every_csv_export_uses_the_one_guard():
    """No module but the guard writes CSV by itself (a second rule would drift from this one)."""
    writers = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if any(raw in path.read_text(encoding="utf-8") for raw in ("csv.writer(", "csv.DictWriter("))
        and path.name != "csv_export.py"
    ]
    assert writers == []


# --- streamed chunks (ADR 0031) ----------------------------------------------------------------------


def test_csv_chunks_write_the_header_then_a_chunk_a_batch():
    from rapport.platform.csv_export import csv_chunks

    chunks = list(csv_chunks(["Name", "Balance"], [[["=cmd", -12]], [["Bob", 3]]]))

    assert chunks == ["Name,Balance\r\n", "'=cmd,-12\r\n", "Bob,3\r\n"]


def test_json_chunks_join_into_one_array_of_objects():
    import json
    from datetime import UTC, datetime
    from decimal import Decimal

    from rapport.platform.csv_export import json_chunks

    moment = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    text = "".join(json_chunks(["name", "at", "paid"], [[["=x", moment, Decimal("1.50")]], [], [["Bob", None, 2]]]))

    assert json.loads(text) == [
        {"name": "=x", "at": "2026-03-02T10:00:00+00:00", "paid": "1.50"},
        {"name": "Bob", "at": None, "paid": 2},
    ]


def test_an_empty_list_is_an_empty_array():
    import json

    from rapport.platform.csv_export import json_chunks

    assert json.loads("".join(json_chunks(["a"], []))) == []


@pytest.mark.django_db
def test_a_keyset_walk_visits_every_row_once_in_order(now):
    from rapport.customers.models import Customer
    from rapport.platform.pagination import Keyset

    # names repeat, so the id breaks the ties between batches
    Customer.objects.bulk_create([Customer(name=f"Name {i % 3}", created_at=now, updated_at=now) for i in range(10)])
    keyset = Keyset((("name", str, False), ("id", int, False)))

    walked = [c.pk for batch in keyset.walk(Customer.objects.all(), batch=4) for c in batch]

    assert walked == list(Customer.objects.order_by("name", "id").values_list("pk", flat=True))
