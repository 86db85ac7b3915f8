"""The before/after chart of a KPI: weekly bars, hatched after the change, the change-point
marked by a line (SVG drawn by the template; no inline styles, the CSP forbids them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapport.improvement.selectors import Point

WIDTH, HEIGHT, LEFT, TOP, BASELINE = 480, 180, 36, 10, 150


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    after: bool
    label: str


def before_after(points: Sequence[Point], *, title: str, unit: str) -> dict[str, object]:
    measured = [p.value for p in points if p.value is not None]
    top = max(measured, default=0.0) or 1.0
    slot = (WIDTH - LEFT) // max(len(points), 1)
    bars, change_x = [], None
    for index, point in enumerate(points):
        x = LEFT + index * slot
        if point.after and change_x is None:
            change_x = x - 1
        height = round((point.value or 0.0) / top * (BASELINE - TOP))
        shown = "no cases" if point.value is None else f"{point.value:.1f}{unit} (n={point.n})"
        bars.append(
            Bar(
                x + 2, BASELINE - height, max(slot - 4, 1), height, point.after, f"Week of {point.start:%d %b}: {shown}"
            )
        )
    before = [p.value for p in points if not p.after and p.value is not None]
    after = [p.value for p in points if p.after and p.value is not None]

    def mean(values: list[float]) -> str:
        return f"{sum(values) / len(values):.1f}{unit}" if values else "no data"

    return {
        "title": title,
        "description": f"Weekly {title}: mean {mean(before)} in the weeks before the change, {mean(after)} after.",
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": BASELINE,
        "top": TOP,
        "left": LEFT,
        "bars": bars,
        "change_x": change_x,
        "peak": f"{top:.1f}{unit}",
    }
