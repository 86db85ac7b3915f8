"""Search over the API: ranked hits within what the caller may see."""

from __future__ import annotations

import pytest

from rapport.customers.services import customer_create

from .conftest import fields


def hits(client, auth, user, q):
    response = client.get("/api/v1/search", {"q": q}, **auth(user))
    assert response.status_code == 200, response.json()
    return response.json()["items"]


def test_staff_find_cases_and_customers(client, auth, agent, case):
    customer = customer_create(actor=agent, name="Dora Whitlock", email="dora@example.com")

    found = hits(client, auth, agent, "kettle")
    assert {(hit["kind"], hit["case"], hit["url"]) for hit in found} == {
        ("case", case.reference, f"/cases/{case.reference}/"),
        ("message", case.reference, f"/cases/{case.reference}/"),
    }
    [hit] = hits(client, auth, agent, "whitlock")
    assert (hit["kind"], hit["customer_id"], hit["url"]) == ("customer", customer.pk, f"/customers/{customer.pk}/")


def test_a_customer_finds_only_their_own_cases_and_never_notes(client, auth, customer_user, case, other_case, note):
    assert hits(client, auth, customer_user, "refund") == []
    assert hits(client, auth, customer_user, "faulty batch") == []
    assert {hit["case"] for hit in hits(client, auth, customer_user, "kettle")} == {case.reference}


@pytest.mark.parametrize(("params", "field"), [({}, "q"), ({"q": ""}, "q"), ({"q": "x", "limit": "500"}, "limit")])
def test_a_bad_search_is_a_422_naming_the_field(client, auth, agent, params, field):
    response = client.get("/api/v1/search", params, **auth(agent))

    assert response.status_code == 422
    assert list(fields(response)) == [field]


@pytest.mark.parametrize("typed", ["reference", "bare"])
def test_staff_find_a_case_by_its_reference_first(client, auth, agent, case, typed):
    q = case.reference if typed == "reference" else str(case.pk)

    found = hits(client, auth, agent, q)

    assert found[0]["kind"] == "case"
    assert found[0]["case"] == case.reference
    assert found[0]["url"] == f"/cases/{case.reference}/"
    assert [hit["case"] for hit in found if hit["kind"] == "case"].count(case.reference) == 1


def test_a_customer_finds_their_own_case_by_reference_and_not_another(client, auth, customer_user, case, other_case):
    [own] = hits(client, auth, customer_user, f"{case.pk:06d}")
    assert (own["kind"], own["case"]) == ("case", case.reference)

    assert hits(client, auth, customer_user, other_case.reference) == []
    assert hits(client, auth, customer_user, str(other_case.pk)) == []
