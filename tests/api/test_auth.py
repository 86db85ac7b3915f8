"""Who may call the API: bearer tokens, sessions (with CSRF for changes), and 401 for everyone else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from rapport.accounts.api import BAD_TOKEN, CSRF_FAILED, SIGN_IN
from rapport.accounts.services import token_create, token_revoke
from rapport.cases.models import Case

ENDPOINTS = [
    ("get", "/api/v1/me"),
    ("get", "/api/v1/cases"),
    ("post", "/api/v1/cases"),
    ("get", "/api/v1/cases/C-000001"),
    ("patch", "/api/v1/cases/C-000001"),
    ("get", "/api/v1/cases/C-000001/messages"),
    ("post", "/api/v1/cases/C-000001/messages"),
    ("get", "/api/v1/cases/C-000001/events"),
    ("get", "/api/v1/customers"),
    ("post", "/api/v1/customers"),
    ("get", "/api/v1/customers/1"),
    ("get", "/api/v1/search?q=kettle"),
    ("get", "/api/v1/attachments/1"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_no_credentials_is_a_401_in_json(client, case, method, path):
    response = getattr(client, method)(path, {}, content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {"detail": SIGN_IN, "errors": []}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.fixture(params=["unknown", "malformed", "wrong secret", "revoked", "inactive user"])
def refused_token(request, agent):
    _token, raw = token_create(user=agent)
    if request.param == "unknown":
        return "rpt_000000000000_" + "x" * 43
    if request.param == "malformed":
        return "not-a-token"
    if request.param == "wrong secret":
        return raw[:-4] + "abcd"
    if request.param == "revoked":
        token_revoke(key_id=raw)
        return raw
    agent.is_active = False
    agent.save()
    return raw


def test_a_refused_token_is_a_401(client, refused_token):
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {refused_token}")

    assert response.status_code == 401
    assert response.json() == {"detail": BAD_TOKEN, "errors": []}


def test_a_refused_token_is_not_rescued_by_a_session(client, agent):
    # given a signed-in page session
    client.force_login(agent)

    # when the same request also sends a bad token
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer rpt_nope_nope")

    # then the token's refusal stands: the caller asked to act as the token's owner
    assert response.status_code == 401


def test_a_bearer_token_signs_in(client, agent, auth):
    response = client.get("/api/v1/me", **auth(agent))

    assert response.status_code == 200
    assert response.json()["email"] == "agent@example.com"


def test_a_session_signs_in(client, agent):
    client.force_login(agent)

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["id"] == agent.pk


NEW_CASE = {"customer": None, "subject": "Lost parcel", "body": "It never arrived."}


@pytest.fixture
def csrf_client(agent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    return client


def test_a_session_change_without_the_csrf_token_is_refused(csrf_client, customer):
    response = csrf_client.post("/api/v1/cases", {**NEW_CASE, "customer": customer.pk}, content_type="application/json")

    assert response.status_code == 403
    assert response.json() == {"detail": CSRF_FAILED, "errors": []}
    assert Case.objects.count() == 0


def test_a_session_change_with_the_csrf_token_is_accepted(csrf_client, customer):
    secret = get_random_string(32)
    csrf_client.cookies["csrftoken"] = secret

    response = csrf_client.post(
        "/api/v1/cases",
        {**NEW_CASE, "customer": customer.pk},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=secret,
    )

    assert response.status_code == 201
    assert Case.objects.get().subject == "Lost parcel"


def test_a_token_change_needs_no_csrf_token(agent, customer, auth):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/cases", {**NEW_CASE, "customer": customer.pk}, content_type="application/json", **auth(agent)
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("agent", {"role": "agent", "staff": True, "teams": ["Front line"], "customer": None}),
        ("customer_user", {"role": "customer", "staff": False, "teams": [], "customer": "Alice Jones"}),
    ],
)
def test_me_says_who_is_signed_in(client, auth, request, customer, who, expected):
    user = request.getfixturevalue(who)

    body = client.get("/api/v1/me", **auth(user)).json()

    assert {
        "role": body["role"],
        "staff": body["staff"],
        "teams": [t["name"] for t in body["teams"]],
        "customer": body["customer"] and body["customer"]["name"],
    } == expected
