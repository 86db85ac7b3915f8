"""The <time> the desk shows: the same words and dates Django's own formatters give, faster."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince

from rapport.web.components.moment import when


def test_when_matches_djangos_formatters(monkeypatch):
    now = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night the clocks go forward
    monkeypatch.setattr(timezone, "now", lambda: now)
    rng = random.Random(7)
    for _ in range(2000):
        moment = now + timedelta(seconds=rng.randint(-(10**8), 10**8))
        html = when(moment)
        local = timezone.localtime(moment)
        assert f"({date_format(local, 'j M Y, H:i')})" in html
        if abs((now - moment).total_seconds()) < 60:
            assert "just now" in html
        elif moment <= now:
            assert f"{timesince(moment, now, depth=1)} ago" in html
        else:
            assert f"in {timesince(now, moment, depth=1)}" in html
