"""Event rules on the journal: every action, the record on the case, counters, order, idempotency,
loop protection, and what the customer's rights skip."""

from __future__ import annotations

import pytest

from rapport import extensions
from rapport.automation.models import AutomationRule, RuleFiring
from rapport.automation.services import automation_account
from rapport.cases.models import Case, CaseEvent, Message
from rapport.cases.services import case_create, case_update


def opened(agent, customer, team, now, subject="Refund for my kettle", **kw):
    return case_create(actor=agent, customer=customer, subject=subject, body="It stopped working.",
                       channel="email", team=team, now=now, **kw)  # fmt: skip


def fired_text(case):
    return [e.after for e in CaseEvent.objects.filter(case=case, kind="automation_fired").order_by("id")]


def test_a_rule_fires_on_its_event_and_is_recorded_on_the_case(make_rule, deliver, agent, customer, team, now):
    # given a rule on new cases mentioning a refund
    rule = make_rule(
        "Refunds",
        conditions={"match": "all", "conditions": [{"field": "text", "op": "contains", "value": "refund"}]},
        actions=[{"type": "set_fields", "fields": {"priority": "high"}}, {"type": "add_tags", "tags": ["refund"]}],
    )
    # when a case is created and the journal delivers
    case = opened(agent, customer, team, now)
    deliver()
    # then the case changed, the firing is on the timeline with the rule and version, counters moved
    case.refresh_from_db()
    assert case.priority == 3
    assert list(case.tags.values_list("name", flat=True)) == ["refund"]
    before = CaseEvent.objects.get(case=case, kind="automation_fired").before
    assert before == "“Refunds” (version 1)"
    assert fired_text(case) == ["set priority to high; add tags refund"]
    rule.refresh_from_db()
    assert (rule.fired_count, rule.last_fired_at is not None) == (1, True)
    firing = RuleFiring.objects.get(rule=rule)
    assert (firing.version, firing.changes) == (1, ["set priority to high", "add tags refund"])


def test_a_rule_whose_conditions_fail_does_nothing(make_rule, deliver, agent, customer, team, now):
    make_rule(conditions={"match": "all", "conditions": [{"field": "customer.tier", "op": "is", "value": "gold"}]},
              actions=[{"type": "add_tags", "tags": ["gold"]}])  # fmt: skip
    case = opened(agent, customer, team, now)
    deliver()
    assert not case.tags.exists()
    assert not RuleFiring.objects.exists()


def test_an_inactive_rule_writes_no_delivery_and_never_fires(make_rule, deliver, agent, customer, team, now):
    make_rule(active=False, actions=[{"type": "add_tags", "tags": ["x"]}])
    case = opened(agent, customer, team, now)
    assert deliver() == 0
    assert not case.tags.exists()


def test_a_field_change_triggers_with_the_event_s_field_and_value(make_rule, deliver, agent, case, now):
    make_rule(events=["changed"], conditions={"match": "all", "conditions": [
        {"field": "event.field", "op": "is", "value": "status"},
        {"field": "event.after", "op": "is", "value": "waiting_on_customer"}]},
        actions=[{"type": "add_note", "body": "Waiting on {{ customer.name }}."}])  # fmt: skip
    deliver()
    case_update(actor=agent, reference=case.reference, expected_version=case.version,
                changes={"status": "waiting_on_customer"}, now=now)  # fmt: skip
    deliver()
    note = Message.objects.get(case=case, kind="note")
    assert note.body.startswith("Waiting on Alice")
    assert note.author == automation_account()


def test_rules_run_in_order_and_later_rules_see_earlier_changes(make_rule, deliver, agent, customer, team, now):
    urgent = {"match": "all", "conditions": [{"field": "case.priority", "op": "is", "value": "urgent"}]}
    make_rule("second", position=20, conditions=urgent, actions=[{"type": "add_tags", "tags": ["seen"]}])
    make_rule("first", position=10, actions=[{"type": "set_fields", "fields": {"priority": "urgent"}}])
    case = opened(agent, customer, team, now)
    deliver()
    assert list(case.tags.values_list("name", flat=True)) == ["seen"]
    assert [e.before for e in CaseEvent.objects.filter(case=case, kind="automation_fired").order_by("id")] == [
        "“first” (version 1)", "“second” (version 1)"]  # fmt: skip


