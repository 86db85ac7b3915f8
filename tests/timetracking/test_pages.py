"""Time tracking on the desk: the case panel, timer, manual entry, changes, and the report."""

from __future__ import annotations

import pytest
from django.utils import timezone

from rapport.cases.models import CaseEvent
from rapport.timetracking.models import RunningTimer, TimeEntry
from tests.web.conftest import signed_in


@pytest.fixture
def desk(agent):
    return signed_in(agent)


def test_the_case_panel_shows_the_total_and_starts_a_timer(desk, case, investigation, agent):
    html = desk.get(f"/cases/{case.reference}/").content.decode()
    assert '<h2 id="time-title">Time spent</h2>' in html
    assert '<strong class="time-total">0 min</strong>' in html
    assert "Start timer" in html

    response = desk.post(f"/time/cases/{case.reference}/timer/")

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#time"
    assert RunningTimer.objects.get(agent=agent).case_id == case.pk
    reloaded = desk.get(f"/cases/{case.reference}/").content.decode()
    assert "Your timer is running since" in reloaded
    assert "Stop and record" in reloaded


def test_stopping_the_timer_records_an_entry(desk, case, investigation, agent):
    desk.post(f"/time/cases/{case.reference}/timer/")
    response = desk.post("/time/timer/stop/", {"category": investigation.pk, "note": "Courier call"})

    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert (entry.source, entry.minutes, entry.note) == ("timer", 1, "Courier call")
    assert not RunningTimer.objects.exists()


def test_a_timer_on_another_case_is_named_on_this_one(desk, case, agent, customer, team, now):
    from rapport.cases.services import case_create

    second = case_create(actor=agent, customer=customer, subject="Second", body="Another", channel="email", team=team)
    desk.post(f"/time/cases/{case.reference}/timer/")

    html = desk.get(f"/cases/{second.reference}/").content.decode()

    assert f'Your timer is running on <a href="/cases/{case.reference}/#time">{case.reference}</a>' in html
    response = desk.post(f"/time/cases/{second.reference}/timer/", follow=True)
    assert f"Your timer is running on {case.reference}: stop it there first." in response.content.decode()


def test_time_entered_by_hand_from_the_panel(desk, case, investigation):
    today = timezone.localdate().isoformat()
    response = desk.post(
        f"/time/cases/{case.reference}/",
        {"minutes": "1:30", "worked_on": today, "category": investigation.pk, "note": ""},
    )

    assert response.status_code == 302
    assert TimeEntry.objects.get().minutes == 90
    assert CaseEvent.objects.filter(case=case, kind="time_logged").exists()
    html = desk.get(f"/cases/{case.reference}/").content.decode()
    assert '<strong class="time-total">1 h 30 min</strong>' in html


def test_bad_time_is_shown_beside_its_field_and_nothing_is_lost(desk, case, investigation):
    response = desk.post(
        f"/time/cases/{case.reference}/",
        {"minutes": "-20", "worked_on": "2099-01-01", "category": investigation.pk, "note": "Kept"},
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a time spent of at least one minute." in html
    assert "Enter a date that is today or earlier." in html
    assert 'value="Kept"' in html
    assert not TimeEntry.objects.exists()


def test_an_entry_is_changed_and_removed_by_its_agent(desk, case, investigation, agent, now):
    from rapport.timetracking import services

    entry = services.entry_add(
        actor=agent, case=case, minutes=30, category_id=investigation.pk, worked_on=timezone.localdate()
    )
    page = desk.get(f"/time/entries/{entry.pk}/")
    assert page.status_code == 200
    assert 'name="version" value="1"' in page.content.decode()

    changed = desk.post(
        f"/time/entries/{entry.pk}/",
        {"minutes": "45", "worked_on": entry.worked_on.isoformat(), "category": investigation.pk, "version": 1},
    )
    assert changed.status_code == 302
    entry.refresh_from_db()
    assert entry.minutes == 45

    stale = desk.post(
        f"/time/entries/{entry.pk}/",
        {"minutes": "50", "worked_on": entry.worked_on.isoformat(), "category": investigation.pk, "version": 1},
    )
    assert stale.status_code == 409
    assert "Someone else changed this entry" in stale.content.decode()

    assert desk.post(f"/time/entries/{entry.pk}/delete/", {"version": 2}).status_code == 302
    assert not TimeEntry.objects.exists()


def test_the_case_time_page_lists_entries_in_a_fixed_number_of_queries(
    desk, case, investigation, agent, django_assert_num_queries
):
    from rapport.timetracking import services

    desk.get(f"/time/cases/{case.reference}/")
    for counted in (1, 6):
        while TimeEntry.objects.count() < counted:
            services.entry_add(
                actor=agent, case=case, minutes=5, category_id=investigation.pk, worked_on=timezone.localdate()
            )
        with django_assert_num_queries(TIME_PAGE_QUERIES):
            response = desk.get(f"/time/cases/{case.reference}/")
        assert response.content.decode().count('<tr id="entry-') == counted


# session, user, the agent's teams, the case, the access-log row, reasons, entries, total, timer,
# and the desk's navigation and header
TIME_PAGE_QUERIES = 9


def test_the_report_page_and_its_csv(desk, case, investigation, agent):
    from rapport.timetracking import services

    services.entry_add(actor=agent, case=case, minutes=90, category_id=investigation.pk, worked_on=timezone.localdate())

    page = desk.get("/time/", {"by": "agent"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Time spent</h1>" in html
    assert f'<th scope="row">{agent.name}</th><td>1 h 30 min</td>' in html

    exported = desk.get("/time/", {"by": "agent", "format": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    assert f"{agent.name},90,1:30,1,1,90.0" in exported.content.decode()


def test_a_bad_report_period_is_explained(desk):
    response = desk.get("/time/", {"start": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 422
    assert "Enter a date on or after the start." in response.content.decode()


def test_customers_get_no_time_pages(customer_user, customer, case):
    customer_client = signed_in(customer_user)
    assert customer_client.get("/time/").status_code == 404
    assert customer_client.get(f"/time/cases/{case.reference}/").status_code == 404
    html = customer_client.get(f"/portal/cases/{case.reference}/").content.decode()
    assert "Time spent" not in html
