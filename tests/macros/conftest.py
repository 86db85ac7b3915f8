"""Fixtures for macros: macros in each scope, and registries each test may add hooks to."""

from __future__ import annotations

import pytest

from rapport import extensions
from rapport.macros.models import Macro, Scope
from tests.api.conftest import auth  # noqa: F401 - the API tests sign in with it


@pytest.fixture(autouse=True)
def _hooks_kept_per_test(monkeypatch):
    """Tests add policy hooks (contact permission, restriction, adjustments) freely; each test
    starts from the registered ones only."""
    for name in ("contact_permissions", "record_guards", "outbound_preferences", "close_guards"):
        monkeypatch.setattr(extensions, name, list(getattr(extensions, name)))


@pytest.fixture
def make_macro(now):
    def make(name="Ask for the order number", scope=Scope.SHARED, **fields):
        return Macro.objects.create(name=name, scope=scope, created_at=now, updated_at=now, **fields)

    return make


@pytest.fixture
def order_number(make_macro):
    return make_macro(
        reply="Dear {{ customer.name }},\n\nCould you send your **order number**? Ref {{ case.reference }}.",
        set_status="waiting_on_customer",
        set_priority=3,
        add_tags="order-number, chased",
        note="Asked {{ customer.name }} for the order number.",
    )
