"""Who gets into the portal: customers only, each to their own cases."""

from __future__ import annotations

import pytest

from rapport.cases.models import Case

PAGES = ["/portal/", "/portal/cases/new/", "/portal/cases/C-000001/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in_and_brought_back(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ["agent", "team_leader", "manager"])
def test_staff_are_sent_to_the_desk(client, request, role, url):
    client.force_login(request.getfixturevalue(role))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("url", PAGES)
def test_a_sign_in_without_a_customer_record_gets_a_helpful_page(client, customer_user, url):
    # Given a customer sign-in that nobody has linked to a customer record
    client.force_login(customer_user)

    response = client.get(url)

    assert response.status_code == 200
    assert "Your account isn't ready yet" in response.content.decode()


def test_raising_a_case_without_a_customer_record_saves_nothing(client, customer_user):
    client.force_login(customer_user)

    response = client.post("/portal/cases/new/", {"subject": "Hello", "type": "enquiry", "body": "Hi"})

    assert response.status_code == 200
    assert Case.objects.count() == 0


def test_the_list_shows_only_the_customers_own_cases(portal, case, other_case):
    response = portal.get("/portal/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Broken kettle" in html
    assert case.reference in html
    assert "Refund for duplicate charge" not in html
    assert other_case.reference not in html


@pytest.mark.parametrize("reference", ["other", "C-999999", "not-a-reference", "C-0"])
def test_another_customers_case_is_not_found_like_a_missing_one(portal, case, other_case, reference):
    if reference == "other":
        reference = other_case.reference

    response = portal.get(f"/portal/cases/{reference}/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "We can't find that case" in html
    assert "Refund for duplicate charge" not in html
    assert "I was charged twice" not in html
