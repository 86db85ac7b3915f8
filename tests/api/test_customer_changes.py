"""Customers over the API: changed with PATCH, erased on request with DELETE, merged when the same
person was entered twice, and synced with updated_since."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.accounts.models import ApiToken
from rapport.cases.models import Case, CaseEvent, Message
from rapport.cases.services import case_create
from rapport.customers.models import Customer
from rapport.privacy.models import Adjustment, Consent, DataRequest, LegalHold
from rapport.privacy.services import adjustment_record, consent_record, legal_hold_place

from .conftest import fields


@pytest.fixture
def duplicate(db, now):
    """Alice again, entered by hand from a phone call: no email, a phone number."""
    return Customer.objects.create(name="Alice Jones", phone="07700 900123", created_at=now, updated_at=now)


def test_staff_change_some_fields_and_the_rest_stay(client, auth, agent, customer):
    response = client.patch(
        f"/api/v1/customers/{customer.pk}", {"phone": "07700 900456"}, content_type="application/json", **auth(agent)
    )

    assert response.status_code == 200, response.json()
    customer.refresh_from_db()
    assert (customer.phone, customer.name, customer.email) == ("07700 900456", "Alice Jones", "alice@example.com")


def test_a_bad_change_names_its_field_and_changes_nothing(client, auth, agent, customer):
    response = client.patch(
        f"/api/v1/customers/{customer.pk}",
        {"email": "not an address", "name": "Alicia"},
        content_type="application/json",
        **auth(agent),
    )

    assert response.status_code == 422
    assert fields(response) == {"email": ["Enter a valid email address."]}
    customer.refresh_from_db()
    assert customer.name == "Alice Jones"


def test_a_customer_cannot_change_or_delete_records(client, auth, customer_user, customer, other_customer):
    assert (
        client.patch(
            f"/api/v1/customers/{customer.pk}", {"name": "A"}, content_type="application/json", **auth(customer_user)
        ).status_code
        == 403
    )
    assert client.delete(f"/api/v1/customers/{other_customer.pk}", **auth(customer_user)).status_code == 403


def test_delete_opens_an_erasure_request_and_names_its_holds(client, auth, manager, customer, now):
    legal_hold_place(actor=manager, customer=customer, reason="County court claim 24-117", now=now)

    response = client.delete(f"/api/v1/customers/{customer.pk}", **auth(manager))

    assert response.status_code == 202, response.json()
    body = response.json()
    request = DataRequest.objects.get(case__customer=customer)
    assert (request.kind, body["request"]) == ("erasure", request.case.reference)
    assert body["holds"] == ["Legal hold: County court claim 24-117"]
    assert response["Location"] == f"/api/v1/cases/{request.case.reference}"
    # Nothing is deleted or erased yet: the request runs its course.
    customer.refresh_from_db()
    assert customer.erased_at is None
    assert customer.name == "Alice Jones"


def test_asking_twice_answers_the_open_request(client, auth, manager, customer):
    first = client.delete(f"/api/v1/customers/{customer.pk}", **auth(manager)).json()
    second = client.delete(f"/api/v1/customers/{customer.pk}", **auth(manager)).json()

    assert first["request"] == second["request"]
    assert DataRequest.objects.filter(case__customer=customer).count() == 1


def test_merge_moves_cases_consents_adjustments_and_holds(client, auth, agent, manager, customer, duplicate, now):
    # given Alice twice: a case, a consent, an adjustment and a legal hold on the duplicate
    phoned = case_create(actor=agent, customer=duplicate, subject="Phoned about kettle", body="Rang in.",
                         channel="phone", now=now)  # fmt: skip
    consent_record(actor=agent, customer=duplicate, purpose="marketing", channel="email", granted=False,
                   method="phone call", wording="May we email you offers?", now=now)  # fmt: skip
    adjustment_record(actor=agent, customer=duplicate, kind="large_print", now=now)
    adjustment_record(actor=agent, customer=customer, kind="large_print", now=now)
    legal_hold_place(actor=manager, customer=duplicate, reason="Insurer's inquiry", now=now)

    # when they are merged
    response = client.post(
        f"/api/v1/customers/{customer.pk}/merge", {"duplicate": duplicate.pk}, content_type="application/json",
        **auth(agent),
    )  # fmt: skip

    # then everything is on the record kept, each moved case says so, and the duplicate points there
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["merged"], body["cases_moved"]) == (duplicate.pk, 1)
    assert body["moved"]["consents"] == 1
    assert body["moved"]["legal holds"] == 1
    assert Case.objects.get(pk=phoned.pk).customer_id == customer.pk
    assert Consent.objects.filter(customer=customer).count() == 1
    assert LegalHold.objects.filter(customer=customer, released_at__isnull=True).count() == 1
    assert Adjustment.objects.filter(customer=customer, kind="large_print", ended_at__isnull=True).count() == 1
    event = CaseEvent.objects.get(case=phoned, kind="customer_merged")
    assert (event.before, event.after, event.actor_id) == (str(duplicate.pk), str(customer.pk), agent.pk)
    duplicate.refresh_from_db()
    customer.refresh_from_db()
    assert duplicate.merged_into_id == customer.pk
    assert customer.phone == "07700 900123"  # a blank on the record kept is filled from the duplicate
    assert body["customer"]["phone"] == "07700 900123"


def test_a_merged_record_leaves_the_list_and_points_to_the_kept_one(client, auth, agent, customer, duplicate):
    client.post(f"/api/v1/customers/{customer.pk}/merge", {"duplicate": duplicate.pk},
                content_type="application/json", **auth(agent))  # fmt: skip

    listed = client.get("/api/v1/customers", **auth(agent)).json()["items"]
    pointer = client.get(f"/api/v1/customers/{duplicate.pk}", **auth(agent)).json()

    assert [c["id"] for c in listed] == [customer.pk]
    assert pointer["merged_into"] == customer.pk


def test_both_sign_ins_become_one(client, auth, agent, customer, customer_user, other_customer, now):
    # given Bob's record is really Alice's too, with its own portal account and a message from it
    bob_user = other_customer.user
    bobs_case = case_create(actor=bob_user, customer=other_customer, subject="Kettle", body="From my other login.",
                            channel="portal", now=now)  # fmt: skip
    auth(bob_user)

    client.post(f"/api/v1/customers/{customer.pk}/merge", {"duplicate": other_customer.pk},
                content_type="application/json", **auth(agent))  # fmt: skip

    bob_user.refresh_from_db()
    assert not bob_user.is_active
    assert not ApiToken.objects.filter(user=bob_user, revoked_at__isnull=True).exists()
    assert set(Message.objects.filter(case=bobs_case).values_list("author_id", flat=True)) == {customer_user.pk}


@pytest.mark.parametrize("problem", ["same", "erased", "unknown"])
def test_a_merge_that_cannot_be_done_changes_nothing(client, auth, agent, customer, duplicate, now, problem):
    target = {"same": customer.pk, "erased": duplicate.pk, "unknown": 999999}[problem]
    if problem == "erased":
        Customer.objects.filter(pk=duplicate.pk).update(erased_at=now)

    response = client.post(f"/api/v1/customers/{customer.pk}/merge", {"duplicate": target},
                           content_type="application/json", **auth(agent))  # fmt: skip

    assert response.status_code == (409 if problem == "erased" else 422)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_a_customer_cannot_merge_records(client, auth, customer_user, customer, duplicate):
    response = client.post(f"/api/v1/customers/{customer.pk}/merge", {"duplicate": duplicate.pk},
                           content_type="application/json", **auth(customer_user))  # fmt: skip

    assert response.status_code == 403


def test_updated_since_and_created_since_on_customers(client, auth, agent, customer, other_customer, now):
    Customer.objects.filter(pk=customer.pk).update(updated_at=now + timedelta(hours=2))

    changed = client.get("/api/v1/customers", {"updated_since": (now + timedelta(hours=1)).isoformat()}, **auth(agent))
    created = client.get("/api/v1/customers", {"created_since": (now + timedelta(hours=1)).isoformat()}, **auth(agent))

    assert [c["name"] for c in changed.json()["items"]] == ["Alice Jones"]
    assert created.json()["items"] == []


def test_updated_since_on_cases(client, auth, agent, case, now):
    Case.objects.filter(pk=case.pk).update(updated_at=now - timedelta(days=1))
    fresh = case_create(actor=agent, customer=case.customer, subject="Second", body="Again.", channel="email", now=now)

    body = client.get("/api/v1/cases", {"updated_since": (now - timedelta(hours=1)).isoformat()}, **auth(agent)).json()

    assert [c["reference"] for c in body["items"]] == [fresh.reference]


def test_a_customer_may_sync_their_own_cases_by_time(client, auth, customer_user, case, now):
    response = client.get("/api/v1/cases", {"created_since": (now - timedelta(hours=1)).isoformat()},
                          **auth(customer_user))  # fmt: skip

    assert [c["reference"] for c in response.json()["items"]] == [case.reference]


def test_the_delete_is_refused_for_an_erased_person(client, auth, manager, customer, now):
    Customer.objects.filter(pk=customer.pk).update(erased_at=now)

    response = client.delete(f"/api/v1/customers/{customer.pk}", **auth(manager))

    assert response.status_code == 409
    assert not DataRequest.objects.exists()


def test_a_person_and_a_colleague_are_never_merged(client, auth, agent, customer, now):
    colleague = Customer.objects.create(kind="colleague", name="Alice Jones", created_at=now, updated_at=now)

    response = client.post(f"/api/v1/customers/{customer.pk}/merge", {"duplicate": colleague.pk},
                           content_type="application/json", **auth(agent))  # fmt: skip

    assert response.status_code == 409


def test_the_access_log_pages_by_cursor_and_since(client, auth, manager, customer, now):
    from rapport.privacy.models import AccessLog

    AccessLog.objects.bulk_create(
        [AccessLog(actor=manager, customer=customer, at=now - timedelta(hours=i), what="customer record",
                   why="complaint review") for i in range(5)]
    )  # fmt: skip
    url = f"/api/v1/privacy/customers/{customer.pk}/access-log"

    def reviews(page: dict) -> list[str]:  # reading the log is itself logged, with another reason
        return [row["at"] for row in page["items"] if row["why"] == "complaint review"]

    first = client.get(url, {"limit": 3}, **auth(manager)).json()
    rest = client.get(url, {"limit": 3, "cursor": first["next_cursor"]}, **auth(manager)).json()
    recent = client.get(url, {"since": (now - timedelta(minutes=90)).isoformat()}, **auth(manager)).json()

    assert len(reviews(first) + reviews(rest)) == 5
    assert reviews(first) + reviews(rest) == sorted(reviews(first) + reviews(rest), reverse=True)
    assert rest["next_cursor"] is None
    assert len(reviews(recent)) == 2


@pytest.mark.parametrize("path", ["/api/v1/customers", "/api/v1/cases", "/api/v1/users", "/api/v1/teams"])
def test_a_moment_with_no_utc_equivalent_is_refused_by_name(client, auth, manager, path):
    response = client.get(path, {"updated_since": "0001-01-01T00:00:00+01:00"}, **auth(manager))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "updated_since"
