"""Django admin: every model has a working page, users are made with an email address, and case
records cannot be edited around the services."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.accounts.models import User


@pytest.fixture
def admin_client_(db) -> Client:
    admin = User.objects.create_superuser("root@example.com", "a long admin password", name="Root")
    client = Client()
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "accounts/user",
        "accounts/team",
        "accounts/apitoken",
        "customers/customer",
        "cases/case",
        "cases/message",
        "cases/attachment",
        "cases/caseevent",
        "cases/tag",
        "cases/searchdocument",
    ],
)
def test_every_model_has_a_changelist_with_search_and_filters(admin_client_, case, model):
    response = admin_client_.get(f"/admin/{model}/", {"q": "a"})
    assert response.status_code == 200


def test_case_and_user_change_pages_open(admin_client_, case, agent):
    assert admin_client_.get(f"/admin/cases/case/{case.pk}/change/").status_code == 200
    assert admin_client_.get(f"/admin/accounts/user/{agent.pk}/change/").status_code == 200


def test_an_admin_adds_a_user_by_email(admin_client_):
    response = admin_client_.post(
        "/admin/accounts/user/add/",
        {
            "email": "New.Agent@Example.com",
            "name": "New Agent",
            "role": "agent",
            "usable_password": "true",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(name="New Agent")
    assert user.email == "new.agent@example.com"
    assert user.check_password("a long enough passphrase")


def test_email_addresses_stay_unique_whatever_their_case(admin_client_, agent):
    response = admin_client_.post(
        "/admin/accounts/user/add/",
        {"email": "AGENT@example.com", "name": "Copy", "role": "agent", "usable_password": "false"},
    )

    assert response.status_code == 200
    assert "An account already uses this email address." in response.content.decode()
    assert User.objects.filter(email__iexact="agent@example.com").count() == 1


def test_cases_cannot_be_edited_in_the_admin(admin_client_, case):
    response = admin_client_.post(f"/admin/cases/case/{case.pk}/change/", {"subject": "Changed"})

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.subject == "Broken kettle"
