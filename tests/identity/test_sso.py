"""Single sign-on against a real OpenID Connect provider on 127.0.0.1 (django-oidc-provider, its
own process and database): the authorisation code flow with PKCE, an RS256 ID token checked
against the provider's JWKS, userinfo, account matching by verified email, roles and teams from
groups, just-in-time accounts, refusals in the audit, and sign-out at the provider."""

from __future__ import annotations

import pytest
import requests
from django.urls import reverse

from rapport.accounts.models import User
from rapport.domain import identity as rules
from rapport.identity import services
from rapport.identity.models import SecurityEvent, SecurityEventKind
from tests.conftest import make_user
from tests.identity.provider import browser_sign_in

pytestmark = pytest.mark.django_db


def sso_sign_in(client, provider, username: str):
    """Press "Sign in with your organisation's account", sign in at the provider, come back."""
    start = client.get(reverse("identity:oidc_start"))
    assert start.status_code == 302
    browser, callback = browser_sign_in(provider, start["Location"], username)
    return browser, client.get(callback)


def test_a_new_manager_is_made_just_in_time_with_role_and_team_from_groups(client, sso):
    # given ada at the provider, in rapport-managers and billing, and no account in Rapport
    # when she signs in with single sign-on
    _, answer = sso_sign_in(client, sso, "ada")

    # then she lands on the desk as a manager in Billing, and the audit says how
    assert answer.status_code == 302
    assert answer["Location"] == "/"
    ada = User.objects.get(email="ada.lovelace@example.org")
    assert (ada.role, ada.name, ada.has_usable_password()) == ("manager", "Ada Lovelace", False)
    assert list(ada.teams.values_list("name", flat=True)) == ["Billing"]
    event = SecurityEvent.objects.get(user=ada)
    assert (event.kind, event.detail) == (SecurityEventKind.SSO_ACCOUNT_CREATED, "Manager; teams: Billing")
    assert client.get("/").status_code == 200


def test_an_existing_account_is_matched_by_email_and_its_role_follows_the_groups(client, sso, team):
    # given ben has an account as a team leader in Front line; at the provider he is an agent
    ben = make_user("Ben.Jones@example.org", "team_leader", [team])

    _, answer = sso_sign_in(client, sso, "ben")

    assert answer.status_code == 302
    ben.refresh_from_db()
    assert ben.role == "agent"
    assert list(ben.teams.all()) == []  # the team map names none of his groups
    assert User.objects.filter(email__iexact="ben.jones@example.org").count() == 1
    assert SecurityEvent.objects.get(user=ben).kind == SecurityEventKind.SSO_SIGN_IN


def test_an_unverified_email_is_refused_and_the_refusal_is_audited(client, sso):
    _, answer = sso_sign_in(client, sso, "cat")

    assert answer.status_code == 302
    assert answer["Location"] == reverse("login")
    page = client.get(reverse("login"))
    assert rules.EMAIL_NOT_VERIFIED in page.content.decode()
    assert not User.objects.filter(email="cat.evans@example.org").exists()
    event = SecurityEvent.objects.get()
    assert (event.kind, event.email, event.detail) == (
        SecurityEventKind.SSO_REFUSED,
        "cat.evans@example.org",
        rules.EMAIL_NOT_VERIFIED,
    )
    assert "_auth_user_id" not in client.session


def test_someone_with_no_mapped_group_is_refused(client, sso):
    _, answer = sso_sign_in(client, sso, "dan")

    assert answer["Location"] == reverse("login")
    assert rules.NO_ROLE in client.get(reverse("login")).content.decode()
    assert not User.objects.filter(email="dan.price@example.org").exists()


def test_without_just_in_time_accounts_only_existing_people_get_in(client, sso, settings):
    settings.RAPPORT_OIDC_CREATE_USERS = False

    _, answer = sso_sign_in(client, sso, "ada")

    assert answer["Location"] == reverse("login")
    message = services.SSO_NO_ACCOUNT.format(email="ada.lovelace@example.org")
    assert message in client.get(reverse("login")).content.decode()
    assert not User.objects.filter(email="ada.lovelace@example.org").exists()


def test_a_customer_account_with_the_same_email_is_not_taken_over(client, sso):
    customer = make_user("ben.jones@example.org", "customer")

    _, answer = sso_sign_in(client, sso, "ben")

    assert answer["Location"] == reverse("login")
    customer.refresh_from_db()
    assert customer.role == "customer"
    assert services.SSO_CUSTOMER in client.get(reverse("login")).content.decode()


def test_signing_out_signs_out_at_the_provider_too(client, sso):
    browser, _ = sso_sign_in(client, sso, "ada")
    id_token = client.session["oidc_id_token"]

    answer = client.post(reverse("logout"))

    # Rapport's session ends, and the browser is sent to the provider's end-session endpoint
    assert "_auth_user_id" not in client.session
    location = answer["Location"]
    assert location.startswith(f"{sso.issuer}/end-session?")
    assert f"id_token_hint={id_token}" in location
    # following it ends the session at the provider and comes back to Rapport's sign-in page
    ended = browser.get(location, allow_redirects=False, timeout=10)
    assert ended.status_code == 302
    assert ended.headers["Location"].startswith("http://testserver/login/")
    again = browser.get(
        f"{sso.issuer}/authorize?client_id=rapport-test&response_type=code&scope=openid"
        "&redirect_uri=http://testserver/identity/oidc/callback/",
        allow_redirects=False,
        timeout=10,
    )
    assert "/login/" in again.headers["Location"]  # asked to sign in again at the provider


def test_a_password_sign_out_stays_in_rapport(client, sso, agent):
    client.force_login(agent)

    answer = client.post(reverse("logout"))

    assert answer["Location"] == reverse("login")


def test_the_sign_in_page_offers_single_sign_on_only_when_it_is_configured(client, sso, settings):
    settings.RAPPORT_OIDC_LABEL = "Sign in with Contoso"
    assert "Sign in with Contoso" in client.get(reverse("login")).content.decode()
    settings.RAPPORT_OIDC_ENABLED = False
    assert "Sign in with Contoso" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("identity:oidc_start")).status_code == 404


def test_a_forged_callback_signs_nobody_in(client, sso):
    client.get(reverse("identity:oidc_start"))

    answer = client.get(reverse("identity:oidc_callback"), {"code": "made-up", "state": "made-up"})

    assert answer.status_code in {302, 400}
    assert "_auth_user_id" not in client.session


def test_the_provider_is_real(sso):
    """The tests above talk to a server, not a stand-in: it publishes its discovery document."""
    document = requests.get(f"{sso.issuer}/.well-known/openid-configuration", timeout=5).json()
    assert document["token_endpoint"] == f"{sso.issuer}/token"
    assert "RS256" in document["id_token_signing_alg_values_supported"]


def test_single_sign_on_still_asks_for_rapports_second_factor(client, sso, settings):
    # given ada already has an account with an authenticator app
    from tests.identity.helpers import authenticator

    ada = make_user("ada.lovelace@example.org", "manager")
    authenticator(ada)

    sso_sign_in(client, sso, "ada")

    # then the provider's sign-in is the first factor only: the desk waits for her code
    assert client.session[services.SESSION_STEP] == "verify"
    assert client.get("/")["Location"].startswith(reverse("identity:verify"))