def test_a_redelivered_event_fires_once(make_rule, agent, customer, team, now):
    from rapport.automation.services import events_received

    make_rule(actions=[{"type": "add_tags", "tags": ["x"]}])
    case = opened(agent, customer, team, now)
    created = list(CaseEvent.objects.filter(case=case, kind="created"))
    assert events_received(created, now=now) == 1
    assert events_received(created, now=now) == 0
    assert RuleFiring.objects.count() == 1


def test_a_rule_never_fires_on_its_own_changes(make_rule, deliver, agent, case, now):
    # given a rule that reacts to any change by changing the case again
    rule = make_rule(events=["changed"], actions=[{"type": "add_tags", "tags": ["again"]},
                                                   {"type": "set_fields", "fields": {"priority": "low"}}])  # fmt: skip
    deliver()
    # when a person changes the case
    case_update(actor=agent, reference=case.reference, expected_version=case.version,
                changes={"priority": 3}, now=now)  # fmt: skip
    deliver()
    # then it fired once: its own changes did not trigger it again
    assert RuleFiring.objects.filter(rule=rule).count() == 1


def test_a_chain_of_rules_stops_at_the_bound(make_rule, deliver, agent, case, now):
    # given four rules, each reacting to the change the one before made (a priority change, then tags)
    expected = ["priority", "t0", "t0, t1", "t0, t1, t2"]
    for i, after in enumerate(expected):
        condition = (
            {"field": "event.field", "op": "is", "value": "priority"}
            if i == 0
            else {"field": "event.after", "op": "is", "value": after}
        )
        make_rule(f"step {i}", position=i, events=["changed"], conditions={"match": "all", "conditions": [condition]},
                  actions=[{"type": "add_tags", "tags": [f"t{i}"]}])  # fmt: skip
    deliver()
    # when a person makes a change
    case_update(actor=agent, reference=case.reference, expected_version=case.version,
                changes={"priority": 3}, now=now)  # fmt: skip
    deliver()
    # then three firings followed one another (MAX_CHAIN) and the fourth rule never fired
    depths = sorted(RuleFiring.objects.values_list("depth", flat=True))
    assert depths == [1, 2, 3]
    assert "t3" not in set(case.tags.values_list("name", flat=True))


def test_assign_by_routing(make_rule, deliver, router, agent, customer, team, now):
    make_rule(actions=[{"type": "assign", "method": "round_robin"}])
    case = opened(agent, customer, team, now)
    deliver()
    case.refresh_from_db()
    assert case.owner == agent
    assert router == [(case.pk, "round_robin")]
    assert fired_text(case) == [f"routed to person {agent.pk} (round_robin in Front line)"]


def test_assign_without_routing_installed_is_recorded_and_skipped(
    make_rule, deliver, agent, customer, team, now, monkeypatch
):
    monkeypatch.setattr(extensions, "routers", [])  # as on a desk without the routing app
    make_rule(actions=[{"type": "assign"}, {"type": "add_tags", "tags": ["unrouted"]}])
    case = opened(agent, customer, team, now)
    deliver()
    assert fired_text(case) == [
        "add tags unrouted. Skipped: assign by the team's own method (Routing is not installed)"
    ]


def test_set_owner_team_status_and_type(make_rule, deliver, agent, other_team, customer, team, now):
    make_rule(actions=[{"type": "set_fields", "fields": {"owner": agent.pk, "team": other_team.pk,
                                                          "status": "open", "type": "request"}}])  # fmt: skip
    case = opened(agent, customer, team, now)
    deliver()
    case.refresh_from_db()
    assert (case.owner, case.team, case.status, case.type) == (agent, other_team, "open", "request")


def test_start_a_complaint(make_rule, deliver, agent, customer, team, now):
    make_rule(conditions={"match": "all", "conditions": [{"field": "text", "op": "contains", "value": "complain"}]},
              actions=[{"type": "start_complaint"}])  # fmt: skip
    case = opened(agent, customer, team, now, subject="I want to complain about the delay")
    deliver()
    case.refresh_from_db()
    assert case.type == "complaint"


def test_notify_people_emails_them(make_rule, deliver, agent, customer, team, manager, now):
    make_rule(actions=[{"type": "notify", "people": ["owner", manager.pk], "message": "Look at this one."}])
    case = opened(agent, customer, team, now, owner=agent)
    deliver()
    from rapport.mail.models import OutboxEmail

    sent = OutboxEmail.objects.get(subject__contains=case.reference, message__isnull=True)
    assert sorted(sent.to.replace(" ", "").split(",")) == ["agent@example.com", "manager@example.com"]
    assert "Look at this one." in sent.text


