"""List endpoints cost the same number of queries for a page of 5 as for a page of 50."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.models import Attachment, Case, CaseEvent, Message, Tag
from rapport.customers.models import Customer

ROWS = 120  # enough that every list fills the larger page, even without the notes a customer may not see


@pytest.fixture
def many(agent, team, customer, case, now):
    """ROWS of everything each list shows, with the relations each row carries."""
    tags = Tag.objects.bulk_create([Tag(name="kettle"), Tag(name="warranty")])
    cases = Case.objects.bulk_create(
        Case(subject=f"Case {i}", channel="email", customer=customer, team=team, owner=agent,
             created_at=now, updated_at=now + timedelta(seconds=i))
        for i in range(ROWS)
    )  # fmt: skip
    Case.tags.through.objects.bulk_create(Case.tags.through(case_id=c.pk, tag_id=t.pk) for c in cases for t in tags)
    messages = Message.objects.bulk_create(
        Message(case=case, kind="outbound" if i % 2 else "note", channel="email", author=agent, body=f"Reply {i}",
                created_at=now + timedelta(seconds=i))
        for i in range(ROWS)
    )  # fmt: skip
    Attachment.objects.bulk_create(
        Attachment(message=m, file=f"attachments/{i}", filename=f"{i}.pdf", content_type="application/pdf",
                   size=10, sha256="0" * 64, created_at=now)
        for i, m in enumerate(messages)
    )  # fmt: skip
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, actor=agent, at=now + timedelta(seconds=i), kind="changed", field="priority")
        for i in range(ROWS)
    )
    Customer.objects.bulk_create(Customer(name=f"Customer {i:03}", created_at=now, updated_at=now) for i in range(ROWS))
    return case


# Each count is the bearer token (1) plus what the list needs, whatever the page size. A member of
# staff reading a case's messages or timeline, or whole customer records, adds one insert to the
# access log (one row per person, all in one statement).
LISTS = [
    # the agent's team scope, the page, its tags
    ("agent", "/api/v1/cases", 4),
    # the page (customer, owner and team joined), its tags
    ("manager", "/api/v1/cases?status=any&sort=priority", 3),
    # the case through the policy (team scope, case), the access log, the page with authors, its attachments
    ("agent", "/api/v1/cases/{reference}/messages", 6),
    # the customer's id, the case, the page, its attachments (tags are not shown to customers)
    ("customer_user", "/api/v1/cases/{reference}/messages", 5),
    # the team scope, the case, the access log, the page with actors
    ("agent", "/api/v1/cases/{reference}/events", 5),
    # the page, the access log (every customer listed, in one insert)
    ("agent", "/api/v1/customers", 3),
    # the customer's id, the page, its tags (loaded by the queue, though not shown to customers)
    ("customer_user", "/api/v1/cases", 4),
]


@pytest.mark.parametrize("limit", [5, 50])
@pytest.mark.parametrize(("who", "path", "queries"), LISTS)
def test_a_list_costs_the_same_at_any_page_size(
    client, auth, request, many, django_assert_num_queries, who, path, queries, limit
):
    user = request.getfixturevalue(who)
    url = path.format(reference=many.reference)
    headers = auth(user)
    client.get(url, **headers)  # the first use of a token records when it was used: once a minute, not per call

    with django_assert_num_queries(queries):
        response = client.get(url, {"limit": limit}, **headers)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert len(body["items"]) == limit
    assert body["next_cursor"] is not None
