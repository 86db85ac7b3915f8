"""Keeping the KPI tables exact: one ``CaseFact`` per case, and ``DailyRollup`` counts from them.

The dashboards read these tables instead of a million cases. They are derived data: rebuilding
from the cases gives the same rows whenever it runs (hourly for recent days, nightly for all,
and ``rapport feedback rollup``), so the figures are exact as of the last rebuild.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from rapport import extensions
from rapport.cases.models import Case, CaseEvent, Message, MessageKind
from rapport.customers.models import INTERNAL_KINDS
from rapport.domain.calendar import BusinessCalendar, business_time_between
from rapport.domain.case_rules import CaseType, Status
from rapport.feedback.clock import LONDON, CaseCalendars, day_start, local_day
from rapport.feedback.models import (
    CaseFact,
    CauseRollup,
    DailyRollup,
    ScoreRollup,
    SurveyAnswer,
    SurveyKind,
    TimingRollup,
)

CHUNK = 5000
BUCKET_S = 600  # ten minutes of business time: the width of a TimingRollup band
TIMINGS = (("response", "created_day", "response_s"), ("resolution", "resolved_day", "resolution_s"))
CASE_FIELDS = (
    "id",
    "created_at",
    "first_response_at",
    "resolved_at",
    "team_id",
    "owner_id",
    "channel",
    "type",
    "customer__kind",
)


def _chunks(ids: Iterator[int], size: int) -> Iterator[list[int]]:
    while chunk := list(islice(ids, size)):
        yield chunk


FACT_COLUMNS = (
    "root_cause_id",
    "case_id",
    "created_day",
    "resolved_day",
    "team_key",
    "owner_key",
    "channel",
    "case_type",
    "internal",
    "response_s",
    "resolution_s",
    "first_contact",
    "reopened",
)
ROLLUP_COLUMNS = (
    "day",
    "team_key",
    "channel",
    "case_type",
    "internal",
    "created",
    "resolved",
    "first_contact_resolved",
    "reopened",
)


def _insert(model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Plain multi-row inserts: the rollups are derived rows, and building a model instance per
    row would cost more than computing it (a million facts in a nightly rebuild)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[start : start + CHUNK])  # noqa: S608 - names from _meta


def _business_seconds(calendar: BusinessCalendar, start: datetime, end: datetime | None) -> int | None:
    if end is None:
        return None
    return max(business_time_between(calendar, start, end) // _SECOND, 0)


_SECOND = timedelta(seconds=1)


def _facts(
    rows: list[tuple[Any, ...]],
    inbound: dict[int, int],
    reopened: set[int],
    calendars: CaseCalendars,
    causes: Mapping[int, int | None],
) -> list[tuple[Any, ...]]:
    by_case = calendars.for_cases([row[0] for row in rows])
    day = connection.ops.adapt_datefield_value
    facts = []
    for pk, created, responded, resolved, team, owner, channel, case_type, kind in rows:
        calendar = by_case.get(pk, calendars.default)
        facts.append(
            (
                causes.get(pk),
                pk,
                day(local_day(created)),
                day(local_day(resolved)) if resolved else None,
                team or 0,
                owner or 0,
                channel,
                case_type,
                kind in INTERNAL_KINDS,
                _business_seconds(calendar, created, responded),
                _business_seconds(calendar, created, resolved),
                resolved is not None and inbound.get(pk, 0) <= 1 and pk not in reopened,
                pk in reopened,
            )
        )
    return facts


def facts_refresh(*, since: datetime | None = None) -> int:
    """Recompute the facts of every case changed since ``since`` (all cases when None)."""
    cases = Case.objects.order_by("id")
    if since is not None:
        cases = cases.filter(updated_at__gte=since)
    written = 0
    calendars = CaseCalendars()
    for chunk in _chunks(iter(cases.values_list("id", flat=True).iterator(chunk_size=CHUNK)), CHUNK):
        low, high = chunk[0], chunk[-1]
        rows = list(Case.objects.filter(id__in=chunk).order_by("id").values_list(*CASE_FIELDS))
        in_range = Q(case_id__gte=low, case_id__lte=high)
        inbound = dict(
            Message.objects.filter(in_range, kind=MessageKind.INBOUND)
            .values("case_id")
            .annotate(n=Count("id"))
            .values_list("case_id", "n")
            .order_by()
        )
        reopened = set(
            CaseEvent.objects.filter(
                in_range, kind="changed", field="status", before__in=[Status.RESOLVED, Status.CLOSED]
            ).values_list("case_id", flat=True)
        )
        causes = extensions.case_fact(extensions.ROOT_CAUSE, low, high)
        with transaction.atomic():
            CaseFact.objects.filter(case_id__in=chunk).delete()
            _insert(CaseFact, FACT_COLUMNS, _facts(rows, inbound, reopened, calendars, causes))
        written += len(rows)
    return written


def _key(row: dict) -> tuple:
    return (row["team_key"], row["channel"], row["case_type"], row["internal"])


def rollup_days(*, first: date | None = None) -> int:
    """Recount ``DailyRollup`` from the facts for every day from ``first`` (all days when None)."""
    dims = ("team_key", "channel", "case_type", "internal")
    counts: dict[tuple, Counter[str]] = {}
    created = CaseFact.objects.all()
    resolved = CaseFact.objects.filter(resolved_day__isnull=False)
    if first is not None:
        created = created.filter(created_day__gte=first)
        resolved = resolved.filter(resolved_day__gte=first)
    for row in created.values("created_day", *dims).annotate(n=Count("pk")).order_by():
        counts.setdefault((row["created_day"], *_key(row)), Counter())["created"] += row["n"]
    resolved_rows = resolved.values("resolved_day", *dims).annotate(
        n=Count("pk"),
        fcr=Count("pk", filter=Q(first_contact=True)),
        reopens=Count("pk", filter=Q(reopened=True)),
    )
    for row in resolved_rows.order_by():
        found = counts.setdefault((row["resolved_day"], *_key(row)), Counter())
        found["resolved"] += row["n"]
        found["first_contact_resolved"] += row["fcr"]
        found["reopened"] += row["reopens"]
    day = connection.ops.adapt_datefield_value
    rows = [
        (day(key[0]), *key[1:], m["created"], m["resolved"], m["first_contact_resolved"], m["reopened"])
        for key, m in counts.items()
    ]
    timings = _timing_rows(first)
    complaints = CaseFact.objects.filter(case_type=CaseType.COMPLAINT)
    if first is not None:
        complaints = complaints.filter(created_day__gte=first)
    causes = [
        (day(d), *rest)
        for d, *rest in complaints.values_list("created_day", "team_key", "channel", "internal", "root_cause_id")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    with transaction.atomic():
        stale = DailyRollup.objects.all() if first is None else DailyRollup.objects.filter(day__gte=first)
        stale.delete()
        _insert(DailyRollup, ROLLUP_COLUMNS, rows)
        (TimingRollup.objects.all() if first is None else TimingRollup.objects.filter(day__gte=first)).delete()
        _insert(TimingRollup, ("measure", "day", "bucket", "n"), timings)
        (CauseRollup.objects.all() if first is None else CauseRollup.objects.filter(day__gte=first)).delete()
        _insert(CauseRollup, ("day", "team_key", "channel", "internal", "root_cause_id", "n"), causes)
        scores_recount(first=first)
    return len(rows)


def _timing_rows(first: date | None) -> list[tuple[Any, ...]]:
    """Cases per day and ten-minute band of response and resolution time, counted from the facts."""
    day = connection.ops.adapt_datefield_value
    rows: list[tuple[Any, ...]] = []
    for measure, day_field, value_field in TIMINGS:
        facts = CaseFact.objects.filter(**{f"{value_field}__isnull": False, f"{day_field}__isnull": False})
        if first is not None:
            facts = facts.filter(**{f"{day_field}__gte": first})
        banded = (
            facts.annotate(band=F(value_field) / BUCKET_S)
            .values_list(day_field, "band")
            .annotate(n=Count("pk"))
            .order_by()
        )
        rows.extend((measure, day(d), band, n) for d, band, n in banded)
    return rows


def rollup_rebuild(*, now: datetime, days: int | None = None) -> int:
    """Refresh the facts of cases changed in the last ``days`` (all when None) and recount the days
    they touch. A case changed recently can have been created long ago, so the recount runs from
    the earliest day any refreshed fact names."""
    since = None if days is None else now - timedelta(days=days)
    facts_refresh(since=since)
    if since is None:
        return rollup_days()
    touched = Case.objects.filter(updated_at__gte=since).order_by("created_at").values_list("created_at", flat=True)
    earliest = touched.first()
    return rollup_days(first=local_day(earliest) if earliest else local_day(since))


SCORED = (SurveyKind.CSAT, SurveyKind.CES, SurveyKind.NPS)


def scores_recount(*, first: date | None = None) -> int:
    """Recount ``ScoreRollup`` from the answers for every office day from ``first`` (all when None)."""
    answers = SurveyAnswer.objects.filter(kind__in=SCORED, score__isnull=False)
    if first is not None:
        answers = answers.filter(answered_at__gte=day_start(first))
    day = connection.ops.adapt_datefield_value
    rows = [
        (day(d), kind, score, n)
        for d, kind, score, n in answers.annotate(day=TruncDate("answered_at", tzinfo=LONDON))
        .values_list("day", "kind", "score")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    with transaction.atomic():
        (ScoreRollup.objects.all() if first is None else ScoreRollup.objects.filter(day__gte=first)).delete()
        _insert(ScoreRollup, ("day", "kind", "score", "n"), rows)
    return len(rows)


def score_count_up(answer: SurveyAnswer) -> None:
    """Count one new answer into ``ScoreRollup`` (call inside the answer's transaction)."""
    if answer.kind not in SCORED or answer.score is None:
        return
    key = {"day": local_day(answer.answered_at), "kind": answer.kind, "score": answer.score}
    if ScoreRollup.objects.filter(**key).update(n=F("n") + 1):
        return
    try:
        with transaction.atomic():
            ScoreRollup.objects.create(**key, n=1)
    except IntegrityError:  # another answer created the row first
        ScoreRollup.objects.filter(**key).update(n=F("n") + 1)
