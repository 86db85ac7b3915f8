"""CSV for people to open in a spreadsheet: one rule against formula injection, for every export.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and treats a
leading tab or carriage return the same way, so text from customers and staff (a name such as
``=HYPERLINK(…)`` or ``-2+3+cmd|' /C calc'!A0``) could run on the reader's machine. OWASP's rule
("CSV Injection", owasp.org/www-community/attacks/CSV_Injection): such a cell is written with a
leading ``'``, which the spreadsheet shows as text. Numbers stay numbers: an ``int``, ``Decimal``
or ``float`` is written as it is, and so is text that is nothing but a number (``-12.50``,
``+3``, ``-1,234``, ``-5%``), because a spreadsheet reads it as a number, never as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?%?")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """The value to write: text a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` that passes every cell, header included, through ``safe_cell``."""

    def __init__(self, out: _Writable) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: _Writable) -> SafeWriter:
    return SafeWriter(out)


# --- streamed exports: one path for every list (ADR 0031) ---------------------------------------

FORMATS = ("csv", "json")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
Batches = Iterable[Sequence[Sequence[Any]]]
"""Rows in batches (a batch is what one keyset query returned): a chunk of output each."""


class _Line:
    """A file that hands back what is written to it, so ``csv`` formats one chunk at a time."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str, /) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def csv_chunks(header: Sequence[str], batches: Batches) -> Iterator[str]:
    """The header line, then one chunk of CSV per batch, every cell through ``safe_cell``: the
    whole file is never in memory, however many rows."""
    line = _Line()
    out = writer(line)
    out.writerow(header)
    yield line.take()
    for batch in batches:
        out.writerows(batch)
        yield line.take()


def json_chunks(header: Sequence[str], batches: Batches) -> Iterator[str]:
    """A JSON array of objects keyed by ``header``, one chunk per batch. Dates and times are ISO
    8601, money and other numbers as they are; a spreadsheet never opens JSON, so no cell is
    changed."""
    keys = list(header)
    first = True
    yield "["
    for batch in batches:
        if not batch:
            continue
        body = ",\n".join(
            json.dumps(dict(zip(keys, row, strict=True)), default=_plain, ensure_ascii=False) for row in batch
        )
        yield ("\n" if first else ",\n") + body
        first = False
    yield "\n]\n"


def _plain(value: Any) -> Any:
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not exportable")


def chunks(fmt: str, header: Sequence[str], batches: Batches) -> Iterator[str]:
    return csv_chunks(header, batches) if fmt == "csv" else json_chunks(header, batches)


def streamed(fmt: str, header: Sequence[str], batches: Batches, *, filename: str) -> StreamingHttpResponse:
    """The export as a download, written while it is read (``StreamingHttpResponse``): no cache keeps
    it (it names people), and the browser saves it rather than showing it."""
    body = (chunk.encode() for chunk in chunks(fmt, header, batches))
    response = StreamingHttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A short list (a page's table) as a CSV download, every cell through ``safe_cell``; long lists
    use ``streamed``."""
    out = io.StringIO()
    csv_out = writer(out)
    csv_out.writerow(header)
    csv_out.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
