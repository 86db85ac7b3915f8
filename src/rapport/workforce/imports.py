"""Reading a rota from CSV: every row checked, every problem reported with its row number, and
nothing written unless the whole file is good (a half-imported rota is worse than none).

Columns (a header row first): ``email, date, start, end, activity`` — for example
``amira.khan@example.org, 2026-03-02, 08:00, 16:30, work``. ``activity`` is work, break, training
or leave (blank: work). Times are local (the organisation's time zone); ``end`` after ``start``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from rapport.accounts.models import STAFF_ROLES, User
from rapport.domain.shrinkage import Category
from rapport.workforce.models import Activity, Skill

COLUMNS = ("email", "date", "start", "end", "activity")
MAX_ROWS = 20_000
MISSING_COLUMNS = "The first row must name the columns: email, date, start, end, activity."
TOO_MANY_ROWS = f"A rota file may have at most {MAX_ROWS:,} rows."
NOT_STAFF = "no member of staff has the email {email!r}"
BAD_DATE = "the date {value!r} is not a date like 2026-03-02"
BAD_TIME = "the time {value!r} is not a time like 08:30"
END_FIRST = "the end ({end}) is not after the start ({start})"
BAD_ACTIVITY = "the activity {value!r} is not one of work, break, training, leave"
NOT_TEXT = "The file is not text (save it as CSV, UTF-8)."


@dataclass(frozen=True)
class ShiftRow:
    agent_id: int
    starts_at: datetime
    ends_at: datetime
    activity: str


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    message: str


def parse_shifts(data: bytes, *, tz: ZoneInfo) -> tuple[list[ShiftRow], list[RowError]]:
    """The rota's rows, or the problems found (row numbers as a spreadsheet shows them)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(0, NOT_TEXT)]
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if not set(COLUMNS[:4]) <= set(header):
        return [], [RowError(1, MISSING_COLUMNS)]
    reader.fieldnames = header
    raw = list(reader)
    if len(raw) > MAX_ROWS:
        return [], [RowError(0, TOO_MANY_ROWS)]
    emails = {(r.get("email") or "").strip().lower() for r in raw}
    staff = {
        email.lower(): pk
        for pk, email in User.objects.filter(email__in=emails, role__in=STAFF_ROLES, is_active=True).values_list(
            "pk", "email"
        )
    }
    rows, errors = [], []
    for number, record in enumerate(raw, start=2):
        problems = []
        email = (record.get("email") or "").strip().lower()
        agent_id = staff.get(email)
        if agent_id is None:
            problems.append(NOT_STAFF.format(email=email))
        day = _date(record.get("date"), problems)
        start, end = _time(record.get("start"), problems), _time(record.get("end"), problems)
        activity = (record.get("activity") or "").strip().lower() or Activity.WORK
        if activity not in set(Activity):
            problems.append(BAD_ACTIVITY.format(value=activity))
        if start and end and end <= start:
            problems.append(END_FIRST.format(start=f"{start:%H:%M}", end=f"{end:%H:%M}"))
        if problems or agent_id is None or day is None or start is None or end is None:
            errors += [RowError(number, p) for p in problems]
            continue
        rows.append(
            ShiftRow(agent_id, datetime.combine(day, start, tzinfo=tz), datetime.combine(day, end, tzinfo=tz), activity)
        )
    return rows, errors


def _date(value: str | None, problems: list[str]) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        problems.append(BAD_DATE.format(value=value or ""))
        return None


def _time(value: str | None, problems: list[str]) -> time | None:
    try:
        return time.fromisoformat((value or "").strip())
    except ValueError:
        problems.append(BAD_TIME.format(value=value or ""))
        return None


# --- shrinkage and skills -------------------------------------------------------------------------

SHRINKAGE_COLUMNS = ("category", "percent")
MISSING_SHRINKAGE_COLUMNS = "The first row must name the columns: category, percent."
BAD_CATEGORY = "the category {value!r} is not one of leave, sickness, training, coaching, meetings"
BAD_PERCENT = "the percent {value!r} is not a number from 0 to 90"
TWICE = "the category {value!r} is given twice"

SKILL_COLUMNS = ("email", "skills", "products")
MISSING_SKILL_COLUMNS = "The first row must name the columns: email, skills, products."
BAD_SKILL = "the skill {value!r} is not one of welsh, bsl_relay, complaints, data_protection"
AGENT_TWICE = "the agent {email!r} is on more than one row"


@dataclass(frozen=True)
class SkillRow:
    agent_id: int
    skills: tuple[str, ...]
    products: tuple[str, ...]


def _rows(data: bytes, needed: tuple[str, ...], missing: str) -> tuple[list[dict[str, str]], list[RowError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(0, NOT_TEXT)]
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if not set(needed) <= set(header):
        return [], [RowError(1, missing)]
    reader.fieldnames = header
    raw = list(reader)
    if len(raw) > MAX_ROWS:
        return [], [RowError(0, TOO_MANY_ROWS)]
    return raw, []


def parse_shrinkage(data: bytes) -> tuple[dict[str, Decimal], list[RowError]]:
    """Shares by category from ``category, percent`` rows (``sickness, 4.5``), or the problems."""
    raw, errors = _rows(data, SHRINKAGE_COLUMNS, MISSING_SHRINKAGE_COLUMNS)
    shares: dict[str, Decimal] = {}
    for number, record in enumerate(raw, start=2):
        category = (record.get("category") or "").strip().lower()
        value = (record.get("percent") or "").strip().rstrip("%")
        if category not in set(Category):
            errors.append(RowError(number, BAD_CATEGORY.format(value=category)))
        elif category in shares:
            errors.append(RowError(number, TWICE.format(value=category)))
        try:
            percent = Decimal(value)
            if not percent.is_finite() or not 0 <= percent <= 90:
                raise InvalidOperation
        except InvalidOperation:
            errors.append(RowError(number, BAD_PERCENT.format(value=value)))
            continue
        if category in set(Category):
            shares[category] = (percent / 100).quantize(Decimal("0.001"))
    return ({} if errors else shares), errors


def parse_skills(data: bytes) -> tuple[list[SkillRow], list[RowError]]:
    """Agents' skills from ``email, skills, products`` rows, ``;`` between items:
    ``amira.khan@example.org, welsh; complaints, Broadband; Mobile``."""
    raw, errors = _rows(data, SKILL_COLUMNS[:2], MISSING_SKILL_COLUMNS)
    emails = {(r.get("email") or "").strip().lower() for r in raw}
    staff = {
        email.lower(): pk
        for pk, email in User.objects.filter(email__in=emails, role__in=STAFF_ROLES, is_active=True).values_list(
            "pk", "email"
        )
    }
    rows: list[SkillRow] = []
    seen: set[int] = set()
    known = {s.value for s in Skill} - {Skill.PRODUCT.value}
    for number, record in enumerate(raw, start=2):
        email = (record.get("email") or "").strip().lower()
        agent_id = staff.get(email)
        problems = []
        if agent_id is None:
            problems.append(NOT_STAFF.format(email=email))
        elif agent_id in seen:
            problems.append(AGENT_TWICE.format(email=email))
        skills = tuple(s.strip().lower() for s in (record.get("skills") or "").split(";") if s.strip())
        problems += [BAD_SKILL.format(value=s) for s in skills if s not in known]
        products = tuple(" ".join(p.split()) for p in (record.get("products") or "").split(";") if p.strip())
        if problems or agent_id is None:
            errors += [RowError(number, p) for p in problems]
            continue
        seen.add(agent_id)
        rows.append(SkillRow(agent_id, skills, products))
    return ([] if errors else rows), errors
