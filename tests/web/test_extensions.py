"""The hooks capability apps plug into: they reach the pages, the queue and the case rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport import extensions
from rapport.cases.services import case_update, message_add
from rapport.platform.errors import FieldError
from tests.web.conftest import signed_in

TEMPLATES = Path(__file__).parent.parent / "templates"


@pytest.fixture
def registered(monkeypatch, settings):
    """Swap every registry for an empty list for the test, so hooks never leak between tests."""
    names = [
        "case_panels",
        "customer_panels",
        "queue_badges",
        "nav_items",
        "close_guards",
        "outbound_preferences",
        "contact_permissions",
        "legal_holds",
        "sla_target_adjusters",
        "deadlines",
    ]
    for name in names:
        monkeypatch.setattr(extensions, name, [])
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [TEMPLATES]}]
    return extensions


def test_a_close_guard_keeps_a_case_open_with_its_reason(registered, agent, case, now):
    registered.close_guards.append(lambda c, actor, target: ["Record the root cause first."])
    with pytest.raises(FieldError) as refused:
        case_update(actor=agent, reference=case.reference, expected_version=case.version, changes={"status": "closed"})
    assert refused.value.errors == {"status": ["Record the root cause first."]}
    case.refresh_from_db()
    assert case.status == "new"
    with pytest.raises(FieldError) as refused:
        message_add(actor=agent, reference=case.reference, kind="outbound", body="Done.", status_after="resolved")
    assert refused.value.errors == {"status_after": ["Record the root cause first."]}
    assert case.messages.count() == 1


def test_guards_are_not_asked_about_other_moves(registered, agent, case):
    asked = []
    registered.close_guards.append(lambda c, actor, target: asked.append(target) or [])
    case_update(actor=agent, reference=case.reference, expected_version=case.version, changes={"priority": 3})
    assert asked == []
    case_update(actor=agent, reference=case.reference, expected_version=2, changes={"status": "resolved"})
    assert asked == ["resolved"]


def test_panels_and_access_sinks_reach_the_case_and_customer_pages(registered, monkeypatch, agent, case):
    from rapport.access import log

    seen = []
    monkeypatch.setattr(log, "sinks", [lambda batch: seen.extend((a.actor_id, a.customer_id, a.what) for a in batch)])
    registered.case_panels.append(
        lambda request, c: extensions.Panel(
            "web/_test_panel.html", place="top", context={"text": f"Panel {c.reference}"}
        )
    )
    registered.customer_panels.append(
        lambda request, customer: extensions.Panel("web/_test_panel.html", place="side", context={"text": "Value"})
    )
    client = signed_in(agent)
    page = client.get(f"/cases/{case.reference}/")
    assert f"Panel {case.reference}" in page.content.decode()
    page = client.get(f"/customers/{case.customer_id}/")
    assert "Value" in page.content.decode()
    assert seen == [
        (agent.pk, case.customer_id, f"case {case.reference}"),
        (agent.pk, case.customer_id, "customer record"),
    ]


def test_queue_badges_cost_one_call_per_page(registered, agent, make_cases):
    cases = make_cases(3)
    calls = []

    def badges(actor, page):
        calls.append(len(page))
        return {page[0].pk: [extensions.Badge("Adjustments", title="Large print")]}

    registered.queue_badges.append(badges)
    response = signed_in(agent).get("/?queue=all")
    assert calls == [3]
    assert response.content.decode().count(">Adjustments</span>") == 1
    assert cases


def test_nav_items_show_to_the_staff_they_admit(registered, agent, manager):
    registered.nav_items.append(
        extensions.NavItem("Reports", "home", "reports", visible=lambda user: user.role == "manager")
    )
    assert ">Reports</a>" not in signed_in(agent).get("/").content.decode()
    assert ">Reports</a>" in signed_in(manager).get("/").content.decode()


def test_merged_preferences_and_permissions(registered, customer):
    registered.outbound_preferences += [
        lambda c: extensions.OutboundPreferences(large_print=True, notes=("Large print",)),
        lambda c: extensions.OutboundPreferences(plain_text_only=True, contact_name="Sam (advocate)"),
        lambda c: None,
    ]
    merged = extensions.preferences_for(customer)
    assert merged == extensions.OutboundPreferences(True, True, "Sam (advocate)", ("Large print",))
    registered.contact_permissions += [lambda c, purpose, channel: None]
    assert extensions.contact_permitted(customer, "survey", "email")
    registered.contact_permissions += [lambda c, purpose, channel: purpose != "marketing"]
    assert not extensions.contact_permitted(customer, "marketing", "email")
    registered.legal_holds += [lambda c: ["Open complaint C-000001"]]
    assert extensions.hold_reasons(customer) == ["Open complaint C-000001"]


def test_a_named_registry_refuses_a_second_answer_for_one_name():
    registry: extensions.Registry[int] = extensions.Registry("KPI source")
    registry.register("sla_attainment", 1)
    registry.register("sla_attainment", 1)  # the same entry again (an app registering twice) is harmless
    with pytest.raises(ValueError, match="KPI source 'sla_attainment' is already registered"):
        registry.register("sla_attainment", 2)
    assert list(registry) == ["sla_attainment"]


def test_capabilities_answer_each_other_through_the_registries():
    """What the installed apps register for one another: nothing is imported across apps."""
    assert extensions.SLA_ATTAINMENT in extensions.kpi_sources
    assert extensions.ROOT_CAUSE in extensions.case_facts
    assert {
        extensions.COMPLAINT_HANDLING,
        extensions.DATA_REQUEST_TIMELINESS,
        extensions.ADJUSTMENTS_FOLLOWED,
    } <= set(extensions.case_findings)
    assert extensions.case_calendars


def test_a_measure_no_app_registers_is_not_measured(monkeypatch, now):
    from django.db.models import Q

    monkeypatch.setattr(extensions, "kpi_sources", extensions.Registry("KPI source"))
    scope = extensions.KpiScope(cases=lambda prefix: Q(), start=now, end=now)
    assert extensions.kpi(extensions.SLA_ATTAINMENT, scope) is None
    monkeypatch.setattr(extensions, "case_facts", extensions.Registry("case fact"))
    assert extensions.case_fact(extensions.ROOT_CAUSE, 1, 10) == {}
