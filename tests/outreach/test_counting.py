"""Proactive and reactive contacts are counted apart (ADR 0021): a send adds proactive contacts to
the figures and nothing to the demand the forecast and "Cases raised" count."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from rapport import extensions
from rapport.outreach import services
from rapport.workforce import selectors as workforce
from tests.outreach.conftest import TAG

pytestmark = pytest.mark.django_db


def _send(actor) -> None:
    now = timezone.now()
    outreach = services.outreach_draft(
        actor=actor, title="Outage notice", subject="Down", body="Sorry.", segment={"open_case_tag": TAG}, now=now
    )
    services.outreach_send(actor=actor, outreach_id=outreach.pk, now=now)
    services.outreach_deliver(outreach_id=outreach.pk, now=now)


def _demand() -> dict[str, float]:
    today = timezone.localdate()
    history = workforce.arrivals_history(interval=60, first_day=today - timedelta(days=400), last_day=today)
    return {channel: sum(map(sum, series.counts)) for channel, series in history.items()}


def test_a_send_is_not_demand_for_the_forecast(team_leader, group):
    before = _demand()
    _send(team_leader)
    assert _demand() == before


def test_the_proactive_kpi_counts_messages_sent_in_the_period(team_leader, group):
    now = timezone.now()
    scope = extensions.KpiScope(cases=lambda prefix: Q(), start=now - timedelta(days=1), end=now + timedelta(days=1))
    assert extensions.kpi(extensions.PROACTIVE_CONTACTS, scope) == 0.0
    _send(team_leader)
    assert extensions.kpi(extensions.PROACTIVE_CONTACTS, scope) == 3.0  # 2 emailed, 1 to post; 3 skipped
    later = extensions.KpiScope(cases=scope.cases, start=now + timedelta(days=1), end=now + timedelta(days=2))
    assert extensions.kpi(extensions.PROACTIVE_CONTACTS, later) == 0.0


def test_the_figures_show_proactive_messages_apart_from_cases_raised(client, manager, team_leader, group):
    client.force_login(manager)
    before = {row[0]: row[1] for row in csv.reader(io.StringIO(client.get("/feedback/?csv=summary").content.decode()))}
    _send(team_leader)
    after = {row[0]: row[1] for row in csv.reader(io.StringIO(client.get("/feedback/?csv=summary").content.decode()))}
    label = "Proactive messages sent (outbound, not counted as cases raised)"
    assert (before[label], after[label]) == ("0", "3")
    assert after["Cases raised"] == before["Cases raised"]