def test_send_a_templated_reply(make_rule, deliver, agent, customer, team, now):
    make_rule(actions=[{"type": "send_reply", "body": "Hello {{ customer.name }}, we have your message."}])
    case = opened(agent, customer, team, now)
    deliver()
    from rapport.mail.models import OutboxEmail

    reply = Message.objects.get(case=case, kind="outbound")
    assert reply.body.startswith("Hello Alice")
    assert OutboxEmail.objects.filter(message=reply).exists()  # sent through the outbox


def test_apply_a_macro(make_rule, deliver, agent, customer, team, manager, now):
    from rapport.macros.services import MacroData, macro_create

    macro = macro_create(actor=manager, data=MacroData(name="Tag it", scope="shared", add_tags="macro-tag"), now=now)
    make_rule(actions=[{"type": "apply_macro", "macro": macro.pk}])
    case = opened(agent, customer, team, now)
    deliver()
    assert "macro-tag" in set(case.tags.values_list("name", flat=True)), fired_text(case)


def test_closing_is_refused_by_the_close_guards_and_recorded(make_rule, deliver, agent, customer, team, now):
    # a complaint's close guard refuses at run time, even for a rule whose conditions missed it
    make_rule(conditions={"match": "all", "conditions": [{"field": "case.type", "op": "is", "value": "enquiry"}]},
              actions=[{"type": "start_complaint"}], position=1)  # fmt: skip
    make_rule("close", position=2, conditions={"match": "all", "conditions": [
        {"field": "case.type", "op": "is_not", "value": "complaint"}]},
        actions=[{"type": "set_fields", "fields": {"status": "resolved"}}])  # fmt: skip
    case = opened(agent, customer, team, now)
    deliver()
    case.refresh_from_db()
    assert case.type == "complaint"
    assert case.status != "resolved"


@pytest.mark.parametrize("restricted", [True, False])
def test_restriction_of_processing_skips_every_action(
    make_rule, deliver, agent, customer, customer_user, team, now, restricted
):
    from rapport.privacy import rights
    from rapport.privacy.services import data_request_create

    if restricted:
        request = data_request_create(actor=customer_user, customer=customer, kind="restriction", now=now)
        rights.restriction_grant(
            actor=agent, reference=request.case.reference, ground="claims", reason="Needed for her claim", now=now
        )
    make_rule(actions=[{"type": "add_tags", "tags": ["x"]}])
    case = opened(agent, customer, team, now)
    deliver()
    texts = fired_text(case)
    assert ("Art 18" in texts[0]) is restricted
    assert case.tags.exists() is not restricted


def test_adjustments_skip_an_automatic_reply(make_rule, deliver, agent, customer, team, manager, now):
    from rapport.privacy.services import adjustment_record

    adjustment_record(actor=manager, customer=customer, kind="bsl_relay", detail="Prefers BSL by video relay", now=now)
    make_rule(actions=[{"type": "send_reply", "body": "Thanks"}, {"type": "add_tags", "tags": ["x"]}])
    case = opened(agent, customer, team, now)
    deliver()
    assert not Message.objects.filter(case=case, kind="outbound").exists()
    assert "Equality Act 2010 s.20" in fired_text(case)[0]


def test_merged_cases_are_not_evaluated(make_rule, agent, customer, team, now):
    from rapport.automation.services import events_received

    make_rule(actions=[{"type": "add_tags", "tags": ["x"]}])
    case = opened(agent, customer, team, now)
    Case.objects.filter(pk=case.pk).update(merged_into=opened(agent, customer, team, now, subject="Other"))
    assert events_received(list(CaseEvent.objects.filter(case=case, kind="created")), now=now) == 0


def test_no_rule_means_no_delivery_rows(agent, customer, team, now):
    from rapport.cases.models import JournalDelivery

    opened(agent, customer, team, now)
    assert not JournalDelivery.objects.filter(subscriber__startswith="automation.").exists()
    AutomationRule.objects.all().delete()


def test_an_action_that_fails_is_recorded_and_the_rest_still_run(
    make_rule, deliver, agent, customer, team, now, monkeypatch
):
    def broken_router(case, method, when):
        raise RuntimeError("routing database unreachable")

    monkeypatch.setattr(extensions, "routers", [broken_router])
    make_rule(actions=[{"type": "assign"}, {"type": "add_tags", "tags": ["after"]}])
    case = opened(agent, customer, team, now)
    deliver()
    assert list(case.tags.values_list("name", flat=True)) == ["after"]
    assert fired_text(case) == [
        "add tags after. Skipped: assign by the team's own method (it failed; the error is in the log)"
    ]
