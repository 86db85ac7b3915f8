"""Macros: who may keep which, placeholders, preview, applying as one event, refusals, usage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport import extensions
from rapport.cases.models import CaseEvent, Message
from rapport.macros import selectors, services
from rapport.macros.models import Macro, Scope, Signature
from rapport.macros.services import MacroData
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound, Refused

# --- who may keep which macros -------------------------------------------------------------------


def test_an_agent_keeps_personal_macros_only(agent, team, now):
    mine = services.macro_create(actor=agent, data=MacroData(name="Mine", reply="Hello"), now=now)
    assert (mine.scope, mine.owner_id) == ("personal", agent.pk)
    for scope, team_id in (("shared", None), ("team", team.pk)):
        with pytest.raises(FieldError) as refused:
            services.macro_create(
                actor=agent, data=MacroData(name="X", scope=scope, team_id=team_id, reply="Hi"), now=now
            )
        assert refused.value.errors == {"scope": [services.SCOPE_NOT_YOURS]}
    assert Macro.objects.count() == 1


def test_a_team_leader_keeps_their_teams_macros_and_a_manager_shared_ones(team_leader, manager, team, other_team, now):
    data = MacroData(name="Team", scope="team", team_id=team.pk, reply="Hi")
    assert services.macro_create(actor=team_leader, data=data, now=now).team_id == team.pk
    with pytest.raises(FieldError):
        services.macro_create(actor=team_leader, data=MacroData(**{**data.__dict__, "team_id": other_team.pk}), now=now)
    with pytest.raises(FieldError):
        services.macro_create(actor=team_leader, data=MacroData(name="S", scope="shared", reply="Hi"), now=now)
    assert (
        services.macro_create(actor=manager, data=MacroData(name="S", scope="shared", reply="Hi"), now=now).scope
        == "shared"
    )


def test_nobody_sees_or_edits_another_persons_personal_macro(agent, team_leader, manager, make_macro, now):
    private = make_macro(name="Priya's", scope=Scope.PERSONAL, owner=agent, reply="Hi")
    for other in (team_leader, manager):
        with pytest.raises(NotFound):
            selectors.macro_get(other, private.pk)
        with pytest.raises(NotFound):
            services.macro_update(actor=other, macro=private, data=MacroData(name="Mine now", reply="x"), now=now)
    assert selectors.macro_get(agent, private.pk) == private


def test_an_agent_uses_a_shared_macro_but_may_not_edit_it(agent, make_macro, now):
    shared = make_macro(reply="Hi")
    with pytest.raises(Forbidden):
        services.macro_update(
            actor=agent, macro=shared, data=MacroData(name="Changed", scope="shared", reply="x"), now=now
        )
    with pytest.raises(Forbidden):
        services.macro_delete(actor=agent, macro=shared)
    assert Macro.objects.get(pk=shared.pk).name == "Ask for the order number"


def test_team_macros_are_for_the_team(agent, other_agent, team, make_macro):
    ours = make_macro(name="Ours", scope=Scope.TEAM, team=team, reply="Hi")
    assert [m.name for m in selectors.macros_usable(agent)] == ["Ours"]
    assert list(selectors.macros_usable(other_agent)) == []
    with pytest.raises(NotFound):
        selectors.macro_get(other_agent, ours.pk)


# --- what a macro may say ------------------------------------------------------------------------


def test_unknown_placeholders_are_refused_when_saving_with_the_field_named(agent, now):
    with pytest.raises(FieldError) as refused:
        services.macro_create(
            actor=agent, data=MacroData(name="Typo", reply="Dear {{ cusomer.name }}", note="{{ agent.nick }}"), now=now
        )
    assert set(refused.value.errors) == {"reply", "note"}
    assert refused.value.errors["reply"][0].startswith("{{ cusomer.name }} is not a placeholder.")
    assert Macro.objects.count() == 0


def test_a_macro_needs_a_name_and_something_to_do(agent, now):
    with pytest.raises(FieldError) as refused:
        services.macro_create(actor=agent, data=MacroData(name="  "), now=now)
    assert refused.value.errors == {"name": [services.NAME_REQUIRED], "reply": [services.EMPTY_MACRO]}


def test_actions_are_checked_when_saving(agent, now):
    data = MacroData(name="Bad", set_status="sleeping", set_priority="vital", add_tags="<b>", set_owner_id=999999)
    with pytest.raises(FieldError) as refused:
        services.macro_create(actor=agent, data=data, now=now)
    assert set(refused.value.errors) == {"set_status", "set_priority", "add_tags", "set_owner"}


# --- preview and apply ---------------------------------------------------------------------------


def test_preview_fills_placeholders_and_lists_changes_without_writing(agent, case, order_number, now):
    preview = services.macro_preview(actor=agent, case=case, macro=order_number, now=now)
    assert preview.reply_source.startswith("Dear Alice Jones,")
    assert case.reference in preview.reply_source
    assert "<strong>order number</strong>" in preview.reply_html
    assert preview.note == "Asked Alice Jones for the order number."
    changed = {c.field: (c.before, c.after) for c in preview.changed}
    assert changed == {
        "status": ("New", "Waiting on customer"),
        "priority": ("Normal", "High"),
        "tags": ("", "chased, order-number"),
    }
    assert preview.refusals == ()
    assert CaseEvent.objects.filter(case=case, kind="macro_applied").count() == 0


def test_applying_is_one_macro_event_plus_the_ordinary_events(agent, case, order_number, now):
    later = now + timedelta(minutes=5)
    applied = services.apply_macro(actor=agent, case=case, macro=order_number, version=case.version, now=later)

    events = list(CaseEvent.objects.filter(case=case, at=later).values_list("kind", "field", "after"))
    assert events[0] == ("macro_applied", "macro", "Ask for the order number")
    assert [e for e in events if e[0] == "macro_applied"] == [events[0]]
    assert ("changed", "priority", "high") in events
    assert ("changed", "tags", "chased, order-number") in events
    assert ("changed", "status", "waiting_on_customer") in events
    assert {e[0] for e in events} >= {"message", "note"}
    reply = applied.reply
    assert reply is not None
    assert reply.kind == "outbound"
    assert reply.body_format == "markdown"
    assert Message.objects.filter(case=case, kind="note", body="Asked Alice Jones for the order number.").exists()
    assert applied.case.status == "waiting_on_customer"
    assert applied.case.version > case.version
    order_number.refresh_from_db()
    assert (order_number.uses, order_number.last_used_at) == (1, later)


def test_a_stale_version_is_a_conflict_and_nothing_is_written(agent, case, order_number, now):
    with pytest.raises(Conflict) as conflict:
        services.apply_macro(actor=agent, case=case, macro=order_number, version=case.version - 1, now=now)
    assert conflict.value.current.pk == case.pk
    assert not CaseEvent.objects.filter(case=case, kind="macro_applied").exists()
    assert Message.objects.filter(case=case).count() == 1
    assert Macro.objects.get(pk=order_number.pk).uses == 0


def test_a_reply_to_a_customer_who_may_not_be_contacted_is_refused(agent, case, order_number, now):
    extensions.contact_permissions.append(lambda customer, purpose, channel: False)
    preview = services.macro_preview(actor=agent, case=case, macro=order_number, now=now)
    assert preview.refusals == (services.CONTACT_NOT_PERMITTED,)
    with pytest.raises(Refused) as refused:
        services.apply_macro(actor=agent, case=case, macro=order_number, version=case.version, now=now)
    assert refused.value.message == services.CONTACT_NOT_PERMITTED
    assert Message.objects.filter(case=case).count() == 1
    assert Macro.objects.get(pk=order_number.pk).uses == 0


def test_a_reply_under_a_restriction_of_processing_is_refused_with_the_reason(agent, case, order_number, now):
    reason = "Processing is restricted while the accuracy of the data is checked (UK GDPR Art 18)."
    extensions.record_guards.append(lambda customer: [reason])
    with pytest.raises(Refused) as refused:
        services.apply_macro(actor=agent, case=case, macro=order_number, version=case.version, now=now)
    assert reason in refused.value.message


def test_a_note_only_macro_is_not_a_reply_so_a_restriction_does_not_stop_it(agent, case, make_macro, now):
    extensions.record_guards.append(lambda customer: ["restricted"])
    escalate = make_macro(name="Escalate", note="For billing: {{ case.reference }}", add_tags="billing")
    applied = services.apply_macro(actor=agent, case=case, macro=escalate, version=case.version, now=now)
    assert applied.reply is None
    assert Message.objects.filter(case=case, kind="note").count() == 1


def test_closing_a_complaint_without_its_heat_stages_is_refused(agent, case, make_macro, now):
    # the complaints app's close guard answers through ``extensions.close_guards``, as here
    heat = "Record the Hear stage before closing a complaint."
    extensions.close_guards.append(lambda c, actor, target: [heat] if target in {"resolved", "closed"} else [])
    close = make_macro(name="Close", set_status="resolved", reply="All done.")
    assert services.macro_preview(actor=agent, case=case, macro=close, now=now).refusals == (heat,)
    with pytest.raises(Refused) as refused:
        services.apply_macro(actor=agent, case=case, macro=close, version=case.version, now=now)
    assert refused.value.message == heat
    case.refresh_from_db()
    assert case.status == "new"
    assert Message.objects.filter(case=case).count() == 1


def test_a_move_the_lifecycle_forbids_is_refused(agent, case, make_macro, now):
    from rapport.cases.services import case_update

    closed = case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"status": "closed"}
    )
    reopen = make_macro(name="Waiting", set_status="waiting_on_third_party")
    assert services.macro_preview(actor=agent, case=closed, macro=reopen, now=now).refusals == (
        "A closed case cannot move to waiting on third party.",
    )


# --- reasonable adjustments ------------------------------------------------------------------------


def test_plain_text_only_customers_get_the_reply_as_plain_text(agent, case, order_number, now):
    extensions.outbound_preferences.append(lambda c: extensions.OutboundPreferences(plain_text_only=True))
    preview = services.macro_preview(actor=agent, case=case, macro=order_number, now=now)
    assert preview.plain_text_only
    assert preview.reply_html == ""
    assert "Could you send your order number?" in preview.reply_text
    applied = services.apply_macro(actor=agent, case=case, macro=order_number, version=case.version, now=now)
    assert applied.reply is not None
    assert (applied.reply.body_format, applied.reply.body_html) == ("text", "")
    assert "**" not in applied.reply.body


def test_a_named_contact_is_addressed_with_the_customer(agent, case, order_number, now):
    extensions.outbound_preferences.append(lambda c: extensions.OutboundPreferences(contact_name="Tom Jones"))
    preview = services.macro_preview(actor=agent, case=case, macro=order_number, now=now)
    assert preview.reply_source.startswith("Dear Alice Jones and Tom Jones,")


# --- placeholders that need the clock ------------------------------------------------------------


def test_the_sla_promise_and_next_business_day_placeholders(agent, case, make_macro, now):
    # now is Monday 2 March 2026, 10:00 UTC; the next target is Wednesday at 1pm
    case.next_breach_at = now.replace(day=4, hour=13)
    macro = make_macro(
        name="Promise", reply="We'll answer {{ sla.promise }}; the engineer comes {{ next_business_day }}."
    )
    preview = services.macro_preview(actor=agent, case=case, macro=macro, now=now)
    assert preview.reply_source == "We'll answer by 1pm on Wednesday; the engineer comes Tuesday 3 March."


def test_without_a_running_target_the_promise_is_as_soon_as_we_can(agent, case, make_macro, now):
    case.next_breach_at = None
    macro = make_macro(name="Promise", reply="We'll answer {{ sla.promise }}.")
    assert services.macro_preview(actor=agent, case=case, macro=macro, now=now).reply_source == (
        "We'll answer as soon as we can."
    )


# --- signatures ----------------------------------------------------------------------------------


def test_replies_are_signed_with_the_agents_own_signature_else_the_teams(agent, case, team, make_macro, now):
    services.signature_set(actor=agent, body="", now=now)
    Signature.objects.create(team=team, body="The Front line team", updated_at=now)
    macro = make_macro(name="Hello", reply="Hello {{ customer.name }}")
    reply = services.apply_macro(actor=agent, case=case, macro=macro, version=case.version, now=now).reply
    assert reply is not None
    assert reply.body == "Hello Alice Jones\n\nThe Front line team"

    services.signature_set(actor=agent, body="Priya Shah  \nCustomer Service", now=now)
    case.refresh_from_db()
    again = services.apply_macro(actor=agent, case=case, macro=macro, version=case.version, now=now).reply
    assert again is not None
    assert again.body.endswith("Priya Shah  \nCustomer Service")
    assert "Front line team" not in again.body


def test_a_macro_that_places_the_signature_itself_is_signed_once(agent, case, make_macro, now):
    services.signature_set(actor=agent, body="Priya", now=now)
    macro = make_macro(name="Signed", reply="Thanks.\n\n{{ agent.signature }}")
    reply = services.apply_macro(actor=agent, case=case, macro=macro, version=case.version, now=now).reply
    assert reply is not None
    assert reply.body == "Thanks.\n\nPriya"


def test_only_a_teams_leader_or_a_manager_sets_its_signature(agent, team_leader, manager, team, other_team, now):
    with pytest.raises(Forbidden):
        services.signature_set(actor=agent, body="Team", team=team, now=now)
    with pytest.raises(Forbidden):
        services.signature_set(actor=team_leader, body="Team", team=other_team, now=now)
    services.signature_set(actor=team_leader, body="Front line", team=team, now=now)
    services.signature_set(actor=manager, body="Billing", team=other_team, now=now)
    assert set(Signature.objects.values_list("body", flat=True)) == {"Front line", "Billing"}


# --- the queue's bulk action -----------------------------------------------------------------------


def test_the_bulk_action_applies_or_refuses_one_row(agent, case, order_number, now):
    action = extensions.bulk_actions.get("apply_macro")
    assert action is not None
    assert action.each is not None
    assert action.prepare is not None
    params = action.prepare(agent, {"macro": "ask for the ORDER number"})
    assert params == {"macro": order_number}
    assert action.prepare(agent, {"macro": str(order_number.pk)}) == params
    with pytest.raises(FieldError):
        action.prepare(agent, {"macro": "nope"})
    with pytest.raises(Conflict):
        action.each(agent, case, case.version + 1, params, now)
    action.each(agent, case, case.version, params, now)
    assert CaseEvent.objects.filter(case=case, kind="macro_applied").count() == 1


# --- usage ---------------------------------------------------------------------------------------


def test_leaders_see_macros_by_use_but_never_another_persons_personal_ones(
    agent, team_leader, manager, team, make_macro, now
):
    make_macro(name="Rare", uses=1)
    make_macro(name="Popular", uses=40, last_used_at=now)
    make_macro(name="Team", scope=Scope.TEAM, team=team, uses=7)
    make_macro(name="Private", scope=Scope.PERSONAL, owner=agent, uses=99)
    assert [m.name for m in selectors.macro_usage(team_leader).items] == ["Popular", "Team", "Rare"]
    assert [m.name for m in selectors.macro_usage(manager).items] == ["Popular", "Team", "Rare"]
