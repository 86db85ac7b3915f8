"""Reading the history in one grouped query, the forecast view, handling times and staffing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rapport import extensions
from rapport.cases.models import Case
from rapport.domain.case_rules import Channel
from rapport.seeding import bulk
from rapport.workforce import selectors, services
from rapport.workforce.selectors import Scope

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)  # a Monday
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_history_is_one_grouped_query_in_local_intervals(case, django_assert_num_queries):
    # given cases at 23:40 UTC on a summer evening (00:40 the next day in London) and at 09:10
    case.created_at = _at(2026, 7, 1, 23, 40)
    case.save(update_fields=["created_at"])
    twin = Case.objects.get(pk=case.pk)
    twin.pk = None
    twin.created_at = _at(2026, 7, 2, 8, 10)
    twin.save()

    # when the history is read in 30-minute intervals
    with django_assert_num_queries(1):
        found = selectors.arrivals_history(interval=30, first_day=date(2026, 6, 1), last_day=date(2026, 7, 5))

    # then both land on 2 July, local time: 00:30 and 09:00
    series = found[case.channel]
    assert series.first_day == date(2026, 7, 2)
    assert series.counts[0][1] == 1  # 00:30-01:00
    assert series.counts[0][18] == 1  # 09:00-09:30
    assert sum(map(sum, series.counts)) == 2


def test_history_is_scoped_by_type_and_team(case, team):
    found = selectors.arrivals_history(
        interval=60,
        first_day=case.created_at.date() - timedelta(days=1),
        last_day=case.created_at.date(),
        scope=Scope(case_type="complaint" if case.type != "complaint" else "enquiry"),
    )
    assert found == {}
    found = selectors.arrivals_history(
        interval=60,
        first_day=case.created_at.date() - timedelta(days=1),
        last_day=case.created_at.date(),
        scope=Scope(team_id=team.pk),
    )
    assert sum(map(sum, found[case.channel].counts)) == 1


def test_forecast_view_from_seeded_history(manager):
    # given six weeks of shaped arrivals before Monday 2 March 2026
    bulk.seed(cases=1500, seed=19, now=NOW, days=42)

    # when the next fortnight is forecast
    view = selectors.forecast_view(today=TODAY, interval=60, weeks=2)

    # then every channel has a forecast and a backtest beside seasonal-naive
    by_channel = {c.channel: c for c in view.channels}
    assert set(by_channel) == set(Channel)
    phone = by_channel[Channel.PHONE]
    assert len(phone.rows) == 14
    assert phone.backtest is not None
    assert phone.backtest.origins == 4
    assert sum(phone.rows[6]) == pytest.approx(0, abs=0.5)  # Sunday: the phones are closed
    assert sum(phone.rows[0]) > sum(phone.rows[4])  # Monday busier than Friday
    assert phone.rows[0][3] == 0  # 03:00


def test_known_event_lifts_the_forecast(manager):
    bulk.seed(cases=1500, seed=19, now=NOW, days=42)
    plain = selectors.forecast_view(today=TODAY, weeks=1)
    services.known_event_add(
        actor=manager,
        name="Product recall",
        first_day=TODAY + timedelta(days=1),
        last_day=TODAY + timedelta(days=1),
        uplift_percent=50,
        channel="email",
        now=NOW,
    )
    lifted = selectors.forecast_view(today=TODAY, weeks=1)
    email = {c.channel: c for c in plain.channels}["email"], {c.channel: c for c in lifted.channels}["email"]
    assert sum(email[1].rows[1]) == pytest.approx(sum(email[0].rows[1]) * 1.5)
    assert sum(email[1].rows[2]) == pytest.approx(sum(email[0].rows[2]))
    assert [e.name for e in lifted.events] == ["Product recall"]


def test_too_little_history_says_so(case):
    view = selectors.forecast_view(today=case.created_at.date() + timedelta(days=1), weeks=1)
    assert all(c.rows == [] and "two weeks" in c.problem for c in view.channels)


def test_handling_times_show_their_source(manager, case, monkeypatch):
    # given time tracking measured 12 minutes on a case, and a planner set the chat figure
    monkeypatch.setitem(extensions.case_facts._entries, "handling_time", lambda first, last: {case.pk: 12})
    services.handling_time_set(actor=manager, channel="chat", seconds=400, now=NOW)

    rows = {(r.channel, r.case_type): r for r in selectors.handling_times(today=case.created_at.date())}

    assert rows[(case.channel, "")].seconds == 720
    assert rows[(case.channel, "")].source == selectors.TRACKED
    assert rows[(case.channel, case.type)].cases == 1
    assert rows[("chat", "")].seconds == 400
    assert rows[("chat", "")].source == selectors.EDITED
    assert rows[("letter", "")].source == selectors.DEFAULT


def test_staffing_uses_erlang_c_for_live_channels_and_workload_for_queues(manager):
    bulk.seed(cases=1500, seed=19, now=NOW, days=42)
    view = selectors.staffing_view(today=TODAY, interval=60, weeks=1)
    phone, email = view.cells["phone"], view.cells["email"]
    busy = max(phone[0], key=lambda cell: cell.contacts)
    assert busy.required >= 1
    assert busy.service_level is not None
    assert busy.service_level >= selectors.SL_TARGET
    assert phone[0][3].required == 0  # nobody needed at 03:00
    # queued work is spread over the working day: the same number in every working hour
    working = {cell.required for cell in email[0][8:18]}
    assert len(working) == 1
    assert email[0][20].required == 0
    assert email[6][10].required == 0  # Sunday
