"""The business calendar: when the SLA clock runs.

Seed 000 and domain.md §3: "Time is counted in the organisation's business hours with UK bank
holidays for the right nation (England & Wales, Scotland, Northern Ireland); the clock pauses while
the case waits on the customer." This module answers the business-hours half exactly, to the
microsecond; pausing for the customer is the SLA engine's job (it sums the running spans).

A calendar is weekly opening hours in local wall-clock time (several intervals a day), a time zone,
one nation's bank holidays (from ``rapport.domain.bank_holidays``) and extra closures.

Definitions (everything else follows from them):

* **Open time.** An instant is open when the office's wall clock, at that instant, reads a time
  inside an opening interval of that local day's weekday, and the day is neither a bank holiday
  nor a closed day, and no closure range covers the instant. Across the clock changes this is what
  a person in the office sees: on the spring-forward day (29 March 2026 in London) 01:00-02:00
  never appears, so an interval 00:30-03:00 lasts 1 h 30 min, and a 24/7 calendar has a 23-hour
  day; on the autumn day (25 October 2026) 01:00-02:00 appears twice, so 00:30-03:00 lasts
  3 h 30 min and 01:00-01:30 is open twice (1 hour in all).
* ``business_time_between(c, a, b)`` is the measure of open time in ``[a, b)``, and
  ``-business_time_between(c, b, a)`` when ``b < a``.
* ``add_business_time(c, s, d)`` is the earliest instant ``t >= s`` with
  ``business_time_between(c, s, t) == d``. So ``d == 0`` gives ``s`` itself even when the office
  is closed (a zero target is met at once), and a target that is met exactly at closing time gives
  the closing instant (17:30), not the next opening.

What holds for every calendar, start ``s`` and durations ``d, d1, d2 >= 0`` (the property tests
check each one): ``between(s, add(s, d)) == d``; ``add(add(s, d1), d2) == add(s, d1 + d2)``;
``add`` is non-decreasing in ``s`` and strictly increasing in ``d``; ``between(a, b) +
between(b, c) == between(a, c)``; ``0 <= between(a, b) <= b - a`` for ``a <= b``, with equality
on the right for a 24/7 calendar. The other way round is not a round trip: for ``s <= t``,
``add(s, between(s, t))`` is ``t`` when ``t`` is open time or a closing instant, and otherwise the
last closing before ``t`` (or ``s``), so it is ``<= t`` with no business time between it and ``t``.

How it is fast: each calendar lazily lays out its open spans, per UTC year, as one sorted list of
integer UTC epoch microseconds (start, end, start, end, …) with the open time accumulated before
each boundary. ``between`` is then two bisects and a subtraction, ``add`` one more bisect; no
floats anywhere. ``business_time_between_many`` and ``add_business_time_many`` do the same over
lists of epoch microseconds for the SLA engine's bulk runs (see ``bench/calendar_bench.py``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapport.domain.bank_holidays import NATIONS, bank_holidays

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "BusinessCalendar",
    "add_business_time",
    "add_business_time_many",
    "business_time_between",
    "business_time_between_many",
    "from_epoch_us",
    "to_epoch_us",
]

MIN_YEAR = 1900
MAX_YEAR = 2999
"""The calendar answers for instants in these UTC years; anything else is a data error."""

BAD_HOURS = "hours must map weekday (0 = Monday) to a list of (start, end) pairs, not {value!r}"
BAD_WEEKDAY = "weekday must be an integer from 0 (Monday) to 6 (Sunday), not {value!r}"
BAD_INTERVAL = "opening hours must be (start, end) pairs such as ('09:00', '17:30'), not {value!r}"
BAD_TIME = "{value!r} is not a time of day: use 'HH:MM' or 'HH:MM:SS' (24-hour clock; '24:00' only as an end)"
END_NOT_AFTER_START = "opening interval {start}-{end} ends before or when it starts"
OVERLAPPING = "opening intervals {first} and {second} overlap on weekday {weekday}"
UNKNOWN_NATION = "holidays must be one of {nations} or None, not {value!r}"
UNKNOWN_TZ = "unknown time zone {value!r}: use an IANA name such as 'Europe/London'"
BAD_CLOSURE = "a closure is a date (the whole local day) or a (start, end) pair of datetimes, not {value!r}"
CLOSURE_END_NOT_AFTER_START = "closure {start} to {end} ends before or when it starts"
NAIVE = "{name} must be an aware datetime (with a time zone), not {value!r}"
OUT_OF_RANGE = f"the business calendar covers the years {MIN_YEAR} to {MAX_YEAR} (UTC) only"
NEGATIVE_DURATION = "a business-time duration cannot be negative, not {value!r}"
NEVER_OPEN = "this calendar has no opening hours, so no business time can ever pass"

_US = 1_000_000
_DAY_S = 86_400
_ONE_US = timedelta(microseconds=1)
_ONE_S = timedelta(seconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
# Offsets are sampled this often and each change is then found to the second. Real zones never
# change twice within a few hours, so a 3-hour step finds every transition.
_SAMPLE_S = 3 * 3600

Interval = tuple[int, int]
"""A half-open [start, end): seconds after local midnight in opening hours (end may be 86400,
'24:00'); UTC epoch microseconds in open spans and closures."""

WeeklyHours = tuple[tuple[Interval, ...], ...]


def _year_start_s(year: int) -> int:
    return (date(year, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY_S


_MIN_US = _year_start_s(MIN_YEAR) * _US
_MAX_US = _year_start_s(MAX_YEAR + 1) * _US  # exclusive


def to_epoch_us(moment: datetime, name: str = "moment") -> int:
    """Microseconds since 1970-01-01 UTC, exactly; ``moment`` must be aware."""
    try:
        return (moment - _EPOCH) // _ONE_US
    except TypeError:  # naive (or not a datetime): cheaper to find out here than to check first
        raise ValueError(NAIVE.format(name=name, value=moment)) from None


def from_epoch_us(us: int, tz: tzinfo = UTC) -> datetime:
    """The aware datetime ``us`` microseconds after the epoch, shown in ``tz``."""
    return (_EPOCH + _ONE_US * us).astimezone(tz)  # exact, and quicker than timedelta(microseconds=us)


def _check_range(us: int) -> None:
    if not _MIN_US <= us < _MAX_US:
        raise ValueError(OUT_OF_RANGE)


def _year_of(us: int) -> int:
    return (_EPOCH + timedelta(microseconds=us)).year


# -- parsing the plain values -------------------------------------------------------------------


def _parse_time(value: object, *, is_end: bool) -> int:
    """Seconds after midnight for 'HH:MM[:SS]' (or a ``time``); '24:00' only as an end."""
    if isinstance(value, time):
        if value.tzinfo is not None or value.microsecond:
            raise ValueError(BAD_TIME.format(value=value))
        return value.hour * 3600 + value.minute * 60 + value.second
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(BAD_TIME.format(value=value))
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if (hour, minute, second) == (24, 0, 0) and is_end:
        return _DAY_S
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(BAD_TIME.format(value=value))
    return hour * 3600 + minute * 60 + second


def _format_time(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02}:{minutes:02}" + (f":{secs:02}" if secs else "")


def _parse_day(weekday: int, intervals: object) -> tuple[Interval, ...]:
    if isinstance(intervals, str | bytes) or not isinstance(intervals, Iterable):
        raise ValueError(BAD_INTERVAL.format(value=intervals))
    parsed: list[Interval] = []
    for pair in intervals:
        if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError(BAD_INTERVAL.format(value=pair))
        start, end = _parse_time(pair[0], is_end=False), _parse_time(pair[1], is_end=True)
        if end <= start:
            raise ValueError(END_NOT_AFTER_START.format(start=_format_time(start), end=_format_time(end)))
        parsed.append((start, end))
    parsed.sort()
    merged: list[Interval] = []
    for start, end in parsed:
        if merged and start < merged[-1][1]:
            first = "-".join(map(_format_time, merged[-1]))
            second = f"{_format_time(start)}-{_format_time(end)}"
            raise ValueError(OVERLAPPING.format(first=first, second=second, weekday=weekday))
        if merged and start == merged[-1][1]:  # 09:00-12:00 and 12:00-17:00 are one span
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def _parse_hours(hours: Mapping[int, object]) -> WeeklyHours:
    if not isinstance(hours, Mapping):
        raise ValueError(BAD_HOURS.format(value=hours))
    week: list[tuple[Interval, ...]] = [()] * 7
    for weekday, intervals in hours.items():
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValueError(BAD_WEEKDAY.format(value=weekday))
        week[weekday] = _parse_day(weekday, intervals)
    return tuple(week)


def _parse_zone(tz: str | ZoneInfo) -> ZoneInfo:
    if isinstance(tz, ZoneInfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(UNKNOWN_TZ.format(value=tz)) from None


def _local_to_us(moment: datetime, zone: ZoneInfo) -> int:
    """Aware datetimes as they are; naive ones as wall-clock time in ``zone``.

    A naive time is read with ``fold=0``: an ambiguous autumn time (01:30 on 25 October 2026) is
    its first occurrence (BST), and a time that does not exist (01:30 on 29 March 2026) is read
    with the offset in force before the change, so it lands just after the gap (02:30 BST).
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return to_epoch_us(moment)


