"""Time rules: one query per rule finds the cases, business time from the SLA calendar, once per
wait, the remind-then-resolve procedure; and the dry run, which changes nothing."""

from __future__ import annotations

from datetime import timedelta

from rapport.automation import services
from rapport.automation.models import RuleFiring
from rapport.cases.models import Case, CaseEvent, Message
from rapport.cases.services import case_create, case_update

WAITING = {"field": "case.status", "op": "is", "value": "waiting_on_customer"}
NOT_COMPLAINT = {"field": "case.type", "op": "is_not", "value": "complaint"}


def waiting_since(agent, customer, team, when, subject="Where is my parcel?"):
    case = case_create(actor=agent, customer=customer, subject=subject, body="It has not arrived.",
                       channel="email", team=team, now=when)  # fmt: skip
    return case_update(actor=agent, reference=case.reference, expected_version=case.version,
                       changes={"status": "waiting_on_customer"}, now=when)  # fmt: skip


def remind_then_resolve(make_rule):
    make_rule("Remind", position=10, trigger="time", conditions={"match": "all", "conditions": [
        WAITING, NOT_COMPLAINT, {"field": "case.tags", "op": "has_not", "value": "reminded"},
        {"field": "since.updated", "op": "at_least", "value": "5d"}]},
        actions=[{"type": "send_reply", "body": "Hello {{ customer.name }}, are you still there?"},
                 {"type": "add_tags", "tags": ["reminded"]},
                 {"type": "set_fields", "fields": {"status": "waiting_on_customer"}}])  # fmt: skip
    make_rule("Resolve", position=20, trigger="time", conditions={"match": "all", "conditions": [
        WAITING, NOT_COMPLAINT, {"field": "case.tags", "op": "has", "value": "reminded"},
        {"field": "since.updated", "op": "at_least", "value": "5d"}]},
        actions=[{"type": "add_note", "body": "No reply after our reminder: resolved."},
                 {"type": "set_fields", "fields": {"status": "resolved"}}])  # fmt: skip


def test_remind_after_five_business_days_then_resolve_after_five_more(make_rule, agent, customer, team, now):
    # given the procedure, a case waiting for three weeks and one waiting since yesterday
    remind_then_resolve(make_rule)
    old = waiting_since(agent, customer, team, now - timedelta(days=21))
    recent = waiting_since(agent, customer, team, now - timedelta(days=1), subject="Recent")
    # when the scan runs now
    assert services.time_scan(now=now) == 1
    # then only the old case was reminded, through a reply, and tagged
    old.refresh_from_db()
    assert set(old.tags.values_list("name", flat=True)) == {"reminded"}
    assert Message.objects.filter(case=old, kind="outbound").count() == 1
    assert not Message.objects.filter(case=recent, kind="outbound").exists()
    # and the scan again at once does nothing (once per wait, and the reminder restarted the wait)
    assert services.time_scan(now=now) == 0
    # when two more weeks pass with no reply
    later = now + timedelta(days=14)
    services.time_scan(now=later)
    # then the old case is resolved with a note; the recent one was reminded meanwhile
    old.refresh_from_db()
    assert old.status == "resolved"
    assert Message.objects.filter(case=old, kind="note").exists()
    recent.refresh_from_db()
    assert "reminded" in set(recent.tags.values_list("name", flat=True))
    assert RuleFiring.objects.filter(case=old).count() == 2


def test_the_scan_finds_cases_with_one_query_per_rule(make_rule, agent, customer, team, now, django_assert_num_queries):
    make_rule(trigger="time", conditions={"match": "all", "conditions": [
        WAITING, {"field": "customer.tier", "op": "in", "value": ["gold", ""]},
        {"field": "since.updated", "op": "at_least", "value": "2d"}]},
        actions=[{"type": "add_tags", "tags": ["late"]}])  # fmt: skip
    for day in range(5):
        waiting_since(agent, customer, team, now - timedelta(days=10 + day), subject=f"Case {day}")
    stored = services.active_rules("time")[0]
    calendar = services.default_calendar()
    rule = services.compiled(stored, services.working_day())
    with django_assert_num_queries(1):
        found = list(services.candidates(rule, now, calendar=calendar, rule_pk=stored.pk).values_list("pk", flat=True))
    assert len(found) == 5


def test_time_counts_in_business_hours_of_the_calendar(make_rule, agent, customer, team, now):
    from rapport.domain.calendar import BusinessCalendar

    office = BusinessCalendar(hours={d: [("09:00", "17:00")] for d in range(5)}, tz="Europe/London")

    class Office:
        default = office

        def for_cases(self, ids):
            return {}

    from rapport import extensions

    extensions.case_calendars.insert(0, Office)
    try:
        make_rule(trigger="time", conditions={"match": "all", "conditions": [
            WAITING, {"field": "since.updated", "op": "at_least", "value": "2d"}]},
            actions=[{"type": "add_tags", "tags": ["late"]}])  # fmt: skip
        # Friday 27 Feb 10:00 to Monday 2 Mar 10:00: 3 calendar days but one business day (8h)
        friday = waiting_since(agent, customer, team, now - timedelta(days=3), subject="Friday")
        # Wednesday 25 Feb 10:00: three business days
        wednesday = waiting_since(agent, customer, team, now - timedelta(days=5), subject="Wednesday")
        assert services.time_scan(now=now) == 1
        assert not friday.tags.exists()
        assert wednesday.tags.filter(name="late").exists()
    finally:
        extensions.case_calendars.remove(Office)


def test_dry_run_shows_matches_and_actions_and_changes_nothing(make_rule, agent, customer, team, now):
    remind_then_resolve(make_rule)
    old = waiting_since(agent, customer, team, now - timedelta(days=21))
    events_before = CaseEvent.objects.count()
    rule = services.active_rules("time")[0]
    run = services.dry_run(actor=agent_or_manager(), rule_id=rule.pk, now=now)
    assert (run.matched, [m.case.pk for m in run.matches]) == (1, [old.pk])
    assert run.matches[0].actions == (
        "send a templated reply",
        "add tags reminded",
        "set status to waiting_on_customer",
    )
    assert CaseEvent.objects.count() == events_before
    assert not RuleFiring.objects.exists()


def test_dry_run_of_an_event_rule_tries_open_cases(make_rule, manager, agent, customer, team, now):
    parcel = {"match": "all", "conditions": [{"field": "text", "op": "contains", "value": "parcel"}]}
    rule = make_rule(active=False, conditions=parcel, actions=[{"type": "add_tags", "tags": ["parcel"]}])
    waiting_since(agent, customer, team, now, subject="Where is my parcel?")
    waiting_since(agent, customer, team, now, subject="Broken kettle")
    run = services.dry_run(actor=manager, rule_id=rule.pk, now=now)
    assert (run.scanned, run.matched, run.event) == (2, 1, "created")
    assert Case.objects.filter(tags__name="parcel").count() == 0


def agent_or_manager():
    from rapport.accounts.models import User

    return User.objects.get(email="manager@example.com")
