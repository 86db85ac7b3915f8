"""The automation API (/api/v1/automation/rules) and pages: managers write, team leaders read,
agents see nothing; 422 JSON naming the field; refusals at save; versions; dry run; firings; CSV;
a fixed number of queries on the lists."""

from __future__ import annotations

import json

import pytest

from rapport.automation.models import AutomationRule, AutomationRuleVersion
from rapport.domain import automation as rules
from tests.api.conftest import auth  # noqa: F401 - the fixture
from tests.web.conftest import signed_in
from tests.web.html_checks import page_problems

API = "/api/v1/automation/rules"
TAG_NEW = {
    "trigger": "event",
    "events": ["created"],
    "conditions": {"match": "all", "conditions": [{"field": "case.channel", "op": "is", "value": "email"}]},
    "actions": [{"type": "add_tags", "tags": ["email"]}],
}


def _post(client, url, data, headers):
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def test_create_read_update_version_and_delete(client, auth, manager):  # noqa: F811
    headers = auth(manager)
    made = _post(client, API, {"name": "Email tag", "definition": TAG_NEW}, headers)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["version"], body["active"], body["trigger"]) == (1, False, "event")
    rule_id = body["id"]
    # switching on is not a new version; a new definition is
    on = client.patch(f"{API}/{rule_id}", data=json.dumps({"active": True}), content_type="application/json", **headers)
    assert (on.json()["active"], on.json()["version"]) == (True, 1)
    changed = {**TAG_NEW, "actions": [{"type": "add_tags", "tags": ["mail"]}]}
    patched = client.patch(f"{API}/{rule_id}", data=json.dumps({"definition": changed}),
                           content_type="application/json", **headers)  # fmt: skip
    assert patched.json()["version"] == 2
    assert list(AutomationRuleVersion.objects.filter(rule_id=rule_id).values_list("version", flat=True)) == [2, 1]
    assert [r["id"] for r in client.get(API, **headers).json()["items"]] == [rule_id]
    assert client.get(f"{API}/{rule_id}", **headers).json()["definition"] == changed
    assert client.get(f"{API}/{rule_id}/firings", **headers).json()["count"] == 0
    assert client.delete(f"{API}/{rule_id}", **headers).status_code == 204
    assert client.get(f"{API}/{rule_id}", **headers).status_code == 404


def test_bad_input_is_a_400_naming_the_field(client, auth, manager):  # noqa: F811
    headers = auth(manager)
    bad = _post(client, API, {"name": "x", "definition": {**TAG_NEW, "actions": [{"type": "launch"}]}}, headers)
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["definition.actions.0.type"]
    junk = client.post(API, data="{", content_type="application/json", **headers)
    assert junk.status_code in {400, 422}
    assert client.get(f"{API}/nope", **headers).status_code == 422
    assert client.get(f"{API}/999999", **headers).status_code == 404
    assert not AutomationRule.objects.exists()


def test_a_rule_that_would_close_complaints_is_refused_with_the_reason(client, auth, manager):  # noqa: F811
    closing = {**TAG_NEW, "conditions": {"match": "all", "conditions": []},
               "actions": [{"type": "set_fields", "fields": {"status": "closed"}}]}  # fmt: skip
    refused = _post(client, API, {"name": "Close all", "definition": closing}, auth(manager))
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "definition", "message": rules.CLOSES_COMPLAINTS}]
    marketing = {**TAG_NEW, "actions": [{"type": "send_reply", "body": "Sale!", "purpose": "marketing"}]}
    refused = _post(client, API, {"name": "Sale", "definition": marketing}, auth(manager))
    assert refused.json()["errors"] == [{"field": "definition", "message": rules.REPLY_NOT_SERVICE}]
    assert not AutomationRule.objects.exists()


def test_who_may_read_and_write(client, auth, manager, team_leader, agent, now):  # noqa: F811
    from rapport.automation.services import rule_create

    rule = rule_create(actor=manager, name="Email tag", definition=TAG_NEW, now=now)
    assert client.get(f"{API}/{rule.pk}", **auth(team_leader)).status_code == 200
    assert _post(client, API, {"name": "x", "definition": TAG_NEW}, auth(team_leader)).status_code == 403
    assert client.get(f"{API}/{rule.pk}", **auth(agent)).status_code == 404
    assert client.get(API, **auth(agent)).json()["items"] == []
    assert client.get(f"{API}/{rule.pk}/dry-run", **auth(agent)).status_code == 404


