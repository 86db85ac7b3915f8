"""Charts drawn on the server as SVG: no script, no CDN, and every chart has a table beside it.

A chart is described by plain numbers; the template draws it from the geometry computed here.
Series are told apart by pattern and label as well as colour (WCAG 2.2, 1.4.1 use of colour).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 240, 48, 28, 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str


@dataclass(frozen=True)
class BarChart:
    """Grouped bars: one group per category, one bar per series."""

    title: str
    description: str
    series: tuple[str, ...]
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, str], ...]
    labels: tuple[tuple[float, str], ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM


def axis_ticks(highest: float, *, whole: bool = True) -> tuple[float, ...]:
    """Gridlines from 0 to a round number at or above ``highest``, in at most four equal steps of
    1, 2 or 5 times a power of ten; counts (``whole``) step by whole numbers, never "4.5 cases"."""
    highest = max(highest, 1)
    rough = highest / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    if whole:
        step = max(1, math.ceil(step))
    return tuple(i * step for i in range(math.ceil(highest / step - 1e-9) + 1))


def _tick_label(value: float, whole: bool) -> str:
    return str(round(value)) if whole else f"{value:g}"


def bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    whole: bool = True,
) -> BarChart:
    """``whole``: the values are counts, so the axis is marked in whole numbers."""
    gridlines = axis_ticks(max([max(values, default=0) for _name, values in series] + [0]), whole=whole)
    top = gridlines[-1]
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    group_w = plot_w / max(len(categories), 1)
    bar_w = max(group_w * 0.8 / max(len(series), 1), 1)
    bars = []
    for s, (name, values) in enumerate(series):
        for i, value in enumerate(values):
            height = plot_h * value / top
            bars.append(
                Bar(
                    x=round(LEFT + i * group_w + group_w * 0.1 + s * bar_w, 2),
                    y=round(HEIGHT - BOTTOM - height, 2),
                    width=round(bar_w, 2),
                    height=round(height, 2),
                    series=s,
                    label=f"{categories[i]}: {name} {value:g}",
                )
            )
    ticks = tuple((round(HEIGHT - BOTTOM - plot_h * t / top, 2), _tick_label(t, whole)) for t in gridlines)
    step = max(len(categories) // 7, 1)
    labels = tuple((round(LEFT + i * group_w + group_w / 2, 2), c) for i, c in enumerate(categories) if i % step == 0)
    return BarChart(title, description, tuple(name for name, _ in series), tuple(bars), ticks, labels)
