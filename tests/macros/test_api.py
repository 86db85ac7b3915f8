"""/api/v1/macros and /api/v1/cases/{reference}/macros/{id}/apply."""

from __future__ import annotations

import json

import pytest

from rapport import extensions
from rapport.cases.models import CaseEvent
from rapport.macros.models import Macro, Scope
from tests.api.conftest import fields


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_list_is_paginated_filtered_by_scope_and_costs_the_same_for_any_page_size(
    client, auth, agent, make_macro, django_assert_num_queries
):
    headers = auth(agent)
    client.get("/api/v1/macros", **headers)  # the token is looked up and remembered
    for n in range(3):
        make_macro(name=f"Shared {n}", reply="Hi")
    make_macro(name="Mine", scope=Scope.PERSONAL, owner=agent, reply="Hi")
    with django_assert_num_queries(3) as few:
        first = client.get("/api/v1/macros?limit=2", **headers)
    for n in range(3, 12):
        make_macro(name=f"Shared {n}", reply="Hi")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/api/v1/macros?limit=20", **headers)
    body = first.json()
    assert [m["name"] for m in body["items"]] == ["Mine", "Shared 0"]
    second = client.get(f"/api/v1/macros?limit=2&cursor={body['next_cursor']}", **headers).json()
    assert [m["name"] for m in second["items"]] == ["Shared 1", "Shared 10"]
    personal = client.get("/api/v1/macros?scope=personal", **headers).json()
    assert [m["name"] for m in personal["items"]] == ["Mine"]
    assert client.get("/api/v1/macros?scope=everyone", **headers).status_code == 422


def test_create_refuses_unknown_placeholders_naming_the_field(client, auth, agent):
    response = post(client, "/api/v1/macros", {"name": "Typo", "reply": "Dear {{ customer.nme }}"}, auth(agent))
    assert response.status_code == 422
    assert list(fields(response)) == ["reply"]
    assert fields(response)["reply"][0].startswith("{{ customer.nme }} is not a placeholder.")
    created = post(client, "/api/v1/macros", {"name": "Hello", "reply": "Dear {{ customer.name }}"}, auth(agent))
    assert created.status_code == 201
    assert created.json()["scope"] == "personal"
    assert created.json()["can_edit"] is True


def test_an_agent_may_not_create_shared_macros(client, auth, agent):
    response = post(client, "/api/v1/macros", {"name": "For all", "scope": "shared", "reply": "Hi"}, auth(agent))
    assert response.status_code == 422
    assert list(fields(response)) == ["scope"]


def test_patch_and_delete_follow_who_may_edit(client, auth, agent, manager, make_macro):
    shared = make_macro(reply="Hi")
    url = f"/api/v1/macros/{shared.pk}"
    patched = client.patch(url, json.dumps({"name": "Renamed"}), content_type="application/json", **auth(agent))
    assert patched.status_code == 403
    patched = client.patch(
        url, json.dumps({"set_priority": "urgent"}), content_type="application/json", **auth(manager)
    )
    assert patched.status_code == 200
    assert patched.json()["set_priority"] == "urgent"
    assert patched.json()["name"] == "Ask for the order number"
    assert client.delete(url, **auth(agent)).status_code == 403
    assert client.delete(url, **auth(manager)).status_code == 204
    assert not Macro.objects.exists()


def test_another_persons_personal_macro_is_not_found(client, auth, agent, manager, make_macro):
    private = make_macro(name="Mine", scope=Scope.PERSONAL, owner=agent, reply="Hi")
    assert client.get(f"/api/v1/macros/{private.pk}", **auth(manager)).status_code == 404
    assert client.get(f"/api/v1/macros/{private.pk}", **auth(agent)).status_code == 200


def test_customers_get_no_macros(client, auth, customer_user, make_macro):
    make_macro(reply="Hi")
    assert client.get("/api/v1/macros", **auth(customer_user)).status_code == 404


def test_preview_writes_nothing_and_apply_writes_once(client, auth, agent, case, order_number):
    url = f"/api/v1/cases/{case.reference}/macros/{order_number.pk}/apply"
    preview = post(client, url + "?preview=true", {"version": case.version}, auth(agent))
    assert preview.status_code == 200
    assert preview.json()["applied"] is False
    assert preview.json()["preview"]["reply"].startswith("Dear Alice Jones,")
    assert not CaseEvent.objects.filter(case=case, kind="macro_applied").exists()

    applied = post(client, url, {"version": case.version}, auth(agent))
    assert applied.status_code == 200
    assert applied.json()["applied"] is True
    assert applied.json()["version"] > case.version
    assert applied.json()["message_id"] is not None

    stale = post(client, url, {"version": case.version}, auth(agent))
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == applied.json()["version"]
    assert CaseEvent.objects.filter(case=case, kind="macro_applied").count() == 1


def test_a_refused_macro_is_a_409_with_the_reason(client, auth, agent, case, order_number, monkeypatch):
    monkeypatch.setattr(extensions, "contact_permissions", [lambda c, p, ch: False])
    url = f"/api/v1/cases/{case.reference}/macros/{order_number.pk}/apply"
    refused = post(client, url, {"version": case.version}, auth(agent))
    assert refused.status_code == 409
    assert "may not be contacted" in refused.json()["detail"]


@pytest.mark.parametrize("body", [{}, {"version": "two"}, {"version": 1, "extra": True}])
def test_apply_without_a_good_version_names_the_field(client, auth, agent, case, order_number, body):
    url = f"/api/v1/cases/{case.reference}/macros/{order_number.pk}/apply"
    response = post(client, url, body, auth(agent))
    assert response.status_code == 422
    assert set(fields(response)) <= {"version", "extra"}