def _parse_closures(closures: Iterable[object], zone: ZoneInfo) -> tuple[tuple[Interval, ...], frozenset[date]]:
    if isinstance(closures, str | bytes | date) or not isinstance(closures, Iterable):
        raise ValueError(BAD_CLOSURE.format(value=closures))
    spans: list[Interval] = []
    days: set[date] = set()
    for closure in closures:
        if isinstance(closure, date) and not isinstance(closure, datetime):
            days.add(closure)
            continue
        if (
            isinstance(closure, str | bytes)
            or not isinstance(closure, Sequence)
            or len(closure) != 2
            or not all(isinstance(end, datetime) for end in closure)
        ):
            raise ValueError(BAD_CLOSURE.format(value=closure))
        start, end = _local_to_us(closure[0], zone), _local_to_us(closure[1], zone)
        if end <= start:
            raise ValueError(CLOSURE_END_NOT_AFTER_START.format(start=closure[0], end=closure[1]))
        spans.append((start, end))
    spans.sort()
    merged: list[Interval] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged), frozenset(days)


# -- laying out the open spans --------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _offset_segments(zone: ZoneInfo, year: int) -> tuple[tuple[int, int, int], ...]:
    """The UTC year cut where the zone's offset changes: (start_s, end_s, offset_s) triples."""

    def offset(t: int) -> int:
        utc_offset = datetime.fromtimestamp(t, zone).utcoffset()
        assert utc_offset is not None  # a ZoneInfo always knows its offset
        return utc_offset // _ONE_S

    low, high = _year_start_s(year), _year_start_s(year + 1)
    segments: list[tuple[int, int, int]] = []
    start, current, t = low, offset(low), low
    while t < high:
        step = min(t + _SAMPLE_S, high)
        if offset(step) != current:
            before, after = t, step  # offset(before) == current != offset(after)
            while after - before > 1:
                middle = (before + after) // 2
                before, after = (middle, after) if offset(middle) == current else (before, middle)
            segments.append((start, after, current))
            start, current = after, offset(after)
        t = step
    if start < high:
        segments.append((start, high, current))
    return tuple(segments)


