"""Agents' status and the rota: history, the rota's boundaries, rostered staff per interval."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rapport.platform.errors import FieldError, Forbidden
from rapport.workforce import imports, selectors, services
from rapport.workforce.models import Activity, Shift, StatusChange

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)  # GMT: local time is UTC


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=UTC)


def _shift(agent, start: datetime, end: datetime, activity: str = Activity.WORK) -> Shift:
    return Shift.objects.create(agent=agent, starts_at=start, ends_at=end, activity=activity)


def test_status_changes_keep_their_history(agent):
    services.status_set(actor=agent, agent=agent, status="available", now=_at(8))
    services.status_set(actor=agent, agent=agent, status="busy", now=_at(9))
    assert selectors.status_now(agent.pk) == "busy"
    assert [c.status for c in selectors.status_history(agent_id=agent.pk)] == ["busy", "available"]


def test_nobody_sets_another_agents_status_but_their_leader(agent, other_agent, team_leader):
    with pytest.raises(Forbidden):
        services.status_set(actor=other_agent, agent=agent, status="away", now=_at(9))
    with pytest.raises(FieldError):
        services.status_set(actor=agent, agent=agent, status="asleep", now=_at(9))
    change = services.status_set(actor=team_leader, agent=agent, status="away", now=_at(9))
    assert change.source == "leader"
    assert StatusChange.objects.count() == 1


def test_the_rota_sets_status_at_its_boundaries_and_leaves_the_agent_alone_between(agent):
    _shift(agent, _at(8), _at(16))
    _shift(agent, _at(12), _at(12, 30), Activity.BREAK)

    assert services.rota_statuses_apply(now=_at(8, 1)) == 1
    assert selectors.status_now(agent.pk) == "available"
    # the agent takes a call: the rota does not fight them until its next boundary
    services.status_set(actor=agent, agent=agent, status="busy", now=_at(9))
    assert services.rota_statuses_apply(now=_at(9, 1)) == 0
    assert selectors.status_now(agent.pk) == "busy"
    services.rota_statuses_apply(now=_at(12, 5))
    assert selectors.status_now(agent.pk) == "on_break"
    services.rota_statuses_apply(now=_at(12, 31))
    assert selectors.status_now(agent.pk) == "available"
    services.rota_statuses_apply(now=_at(16, 1))
    assert selectors.status_now(agent.pk) == "off_shift"


def test_rostered_staff_per_interval_leave_out_breaks_and_part_intervals(agent, other_agent):
    _shift(agent, _at(8), _at(16))
    _shift(agent, _at(12), _at(12, 30), Activity.BREAK)
    _shift(other_agent, _at(9, 30), _at(13))  # part-time, starting half way through an hour

    rows = selectors.scheduled(first_day=MONDAY, days=2, interval=60)

    assert rows[0][7] == 0
    assert rows[0][8] == 1
    assert rows[0][9] == 1  # 09:30 start: not there the whole hour
    assert rows[0][10] == 2
    assert rows[0][12] == 1  # the agent is on a break; the other works until 13:00
    assert rows[0][13] == 1
    assert rows[1] == [0] * 24
    half = selectors.scheduled(first_day=MONDAY, days=1, interval=30)
    assert half[0][19] == 2  # 09:30-10:00


def test_rota_csv_is_checked_row_by_row(agent):
    text = (
        "email,date,start,end,activity\n"
        f"{agent.email},2026-03-02,08:00,16:00,\n"
        f"{agent.email},2026-03-02,16:00,08:00,work\n"
    )
    rows, problems = imports.parse_shifts(text.encode(), tz=selectors.organisation_tz())
    assert [p.row for p in problems] == [3]
    assert "is not after the start" in problems[0].message
    assert rows[0].activity == "work"
    _, problems = imports.parse_shifts(b"name,when\nx,y\n", tz=selectors.organisation_tz())
    assert problems[0].message == imports.MISSING_COLUMNS
    _, problems = imports.parse_shifts(b"\xff\xfe\x00", tz=selectors.organisation_tz())
    assert problems[0].message == imports.NOT_TEXT


def test_rota_view_compares_rostered_with_required_and_what_if(agent, manager):
    from rapport.seeding import bulk

    bulk.seed(cases=1000, seed=19, now=_at(6), days=42)
    for day in range(5):
        start = _at(8) + timedelta(days=day)
        _shift(agent, start, start + timedelta(hours=8))

    base = selectors.rota_view(today=MONDAY, interval=60)
    more = selectors.rota_view(today=MONDAY, interval=60, extra=(0, 9, 12, 20))
    busier = selectors.rota_view(today=MONDAY, interval=60, demand_percent=10)

    assert base.cells[0][9].scheduled == 1
    assert more.cells[0][9].scheduled == 21
    assert more.cells[0][13].scheduled == 1
    assert more.cells[1][9].scheduled == 1  # Tuesday is untouched
    assert base.service_level is not None
    assert more.service_level is not None
    assert more.service_level > base.service_level
    assert sum(c.required for row in busier.cells for c in row) >= sum(c.required for row in base.cells for c in row)
    assert base.cells[0][3].state == "met"  # 03:00: nobody needed, nobody there
