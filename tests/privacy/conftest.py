"""Fixtures for privacy: a customer with a history (cases, replies, notes, files, consents)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.services import Upload, case_create, message_add
from tests.api.conftest import auth  # noqa: F401
from tests.web.conftest import agent_client, customer_client, make_cases, manager_client, signed_in  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def history(agent, customer, other_customer, team, now):
    """Alice (phone 07700 900123) has two cases with replies, a note and a file; Bob's case
    mentions her by name and email."""
    customer.phone = "07700 900123"
    customer.address = "1 High Street, Leeds"
    customer.save()
    first = case_create(
        actor=agent,
        customer=customer,
        subject="Alice Jones: kettle",
        body="Hello, this is Alice Jones, call me on 07700900123 or alice@example.com.",
        channel="email",
        team=team,
        attachments=[Upload("receipt.png", PNG + b"Alice Jones")],
        now=now,
    )
    message_add(
        actor=agent,
        reference=first.reference,
        kind="outbound",
        body="Dear Alice, we are on it.",
        now=now + timedelta(hours=1),
    )
    message_add(
        actor=agent,
        reference=first.reference,
        kind="note",
        body="Alice Jones rang, 07700 900 123.",
        now=now + timedelta(hours=2),
    )
    second = case_create(
        actor=agent,
        customer=customer,
        subject="Second question",
        body="Another one from Alice.",
        channel="phone",
        team=team,
        now=now + timedelta(days=1),
    )
    message_add(
        actor=agent,
        reference=second.reference,
        kind="outbound",
        body="Answered, Ms Jones.",
        status_after="resolved",
        now=now + timedelta(days=1, hours=1),
    )
    bobs = case_create(
        actor=agent,
        customer=other_customer,
        subject="Neighbour",
        body="My neighbour Alice Jones (alice@example.com) has my parcel.",
        channel="email",
        team=team,
        now=now + timedelta(days=2),
    )
    return {"cases": [first, second], "bobs": bobs}