def _subtract(spans: list[Interval], holes: Sequence[Interval]) -> list[Interval]:
    """``spans`` minus ``holes``; both sorted and disjoint."""
    if not holes or not spans:
        return spans
    first = max(bisect_right(holes, (spans[0][0],)) - 1, 0)
    result: list[Interval] = []
    for start, end in spans:
        cursor = start
        index = first
        while index < len(holes) and holes[index][0] < end:
            hole_start, hole_end = holes[index]
            if hole_end > cursor:
                if hole_start > cursor:
                    result.append((cursor, hole_start))
                cursor = max(cursor, hole_end)
            index += 1
        if cursor < end:
            result.append((cursor, end))
    return result


@dataclass(frozen=True, slots=True)
class _Timeline:
    """Open spans over whole UTC years, ready for bisecting.

    ``bounds`` is start, end, start, end… in epoch microseconds (strictly increasing: touching
    spans are merged); ``before[i]`` is the open time from ``low`` up to ``bounds[i]``.
    """

    first_year: int
    last_year: int
    low: int
    high: int
    bounds: list[int]
    before: list[int]
    total: int

    def open_until(self, us: int) -> int:
        """Open time in [low, us); ``low <= us <= high``."""
        index = bisect_right(self.bounds, us)
        if index & 1:  # inside a span that started at bounds[index - 1]
            return self.before[index - 1] + us - self.bounds[index - 1]
        return self.before[index - 1] if index else 0

    def instant_after(self, open_us: int) -> int:
        """The earliest instant with ``open_until == open_us``; ``0 < open_us <= total``."""
        index = bisect_left(self.before, open_us)  # always a span's end: odd
        return self.bounds[index] - (self.before[index] - open_us)


