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
import re
from collections.abc import Iterable
from typing import Any, Protocol

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
