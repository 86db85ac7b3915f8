"""Round-robin under load: two processes' worth of threads routing one team's cases at once still
give them out strictly in turn (the team's lock), on PostgreSQL where row locks are real."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections

from rapport.accounts.models import Team
from rapport.cases.models import Case
from rapport.cases.services import case_create
from rapport.customers.models import Customer
from rapport.routing import services
from rapport.routing.models import Decision, TeamRouting
from rapport.workforce.models import StatusChange
from tests.conftest import make_user

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
PER_THREAD = 12


@pytest.mark.django_db(transaction=True)
def test_two_at_once_take_strict_turns_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what is tested: run with DATABASE_URL set to PostgreSQL")
    team = Team.objects.create(name="Billing")
    people = [make_user(f"agent{i}@example.com", "agent", [team]) for i in range(4)]
    for person in people:
        StatusChange.objects.create(agent=person, status="available", source="agent", at=NOW - timedelta(hours=1))
    raiser = make_user("raiser@example.com", "manager")
    customer = Customer.objects.create(name="Ann Lee", email="ann@example.com", created_at=NOW, updated_at=NOW)
    cases = [
        case_create(
            actor=raiser, customer=customer, subject=f"Case {i}", body="Hello", channel="email", team=team, now=NOW
        )
        for i in range(2 * PER_THREAD)
    ]
    services.routing_account()
    TeamRouting.objects.create(team=team)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def work(mine: list[Case]) -> None:
        try:
            start.wait()
            for case in mine:
                services.case_route(case=case.pk, now=NOW)
        except BaseException as error:  # the assertion below shows it
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(cases[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    order = list(Decision.objects.order_by("id").values_list("agent_id", flat=True))
    ids = sorted(p.pk for p in people)
    assert order == [ids[i % 4] for i in range(2 * PER_THREAD)]  # strictly in turn, none twice in a row
    assert Counter(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("owner_id", flat=True)) == {
        agent_id: PER_THREAD // 2 for agent_id in ids
    }
