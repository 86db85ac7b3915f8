"""The pure engine: checking, refusals, every condition, loop limits, business-time cutoffs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import automation as rules
from rapport.domain.calendar import BusinessCalendar, business_time_between

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday
OFFICE = BusinessCalendar(hours={d: [("09:00", "17:00")] for d in range(5)}, tz="Europe/London")


def facts(**over) -> rules.Facts:
    base = {
        "case": {"status": "open", "priority": "normal", "type": "enquiry", "channel": "email", "team": 3,
                 "owner": None, "tags": frozenset({"vip"}), "subject": "refund for my kettle"},
        "customer": {"kind": "person", "tier": "gold", "preferred_channel": "email"},
        "event": {"kind": "changed", "field": "status", "after": "waiting_on_customer"},
        "text": "refund for my kettle\nit stopped working",
        "moments": {"created": NOW - timedelta(days=7), "updated": NOW - timedelta(hours=2),
                    "first_response": None, "resolved": None},
        "now": NOW,
        "business_hours": True,
        "business_between": lambda a, b: business_time_between(OFFICE, a, b),
        "adjustments": False,
        "mailbox": "support",
    }  # fmt: skip
    base.update(over)
    return rules.Facts(**base)


def rule(conditions, *, trigger="event", actions=None, events=("created",)):
    definition = rules.check(
        {
            "trigger": trigger,
            "events": list(events) if trigger == "event" else [],
            "conditions": conditions,
            "actions": actions or [{"type": "add_tags", "tags": ["x"]}],
        }
    )
    return rules.compile_rule(rule_id=1, version=1, name="r", definition=definition)


def one(field, op, value):
    return {"match": "all", "conditions": [{"field": field, "op": op, "value": value}]}


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("case.status", "is", "open", True),
        ("case.status", "is_not", "open", False),
        ("case.priority", "in", ["high", "normal"], True),
        ("case.type", "not_in", ["complaint"], True),
        ("case.channel", "is", "phone", False),
        ("case.team", "is", 3, True),
        ("case.owner", "empty", None, True),
        ("case.owner", "not_empty", None, False),
        ("case.tags", "has", "VIP", True),
        ("case.tags", "has_not", "vip", False),
        ("case.subject", "contains", "Kettle", True),
        ("customer.kind", "is", "company", False),
        ("customer.tier", "is", "gold", True),
        ("customer.preferred_channel", "is", "email", True),
        ("customer.adjustments", "is", False, True),
        ("mailbox", "is", "support", True),
        ("business_hours", "is", True, True),
        ("text", "contains", "stopped", True),
        ("text", "not_contains", "stopped", False),
        ("event.kind", "is", "changed", True),
        ("event.field", "is", "status", True),
        ("event.after", "is", "waiting_on_customer", True),
        ("since.created", "at_least", "5d", True),
        ("since.created", "at_least", "6d", False),  # 7 calendar days back is 5 business days of 8h
        ("since.updated", "less_than", "2h", True),  # 2h ago, but the office opened at 09:00: 1h of business time
        ("since.first_response", "at_least", "1h", False),  # never happened
        ("since.resolved", "less_than", "1h", False),
    ],
)
def test_every_condition(field, op, value, expected):
    # given a rule with one condition, when evaluated on the facts, then it holds or not
    assert rule(one(field, op, value)).predicate(facts()) is expected


def test_all_and_any_groups_nest():
    conditions = {"match": "all", "conditions": [
        {"field": "case.status", "op": "is", "value": "open"},
        {"match": "any", "conditions": [
            {"field": "customer.tier", "op": "is", "value": "silver"},
            {"field": "text", "op": "contains", "value": "kettle"},
        ]},
    ]}  # fmt: skip
    compiled = rule(conditions)
    assert compiled.predicate(facts())
    assert not compiled.predicate(facts(text="nothing here"))


def test_bad_definitions_name_each_field():
    with pytest.raises(rules.DefinitionError) as caught:
        rules.check({"trigger": "event", "events": ["nope"], "conditions": {"match": "some", "conditions": [
            {"field": "case.colour", "op": "is", "value": "red"},
            {"field": "case.status", "op": "contains", "value": "x"},
            {"field": "since.created", "op": "at_least", "value": "soon"},
        ]}, "actions": [{"type": "launch"}, {"type": "set_fields", "fields": {"priority": "mega"}}]})  # fmt: skip
    assert set(caught.value.errors) == {
        "events.0", "conditions.match", "conditions.conditions.0.field", "conditions.conditions.1.op",
        "conditions.conditions.2.value", "actions.0.type", "actions.1.fields.priority",
    }  # fmt: skip


def test_a_time_rule_needs_a_time_condition():
    with pytest.raises(rules.DefinitionError) as caught:
        rules.check({"trigger": "time", "conditions": one("case.status", "is", "open"), "actions": [
            {"type": "add_tags", "tags": ["x"]}]})  # fmt: skip
    assert caught.value.errors == {"conditions": [rules.TIME_RULE_NEEDS_TIME]}


def test_closing_complaints_is_refused_unless_complaints_are_excluded():
    close = [{"type": "set_fields", "fields": {"status": "closed"}}]
    anything = rules.check({"trigger": "event", "events": ["created"], "actions": close})
    assert rules.refusals(anything) == [rules.CLOSES_COMPLAINTS]
    safe = rules.check({"trigger": "event", "events": ["created"], "actions": close,
                        "conditions": one("case.type", "is_not", "complaint")})  # fmt: skip
    assert rules.refusals(safe) == []
    nested_only = rules.check({"trigger": "event", "events": ["created"], "actions": close, "conditions": {
        "match": "any", "conditions": [{"field": "case.type", "op": "is", "value": "enquiry"},
                                        {"field": "case.status", "op": "is", "value": "open"}]}})  # fmt: skip
    assert rules.refusals(nested_only) == [rules.CLOSES_COMPLAINTS]


def test_replies_that_bypass_consent_are_refused():
    marketing = rules.check({"trigger": "event", "events": ["created"], "actions": [
        {"type": "send_reply", "body": "Our summer sale!", "purpose": "marketing"}]})  # fmt: skip
    assert rules.refusals(marketing) == [rules.REPLY_NOT_SERVICE]
    skipping = rules.check({"trigger": "event", "events": ["created"], "actions": [
        {"type": "send_reply", "body": "Hello", "skip_consent": True}]})  # fmt: skip
    assert rules.refusals(skipping) == [rules.REPLY_WITHOUT_CHECKS]


def test_starting_and_closing_a_complaint_at_once_is_refused():
    both = rules.check({"trigger": "event", "events": ["created"], "actions": [{"type": "start_complaint"},
        {"type": "set_fields", "fields": {"status": "resolved"}}],
        "conditions": one("case.type", "is", "enquiry")})  # fmt: skip
    assert rules.refusals(both) == [rules.STARTS_AND_CLOSES]


@pytest.mark.parametrize(
    ("restricted", "adjustments", "allowed", "action", "skipped"),
    [
        (True, False, True, "add_tags", True),
        (False, True, True, "send_reply", True),
        (False, True, True, "close", True),
        (False, True, True, "add_tags", False),
        (False, False, False, "send_reply", True),
        (False, False, True, "send_reply", False),
    ],
)
def test_what_the_customer_s_rights_skip(restricted, adjustments, allowed, action, skipped):
    actions = {
        "add_tags": rules.Action("add_tags", {"tags": ["x"]}),
        "send_reply": rules.Action("send_reply", {"body": "Hi"}),
        "close": rules.Action("set_fields", {"fields": {"status": "closed"}}),
    }
    reason = rules.skip_reason(actions[action], restricted=restricted, adjustments=adjustments, contact_allowed=allowed)
    assert bool(reason) is skipped


def test_a_chain_is_bounded_and_a_rule_never_fires_on_its_own_changes():
    assert rules.may_fire(1, rules.Chain())
    assert not rules.may_fire(1, rules.Chain(1, frozenset({1})))
    assert rules.may_fire(2, rules.Chain(2, frozenset({1, 3})))
    assert not rules.may_fire(2, rules.Chain(rules.MAX_CHAIN, frozenset({1})))


def test_matching_keeps_the_order_and_the_events():
    first = rule(one("case.status", "is", "open"), events=("created",))
    second = rules.compile_rule(
        rule_id=2,
        version=1,
        name="b",
        definition=first.conditions
        and rules.check({"trigger": "event", "events": ["message"], "actions": [{"type": "add_tags", "tags": ["y"]}]}),
    )
    assert rules.matching([first, second], "created", facts(), rules.Chain()) == [first]
    assert rules.matching([first, second], "message", facts(), rules.Chain()) == [second]


@given(hours=st.integers(min_value=1, max_value=200), minute=st.integers(min_value=0, max_value=59))
def test_the_cutoff_leaves_exactly_the_business_time_asked(hours, minute):
    now = NOW + timedelta(minutes=minute)
    duration = timedelta(hours=hours)
    cutoff = rules.business_cutoff(lambda a, b: business_time_between(OFFICE, a, b), now, duration)
    assert business_time_between(OFFICE, cutoff, now) >= duration
    assert business_time_between(OFFICE, cutoff + timedelta(seconds=2), now) <= duration
    assert cutoff <= now - duration


def test_durations_and_working_days():
    assert rules.parse_duration("30m") == timedelta(minutes=30)
    assert rules.parse_duration("5d", working_day=timedelta(hours=7, minutes=30)) == timedelta(hours=37, minutes=30)
    assert rules.working_day_of(OFFICE.opening_hours()) == timedelta(hours=8)
    with pytest.raises(ValueError, match="business time"):
        rules.parse_duration("a week")