@dataclass
class _Layout:
    """A calendar's memo of its open spans: derived data, never part of its value."""

    years: dict[int, list[Interval]] = field(default_factory=dict)
    timeline: _Timeline | None = None


# -- the calendar -------------------------------------------------------------------------------


@dataclass(frozen=True, init=False)
class BusinessCalendar:
    """Weekly opening hours in a time zone, less one nation's bank holidays and any closures.

    Seed 000 / domain.md §3: time is counted in the organisation's business hours with UK bank
    holidays for the right nation. Build it from plain values::

        BusinessCalendar(
            hours={0: [("09:00", "12:30"), ("13:30", "17:30")], 1: [("09:00", "17:30")]},
            tz="Europe/London",
            holidays="england",  # "wales", "scotland", "northern_ireland" or None
            closures=[date(2026, 12, 31), (datetime(2026, 12, 24, 12), datetime(2026, 12, 25))],
        )

    ``hours`` maps weekday (0 = Monday) to local wall-clock intervals; a missing weekday is
    closed; "24:00" is allowed as an end; touching intervals merge, overlapping ones are refused.
    A closure is a ``date`` (the whole local day) or a ``(start, end)`` pair of datetimes: aware,
    or naive and read as local wall-clock time (see ``_local_to_us`` for the clock changes).
    Bad input raises ``ValueError`` with one of this module's message constants.

    The calendar is a frozen, hashable value (equal calendars compare and hash equal), so it can
    key a cache; it memoises its own layout of open spans, which is not part of its value.
    """

    hours: WeeklyHours
    tz: str
    holidays: str | None
    closures: tuple[Interval, ...]
    """Closed ranges in UTC epoch microseconds, sorted and merged."""
    closed_days: frozenset[date]
    zone: ZoneInfo = field(compare=False, repr=False)
    _layout: _Layout = field(compare=False, repr=False)

    def __init__(
        self,
        *,
        hours: Mapping[int, Iterable[tuple[str | time, str | time]]],
        tz: str | ZoneInfo = "Europe/London",
        holidays: str | None = "england",
        closures: Iterable[date | tuple[datetime, datetime]] = (),
    ) -> None:
        if holidays is not None and holidays not in NATIONS:
            raise ValueError(UNKNOWN_NATION.format(nations=", ".join(map(repr, NATIONS)), value=holidays))
        zone = _parse_zone(tz)
        spans, days = _parse_closures(closures, zone)
        object.__setattr__(self, "hours", _parse_hours(hours))
        object.__setattr__(self, "tz", zone.key)
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "closures", spans)
        object.__setattr__(self, "closed_days", days)
        object.__setattr__(self, "zone", zone)
        object.__setattr__(self, "_layout", _Layout())

    @classmethod
    def always_open(cls, tz: str | ZoneInfo = "Europe/London") -> BusinessCalendar:
        """24/7: every instant is business time (no bank holidays, no closures)."""
        return cls(hours=dict.fromkeys(range(7), (("00:00", "24:00"),)), tz=tz, holidays=None)

    def opening_hours(self) -> dict[int, list[tuple[str, str]]]:
        """The weekly hours back as plain values, e.g. {0: [("09:00", "17:30")]}."""
        return {
            weekday: [(_format_time(start), _format_time(end)) for start, end in intervals]
            for weekday, intervals in enumerate(self.hours)
            if intervals
        }

    def is_open(self, at: datetime) -> bool:
        """Whether the clock runs at the instant ``at`` (aware)."""
        us = to_epoch_us(at, "at")
        timeline = self._covering(us, us)
        return bool(bisect_right(timeline.bounds, us) & 1)

    # The epoch-microsecond core, shared by the datetime API and the bulk functions.

    def _covering(self, low: int, high: int) -> _Timeline:
        """A layout covering [low, high]; the layout never reaches outside the supported years."""
        timeline = self._layout.timeline
        if timeline is not None and timeline.low <= low and high <= timeline.high:
            return timeline
        _check_range(low)
        _check_range(high)
        return self._extend(_year_of(low), _year_of(high))

    def _extend(self, first_year: int, last_year: int) -> _Timeline:
        current = self._layout.timeline
        if current is not None:
            first_year, last_year = min(first_year, current.first_year), max(last_year, current.last_year)
        if first_year < MIN_YEAR or last_year > MAX_YEAR:
            raise ValueError(OUT_OF_RANGE)
        bounds: list[int] = []
        for year in range(first_year, last_year + 1):
            for start, end in self._year_spans(year):
                if bounds and bounds[-1] == start:  # a span running over new year
                    bounds[-1] = end
                else:
                    bounds += (start, end)
        before = [0] * len(bounds)
        total = 0
        for index in range(0, len(bounds), 2):
            before[index] = total
            total += bounds[index + 1] - bounds[index]
            before[index + 1] = total
        timeline = _Timeline(
            first_year=first_year,
            last_year=last_year,
            low=_year_start_s(first_year) * _US,
            high=_year_start_s(last_year + 1) * _US,
            bounds=bounds,
            before=before,
            total=total,
        )
        # One assignment publishes the new layout, so a concurrent reader sees the old or the new.
        self._layout.timeline = timeline
        return timeline

    def _year_spans(self, year: int) -> list[Interval]:
        """Open spans within UTC year ``year``, in epoch microseconds, sorted and merged."""
        spans = self._layout.years.get(year)
        if spans is not None:
            return spans
        low, high = _year_start_s(year), _year_start_s(year + 1)
        segments = _offset_segments(self.zone, year)
        pieces: list[Interval] = []
        # Every instant of the UTC year has a local date within a day of it (offsets < 24 h).
        day = date(year, 1, 1) - timedelta(days=2)
        last_day = date(year + 1, 1, 1) + timedelta(days=1)
        while day <= last_day:
            intervals = self.hours[day.weekday()]
            if intervals and not self._closed_all_day(day):
                midnight = (day.toordinal() - _EPOCH_ORDINAL) * _DAY_S  # local wall clock, as if UTC
                for start, end in intervals:
                    for segment_start, segment_end, offset in segments:
                        # Instants of this segment whose wall-clock reading is in [start, end).
                        piece_start = max(midnight + start - offset, segment_start, low)
                        piece_end = min(midnight + end - offset, segment_end, high)
                        if piece_start < piece_end:
                            pieces.append((piece_start * _US, piece_end * _US))
            day += timedelta(days=1)
        pieces.sort()  # after an autumn change at midnight, a later instant can have an earlier date
        merged: list[Interval] = []
        for start, end in pieces:
            if merged and start == merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        spans = _subtract(merged, self.closures)
        self._layout.years[year] = spans
        return spans

    def _closed_all_day(self, day: date) -> bool:
        if day in self.closed_days:
            return True
        return self.holidays is not None and day in bank_holidays(self.holidays, day.year)

    def _between_us(self, start: int, end: int) -> int:
        if end < start:
            return -self._between_us(end, start)
        timeline = self._layout.timeline
        if timeline is None or start < timeline.low or end > timeline.high:
            timeline = self._covering(start, end)
        # timeline.open_until(end) - timeline.open_until(start), inlined: the per-case hot path.
        bounds, before = timeline.bounds, timeline.before
        index = bisect_right(bounds, end)
        if not index:
            return 0
        open_time = before[index - 1] + (end - bounds[index - 1] if index & 1 else 0)
        index = bisect_right(bounds, start, 0, index)
        if index:
            open_time -= before[index - 1] + (start - bounds[index - 1] if index & 1 else 0)
        return open_time

    def _add_us(self, start: int, duration: int) -> int:
        if duration < 0:
            raise ValueError(NEGATIVE_DURATION.format(value=timedelta(microseconds=duration)))
        if duration == 0:
            _check_range(start)
            return start
        timeline = self._layout.timeline
        if timeline is None or start < timeline.low or start > timeline.high:
            timeline = self._covering(start, start)
        more = 1
        while True:
            target = timeline.open_until(start) + duration
            if target <= timeline.total:
                return timeline.instant_after(target)
            if not any(self.hours):
                raise ValueError(NEVER_OPEN)
            if timeline.last_year >= MAX_YEAR:
                raise ValueError(OUT_OF_RANGE)
            # Big targets double the years added each time, so they take few rebuilds.
            timeline = self._extend(timeline.first_year, min(timeline.last_year + more, MAX_YEAR))
            more *= 2

    def __repr__(self) -> str:
        closures = len(self.closures) + len(self.closed_days)
        return (
            f"BusinessCalendar(hours={self.opening_hours()!r}, tz={self.tz!r}, "
            f"holidays={self.holidays!r}, closures=<{closures}>)"
        )


