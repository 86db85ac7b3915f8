"""Forecasting contacts per interval: a daily model times an intraday profile, and its accuracy.

The shape planners use (R. J. Hyndman and G. Athanasopoulos, *Forecasting: Principles and
Practice*, 3rd ed., 2021, §8.3 and §12.1 on complex seasonality): forecasting a year of
15-minute intervals directly (672 seasons a week) is slow and unstable, so

* **daily totals** are forecast by Holt-Winters exponential smoothing with an additive damped
  trend and additive weekly seasonality (Holt 1957; Winters 1960; Gardner and McKenzie 1985 for the
  damping; FPP3 §8.3, the component form), its smoothing constants chosen from a small grid by
  the one-step-ahead squared error (FPP3 §8.6 chooses them the same way, by optimisation);
* each day is then cut into intervals by an **intraday profile per weekday**: the share of that
  weekday's contacts arriving in each interval over recent weeks;
* **bank holidays** of the organisation's nation are left out of the fit (treated as missing and
  filled by the model) and forecast as a Sunday of the same week (so a channel closed on Sundays
  expects nothing); the first working day after one is scaled by the uplift measured on such days
  in the history;
* **known events** (a price-rise letter, a product recall) are entered by hand as uplifts.

Accuracy is measured honestly (FPP3 §5.8 and §5.10): a rolling-origin backtest (fit on everything
before each origin, forecast the week after it) scored by WAPE, Σ|F - A| ÷ ΣA, and bias,
Σ(F - A) ÷ ΣA, side by side with the seasonal-naive forecast (the same interval a week before).

Pure: plain numbers in, plain numbers out; days are ``date`` values given by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product

from rapport.domain.arrivals import day_kind

SEASON = 7  # days in the weekly cycle
INTERVALS = (15, 30, 60)
PROFILE_WEEKS = 8  # recent weeks that make the intraday profile
MIN_HISTORY_DAYS = 2 * SEASON  # to start Holt-Winters: two whole weeks
ALPHAS = (0.05, 0.1, 0.2, 0.35, 0.5)
BETAS = (0.0, 0.02, 0.08)
GAMMAS = (0.05, 0.15, 0.3)
PHI = 0.98  # trend damping: the trend fades over the horizon instead of running away
MAX_AFTER_HOLIDAY = 3.0
# With no day after a bank holiday in the history yet, the planners' rule of thumb: a fifth more.
AFTER_HOLIDAY_PRIOR = 1.2

BAD_INTERVAL = "interval must be 15, 30 or 60 minutes, not {value!r}"
TOO_SHORT = "at least two weeks of history are needed to forecast, not {days} days"


def slots_per_day(interval_minutes: int) -> int:
    if interval_minutes not in INTERVALS:
        raise ValueError(BAD_INTERVAL.format(value=interval_minutes))
    return 24 * 60 // interval_minutes


@dataclass(frozen=True)
class Series:
    """One channel's arrivals: ``counts[d][s]`` contacts on day ``first_day + d`` in slot ``s``."""

    first_day: date
    counts: tuple[tuple[float, ...], ...]

    @property
    def days(self) -> int:
        return len(self.counts)

    @property
    def slots(self) -> int:
        return len(self.counts[0]) if self.counts else 0

    def day(self, index: int) -> date:
        return self.first_day + timedelta(days=index)

    def daily(self) -> list[float]:
        return [sum(day) for day in self.counts]

    def before(self, day: date) -> Series:
        """The history up to (not including) ``day``."""
        return Series(self.first_day, self.counts[: max((day - self.first_day).days, 0)])


@dataclass(frozen=True)
class Uplift:
    """A known event: demand on ``channel`` (every channel when empty) from ``first_day`` to
    ``last_day`` inclusive is multiplied by ``factor`` (1.25 for 25% more)."""

    first_day: date
    last_day: date
    factor: float
    channel: str = ""

    def applies(self, channel: str, day: date) -> bool:
        return self.first_day <= day <= self.last_day and (not self.channel or self.channel == channel)


