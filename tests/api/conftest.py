"""Fixtures for the REST API: bearer headers for any user, and a case with an internal note."""

from __future__ import annotations

import pytest

from rapport.accounts.services import token_create
from rapport.cases.services import message_add

PDF = b"%PDF-1.4 a receipt"


@pytest.fixture
def auth(db):
    """``auth(user)`` gives the headers that sign a test-client request in as ``user``."""
    tokens: dict[int, str] = {}

    def headers(user) -> dict[str, str]:
        if user.pk not in tokens:
            tokens[user.pk] = token_create(user=user)[1]
        return {"HTTP_AUTHORIZATION": f"Bearer {tokens[user.pk]}"}

    return headers


@pytest.fixture
def note(case, agent, now):
    return message_add(actor=agent, reference=case.reference, kind="note", body="Sounds like a faulty batch.", now=now)


def fields(response) -> dict[str | None, list[str]]:
    """The error body's messages by field: the one error shape, read back."""
    body = response.json()
    assert set(body) >= {"detail", "errors"}
    named: dict[str | None, list[str]] = {}
    for error in body["errors"]:
        named.setdefault(error["field"], []).append(error["message"])
    return named
