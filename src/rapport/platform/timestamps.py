"""Arithmetic on timestamps done in the database, the same on SQLite and PostgreSQL.

Django's own datetime arithmetic on SQLite (``F("created_at") - timedelta(days=7)``) calls a Python
function for every row; over the ~80,000 cases of a month at a million cases that is most of a
KPI's time. These write the SQL each database does natively.
"""

from __future__ import annotations

from typing import Any

from django.db.models import DateTimeField, F, FloatField, Func


class HoursBetween(Func):
    """Hours from the timestamp in field ``start`` to the one in field ``end`` (a float)."""

    output_field = FloatField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(start), F(end))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        (start, start_params), (end, end_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"((julianday({end}) - julianday({start})) * 24.0)", (*start_params, *end_params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        (start, start_params), (end, end_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)", (*start_params, *end_params)


class DaysBefore(Func):
    """The timestamp ``days`` whole days before ``expression``, exact to the microsecond.

    SQLite keeps a timestamp as text, ``YYYY-MM-DD HH:MM:SS[.ffffff]`` in UTC: moving it by whole
    days leaves the fraction of a second as it was, so the whole seconds are shifted by ``strftime``
    and the original fraction (from the 20th character) is put back. (Given the fraction, SQLite
    would round it to milliseconds: .999999 would become the next second.)"""

    output_field = DateTimeField()

    def __init__(self, expression: Any, days: int) -> None:
        super().__init__(expression)
        self.days = int(days)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        shifted = f"strftime('%%Y-%%m-%%d %%H:%%M:%%S', substr({sql}, 1, 19), '-{self.days} days')"
        return f"({shifted} || substr({sql}, 20))", (*params, *params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} - INTERVAL '{self.days} days')", params
