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
