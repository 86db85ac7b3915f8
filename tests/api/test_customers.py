"""Customers over the API: staff find and add them; a customer sees only their own record."""

from __future__ import annotations

import pytest

from rapport import access as policy
from rapport.customers.models import Customer

from .conftest import fields


@pytest.fixture
def colleague(db, now):
    return Customer.objects.create(
        kind="colleague", name="Alan Payroll", email="alan@example.org", notes="Prefers calls.",
        created_at=now, updated_at=now,
    )  # fmt: skip


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["name"] for item in response.json()["items"]]


def test_staff_list_customers_by_name(client, auth, agent, customer, other_customer, colleague):
    assert names(client.get("/api/v1/customers", **auth(agent))) == ["Alan Payroll", "Alice Jones", "Bob Smith"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"q": "al"}, ["Alan Payroll", "Alice Jones"]), ({"q": "BOB@example.com"}, ["Bob Smith"]),
     ({"kind": "colleague"}, ["Alan Payroll"]), ({"q": "zed"}, [])],
)  # fmt: skip
def test_staff_find_customers_by_name_email_or_kind(
    client, auth, agent, customer, other_customer, colleague, params, expected
):
    assert names(client.get("/api/v1/customers", params, **auth(agent))) == expected


def test_the_cursor_walks_every_customer_once(client, auth, agent, customer, other_customer, colleague):
    first = client.get("/api/v1/customers", {"limit": 2}, **auth(agent)).json()
    second = client.get("/api/v1/customers", {"limit": 2, "cursor": first["next_cursor"]}, **auth(agent)).json()

    assert [c["name"] for c in first["items"] + second["items"]] == ["Alan Payroll", "Alice Jones", "Bob Smith"]
    assert second["next_cursor"] is None


def test_a_customer_lists_only_themselves(client, auth, customer_user, customer, other_customer, colleague):
    assert names(client.get("/api/v1/customers", {"q": "b"}, **auth(customer_user))) == []
    assert names(client.get("/api/v1/customers", **auth(customer_user))) == ["Alice Jones"]


def test_one_customer_says_whether_they_are_internal(client, auth, agent, colleague):
    body = client.get(f"/api/v1/customers/{colleague.pk}", **auth(agent)).json()

    assert (body["kind"], body["internal"], body["notes"], body["url"]) == (
        "colleague", True, "Prefers calls.", f"/customers/{colleague.pk}/",
    )  # fmt: skip


def test_a_customer_reads_their_record_without_the_desks_notes(client, auth, customer_user, customer):
    Customer.objects.filter(pk=customer.pk).update(notes="Complains a lot.")

    body = client.get(f"/api/v1/customers/{customer.pk}", **auth(customer_user)).json()
    listed = client.get("/api/v1/customers", **auth(customer_user)).json()

    assert body["name"] == "Alice Jones"
    assert "notes" not in body
    assert listed["items"] == [body]
    assert set(body) - {"audience"} == policy.CUSTOMER_RECORD_FIELDS


def test_the_customers_own_view_is_the_policys_allow_list():
    from rapport.customers.schemas import OwnRecordOut

    assert set(OwnRecordOut.model_fields) - {"audience"} == policy.CUSTOMER_RECORD_FIELDS


@pytest.mark.parametrize("target", ["other_customer", "missing"])
def test_a_customer_cannot_see_anyone_else(client, auth, customer_user, other_customer, target):
    pk = other_customer.pk if target == "other_customer" else 999_999

    response = client.get(f"/api/v1/customers/{pk}", **auth(customer_user))

    assert response.status_code == 404
    assert response.json() == {"detail": "No customer with that id.", "errors": []}


def test_staff_add_a_customer(client, auth, agent):
    response = client.post(
        "/api/v1/customers",
        {"kind": "company", "name": "Acme Ltd", "email": "Orders@Acme.example", "preferred_channel": "letter"},
        content_type="application/json",
        **auth(agent),
    )

    assert response.status_code == 201, response.json()
    customer = Customer.objects.get(name="Acme Ltd")
    assert response["Location"] == f"/api/v1/customers/{customer.pk}"
    assert (customer.email, customer.preferred_channel) == ("orders@acme.example", "letter")


@pytest.mark.parametrize(
    ("body", "field"),
    [({"email": "x@example.com"}, "name"), ({"name": " "}, "name"), ({"name": "A", "email": "nope"}, "email"),
     ({"name": "A", "kind": "robot"}, "kind"), ({"name": "A", "phone": "call me"}, "phone"),
     ({"name": "A", "user": 1}, "user")],
)  # fmt: skip
def test_a_bad_customer_is_a_422_naming_the_field_and_saves_nothing(client, auth, agent, body, field):
    response = client.post("/api/v1/customers", body, content_type="application/json", **auth(agent))

    assert response.status_code == 422
    assert field in fields(response)
    assert Customer.objects.count() == 0


def test_a_customer_cannot_add_customers(client, auth, customer_user, customer):
    response = client.post("/api/v1/customers", {"name": "Mallory"}, content_type="application/json",
                           **auth(customer_user))  # fmt: skip

    assert response.status_code == 403
    assert not Customer.objects.filter(name="Mallory").exists()
