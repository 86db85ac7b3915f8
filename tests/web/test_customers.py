"""Customer pages: list and search, add, edit, their page, logging a contact, raising a case."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rapport.cases.models import Case
from rapport.customers.models import Customer
from rapport.customers.services import NAME_REQUIRED
from rapport.customers.views import CASE_RAISED, CONTACT_LOGGED, CUSTOMER_ADDED, CUSTOMER_SAVED
from tests.web.html_checks import page_problems

NAME = re.compile(r'<th scope="row"><a href="/customers/\d+/">([^<]+)</a></th>')


def names(response) -> list[str]:
    return NAME.findall(response.content.decode())


@pytest.fixture
def many_customers(db, now):
    kinds = ["person", "company", "colleague", "department"]
    return Customer.objects.bulk_create(
        [
            Customer(
                name=f"Customer {i:02d}", email=f"c{i}@example.com", kind=kinds[i % 4], created_at=now, updated_at=now
            )
            for i in range(12)
        ]
    )


def test_the_list_is_alphabetical_and_accessible(agent_client, customer, other_customer):
    response = agent_client.get("/customers/")

    assert response.status_code == 200
    assert names(response) == ["Alice Jones", "Bob Smith"]
    assert page_problems(response.content.decode()) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "ali"}, ["Alice Jones"]),
        ({"q": "BOB@example.com"}, ["Bob Smith"]),
        ({"q": "jones"}, []),
        ({"kind": "person"}, ["Alice Jones", "Bob Smith"]),
        ({"kind": "company"}, []),
    ],
)
def test_search_by_name_prefix_or_email_and_kind(agent_client, customer, other_customer, params, expected):
    assert names(agent_client.get("/customers/", params)) == expected


@pytest.mark.parametrize(
    ("params", "message"), [({"kind": "alien"}, "Choose a kind of customer"), ({"cursor": "x"}, "cursor is not valid")]
)
def test_bad_list_parameters_show_a_message(agent_client, customer, params, message):
    response = agent_client.get("/customers/", params)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_keyset_pages_of_customers(agent_client, many_customers):
    seen: list[str] = []
    response = agent_client.get("/customers/", {"limit": 5})
    while True:
        seen += names(response)
        match = re.search(r'<a href="(\?[^"]*)" rel="next">Next page</a>', response.content.decode())
        if not match:
            break
        response = agent_client.get("/customers/" + match.group(1).replace("&amp;", "&"))
        assert "First page" in response.content.decode()

    assert seen == sorted(c.name for c in many_customers)


# Session, user and the page: nothing per row.
CUSTOMER_LIST_QUERIES = 7  # with the header's "email is failing" and "reviews due" checks, read once a
# minute per process, and the unread notifications count with the agent's teams its access rule needs
# (cached until a notification arrives or is read)


@pytest.mark.parametrize("size", [3, 10])
def test_customer_list_query_count_does_not_grow_with_the_page(
    agent_client, many_customers, size, django_assert_num_queries
):
    with django_assert_num_queries(CUSTOMER_LIST_QUERIES):
        response = agent_client.get("/customers/", {"limit": size})
    assert len(names(response)) == size


# --- add and edit ------------------------------------------------------------------------------


def test_add_a_customer(agent_client, db):
    response = agent_client.post(
        "/customers/new/",
        {
            "kind": "company",
            "name": "Acme Widgets Ltd",
            "email": "Orders@Acme.example",
            "phone": "+44 1632 960000",
            "preferred_channel": "phone",
        },
    )

    customer = Customer.objects.get()
    assert response["Location"] == f"/customers/{customer.pk}/"
    assert (customer.kind, customer.email, customer.preferred_channel) == ("company", "orders@acme.example", "phone")
    assert CUSTOMER_ADDED in agent_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, NAME_REQUIRED),
        ({"name": "Ann", "email": "not-an-email"}, "Enter a valid email address."),
        ({"name": "Ann", "phone": "call me"}, "Use digits, spaces, brackets, + and - only."),
        ({"name": "Ann", "kind": "alien"}, "Select a valid choice."),
    ],
)
def test_a_bad_customer_is_explained_and_not_saved(agent_client, db, data, message):
    payload = {"kind": "person", "preferred_channel": "email", **data}

    response = agent_client.post("/customers/new/", payload)

    html = response.content.decode()
    assert response.status_code == 422
    assert message.replace("'", "&#x27;") in html
    assert Customer.objects.count() == 0
    assert page_problems(html) == []


def test_edit_a_customer(agent_client, customer):
    form = agent_client.get(f"/customers/{customer.pk}/edit/").content.decode()
    assert 'value="Alice Jones"' in form

    response = agent_client.post(
        f"/customers/{customer.pk}/edit/",
        {
            "kind": "person",
            "name": "Alice Jones",
            "email": "alice@example.com",
            "phone": "07700 900123",
            "preferred_channel": "phone",
        },
    )

    customer.refresh_from_db()
    assert response.status_code == 302
    assert (customer.phone, customer.preferred_channel) == ("07700 900123", "phone")
    assert CUSTOMER_SAVED in agent_client.get(response["Location"]).content.decode()


def test_a_bad_edit_changes_nothing(agent_client, customer):
    response = agent_client.post(
        f"/customers/{customer.pk}/edit/",
        {"kind": "person", "name": "Alice", "phone": "ring me", "preferred_channel": "email"},
    )

    customer.refresh_from_db()
    assert response.status_code == 422
    assert (customer.name, customer.phone) == ("Alice Jones", "")


# --- the customer's page -----------------------------------------------------------------------


def test_the_customer_page_shows_details_cases_and_timeline(agent_client, case, customer, agent, now):
    from rapport.cases.services import message_add

    message_add(actor=agent, reference=case.reference, kind="note", body="Asked for a receipt.", now=now)

    response = agent_client.get(f"/customers/{customer.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "alice@example.com" in html
    assert f'<a href="/cases/{case.reference}/">{case.reference}</a>' in html
    assert "Asked for a receipt." in html
    assert "Internal note" in html
    assert f'href="/customers/{customer.pk}/cases/new/">Raise a case</a>' in html
    assert page_problems(html) == []


def test_the_customer_pages_rows_follow_the_script_prefix(agent_client, case, customer):
    from django.urls import clear_script_prefix, set_script_prefix

    set_script_prefix("/desk/")  # as a WSGI server mounting the desk under /desk/ does
    try:
        html = agent_client.get(f"/customers/{customer.pk}/").content.decode()
    finally:
        clear_script_prefix()

    assert f'<th scope="row"><a href="/desk/cases/{case.reference}/">{case.reference}</a></th>' in html


def test_the_customer_page_costs_the_same_queries_for_one_case_or_many(
    agent_client, case, customer, agent, team, now, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rapport.cases.services import case_create

    agent_client.get(f"/customers/{customer.pk}/")  # the process's short-lived copies are read once
    with CaptureQueriesContext(connection) as one:
        agent_client.get(f"/customers/{customer.pk}/")
    for n in range(5):
        case_create(
            actor=agent, customer=customer, subject=f"Another {n}", body="More.", channel="email", team=team, now=now
        )

    with django_assert_num_queries(len(one)):
        response = agent_client.get(f"/customers/{customer.pk}/")

    assert response.content.decode().count('<th scope="row"><a href="/cases/C-') == 6


def test_a_missing_customer_is_a_404(agent_client, db):
    assert agent_client.get("/customers/999999/").status_code == 404


# --- log a contact -----------------------------------------------------------------------------


def contact(**changes):
    data = {
        "contact-channel": "phone",
        "contact-subject": "Asked about delivery",
        "contact-summary": "Wanted to know when the parcel arrives.",
        "contact-type": "enquiry",
        "contact-priority": "2",
    }
    data.update({f"contact-{name}": value for name, value in changes.items()})
    return data


@pytest.mark.parametrize(("resolved", "status"), [("", "open"), ("on", "resolved")])
def test_log_a_phone_call(agent_client, customer, agent, team, resolved, status):
    response = agent_client.post(f"/customers/{customer.pk}/contacts/", contact(resolved=resolved))

    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.reference}/"
    assert (case.channel, case.owner_id, case.team_id, case.status) == ("phone", agent.pk, team.pk, status)
    assert case.first_response_at is not None
    assert case.messages.get().body == "Wanted to know when the parcel arrives."
    assert CONTACT_LOGGED.format(reference=case.reference) in agent_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"channel": "email"}, "Select a valid choice."),
        ({"subject": ""}, "Give the contact a subject."),
        ({"summary": ""}, "Summarise the contact."),
        ({"subject": "x" * 201}, "Ensure this value has at most 200 characters"),
    ],
)
def test_a_bad_contact_is_explained_and_not_saved(agent_client, customer, changes, message):
    response = agent_client.post(f"/customers/{customer.pk}/contacts/", contact(**changes))

    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert Case.objects.count() == 0
    assert page_problems(html) == []


# --- raise a case ------------------------------------------------------------------------------


def test_raise_a_case_for_a_customer(agent_client, customer, team, agent):
    page = agent_client.get(f"/customers/{customer.pk}/cases/new/")
    assert page_problems(page.content.decode()) == []

    response = agent_client.post(
        f"/customers/{customer.pk}/cases/new/",
        {
            "subject": "Faulty toaster",
            "body": "It burns everything.",
            "type": "complaint",
            "channel": "letter",
            "priority": "3",
            "team": team.pk,
            "owner": agent.pk,
            "tags": "toaster, fault",
            "attachments": [SimpleUploadedFile("letter.pdf", b"%PDF-1.4 scan")],
        },
    )

    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.reference}/"
    assert (case.customer_id, case.type, case.channel, case.priority, case.owner_id) == (
        customer.pk,
        "complaint",
        "letter",
        3,
        agent.pk,
    )
    assert sorted(case.tags.values_list("name", flat=True)) == ["fault", "toaster"]
    assert case.messages.get().attachments.count() == 1
    assert CASE_RAISED.format(reference=case.reference) in agent_client.get(response["Location"]).content.decode()


def test_a_bad_case_is_explained_and_not_saved(agent_client, customer):
    response = agent_client.post(
        f"/customers/{customer.pk}/cases/new/",
        {"subject": "", "body": "", "type": "complaint", "channel": "email", "priority": "2"},
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Give the case a subject." in html
    assert "Write what the customer said." in html
    assert Case.objects.count() == 0