@dataclass(frozen=True)
class DailyModel:
    """Holt-Winters state after the last day of the history, and how to carry it forward."""

    level: float
    trend: float
    seasonal: tuple[float, ...]  # the last SEASON seasonal terms, oldest first
    alpha: float
    beta: float
    gamma: float
    after_holiday: float  # uplift measured on first working days after a bank holiday

    def predict(self, steps: int) -> float:
        """The daily total ``steps`` days (1 = tomorrow) after the history, never below zero."""
        damped = sum(PHI**k for k in range(1, steps + 1))
        return max(self.level + damped * self.trend + self.seasonal[(steps - 1) % SEASON], 0.0)


def _smooth(
    daily: Sequence[float], skip: Sequence[bool], alpha: float, beta: float, gamma: float
) -> tuple[float, float, list[float], float]:
    """One pass of additive damped Holt-Winters; returns level, trend, seasonals, one-step SSE.

    Days in ``skip`` (bank holidays) are treated as missing: the state moves on by its own forecast.
    """
    first, second = daily[:SEASON], daily[SEASON : 2 * SEASON]
    level = sum(first) / SEASON
    trend = (sum(second) - sum(first)) / SEASON**2
    seasonal = [value - level for value in first]
    sse = 0.0
    for index in range(SEASON, len(daily)):
        season = seasonal[index - SEASON]
        expected = level + PHI * trend + season
        actual = expected if skip[index] else daily[index]
        if not skip[index]:
            sse += (actual - expected) ** 2
        new_level = alpha * (actual - season) + (1 - alpha) * (level + PHI * trend)
        trend = beta * (new_level - level) + (1 - beta) * PHI * trend
        seasonal.append(gamma * (actual - new_level) + (1 - gamma) * season)
        level = new_level
    return level, trend, seasonal, sse


def fit_daily(series: Series, *, nation: str) -> DailyModel:
    """The daily model for ``series``: constants chosen by one-step squared error on a grid."""
    if series.days < MIN_HISTORY_DAYS:
        raise ValueError(TOO_SHORT.format(days=series.days))
    daily = series.daily()
    kinds = [day_kind(series.day(i), nation) for i in range(series.days)]
    # The first working day after a holiday carries the held-back contacts: measure that uplift
    # against the model, and fit on those days with the uplift taken out.
    skip = [kind.holiday or kind.after_holiday for kind in kinds]
    skip[:SEASON] = [False] * SEASON
    best = min(product(ALPHAS, BETAS, GAMMAS), key=lambda abg: _smooth(daily, skip, *abg)[3])
    level, trend, seasonal, _ = _smooth(daily, skip, *best)
    after = _after_holiday_uplift(daily, skip, kinds, best)
    return DailyModel(level, trend, tuple(seasonal[-SEASON:]), *best, after_holiday=after)


def _after_holiday_uplift(
    daily: Sequence[float], skip: Sequence[bool], kinds: Sequence[object], constants: tuple[float, float, float]
) -> float:
    """Mean of actual ÷ expected over the days after bank holidays (the prior when there were none)."""
    ratios = []
    for index, kind in enumerate(kinds):
        if index < 2 * SEASON or not getattr(kind, "after_holiday", False):
            continue
        level, trend, seasonal, _ = _smooth(daily[:index], skip[:index], *constants)
        expected = level + PHI * trend + seasonal[index - SEASON]
        if expected > 0:
            ratios.append(daily[index] / expected)
    if not ratios:
        return AFTER_HOLIDAY_PRIOR
    return min(max(sum(ratios) / len(ratios), 1.0), MAX_AFTER_HOLIDAY)


def intraday_profile(series: Series, *, nation: str, weeks: int = PROFILE_WEEKS) -> dict[int, tuple[float, ...]]:
    """weekday → share of the day's contacts in each slot, over the last ``weeks`` weeks (bank
    holidays left out). A weekday with no contacts at all gets an even spread of nothing (zeros)."""
    totals: dict[int, list[float]] = {weekday: [0.0] * series.slots for weekday in range(SEASON)}
    for index in range(max(series.days - weeks * SEASON, 0), series.days):
        day = series.day(index)
        if day_kind(day, nation).holiday:
            continue
        row = totals[day.weekday()]
        for slot, count in enumerate(series.counts[index]):
            row[slot] += count
    profile = {}
    for weekday, row in totals.items():
        whole = sum(row)
        profile[weekday] = tuple(count / whole if whole else 0.0 for count in row)
    return profile


