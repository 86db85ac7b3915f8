"""Other customers named in a subject access export: flagged for review with who was matched and
where, found in one batched query per export (UK GDPR Art 15(4))."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.cases.services import case_create, message_add
from rapport.customers.models import Customer
from rapport.privacy.exports import customer_export, customer_review
from rapport.privacy.models import AccessLog

pytestmark = pytest.mark.django_db


def _customer(name, now, **extra):
    return Customer.objects.create(name=name, created_at=now, updated_at=now, **extra)


@pytest.fixture
def neighbours(now):
    return {
        "margaret": _customer("Margaret Ellis", now, email="meg@example.net", phone="0113 496 0001"),
        "rose": _customer("Rose Smith", now),
        "hope": _customer("Hope", now),  # a one-word name is a common word too
        "acme": _customer("Acme Trading", now, kind="company"),
    }


def _lookups(queries):
    """The queries that look other customers up by name, email or phone."""
    return [q["sql"] for q in queries if "customers_customer" in q["sql"] and "LOWER" in q["sql"].upper()]


def _people(bundle):
    return [p for item in bundle.data["review"] for p in item["people"]]


def test_other_customers_are_flagged_by_name_email_and_phone_with_who_was_matched(
    agent, customer, team, team_leader, neighbours, now
):
    case = case_create(
        actor=agent,
        customer=customer,
        subject="Fence",
        body="My neighbour Margaret Ellis said the fence is mine. I am Alice Jones.",
        channel="email",
        team=team,
        now=now,
    )
    message_add(
        actor=agent,
        reference=case.reference,
        kind="inbound",
        body="Her email is MEG@example.net, or ring +44 113 496 0001.",
    )
    bundle = customer_export(actor=team_leader, customer_id=customer.pk, why="SAR", now=now)
    margaret = neighbours["margaret"].pk
    assert [(p["kind"], p["value"], p["customer_id"], p["matched_on"]) for p in _people(bundle)] == [
        ("customer", "Margaret Ellis", margaret, "name"),
        ("customer", "MEG@example.net", margaret, "email"),
        ("customer", "+44 113 496 0001", margaret, "phone"),
    ]
    first = _people(bundle)[0]
    assert first["customer"] == "Margaret Ellis"
    assert "neighbour Margaret Ellis said" in first["excerpt"]
    assert bundle.data["review"][0]["reasons"] == ["customer: Margaret Ellis"]
    assert not any("Alice Jones" in p["value"] for p in _people(bundle))  # the requester's own name


def test_common_word_names_need_a_full_name_match(agent, customer, team, team_leader, neighbours, now):
    case_create(
        actor=agent,
        customer=customer,
        subject="Garden",
        body="Rose bushes died. Hope you can help! Rose, my sister, agrees. I hope Acme Trading replaces them.",
        channel="email",
        team=team,
        now=now,
    )
    bundle = customer_export(actor=team_leader, customer_id=customer.pk, why="SAR", now=now)
    assert bundle.data["review"] == []  # no Rose, no Hope, and a company is not personal data

    case_create(
        actor=agent,
        customer=customer,
        subject="Garden 2",
        body="Rose Smith was there.",
        channel="email",
        team=team,
        now=now,
    )
    bundle = customer_export(actor=team_leader, customer_id=customer.pk, why="SAR", now=now)
    assert [p["customer_id"] for p in _people(bundle)] == [neighbours["rose"].pk]


def _history(agent, customer, team, now, count):
    for i in range(count):
        case_create(
            actor=agent,
            customer=customer,
            subject=f"Question {i}",
            body=f"Message {i}: Margaret Ellis and Rose Smith and Dr Person{i} and Anne Other{i} (x{i}@example.org).",
            channel="email",
            team=team,
            now=now + timedelta(minutes=i),
        )


@pytest.mark.parametrize("count", [2, 12])
def test_one_lookup_query_per_export_whatever_the_history(agent, customer, team, team_leader, neighbours, now, count):
    _history(agent, customer, team, now, count)
    with CaptureQueriesContext(connection) as ctx:
        bundle = customer_export(actor=team_leader, customer_id=customer.pk, why="SAR", now=now)
    assert len(_lookups(ctx.captured_queries)) == 1
    flagged = {p["customer_id"] for p in _people(bundle) if p["customer_id"]}
    assert flagged == {neighbours["margaret"].pk, neighbours["rose"].pk}


def test_the_export_runs_the_same_number_of_queries_for_2_and_12_cases(
    agent, customer, team, team_leader, neighbours, now
):
    counts = []
    for count in (2, 10):
        _history(agent, customer, team, now, count)
        with CaptureQueriesContext(connection) as ctx:
            customer_export(actor=team_leader, customer_id=customer.pk, why="SAR", now=now)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_lookup_uses_the_indexes(neighbours, customer):
    """The query plan reads the Lower(name) / Lower(email) / PhoneDigits(phone) indexes, not every customer."""
    from rapport.domain.anonymise import mentions
    from rapport.privacy.selectors import known_customers

    with CaptureQueriesContext(connection) as ctx:
        known_customers([mentions("Margaret Ellis meg@example.net 0113 496 0001")], subject=customer)
    sql = _lookups(ctx.captured_queries)[0]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "customer_name_ci" in plan
            assert "customer_phone_digits" in plan
            assert "SCAN customers_customer" not in plan
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "customer_name_ci" in plan


def test_the_review_screen_shows_who_was_matched_and_where(agent, customer, team, team_leader, neighbours, now, client):
    case = case_create(
        actor=agent,
        customer=customer,
        subject="Fence",
        body="My neighbour Margaret Ellis said the fence is mine.",
        channel="email",
        team=team,
        now=now,
    )
    client.force_login(team_leader)
    response = client.get(f"/privacy/customers/{customer.pk}/review/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/customers/{neighbours["margaret"].pk}/"' in html
    assert "matched by name" in html
    assert case.reference in html
    assert "neighbour Margaret Ellis said the fence" in html
    assert AccessLog.objects.filter(customer=customer, what="subject access review").exists()


def test_agents_cannot_open_the_review_screen(customer, agent, client):
    client.force_login(agent)
    assert client.get(f"/privacy/customers/{customer.pk}/review/").status_code == 404
    with pytest.raises(Exception, match="team leaders"):
        customer_review(actor=agent, customer_id=customer.pk)
