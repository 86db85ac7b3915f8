"""Automation fixtures: a rule maker (as a manager), the journal's owed events delivered now (as the
worker would), and a small real router in ``extensions.routers`` that assigns through the core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rapport import extensions
from rapport.automation import hooks, services
from rapport.cases import journal
from tests.webhooks.conftest import admin, receiver, subscribe  # noqa: F401 - fixtures for the webhook action


@pytest.fixture
def make_rule(manager, now) -> Callable[..., Any]:
    def make(name: str = "Rule", *, active: bool = True, position: int = 100, **definition: Any):
        definition.setdefault("trigger", "event")
        if definition["trigger"] == "event":
            definition.setdefault("events", ["created"])
        return services.rule_create(
            actor=manager, name=name, definition=definition, position=position, active=active, now=now
        )

    return make


@pytest.fixture
def deliver() -> Callable[[], int]:
    """Deliver what the journal owes the automation subscribers, again and again until nothing is
    owed (each round is what the next job would see: events the last round's actions caused)."""

    def run() -> int:
        total = 0
        for _ in range(20):
            done = sum(journal.deliver(f"automation.{kind}") for kind in hooks.subscribable())
            if not done:
                break
            total += done
        return total

    return run


@pytest.fixture
def router(agent, monkeypatch) -> list[tuple[int, str]]:
    """Routing as the routing app would do it: assign to ``agent`` through the core's services."""
    from rapport.cases.models import Case
    from rapport.cases.services import case_update

    calls: list[tuple[int, str]] = []

    def route(case: Case, method: str, now: Any) -> extensions.RoutingOutcome:
        calls.append((case.pk, method))
        fresh = Case.objects.get(pk=case.pk)
        case_update(actor=agent, reference=fresh.reference, expected_version=fresh.version,
                    changes={"owner": agent.pk}, now=now)  # fmt: skip
        return extensions.RoutingOutcome(agent.pk, f"{method or 'team method'} in Front line")

    monkeypatch.setattr(extensions, "routers", [route])  # in place of the routing app's, for these tests
    return calls