def forecast(
    series: Series, *, start: date, days: int, nation: str, uplifts: Sequence[Uplift] = (), channel: str = ""
) -> list[list[float]]:
    """Expected contacts per slot for ``days`` days from ``start`` (on or after the end of history).

    Each day: the daily model's total times that weekday's profile; a bank holiday as the Sunday of
    its week; the day after one scaled by the measured uplift; then any known event's uplift.
    """
    model = fit_daily(series, nation=nation)
    profile = intraday_profile(series, nation=nation)
    end_of_history = series.day(series.days)
    rows = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        steps = (day - end_of_history).days + 1
        kind = day_kind(day, nation)
        if kind.holiday:
            steps += 6 - day.weekday()  # the Sunday of that week
            shape = profile[6]
        else:
            shape = profile[day.weekday()]
        total = model.predict(max(steps, 1))
        if kind.after_holiday:
            total *= model.after_holiday
        for uplift in uplifts:
            if uplift.applies(channel, day):
                total *= uplift.factor
        rows.append([total * share for share in shape])
    return rows


def seasonal_naive(series: Series, *, start: date, days: int) -> list[list[float]]:
    """The same interval a week before (from the history, or from this forecast's own first week)."""
    rows: list[list[float]] = []
    for offset in range(days):
        source = (start - series.first_day).days + offset - SEASON
        if source < series.days:
            rows.append(list(series.counts[source]) if source >= 0 else [0.0] * series.slots)
        else:
            rows.append(list(rows[offset - SEASON]))
    return rows


@dataclass(frozen=True)
class Accuracy:
    wape: float  # Σ|F - A| ÷ ΣA: 0.12 is 12% of the volume misplaced
    bias: float  # Σ(F - A) ÷ ΣA: positive when the forecast runs high
    actual: float  # contacts scored


def accuracy(forecast_rows: Sequence[Sequence[float]], actual_rows: Sequence[Sequence[float]]) -> Accuracy:
    """WAPE and bias per interval (FPP3 §5.8). With no actual contacts both are 0 when nothing was
    forecast either, else infinite."""
    error = absolute = actual_total = 0.0
    for forecast_row, actual_row in zip(forecast_rows, actual_rows, strict=True):
        for f, a in zip(forecast_row, actual_row, strict=True):
            error += f - a
            absolute += abs(f - a)
            actual_total += a
    if actual_total == 0:
        return Accuracy(0.0 if absolute == 0 else float("inf"), 0.0 if error == 0 else float("inf"), 0.0)
    return Accuracy(absolute / actual_total, error / actual_total, actual_total)


@dataclass(frozen=True)
class Backtest:
    model: Accuracy
    naive: Accuracy
    origins: int

    @property
    def beats_naive(self) -> bool:
        return self.model.wape < self.naive.wape


def backtest(series: Series, *, nation: str, origins: int = 4, horizon: int = SEASON) -> Backtest | None:
    """Rolling origin (FPP3 §5.10): for each of the last ``origins`` weeks, fit on the history
    before it and forecast ``horizon`` days; pooled WAPE and bias, beside seasonal-naive's.
    None when the history is too short for even one origin."""
    model_rows: list[list[float]] = []
    naive_rows: list[list[float]] = []
    actual_rows: list[list[float]] = []
    used = 0
    for k in range(origins, 0, -1):
        origin = series.days - k * horizon
        if origin < MIN_HISTORY_DAYS:
            continue
        day = series.day(origin)
        past = series.before(day)
        model_rows += forecast(past, start=day, days=horizon, nation=nation)
        naive_rows += seasonal_naive(past, start=day, days=horizon)
        actual_rows += [list(row) for row in series.counts[origin : origin + horizon]]
        used += 1
    if not used:
        return None
    return Backtest(accuracy(model_rows, actual_rows), accuracy(naive_rows, actual_rows), used)
