"""Dates and times as people read them, in one format everywhere (the ``when`` tag's absolute form).

Values may arrive as ``date``/``datetime`` objects or as the ISO strings kept in JSON payloads and
exports; either way a person sees "4 Dec 2026" or "4 Dec 2026, 14:30" in local time, never
``2026-12-04T14:30:00+00:00``.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _parsed(value: date | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
        except ValueError:
            return None
    return value


def shown_date(value: date | str | None) -> str:
    """``4 Dec 2026``; a moment is first put in local time, so late evening stays on its own day."""
    parsed = _parsed(value)
    if parsed is None:
        return "" if value is None else str(value)
    if isinstance(parsed, datetime):
        parsed = timezone.localtime(parsed).date() if timezone.is_aware(parsed) else parsed.date()
    return f"{parsed.day} {MONTHS[parsed.month - 1]} {parsed.year}"


def shown_datetime(value: datetime | str | None) -> str:
    """``4 Dec 2026, 14:30`` in local time; a bare date is shown as a date."""
    parsed = _parsed(value)
    if parsed is None:
        return "" if value is None else str(value)
    if not isinstance(parsed, datetime):
        return shown_date(parsed)
    local = timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
    return f"{shown_date(local.date())}, {local:%H:%M}"


def sentences(parts: list[str]) -> str:
    """Reasons as one run of sentences: each ends with its own full stop, none gains a second
    ("…C-000061. Open…", never "…C-000061.; Open…")."""
    cleaned = [part.strip() for part in parts if part and part.strip()]
    return " ".join(part if part[-1] in ".!?" else f"{part}." for part in cleaned)
