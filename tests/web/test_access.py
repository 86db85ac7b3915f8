"""Who may open the desk: staff only. Customers get the plain 404 page, never a hint."""

from __future__ import annotations

import pytest

DESK_PAGES = [
    "/search/?q=kettle",
    "/cases/{case}/",
    "/customers/",
    "/customers/new/",
    "/customers/{customer}/",
    "/customers/{customer}/edit/",
    "/customers/{customer}/cases/new/",
]
DESK_POSTS = [
    ("/cases/{case}/reply/", {"reply-body": "Hello"}),
    ("/cases/{case}/note/", {"note-body": "Hello"}),
    ("/cases/{case}/edit/", {"edit-version": "1", "edit-status": "closed"}),
    ("/customers/new/", {"name": "Mallory", "kind": "person", "preferred_channel": "email"}),
    ("/customers/{customer}/contacts/", {"contact-channel": "phone", "contact-subject": "x", "contact-summary": "y"}),
]


def fill(path: str, case, customer) -> str:
    return path.format(case=case.reference, customer=customer.pk)


@pytest.mark.parametrize("path", DESK_PAGES)
def test_a_customer_gets_404_on_desk_pages(customer_client, case, customer, path):
    response = customer_client.get(fill(path, case, customer))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(("path", "data"), DESK_POSTS)
def test_a_customer_cannot_post_to_the_desk(customer_client, case, customer, path, data):
    from rapport.cases.models import Case, Message
    from rapport.customers.models import Customer

    before = (Message.objects.count(), Case.objects.get(pk=case.pk).version, Customer.objects.count())

    response = customer_client.post(fill(path, case, customer), data)

    assert response.status_code == 404
    assert (Message.objects.count(), Case.objects.get(pk=case.pk).version, Customer.objects.count()) == before


@pytest.mark.parametrize("path", DESK_PAGES)
def test_anonymous_visitors_are_asked_to_sign_in(client, case, customer, path):
    response = client.get(fill(path, case, customer))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_the_404_page_is_ours_and_plain(client, db):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "<title>Page not found" in response.content.decode()


def test_staff_navigation_marks_the_current_section(agent_client, admin_user, case, customer):
    html = agent_client.get(f"/customers/{customer.pk}/").content.decode()
    assert '<a href="/customers/" aria-current="true">Customers</a>' in html
    assert "Admin</a>" not in html

    html = agent_client.get("/customers/").content.decode()
    assert '<a href="/customers/" aria-current="page">Customers</a>' in html

    html = agent_client.get(f"/cases/{case.reference}/").content.decode()
    assert '<a href="/" aria-current="true">Queue</a>' in html


def test_admins_see_the_admin_link(db):
    from django.test import Client

    from tests.conftest import make_user

    admin = make_user("admin@example.com", "admin")
    admin.is_staff = True
    admin.save()
    client = Client()
    client.force_login(admin)

    assert '<a href="/admin/">Admin</a>' in client.get("/").content.decode()
