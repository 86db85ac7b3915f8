"""Reads for service planning: the arrivals history (one grouped query), the forecast with its
backtest, handling times, and the staffing the forecast needs.

The history of a million cases is read as one ``GROUP BY channel, interval`` query over whole
UTC intervals (seconds since the epoch ÷ the interval, computed by the database), so Python sees
at most days x intervals x channels rows, never the cases. UK offsets are whole hours, so every
UTC interval falls inside one local interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Func, IntegerField, Q
from django.db.models.expressions import Expression

from rapport import extensions
from rapport.accounts.models import STAFF_ROLES, User
from rapport.cases.models import Case, Message, MessageKind
from rapport.domain import forecasting, handling, staffing
from rapport.domain import shrinkage as shrinkage_rules
from rapport.domain.case_rules import CaseType, Channel
from rapport.domain.forecasting import Backtest, Series, Uplift
from rapport.domain.shrinkage import Category
from rapport.platform.errors import FieldError
from rapport.workforce.models import (
    Activity,
    AgentSkill,
    Availability,
    HandlingTime,
    KnownEvent,
    Shift,
    ShrinkageChange,
    ShrinkageShare,
    Skill,
    StatusChange,
)
from rapport.workforce.services import STATUS_CACHE, rota_status

HISTORY_DAYS = 364  # a year of whole weeks
DEFAULT_WEEKS = 2
MAX_WEEKS = 8

# Channels where customers wait live are staffed by Erlang C for a service level (domain.md §10);
# the others are worked from a queue, their day's work spread over the working day.
LIVE = {Channel.PHONE: 20, Channel.CHAT: 60, Channel.FACE_TO_FACE: 300}  # answer within, seconds
SL_TARGET = 0.8
MAX_OCCUPANCY = 0.85
SHRINKAGE = 0.3  # leave, sickness, training, coaching and meetings, until entered per category
# The usual split of a UK contact centre's 30% (shown as "default" until a team leader enters theirs).
DEFAULT_SHRINKAGE = {
    Category.LEAVE: Decimal("0.120"),
    Category.SICKNESS: Decimal("0.050"),
    Category.TRAINING: Decimal("0.050"),
    Category.COACHING: Decimal("0.030"),
    Category.MEETINGS: Decimal("0.050"),
}
WORKING_HOURS = (8, 18)  # when queued work is done, local time

# Handling times used when neither a planner's figure nor time tracking is there (industry norms
# for a UK contact centre, in seconds), shown with their source so nobody mistakes them for data.
DEFAULT_AHT = {
    Channel.PHONE: 360,
    Channel.CHAT: 480,
    Channel.FACE_TO_FACE: 600,
    Channel.EMAIL: 540,
    Channel.PORTAL: 480,
    Channel.LETTER: 900,
}
EDITED, TRACKED, DEFAULT = "edited by a planner", "time tracking", "default (no data yet)"
TIMESTAMPS = "message timestamps"
ENTERED = "entered by a team leader"
AHT_WEEKS = 8

BAD_INTERVAL = "Choose intervals of 15, 30 or 60 minutes."
BAD_WEEKS = f"Choose from 1 to {MAX_WEEKS} weeks."
BAD_CHANNEL = "Choose one of the channels."
BAD_TYPE = "Choose one of the case types."


def organisation_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def organisation_nation() -> str:
    return str(settings.RAPPORT_NATION)


class EpochInterval(Func):
    """Whole intervals of ``seconds`` since the epoch (UTC) of a timestamp, in the database."""

    output_field = IntegerField()

    def __init__(self, expression: Any, *, seconds: int) -> None:
        super().__init__(expression)
        self.seconds = int(seconds)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(CAST(strftime('%%s', {sql}) AS INTEGER) / {self.seconds})", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(FLOOR(EXTRACT(EPOCH FROM {sql}) / {self.seconds}) AS BIGINT)", params


@dataclass(frozen=True)
class Scope:
    """Which contacts are forecast: every one, or one team's, or one case type's."""

    team_id: int | None = None
    case_type: str = ""

    def filter(self) -> Q:
        q = Q()
        if self.team_id is not None:
            q &= Q(team_id=self.team_id)
        if self.case_type:
            q &= Q(type=self.case_type)
        return q


def arrivals_history(
    *, interval: int, first_day: date, last_day: date, scope: Scope = Scope(), tz: ZoneInfo | None = None
) -> dict[str, Series]:
    """Contacts per channel per local interval from ``first_day`` to ``last_day`` inclusive: one
    grouped query. Each channel's series starts on its first day with a contact."""
    tz = tz or organisation_tz()
    slots = forecasting.slots_per_day(interval)
    start = datetime.combine(first_day, time(), tzinfo=tz)
    end = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=tz)
    bucket: Expression = EpochInterval("created_at", seconds=interval * 60)
    rows = (
        Case.objects.filter(scope.filter(), created_at__gte=start, created_at__lt=end)
        .annotate(bucket=bucket)
        .values_list("channel", "bucket")
        .annotate(n=Count("id"))
        .order_by()
    )
    days = (last_day - first_day).days + 1
    grids: dict[str, list[list[float]]] = {}
    for channel, number, count in rows:
        local = datetime.fromtimestamp(number * interval * 60, tz=UTC).astimezone(tz)
        index = (local.date() - first_day).days
        if not 0 <= index < days:
            continue
        grid = grids.get(channel)
        if grid is None:
            grid = grids[channel] = [[0.0] * slots for _ in range(days)]
        grid[index][(local.hour * 60 + local.minute) // interval] += count
    series = {}
    for channel, grid in grids.items():
        begin = next(i for i, row in enumerate(grid) if any(row))
        series[channel] = Series(first_day + timedelta(days=begin), tuple(tuple(row) for row in grid[begin:]))
    return series


@dataclass(frozen=True)
class ChannelForecast:
    channel: str
    rows: list[list[float]]  # per day, per interval; empty when the history is too short
    backtest: Backtest | None
    problem: str = ""

    @property
    def total(self) -> float:
        return sum(map(sum, self.rows))


@dataclass(frozen=True)
class ForecastView:
    interval: int
    start: date
    days: int
    nation: str
    scope: Scope
    channels: list[ChannelForecast]
    events: list[KnownEvent] = field(default_factory=list)

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    def slot_label(self, slot: int) -> str:
        minutes = slot * self.interval
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    def daily(self) -> list[tuple[date, dict[str, float], float]]:
        """Each day's expected contacts per channel, and in all."""
        out = []
        for index in range(self.days):
            per = {c.channel: sum(c.rows[index]) for c in self.channels if c.rows}
            out.append((self.day(index), per, sum(per.values())))
        return out


def parse_scope(
    *, interval: int, weeks: int, channel: str = "", case_type: str = "", team_id: int | None = None
) -> Scope:
    """Check what a caller asked for; FieldError names the field."""
    if interval not in forecasting.INTERVALS:
        raise FieldError(interval=BAD_INTERVAL)
    if not 1 <= weeks <= MAX_WEEKS:
        raise FieldError(weeks=BAD_WEEKS)
    if channel and channel not in set(Channel):
        raise FieldError(channel=BAD_CHANNEL)
    if case_type and case_type not in set(CaseType):
        raise FieldError(type=BAD_TYPE)
    return Scope(team_id=team_id, case_type=case_type)


def forecast_view(
    *, today: date, interval: int = 60, weeks: int = DEFAULT_WEEKS, scope: Scope = Scope(), channels: Sequence[str] = ()
) -> ForecastView:
    """The forecast from ``today`` for ``weeks`` weeks per channel, with each channel's backtest.

    History is the year up to yesterday: today's contacts are still arriving."""
    nation = organisation_nation()
    history = arrivals_history(
        interval=interval,
        first_day=today - timedelta(days=HISTORY_DAYS),
        last_day=today - timedelta(days=1),
        scope=scope,
    )
    events = list(KnownEvent.objects.filter(last_day__gte=today, first_day__lt=today + timedelta(weeks=weeks)))
    uplifts = [Uplift(e.first_day, e.last_day, e.factor, e.channel) for e in events]
    out = []
    for channel in channels or [str(c) for c in Channel]:
        series = history.get(channel)
        if series is None or series.days < forecasting.MIN_HISTORY_DAYS:
            out.append(ChannelForecast(channel, [], None, "Not enough history yet: two weeks are needed."))
            continue
        # The series may end before yesterday (a quiet channel): pad it with the empty days.
        missing = (today - series.day(series.days)).days
        if missing > 0:
            empty = tuple(0.0 for _ in range(series.slots))
            series = Series(series.first_day, series.counts + (empty,) * missing)
        rows = forecasting.forecast(
            series, start=today, days=weeks * 7, nation=nation, uplifts=uplifts, channel=channel
        )
        out.append(ChannelForecast(channel, rows, forecasting.backtest(series, nation=nation)))
    return ForecastView(interval, today, weeks * 7, nation, scope, out, events)


# --- handling times --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandlingTimeRow:
    channel: str
    case_type: str  # blank: every type
    seconds: int  # the figure used
    source: str  # EDITED | TRACKED | TIMESTAMPS | DEFAULT
    cases: int = 0  # cases measured by time tracking
    tracked: int | None = None  # seconds measured by time tracking
    from_messages: int | None = None  # seconds measured from message timestamps
    replies: int = 0  # replies measured from message timestamps


def handling_times(*, today: date) -> list[HandlingTimeRow]:
    """Average handling time per channel and case type, with both measures beside the one used: a
    planner's figure when set, else what time tracking measured over the last eight weeks (through
    the ``handling_time`` case fact, when an app provides it), else what message timestamps show
    (``rapport.domain.handling``), else the default."""
    edited = {(h.channel, h.case_type): h.seconds for h in HandlingTime.objects.all()}
    measured = _tracked(today=today)
    stamped = _from_messages(today=today)
    rows = []
    for channel in Channel:
        for case_type in ["", *CaseType]:
            key = (str(channel), str(case_type))
            tracked, cases = measured.get(key, (None, 0))
            from_messages, replies = stamped.get(key, (None, 0))
            if key in edited:
                used: tuple[int, str] | None = (edited[key], EDITED)
            elif tracked is not None:
                used = (tracked, TRACKED)
            elif from_messages is not None:
                used = (from_messages, TIMESTAMPS)
            else:
                used = None if case_type else (DEFAULT_AHT[channel], DEFAULT)
            if used is not None:
                rows.append(HandlingTimeRow(*key, *used, cases, tracked, from_messages, replies))
    return rows


def _tracked(*, today: date) -> dict[tuple[str, str], tuple[int, int]]:
    hook = extensions.case_facts.get("handling_time")
    if hook is None:
        return {}
    since = datetime.combine(today - timedelta(weeks=AHT_WEEKS), time(), tzinfo=organisation_tz())
    ids = Case.objects.filter(created_at__gte=since).order_by("id").values_list("id", flat=True)
    first, last = ids.first(), ids.last()
    if first is None or last is None:
        return {}
    minutes = hook(first, last)
    if not minutes:
        return {}
    sums: dict[tuple[str, str], list[float]] = {}
    for case_id, channel, case_type in Case.objects.filter(id__in=list(minutes)).values_list("id", "channel", "type"):
        for key in ((channel, case_type), (channel, "")):
            total = sums.setdefault(key, [0.0, 0])
            total[0] += float(minutes[case_id]) * 60
            total[1] += 1
    return {key: (round(total / count), int(count)) for key, (total, count) in sums.items()}


def _from_messages(*, today: date) -> dict[tuple[str, str], tuple[int, int]]:
    """(mean seconds, replies) per (channel, type) and (channel, "") from the timestamps of the
    last eight weeks' customer messages and agent replies: one query, read in order."""
    since = datetime.combine(today - timedelta(weeks=AHT_WEEKS), time(), tzinfo=organisation_tz())
    rows = (
        Message.objects.filter(case__created_at__gte=since, kind__in=[MessageKind.INBOUND, MessageKind.OUTBOUND])
        .order_by("case_id", "created_at", "id")
        .values_list("case_id", "case__channel", "case__type", "created_at", "kind")
    )
    work: dict[tuple[str, str], list[timedelta]] = {}

    def flush(channel: str, case_type: str, messages: list[tuple[datetime, bool]]) -> None:
        found = handling.reply_work(messages)
        for key in ((channel, case_type), (channel, "")):
            work.setdefault(key, []).extend(found)

    current: int | None = None
    channel = case_type = ""
    messages: list[tuple[datetime, bool]] = []
    for case_id, case_channel, type_, at, kind in rows.iterator(chunk_size=5000):
        if case_id != current:
            if current is not None:
                flush(channel, case_type, messages)
            current, channel, case_type, messages = case_id, case_channel, type_, []
        messages.append((at, kind == MessageKind.OUTBOUND))
    if current is not None:
        flush(channel, case_type, messages)
    return {key: found for key, durations in work.items() if (found := handling.average_seconds(durations))}


def aht_for(rows: Sequence[HandlingTimeRow], channel: str) -> int:
    for row in rows:
        if row.channel == channel and not row.case_type:
            return row.seconds
    return DEFAULT_AHT[Channel(channel)]


# --- staffing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingCell:
    contacts: float
    required: int  # on the rota (after shrinkage)
    service_level: float | None  # forecast for the required staff; None for queued work


@dataclass(frozen=True)
class ShrinkagePart:
    category: str
    label: str
    share: Decimal
    source: str  # ENTERED | DEFAULT


@dataclass(frozen=True)
class ShrinkageView:
    """Shrinkage broken down by category; ``total`` is their sum (``rapport.domain.shrinkage``)."""

    parts: tuple[ShrinkagePart, ...]

    @property
    def total(self) -> float:
        return float(shrinkage_rules.total({p.category: p.share for p in self.parts}))


def shrinkage_view() -> ShrinkageView:
    """Each category's share as a team leader entered it, else the default split: one query."""
    entered = dict(ShrinkageShare.objects.values_list("category", "share"))
    return ShrinkageView(
        tuple(
            ShrinkagePart(
                c.value,
                shrinkage_rules.LABELS[c],
                entered.get(c.value, DEFAULT_SHRINKAGE[c]),
                ENTERED if c.value in entered else DEFAULT,
            )
            for c in Category
        )
    )


def shrinkage_history(*, limit: int = 50) -> list[ShrinkageChange]:
    return list(ShrinkageChange.objects.select_related("changed_by").order_by("-at", "-id")[:limit])


@dataclass(frozen=True)
class StaffingView:
    forecast: ForecastView
    aht: dict[str, int]
    cells: dict[str, list[list[StaffingCell]]]  # channel → day → interval
    shrinkage: float = SHRINKAGE
    shrinkage_parts: tuple[ShrinkagePart, ...] = ()

    def required_total(self, day: int, slot: int) -> int:
        return sum(rows[day][slot].required for rows in self.cells.values())


def staffing_view(
    *, today: date, interval: int = 60, weeks: int = 1, scope: Scope = Scope(), demand_factor: float = 1.0
) -> StaffingView:
    """Required staff per channel and interval for the forecast: Erlang C for live channels (80% of
    contacts answered within the channel's target time, occupancy at most 85%), workload spread over
    the working day for queued channels; both with shrinkage allowed for."""
    view = forecast_view(today=today, interval=interval, weeks=weeks, scope=scope)
    measured = handling_times(today=today)
    ahts = {str(c): aht_for(measured, str(c)) for c in Channel}
    lost = shrinkage_view()
    shrink = lost.total
    cells: dict[str, list[list[StaffingCell]]] = {}
    for channel_forecast in view.channels:
        if not channel_forecast.rows:
            continue
        channel, aht = channel_forecast.channel, ahts[channel_forecast.channel]
        days = []
        for index, row in enumerate(channel_forecast.rows):
            if channel in LIVE:
                days.append([_live(c * demand_factor, interval, aht, LIVE[Channel(channel)], shrink) for c in row])
            else:
                days.append(_queued([c * demand_factor for c in row], interval, aht, view.day(index), shrink))
        cells[channel] = days
    return StaffingView(view, ahts, cells, shrink, lost.parts)


def _live(contacts: float, interval: int, aht: int, answer_within: int, shrink: float = SHRINKAGE) -> StaffingCell:
    if contacts <= 0:
        return StaffingCell(0.0, 0, None)
    figures = staffing.required_staff(
        calls=contacts,
        interval_minutes=interval,
        aht_seconds=aht,
        target_answer_seconds=answer_within,
        sl_target=SL_TARGET,
        max_occupancy=MAX_OCCUPANCY,
        shrinkage=shrink,
    )
    return StaffingCell(contacts, figures.scheduled, figures.service_level)


def _queued(row: Sequence[float], interval: int, aht: int, day: date, shrink: float = SHRINKAGE) -> list[StaffingCell]:
    """The day's queued work (contacts x AHT) spread evenly over the working hours of a weekday."""
    opens, closes = WORKING_HOURS
    open_slots = [s for s in range(len(row)) if opens * 60 <= s * interval < closes * 60] if day.weekday() < 5 else []
    workload = sum(row) * aht  # seconds
    agents = workload / (len(open_slots) * interval * 60) if open_slots else 0.0
    need = staffing.scheduled_for(math.ceil(agents), shrink) if agents else 0
    return [StaffingCell(contacts, need if slot in open_slots else 0, None) for slot, contacts in enumerate(row)]


def known_events(*, limit: int = 200) -> list[KnownEvent]:
    return list(KnownEvent.objects.order_by("-first_day", "-id")[:limit])


# --- agent status and rotas -----------------------------------------------------------------------


def status_now(agent_id: int) -> str:
    """The agent's status now, from the record (routing and adherence need the truth): their
    latest change, else off shift."""
    latest = StatusChange.objects.filter(agent_id=agent_id).order_by("-at", "-id").values_list("status", flat=True)
    return str(latest.first() or Availability.OFF_SHIFT)


def status_shown(agent_id: int) -> str | None:
    """The short-lived copy only, for the header on every page (no query): None when there is none,
    and the header then offers the choice without claiming a current status."""
    found = cache.get(STATUS_CACHE.format(agent_id=agent_id))
    return None if found is None else str(found)


def status_history(*, agent_id: int | None = None, limit: int = 100) -> list[StatusChange]:
    changes = StatusChange.objects.select_related("agent", "set_by").order_by("-at", "-id")
    if agent_id is not None:
        changes = changes.filter(agent_id=agent_id)
    return list(changes[:limit])


def shifts_between(*, start: datetime, end: datetime, limit: int = 2000) -> list[Shift]:
    return list(
        Shift.objects.filter(starts_at__lt=end, ends_at__gt=start)
        .select_related("agent")
        .order_by("starts_at", "id")[:limit]
    )


def scheduled(*, first_day: date, days: int, interval: int, tz: ZoneInfo | None = None) -> list[list[int]]:
    """Agents rostered to answer per day and interval: a work stretch covering the whole interval,
    less anyone on a break, in training or on leave during any of it. One query."""
    tz = tz or organisation_tz()
    slots = forecasting.slots_per_day(interval)
    start = datetime.combine(first_day, time(), tzinfo=tz)
    end = datetime.combine(first_day + timedelta(days=days), time(), tzinfo=tz)
    working: list[list[set[int]]] = [[set() for _ in range(slots)] for _ in range(days)]
    away: list[list[set[int]]] = [[set() for _ in range(slots)] for _ in range(days)]
    step = timedelta(minutes=interval)
    for shift in Shift.objects.filter(starts_at__lt=end, ends_at__gt=start).only(
        "agent_id", "starts_at", "ends_at", "activity"
    ):
        # Only the intervals the stretch touches: whole ones for work, any part for the rest.
        first = math.floor((max(shift.starts_at, start) - start) / step)
        last = math.ceil((min(shift.ends_at, end) - start) / step)
        for index in range(first, last):
            begins = start + index * step
            local = begins.astimezone(tz)
            day, slot = (local.date() - first_day).days, (local.hour * 60 + local.minute) // interval
            if not 0 <= day < days:
                continue
            if shift.activity != Activity.WORK:
                away[day][slot].add(shift.agent_id)
            elif shift.starts_at <= begins and begins + step <= shift.ends_at:
                working[day][slot].add(shift.agent_id)
    return [[len(working[d][s] - away[d][s]) for s in range(slots)] for d in range(days)]


# --- the rota against the need --------------------------------------------------------------------

OVER_SHARE = 1.25  # more than a quarter over what is needed (and at least one person) is overstaffed


@dataclass(frozen=True)
class RotaCell:
    required: int
    scheduled: int
    service_level: float | None  # live contacts answered in time with this rota; None without any

    @property
    def gap(self) -> int:
        return self.scheduled - self.required

    @property
    def state(self) -> str:
        if self.scheduled < self.required:
            return "under"
        if self.scheduled > max(self.required * OVER_SHARE, self.required + 1):
            return "over"
        return "met"


@dataclass(frozen=True)
class RotaView:
    staffing: StaffingView
    cells: list[list[RotaCell]]  # day → interval
    service_level: float | None  # over the week, weighted by live contacts
    demand_percent: int
    extra: tuple[int, int, int, int]  # weekday, from hour, to hour, agents (0: none)

    def day(self, index: int) -> date:
        return self.staffing.forecast.day(index)


def rota_view(
    *,
    today: date,
    interval: int = 60,
    demand_percent: int = 0,
    extra: tuple[int, int, int, int] = (0, 0, 0, 0),
) -> RotaView:
    """Required against scheduled per interval for the coming week, with the service level the rota
    is forecast to deliver to live channels; what-if: demand changed by ``demand_percent`` and
    ``extra`` = (weekday, from hour, to hour, agents) more people on the rota."""
    view = staffing_view(today=today, interval=interval, weeks=1, demand_factor=1 + demand_percent / 100)
    rostered = scheduled(first_day=today, days=view.forecast.days, interval=interval)
    weekday, from_hour, to_hour, more = extra
    cells: list[list[RotaCell]] = []
    answered_in_time = live_total = 0.0
    for day in range(view.forecast.days):
        row = []
        for slot in range(24 * 60 // interval):
            on_rota = rostered[day][slot]
            if (
                more
                and view.forecast.day(day).weekday() == weekday
                and from_hour * 60 <= slot * interval < to_hour * 60
            ):
                on_rota += more
            level, live = _rota_service_level(view, day, slot, on_rota)
            if level is not None:
                answered_in_time += level * live
                live_total += live
            row.append(RotaCell(view.required_total(day, slot), on_rota, level))
        cells.append(row)
    week = answered_in_time / live_total if live_total else None
    return RotaView(view, cells, week, demand_percent, extra)


def _rota_service_level(view: StaffingView, day: int, slot: int, on_rota: int) -> tuple[float | None, float]:
    """Live contacts answered within 20 seconds by those rostered, once queued work has taken its
    share (before shrinkage) and shrinkage is allowed for: Erlang C over the live channels' pooled
    traffic at their contact-weighted handling time."""
    live = {c: view.cells[c][day][slot].contacts for c in LIVE if c in view.cells}
    contacts = sum(live.values())
    if contacts <= 0:
        return None, 0.0
    queued = sum(
        math.ceil(rows[day][slot].required * (1 - view.shrinkage)) for c, rows in view.cells.items() if c not in LIVE
    )
    answering = math.floor(max(on_rota - queued, 0) * (1 - view.shrinkage))
    aht = sum(view.aht[c] * n for c, n in live.items()) / contacts
    figures = staffing.staffing(
        calls=contacts,
        interval_minutes=view.forecast.interval,
        aht_seconds=aht,
        agents=answering,
        target_answer_seconds=LIVE[Channel.PHONE],
    )
    return figures.service_level, contacts


# --- actuals after the day ------------------------------------------------------------------------

ON_DUTY = frozenset({Availability.AVAILABLE, Availability.BUSY})
# What counts as keeping to the rota, by the status the rota gives.
KEEPS_TO = {
    Availability.AVAILABLE: ON_DUTY,
    Availability.ON_BREAK: frozenset({Availability.ON_BREAK}),
    Availability.TRAINING: frozenset({Availability.TRAINING}),
    Availability.OFF_SHIFT: frozenset({Availability.OFF_SHIFT, Availability.AWAY}),
}


@dataclass(frozen=True)
class ActualCell:
    label: str
    forecast: float
    actual: float
    required: int
    staffed: int  # agents available or busy at the interval's midpoint (status history)
    adherence: float | None  # share of rostered agents doing what the rota said, at the midpoint


@dataclass(frozen=True)
class ActualsView:
    day: date
    interval: int
    cells: list[ActualCell]

    @property
    def forecast_total(self) -> float:
        return sum(c.forecast for c in self.cells)

    @property
    def actual_total(self) -> float:
        return sum(c.actual for c in self.cells)

    @property
    def adherence(self) -> float | None:
        found = [c.adherence for c in self.cells if c.adherence is not None]
        return sum(found) / len(found) if found else None


def actuals_view(*, day: date, interval: int = 60) -> ActualsView:
    """Once ``day`` is over: the forecast made from the history before it against the contacts that
    came, staff required by that forecast against staff on duty (status history), and adherence to
    the rota, per interval. Three queries whatever the size of the desk."""
    nation, tz = organisation_nation(), organisation_tz()
    slots = forecasting.slots_per_day(interval)
    history = arrivals_history(interval=interval, first_day=day - timedelta(days=HISTORY_DAYS), last_day=day)
    ahts = {str(c): DEFAULT_AHT[c] for c in Channel}
    ahts.update({row.channel: row.seconds for row in handling_times(today=day) if not row.case_type})
    forecast_rows: dict[str, list[float]] = {}
    actual = [0.0] * slots
    for channel, series in history.items():
        actual_row = series.counts[-1] if series.day(series.days - 1) == day else (0.0,) * slots
        actual = [a + b for a, b in zip(actual, actual_row, strict=True)]
        past = series.before(day)
        if past.days >= forecasting.MIN_HISTORY_DAYS:
            forecast_rows[channel] = forecasting.forecast(past, start=day, days=1, nation=nation, channel=channel)[0]
    required = [0] * slots
    shrink = shrinkage_view().total
    for channel, row in forecast_rows.items():
        cells = (
            [_live(c, interval, ahts[channel], LIVE[Channel(channel)], shrink) for c in row]
            if channel in LIVE
            else _queued(row, interval, ahts[channel], day, shrink)
        )
        required = [r + cell.required for r, cell in zip(required, cells, strict=True)]
    start = datetime.combine(day, time(), tzinfo=tz)
    staffed, adherence = _on_duty(start, interval, slots)
    forecast_total = [sum(row[s] for row in forecast_rows.values()) for s in range(slots)]
    labels = [f"{s * interval // 60:02d}:{s * interval % 60:02d}" for s in range(slots)]
    return ActualsView(
        day,
        interval,
        [
            ActualCell(labels[s], forecast_total[s], actual[s], required[s], staffed[s], adherence[s])
            for s in range(slots)
        ],
    )


def _on_duty(start: datetime, interval: int, slots: int) -> tuple[list[int], list[float | None]]:
    """Per interval, at its midpoint: agents on duty by their status, and the share of rostered
    agents whose status matched the rota. The status at a moment is the latest change before it."""
    end = start + timedelta(days=1)
    changes: dict[int, list[tuple[datetime, str]]] = {}
    lookback = StatusChange.objects.filter(at__lt=end, at__gte=start - timedelta(days=7)).order_by(
        "agent_id", "at", "id"
    )
    for agent_id, at, status in lookback.values_list("agent_id", "at", "status"):
        changes.setdefault(agent_id, []).append((at, status))
    shifts = list(
        Shift.objects.filter(starts_at__lt=end, ends_at__gt=start).only("agent_id", "starts_at", "ends_at", "activity")
    )
    staffed: list[int] = []
    adherence: list[float | None] = []
    for slot in range(slots):
        middle = start + timedelta(minutes=interval * slot + interval / 2)
        now_status = {
            agent_id: next((status for at, status in reversed(found) if at <= middle), Availability.OFF_SHIFT)
            for agent_id, found in changes.items()
        }
        staffed.append(sum(status in ON_DUTY for status in now_status.values()))
        rostered: dict[int, list[Shift]] = {}
        for shift in shifts:
            if shift.starts_at <= middle < shift.ends_at:
                rostered.setdefault(shift.agent_id, []).append(shift)
        if not rostered:
            adherence.append(None)
            continue
        kept = 0
        for agent_id, covering in rostered.items():
            wanted = Availability(rota_status(covering))
            kept += now_status.get(agent_id, Availability.OFF_SHIFT) in KEEPS_TO[wanted]
        adherence.append(kept / len(rostered))
    return staffed, adherence


# --- skills ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgentSkills:
    agent: User
    skills: tuple[str, ...]  # Skill values, product excepted
    products: tuple[str, ...]

    def has(self, skill: str) -> bool:
        return skill in self.skills


def agent_skills() -> list[AgentSkills]:
    """Every active member of staff with their skills and products, by name: two queries."""
    agents = list(User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("name", "id"))
    found: dict[int, tuple[list[str], list[str]]] = {a.pk: ([], []) for a in agents}
    for agent_id, skill, detail in AgentSkill.objects.filter(agent_id__in=list(found)).values_list(
        "agent_id", "skill", "detail"
    ):
        skills, products = found[agent_id]
        (products if skill == Skill.PRODUCT else skills).append(detail if skill == Skill.PRODUCT else skill)
    return [AgentSkills(a, tuple(sorted(found[a.pk][0])), tuple(sorted(found[a.pk][1]))) for a in agents]


def agents_with(skill: str, detail: str = "") -> list[int]:
    """The ids of agents with a skill (a product named by ``detail``), for routing: one query."""
    return list(
        AgentSkill.objects.filter(skill=skill, detail=detail).order_by("agent_id").values_list("agent_id", flat=True)
    )
