"""Time tracking's rules: entries, timers, who may change what, and the case event of each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rapport.accounts.models import Role
from rapport.cases.models import CaseEvent
from rapport.domain import worktime
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound
from rapport.timetracking import selectors, services
from rapport.timetracking.models import RunningTimer, TimeCategory, TimeEntry
from tests.conftest import make_user

TODAY = date(2026, 3, 2)  # the shared clock's day in London


def _add(actor, case, category, now, **fields):
    values = {"minutes": 30, "worked_on": TODAY, "category_id": category.pk, "note": "", **fields}
    return services.entry_add(actor=actor, case=case, now=now, **values)


def test_an_entry_records_time_and_a_case_event(agent, case, investigation, now):
    entry = _add(agent, case, investigation, now, minutes="1:30", note="Checked  courier tracking")

    assert (entry.minutes, entry.worked_on, entry.category, entry.agent) == (90, TODAY, investigation, agent)
    assert entry.note == "Checked courier tracking"
    event = CaseEvent.objects.get(case=case, kind="time_logged")
    assert event.actor == agent
    assert event.after == "1:30 investigation on 2026-03-02 by Agent (Checked courier tracking)"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"minutes": 0}, {"minutes": [worktime.DURATION_NOT_POSITIVE]}),
        ({"minutes": -15}, {"minutes": [worktime.DURATION_NOT_POSITIVE]}),
        ({"minutes": 24 * 60 + 1}, {"minutes": [worktime.DURATION_TOO_LONG]}),
        ({"minutes": "25:00"}, {"minutes": [worktime.DURATION_TOO_LONG]}),
        ({"minutes": "soon"}, {"minutes": [worktime.DURATION_UNREADABLE]}),
        ({"worked_on": TODAY + timedelta(days=1)}, {"worked_on": [worktime.DATE_IN_FUTURE]}),
        ({"category_id": None}, {"category": [services.CHOOSE_CATEGORY]}),
        ({"category_id": 99999}, {"category": [services.CHOOSE_CATEGORY]}),
        ({"note": "x" * 201}, {"note": [services.NOTE_TOO_LONG]}),
        (
            {"minutes": 0, "worked_on": TODAY + timedelta(days=3), "category_id": None},
            {
                "minutes": [worktime.DURATION_NOT_POSITIVE],
                "worked_on": [worktime.DATE_IN_FUTURE],
                "category": [services.CHOOSE_CATEGORY],
            },
        ),
    ],
)
def test_what_cannot_be_recorded_is_refused_by_field_and_nothing_is_written(
    agent, case, investigation, now, fields, errors
):
    with pytest.raises(FieldError) as refused:
        _add(agent, case, investigation, now, **fields)

    assert refused.value.errors == errors
    assert not TimeEntry.objects.exists()
    assert not CaseEvent.objects.filter(kind__startswith="time_").exists()


def test_a_retired_reason_is_not_offered_or_accepted(agent, case, investigation, now):
    investigation.active = False
    investigation.save()

    assert investigation not in selectors.categories()
    with pytest.raises(FieldError):
        _add(agent, case, investigation, now)


def test_the_day_is_the_london_date_not_the_utc_one(agent, case, investigation, now):
    """23:30 UTC on 1 July is 00:30 on 2 July in London: "today" is the 2nd."""
    late = now.replace(month=7, day=1, hour=23, minute=30)
    entry = _add(agent, case, investigation, late, worked_on=date(2026, 7, 2))
    assert entry.worked_on == date(2026, 7, 2)


def test_a_customer_cannot_record_time(customer_user, case, investigation, now):
    with pytest.raises(Forbidden):
        _add(customer_user, case, investigation, now)


# --- changing and removing ------------------------------------------------------------------------


def test_the_agent_changes_their_entry_and_the_case_says_from_what_to_what(agent, case, investigation, now):
    entry = _add(agent, case, investigation, now)

    changed = services.entry_change(actor=agent, entry_id=entry.pk, version=1, minutes="0:45", now=now)

    assert (changed.minutes, changed.version) == (45, 2)
    event = CaseEvent.objects.get(case=case, kind="time_changed")
    assert (event.before, event.after) == (
        "0:30 investigation on 2026-03-02 by Agent",
        "0:45 investigation on 2026-03-02 by Agent",
    )


def test_a_change_that_changes_nothing_writes_nothing(agent, case, investigation, now):
    entry = _add(agent, case, investigation, now)
    services.entry_change(actor=agent, entry_id=entry.pk, minutes=30, now=now)
    entry.refresh_from_db()
    assert entry.version == 1
    assert not CaseEvent.objects.filter(kind="time_changed").exists()


def test_a_change_from_a_stale_read_is_a_conflict_with_the_entry_as_it_is(agent, case, investigation, now):
    entry = _add(agent, case, investigation, now)
    services.entry_change(actor=agent, entry_id=entry.pk, version=1, minutes=40, now=now)

    with pytest.raises(Conflict) as stale:
        services.entry_change(actor=agent, entry_id=entry.pk, version=1, minutes=50, now=now)

    assert stale.value.current["minutes"] == 40
    assert stale.value.current["version"] == 2
    entry.refresh_from_db()
    assert entry.minutes == 40


def test_a_bad_change_changes_nothing(agent, case, investigation, now):
    entry = _add(agent, case, investigation, now)
    with pytest.raises(FieldError) as refused:
        services.entry_change(actor=agent, entry_id=entry.pk, minutes=0, worked_on=TODAY + timedelta(days=1), now=now)
    assert set(refused.value.errors) == {"minutes", "worked_on"}
    entry.refresh_from_db()
    assert (entry.minutes, entry.worked_on, entry.version) == (30, TODAY, 1)


def test_a_colleague_cannot_change_or_remove_my_entry(agent, team, case, investigation, now):
    colleague = make_user("colleague@example.com", Role.AGENT, teams=[team])
    entry = _add(agent, case, investigation, now)

    with pytest.raises(Forbidden):
        services.entry_change(actor=colleague, entry_id=entry.pk, minutes=5, now=now)
    with pytest.raises(Forbidden):
        services.entry_delete(actor=colleague, entry_id=entry.pk, now=now)
    assert TimeEntry.objects.get().minutes == 30


def test_the_team_leader_changes_their_teams_entries_but_not_another_teams(
    agent, team_leader, case, other_case, other_agent, investigation, now
):
    mine = _add(agent, case, investigation, now)
    theirs = _add(other_agent, other_case, investigation, now)
    other_case.team = None  # visible to every agent and leader, but the agent is in another team
    other_case.save()

    services.entry_change(actor=team_leader, entry_id=mine.pk, minutes=20, now=now)
    with pytest.raises(Forbidden):
        services.entry_change(actor=team_leader, entry_id=theirs.pk, minutes=20, now=now)


def test_a_manager_removes_any_entry_and_the_case_keeps_what_it_recorded(manager, agent, case, investigation, now):
    entry = _add(agent, case, investigation, now)

    services.entry_delete(actor=manager, entry_id=entry.pk, now=now)

    assert not TimeEntry.objects.exists()
    event = CaseEvent.objects.get(kind="time_removed")
    assert (event.actor, event.before) == (manager, "0:30 investigation on 2026-03-02 by Agent")


def test_an_entry_on_a_case_i_cannot_see_is_not_found(other_agent, other_case, agent, investigation, now):
    theirs = _add(other_agent, other_case, investigation, now)
    with pytest.raises(NotFound):
        services.entry_change(actor=agent, entry_id=theirs.pk, minutes=5, now=now)
    with pytest.raises(NotFound):
        services.access_entry(agent, "not-a-number")


# --- timers ---------------------------------------------------------------------------------------


def test_a_timer_records_its_time_on_the_day_it_started(agent, case, investigation, now):
    services.timer_start(actor=agent, case=case, now=now)

    entry = services.timer_stop(actor=agent, category_id=investigation.pk, note="Call", now=now + timedelta(minutes=37))

    assert (entry.minutes, entry.source, entry.worked_on) == (37, "timer", TODAY)
    assert not RunningTimer.objects.exists()
    assert CaseEvent.objects.filter(case=case, kind="time_logged").count() == 1


def test_one_timer_per_agent(agent, case, other_case, manager, investigation, now):
    services.timer_start(actor=agent, case=case, now=now)
    again = services.timer_start(actor=agent, case=case, now=now + timedelta(minutes=5))
    assert again.started_at == now  # starting it again where it runs changes nothing

    with pytest.raises(FieldError) as refused:
        services.timer_start(actor=agent, case=other_case, now=now)
    assert refused.value.errors == {"timer": [services.TIMER_ELSEWHERE.format(reference=case.reference)]}

    services.timer_start(actor=manager, case=case, now=now)  # colleagues have their own
    assert RunningTimer.objects.count() == 2


def test_a_timer_survives_until_it_is_stopped(agent, case, now):
    services.timer_start(actor=agent, case=case, now=now)
    facts = selectors.panel_facts(case, agent)  # as a reloaded page reads it
    assert (facts.timer_case_id, facts.timer_started_at, facts.timer_reference) == (case.pk, now, case.reference)


def test_a_forgotten_timer_records_nothing_until_discarded(agent, case, investigation, now):
    services.timer_start(actor=agent, case=case, now=now)

    with pytest.raises(FieldError) as refused:
        services.timer_stop(actor=agent, category_id=investigation.pk, now=now + timedelta(hours=30))

    assert refused.value.errors == {"timer": [worktime.TIMER_TOO_LONG]}
    assert RunningTimer.objects.exists()  # kept: the agent decides
    assert services.timer_discard(actor=agent)
    assert not RunningTimer.objects.exists()
    assert not TimeEntry.objects.exists()


def test_stopping_without_a_reason_keeps_the_timer(agent, case, now):
    services.timer_start(actor=agent, case=case, now=now)
    with pytest.raises(FieldError):
        services.timer_stop(actor=agent, category_id="", now=now + timedelta(minutes=3))
    assert RunningTimer.objects.exists()


def test_stopping_with_no_timer_says_so(agent, investigation, now):
    with pytest.raises(FieldError) as refused:
        services.timer_stop(actor=agent, category_id=investigation.pk, now=now)
    assert refused.value.errors == {"timer": [services.NO_TIMER]}


def test_categories_are_a_managed_list(db):
    assert [c.name for c in TimeCategory.objects.all()] == [
        "Investigation",
        "Customer contact",
        "Complaint handling",
        "Admin",
    ]