# -- the public functions -------------------------------------------------------------------------


def business_time_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """The business time in ``[start, end)`` (negative when ``end < start``), exactly.

    Seed 000 / domain.md §3: SLA time counts only the organisation's business hours. Both
    instants must be aware; the answer is exact to the microsecond.
    """
    try:
        open_time = calendar._between_us((start - _EPOCH) // _ONE_US, (end - _EPOCH) // _ONE_US)
    except TypeError:  # naive: say which one (to_epoch_us raises)
        to_epoch_us(start, "start")
        to_epoch_us(end, "end")
        raise
    return _ONE_US * open_time  # exact, and quicker than timedelta(microseconds=...)


def add_business_time(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """The earliest instant at or after ``start`` by which ``duration`` of business time has passed.

    Seed 000 / domain.md §3: an SLA target in business hours, e.g. "8 business hours" from a case
    raised on Thursday 2 April 2026 at 16:00 in England is Tuesday 7 April 15:30 (Good Friday and
    Easter Monday do not count). A zero duration gives ``start`` itself, even out of hours; a
    target met exactly at closing time gives the closing instant. The answer is aware, in the
    calendar's time zone (with ``fold=1`` for the second 01:30 of an autumn change); ``<`` and ``>``
    compare it with any aware instant correctly, but per PEP 495 a time in the repeated hour never
    ``==`` one in another zone, so compare for equality in UTC. ``duration`` must not be negative.
    """
    try:
        start_us = (start - _EPOCH) // _ONE_US
    except TypeError:  # naive: to_epoch_us says so
        start_us = to_epoch_us(start, "start")
    return (_EPOCH + _ONE_US * calendar._add_us(start_us, duration // _ONE_US)).astimezone(calendar.zone)


def business_time_between_many(calendar: BusinessCalendar, starts: Sequence[int], end: int) -> list[int]:
    """``business_time_between`` from each of ``starts`` to ``end``, all in UTC epoch microseconds.

    The bulk path of the SLA engine (seed 000 / domain.md §3): one layout look-up for the lot,
    then one bisect per start. Returns microseconds of business time, negative where a start is
    after ``end``.
    """
    if not starts:
        return []
    low, high = min(min(starts), end), max(max(starts), end)
    timeline = calendar._covering(low, high)
    bounds, before = timeline.bounds, timeline.before
    at_end = timeline.open_until(end)
    result: list[int] = []
    append = result.append
    for start in starts:  # timeline.open_until inlined: this loop is the hot path
        index = bisect_right(bounds, start)
        if index & 1:
            append(at_end - before[index - 1] - start + bounds[index - 1])
        else:
            append(at_end - before[index - 1] if index else at_end)
    return result


def add_business_time_many(calendar: BusinessCalendar, starts: Sequence[int], duration: int) -> list[int]:
    """``add_business_time`` of ``duration`` microseconds from each of ``starts`` (UTC epoch µs).

    The bulk path for due dates (seed 000 / domain.md §3); returns UTC epoch microseconds.
    """
    if duration < 0:
        raise ValueError(NEGATIVE_DURATION.format(value=timedelta(microseconds=duration)))
    if not starts:
        return []
    low, high = min(starts), max(starts)
    if duration == 0:
        _check_range(low)
        _check_range(high)
        return list(starts)
    timeline = calendar._covering(low, high)
    result: list[int] = []
    for start in starts:
        target = timeline.open_until(start) + duration
        if target <= timeline.total:
            result.append(timeline.instant_after(target))
        else:  # beyond the layout: the single path extends it, then carry on with the longer one
            result.append(calendar._add_us(start, duration))
            timeline = calendar._covering(low, high)
    return result
