"""Staff accounts and API tokens."""

from __future__ import annotations

import pytest

from rapport.accounts.models import User
from rapport.accounts.services import staff_create, token_authenticate, token_create, token_revoke
from rapport.platform.errors import FieldError


def test_staff_create_refuses_a_weak_password_and_makes_no_account(db):
    with pytest.raises(FieldError) as error:
        staff_create(email="new@example.com", name="New Agent", role="agent", password="password")
    assert "password" in error.value.errors
    assert not User.objects.filter(email="new@example.com").exists()


def test_staff_create_refuses_the_customer_role(db):
    with pytest.raises(FieldError) as error:
        staff_create(email="new@example.com", name="New", role="customer", password="a-long-good-passphrase")
    assert "role" in error.value.errors


def test_a_revoked_token_stops_working(agent):
    token, raw = token_create(user=agent, name="script")
    assert token_authenticate(raw) == agent
    assert token_authenticate(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert token_revoke(key_id=token.key_id) == 1
    assert token_authenticate(raw) is None
