"""Arrival times and channels for seeded cases, following ``rapport.domain.arrivals``.

The span is cut into clock hours; each hour's weight is the channel mix times the channel's shape
in that local hour, times the trend. Case ``i`` of ``n`` (cases are numbered in the order they
arrived) lands at the point ``(i + u) / n`` of the cumulative weight, so times still rise with the
reference, and its channel is drawn among those open in that hour. One bisect and one weighted draw
per case: the million-case seeder does not notice it.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from rapport.domain import arrivals
from rapport.seeding.plans import EXTERNAL_CHANNELS, HOUR, INTERNAL_CHANNELS, Weighted

LONDON = ZoneInfo("Europe/London")


class Timeline:
    """Where in ``[start, end)`` (whole seconds, UTC) the arrivals fall, and by which channel."""

    def __init__(self, *, start: int, end: int, nation: str = "england", tz: ZoneInfo = LONDON) -> None:
        if end <= start:
            raise ValueError("the span must end after it starts")
        self.start = start - start % HOUR
        self.end = end
        self.hours: list[int] = []  # the start of each hour, UTC
        self.cumulative: list[float] = []
        self._external: list[Weighted[str]] = []
        self._internal: list[Weighted[str]] = []
        memo: dict[tuple[arrivals.DayKind, int], tuple[float, Weighted[str], Weighted[str]]] = {}
        total = 0.0
        for at in range(self.start, end, HOUR):
            local = datetime.fromtimestamp(at, tz=UTC).astimezone(tz)
            key = (arrivals.day_kind(local.date(), nation), local.hour)
            if key not in memo:
                memo[key] = self._hour(*key)
            weight, external, internal = memo[key]
            total += weight * arrivals.trend((at - self.start) / (24 * HOUR))
            self.hours.append(at)
            self.cumulative.append(total)
            self._external.append(external)
            self._internal.append(internal)
        self.total = total

    @staticmethod
    def _hour(kind: arrivals.DayKind, hour: int) -> tuple[float, Weighted[str], Weighted[str]]:
        def mix(pairs: Sequence[tuple[str, int]]) -> tuple[float, Weighted[str]]:
            # Shapes scaled to whole numbers for ``Weighted``; email is always open, so some remain.
            shaped = [(str(ch), round(w * arrivals.shape(str(ch), kind, hour) * 1000)) for ch, w in pairs]
            shaped = [(ch, w) for ch, w in shaped if w > 0] or [("email", 1)]
            return sum(w for _, w in shaped) / 1000, Weighted(shaped)

        weight, external = mix(EXTERNAL_CHANNELS)
        _, internal = mix(INTERNAL_CHANNELS)
        return weight, external, internal

    def at(self, position: float) -> tuple[int, int]:
        """The arrival at ``position`` (0 to 1) of the cumulative demand: (seconds UTC, hour index)."""
        target = position * self.total
        index = min(bisect_right(self.cumulative, target), len(self.hours) - 1)
        before = self.cumulative[index - 1] if index else 0.0
        width = self.cumulative[index] - before
        within = (target - before) / width if width > 0 else 0.0
        return min(self.hours[index] + int(within * HOUR), self.end - 1), index

    def channel(self, rng: random.Random, index: int, *, internal: bool) -> str:
        return (self._internal if internal else self._external)[index].draw(rng)


PEAK = max(arrivals.WEEKLY) * arrivals.AFTER_HOLIDAY * max(arrivals.INTRADAY)


def shaped_time(
    rng: random.Random, channel: str, *, start: int, end: int, nation: str = "england", tz: ZoneInfo = LONDON
) -> int:
    """One arrival of ``channel`` in ``[start, end)`` that follows its shape (for the small demo):
    a uniform time kept with probability shape ÷ peak, else drawn again (rejection sampling)."""
    at = start
    for _ in range(500):
        at = start + int((end - start) * rng.random())
        local = datetime.fromtimestamp(at, tz=UTC).astimezone(tz)
        if rng.random() * PEAK < arrivals.shape(channel, arrivals.day_kind(local.date(), nation), local.hour):
            return at
    return at
