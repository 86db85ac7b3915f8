"""Signing in and out: credentials, inactive accounts, rate limits, where people land."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from rapport.accounts import throttle
from rapport.accounts.views import BAD_CREDENTIALS, SIGNED_OUT
from tests.web.html_checks import page_problems

PASSWORD = "correct horse battery"


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post("/login/", {"email": email, "password": password, **extra})


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_sign_in_page_is_accessible(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert page_problems(response.content.decode()) == []


def test_staff_sign_in_lands_on_the_queue(client, agent):
    response = sign_in(client, "agent@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(agent.pk)


def test_customer_sign_in_lands_on_the_portal(client, customer, customer_user):
    response = sign_in(client, "alice@example.com")

    assert response["Location"] == "/portal/"
    assert signed_in_user_id(client) == str(customer_user.pk)


def test_email_is_matched_whatever_its_case(client, agent):
    sign_in(client, "  Agent@Example.COM ")
    assert signed_in_user_id(client) == str(agent.pk)


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("/customers/", "/customers/"),
        ("/cases/C-000001/?x=1", "/cases/C-000001/?x=1"),
        ("https://evil.example/steal", "/"),
        ("//evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_only_a_safe_next_is_honoured(client, agent, next_url, landing):
    response = sign_in(client, "agent@example.com", next=next_url)
    assert response["Location"] == landing


def test_wrong_password_is_refused_and_counted(client, agent):
    response = sign_in(client, "agent@example.com", "wrong password")

    assert response.status_code == 200
    assert BAD_CREDENTIALS in response.content.decode()
    assert signed_in_user_id(client) is None


def test_an_inactive_account_cannot_sign_in_even_with_the_right_password(client, agent):
    agent.is_active = False
    agent.save()

    response = sign_in(client, "agent@example.com")

    assert BAD_CREDENTIALS in response.content.decode()
    assert signed_in_user_id(client) is None


def test_missing_fields_are_named_beside_each_field(client, db):
    response = client.post("/login/", {"email": "", "password": ""})

    html = response.content.decode()
    assert response.status_code == 422
    assert "Enter your email address." in html
    assert "Enter your password." in html
    assert 'aria-describedby="id_email-error"' in html
    assert page_problems(html) == []


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, agent, settings):
    settings.RAPPORT_LOGIN_ATTEMPTS = 5
    for _ in range(5):
        assert sign_in(client, "agent@example.com", "guess").status_code == 200

    response = sign_in(client, "agent@example.com")

    assert response.status_code == 429
    assert "Too many sign-in attempts. Wait" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_the_limit_is_per_address_and_account(client, agent, settings):
    settings.RAPPORT_LOGIN_ATTEMPTS = 5
    here = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        sign_in(here, "agent@example.com", "guess")
    assert sign_in(here, "agent@example.com").status_code == 429

    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    response = sign_in(elsewhere, "agent@example.com")

    assert response.status_code == 302
    assert signed_in_user_id(elsewhere) == str(agent.pk)


def test_a_successful_sign_in_clears_the_count(client, agent, settings):
    settings.RAPPORT_LOGIN_ATTEMPTS = 5
    for _ in range(4):
        sign_in(client, "agent@example.com", "guess")
    sign_in(client, "agent@example.com")

    assert throttle.login_refusal(email="agent@example.com", ip="127.0.0.1") is None
    for _ in range(4):
        sign_in(Client(), "agent@example.com", "guess")
    assert sign_in(Client(), "agent@example.com").status_code == 302


def test_signed_in_visitors_to_the_sign_in_page_go_to_their_start_page(agent_client):
    response = agent_client.get("/login/")
    assert response["Location"] == "/"


def test_sign_out_needs_a_post(agent_client, agent):
    response = agent_client.get("/logout/")

    assert response.status_code == 405
    assert signed_in_user_id(agent_client) == str(agent.pk)


def test_sign_out(agent_client):
    response = agent_client.post("/logout/", follow=True)

    assert response.redirect_chain == [("/login/", 302)]
    assert signed_in_user_id(agent_client) is None
    assert SIGNED_OUT in response.content.decode()


def test_sign_out_is_protected_from_cross_site_requests(agent, db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)

    response = client.post("/logout/")

    assert response.status_code == 403
    assert signed_in_user_id(client) == str(agent.pk)


def test_behind_a_trusted_proxy_attempts_count_against_the_forwarded_client(agent, settings):
    settings.RAPPORT_LOGIN_ATTEMPTS = 5
    settings.RAPPORT_TRUSTED_PROXIES = frozenset({"10.0.0.2"})
    one = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(5):
        sign_in(one, "agent@example.com", "guess")
    assert sign_in(one, "agent@example.com").status_code == 429
    # Another person behind the same proxy is not locked out with them …
    other = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert sign_in(other, "agent@example.com").status_code == 302
    # … and a client cannot escape its count by writing its own X-Forwarded-For entry first.
    spoofed = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9")
    assert sign_in(spoofed, "agent@example.com").status_code == 429


def test_forwarded_addresses_from_untrusted_peers_are_ignored(agent, settings):
    settings.RAPPORT_LOGIN_ATTEMPTS = 5
    for n in range(5):
        sign_in(Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), "agent@example.com", "guess")
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), "agent@example.com").status_code == 429


def test_one_address_trying_many_accounts_is_stopped(agent, settings):
    # given thirty accounts, each tried once from one address (password spraying)
    settings.RAPPORT_LOGIN_ADDRESS_ACCOUNTS = 10
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [sign_in(sprayer, f"person{n}@example.com", "Winter2026!").status_code for n in range(30)]

    # then the first ten are answered and the other twenty refused, without a password check …
    assert statuses == [200] * 10 + [429] * 20
    # … even for a real account with its right password, from that address
    assert sign_in(sprayer, "agent@example.com").status_code == 429
    assert signed_in_user_id(sprayer) is None
    # while the owner, elsewhere, signs in
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(owner, "agent@example.com").status_code == 302


def test_a_contact_centre_on_the_allowlist_is_not_stopped_by_the_address_count(agent, settings):
    from ipaddress import ip_network

    settings.RAPPORT_LOGIN_ADDRESS_ACCOUNTS = 10
    settings.RAPPORT_LOGIN_ALLOWLIST = (ip_network("203.0.113.0/28"),)
    centre = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(30):
        assert sign_in(centre, f"agent{n}@example.com", "typo").status_code == 200

    assert sign_in(centre, "agent@example.com").status_code == 302
    # The per-account count still holds there.
    settings.RAPPORT_LOGIN_ATTEMPTS = 5
    other = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(5):
        sign_in(other, "agent@example.com", "guess")
    assert sign_in(other, "agent@example.com").status_code == 429
