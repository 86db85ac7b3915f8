"""Charts: axes marked in whole numbers for counts, and the hatched series really hatched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

import rapport
from rapport.feedback.charts import axis_ticks, bar_chart

STYLESHEET = Path(rapport.__file__).parent / "web" / "static" / "rapport" / "app.css"


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [(9, (0, 5, 10)), (3, (0, 1, 2, 3)), (0, (0, 1)), (1, (0, 1)), (17, (0, 5, 10, 15, 20)), (120, (0, 50, 100, 150))],
)
def test_count_axes_step_in_whole_round_numbers(highest, ticks):
    assert axis_ticks(highest) == ticks


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=40))
def test_no_count_axis_shows_a_fraction_and_every_bar_fits(counts):
    chart = bar_chart(
        title="t", description="d", categories=[str(i) for i in range(len(counts))], series=[("n", counts)]
    )

    labels = [label for _y, label in chart.ticks]
    assert all(re.fullmatch(r"\d+", label) for label in labels), labels
    assert int(labels[-1]) >= max(counts)
    assert 2 <= len(labels) <= 6
    assert all(bar.y >= 0 for bar in chart.bars)


def test_the_old_half_way_tick_is_gone():
    chart = bar_chart(title="t", description="d", categories=["Mon", "Tue"], series=[("Raised", [9, 2])])
    assert "4.5" not in [label for _y, label in chart.ticks]


def test_hatched_bars_are_filled_with_a_pattern_defined_in_the_same_chart():
    chart = bar_chart(
        title="Cases",
        description="2 raised, 1 resolved",
        categories=["Mon"],
        series=[("Raised", [2]), ("Resolved", [1])],
    )

    svg = render_to_string("feedback/_chart.html", {"chart": chart, "id": "c1"})

    hatched = re.findall(r'<rect x="[^"]*" y="[^"]*" width="[^"]*" height="[^"]*" ([^>]*)>', svg)[1]
    pattern = re.search(r'fill="url\(#([^)]+)\)"', hatched)
    assert pattern is not None
    assert f'<pattern id="{pattern.group(1)}"' in svg
    # a stylesheet fill would win over the fill attribute and paint the bar solid
    classes = re.search(r'class="([^"]*)"', hatched).group(1).split()
    css = STYLESHEET.read_text()
    filled = set(re.findall(r"\.([\w-]+)\s*\{[^}]*\bfill:", css))
    assert not filled & set(classes)
    # the legend still says which series is hatched, and each bar still names its value
    assert "Resolved (hatched)" in svg
    assert "<title>Mon: Resolved 1</title>" in svg