def test_dry_run_through_the_api(client, auth, manager, case, now):  # noqa: F811
    from rapport.automation.services import rule_create

    rule = rule_create(actor=manager, name="Email tag", definition=TAG_NEW, now=now)
    found = client.get(f"{API}/{rule.pk}/dry-run", **auth(manager)).json()
    assert found["matched"] == 1
    assert found["matches"][0]["case"] == case.reference
    assert found["matches"][0]["actions"] == ["add tags email"]


def test_the_pages_create_dry_run_firings_and_csv(manager, case, now):
    client = signed_in(manager)
    empty = client.get("/automation/").content.decode()
    assert "No automation rules yet" in empty
    assert page_problems(empty) == []
    form = client.get("/automation/new/").content.decode()
    assert page_problems(form) == []
    bad = client.post("/automation/new/", {"name": "x", "definition": "{", "position": 10})
    assert bad.status_code == 400
    assert "not valid JSON" in bad.content.decode()
    refused = client.post("/automation/new/", {"name": "Close", "position": 10, "definition": json.dumps(
        {**TAG_NEW, "actions": [{"type": "set_fields", "fields": {"status": "resolved"}}]})})  # fmt: skip
    assert refused.status_code == 400
    assert "HEAT stages" in refused.content.decode()
    made = client.post("/automation/new/", {"name": "Email tag", "position": 10, "definition": json.dumps(TAG_NEW)})
    assert made.status_code == 302
    rule = AutomationRule.objects.get()
    edit = client.get(f"/automation/{rule.pk}/").content.decode()
    assert "Version 1" in edit
    assert page_problems(edit) == []
    dry = client.get(f"/automation/{rule.pk}/dry-run/").content.decode()
    assert case.reference in dry
    assert page_problems(dry) == []
    firings = client.get(f"/automation/{rule.pk}/firings/").content.decode()
    assert "has not fired yet" in firings
    assert page_problems(firings) == []
    csv = client.get("/automation/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Email tag" in csv.content.decode()


def test_agents_do_not_reach_the_pages(agent):
    assert signed_in(agent).get("/automation/").status_code == 404
    assert signed_in(agent).get("/automation/new/").status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_the_list_costs_the_same_whatever_its_length(manager, now, size, django_assert_max_num_queries):
    from rapport.automation.services import rule_create

    for i in range(size):
        rule_create(actor=manager, name=f"Rule {i}", definition=TAG_NEW, position=i, now=now)
    client = signed_in(manager)
    client.get("/")
    with django_assert_max_num_queries(10):
        html = client.get("/automation/").content.decode()
    assert html.count("Dry run<span") == size


def test_a_firing_reads_on_the_staff_timeline_and_never_reaches_the_customer(
    agent, customer_user, customer, now, make_rule, deliver
):
    from rapport.cases.services import case_create

    make_rule("Tag new cases", actions=[{"type": "add_tags", "tags": ["new"]}])
    case = case_create(actor=customer_user, customer=customer, subject="Help", body="Please help.", now=now)
    deliver()
    staff = signed_in(agent).get(f"/cases/{case.reference}/").content.decode()
    assert "Automation rule</span> “Tag new cases” (version 1) fired: add tags new" in staff
    portal = signed_in(customer_user).get(f"/portal/cases/{case.reference}/").content.decode()
    assert "Automation rule" not in portal


@pytest.mark.parametrize("size", [1, 6])
def test_the_firings_page_costs_the_same_whatever_its_length(
    manager, agent, customer, team, now, make_rule, size, django_assert_max_num_queries
):
    from rapport.automation.services import events_received
    from rapport.cases.models import CaseEvent
    from rapport.cases.services import case_create

    rule = make_rule(actions=[{"type": "add_tags", "tags": ["x"]}])
    for i in range(size):
        case = case_create(actor=agent, customer=customer, subject=f"Case {i}", body="Hello.", team=team, now=now)
        events_received(list(CaseEvent.objects.filter(case=case, kind="created")), now=now)
    client = signed_in(manager)
    client.get("/")
    with django_assert_max_num_queries(10):
        html = client.get(f"/automation/{rule.pk}/firings/").content.decode()
    assert html.count("add tags x") == size


def test_team_leaders_read_a_rule_without_a_form(team_leader, manager, now):
    from rapport.automation.services import rule_create

    rule = rule_create(actor=manager, name="Email tag", definition=TAG_NEW, now=now)
    page = signed_in(team_leader).get(f"/automation/{rule.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Save automation rule" not in html
    assert "case.channel" in html
    assert page_problems(html) == []
    assert signed_in(team_leader).post(f"/automation/{rule.pk}/", {"name": "x"}).status_code == 404
    assert signed_in(team_leader).get("/automation/new/").status_code == 404
