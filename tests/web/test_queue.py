"""The desk home: queues, filters, sorting, keyset pagination, htmx partials, bad input."""

from __future__ import annotations

import re

import pytest

from rapport.cases.services import case_update
from tests.web.html_checks import page_problems

REFERENCE = re.compile(r'<th scope="row"><a href="/cases/(C-\d+)/">')


def references(response) -> list[str]:
    return REFERENCE.findall(response.content.decode())


def next_link(response) -> str | None:
    match = re.search(r'<a href="(/\?[^"]*cursor=[^"]*)"[^>]*>Next page</a>', response.content.decode())
    return match.group(1).replace("&amp;", "&") if match else None


def test_anonymous_visitors_sign_in_first(client, db):
    response = client.get("/?queue=mine")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/%3Fqueue%3Dmine"


def test_customers_are_sent_to_their_portal(customer_client):
    response = customer_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_the_queue_lists_cases_with_their_facts(agent_client, case, agent, now):
    case_update(
        actor=agent, reference=case.reference, expected_version=1, changes={"owner": agent, "tags": ["kettle"]}, now=now
    )

    response = agent_client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert references(response) == [case.reference]
    for text in ("Broken kettle", "Alice Jones", "External", "Open", "Normal", "Agent", "Front line", "kettle"):
        assert text in html
    assert '<time datetime="2026-03-02T10:00:00+00:00">' in html
    assert "(2 Mar 2026, 10:00)" in html
    assert page_problems(html) == []


@pytest.mark.parametrize(
    ("queue", "expected"),
    [
        ("mine", {"owned"}),
        ("team", {"owned", "team"}),
        ("unassigned", {"team", "triage"}),
        ("all", {"owned", "team", "triage"}),
    ],
)
def test_queues(agent_client, agent, customer, team, now, queue, expected):
    from rapport.cases.services import case_create

    made = {
        "owned": case_create(
            actor=agent, customer=customer, subject="Owned", body="b", team=team, owner=agent, now=now
        ),
        "team": case_create(actor=agent, customer=customer, subject="Team", body="b", team=team, now=now),
        "triage": case_create(actor=agent, customer=customer, subject="Triage", body="b", now=now),
    }

    response = agent_client.get("/", {"queue": queue})

    assert set(references(response)) == {made[name].reference for name in expected}
    assert re.search(rf'<a href="/\?queue={queue}"[^>]* aria-current="page">', response.content.decode())


def test_status_filter_defaults_to_active_and_any_shows_every_case(agent_client, make_cases, agent):
    open_case, closed_case = make_cases(2)
    case_update(actor=agent, reference=closed_case.reference, expected_version=1, changes={"status": "closed"})

    assert references(agent_client.get("/")) == [open_case.reference]
    assert set(references(agent_client.get("/", {"status": "any"}))) == {open_case.reference, closed_case.reference}
    assert references(agent_client.get("/", {"status": "closed"})) == [closed_case.reference]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"priority": "urgent"}, {"target"}),
        ({"priority": "normal"}, {"other"}),
        ({"priority": "low"}, set()),
        ({"type": "complaint"}, {"target"}),
        ({"type": "enquiry"}, {"other"}),
        ({"channel": "phone"}, {"target"}),
        ({"channel": "email"}, {"other"}),
        ({"tag": "refund"}, {"target"}),
        ({"tag": "unused"}, set()),
    ],
)
def test_filters(agent_client, agent, customer, now, params, expected):
    from rapport.cases.services import case_create

    made = {
        "target": case_create(
            actor=agent,
            customer=customer,
            subject="Target",
            body="b",
            type="complaint",
            channel="phone",
            priority="urgent",
            tags=["refund"],
            now=now,
        ),
        "other": case_create(actor=agent, customer=customer, subject="Other", body="b", channel="email", now=now),
    }

    found = references(agent_client.get("/", params))

    assert set(found) == {made[name].reference for name in expected}


def test_team_and_owner_filters(manager_client, case, other_case, other_agent, other_team, now):
    case_update(
        actor=other_agent, reference=other_case.reference, expected_version=1, changes={"owner": other_agent}, now=now
    )

    assert references(manager_client.get("/", {"team": other_team.pk})) == [other_case.reference]
    assert references(manager_client.get("/", {"owner": other_agent.pk})) == [other_case.reference]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "lost"}, "Unknown status &#x27;lost&#x27;."),
        ({"priority": "extreme"}, "Choose low, normal, high or urgent."),
        ({"queue": "yours"}, "Choose one of: mine, team, unassigned, breaching, all."),
        ({"team": "abc"}, "Give a whole number."),
        ({"sort": "random"}, "Choose one of: updated, oldest, created, priority, breach."),
        ({"cursor": "not-a-cursor"}, "This cursor is not valid; start again from the first page."),
        ({"limit": "100000"}, "Give a page size from 1 to 200."),
    ],
)
def test_bad_filter_values_show_a_message_not_an_error_page(agent_client, case, params, message):
    response = agent_client.get("/", params)

    html = response.content.decode()
    assert response.status_code == 400
    assert "These filters cannot be used" in html
    assert message in html
    assert references(response) == []
    assert page_problems(html) == []


def test_empty_state(agent_client, db):
    response = agent_client.get("/", {"queue": "mine"})

    assert response.status_code == 200
    assert "No cases match." in response.content.decode()


@pytest.mark.parametrize("sort", ["updated", "oldest", "created", "priority"])
def test_keyset_pages_cover_every_case_once(agent_client, make_cases, sort):
    cases = make_cases(5)

    first = agent_client.get("/", {"limit": 2, "sort": sort})
    seen = references(first)
    assert "First page" not in first.content.decode()
    link = next_link(first)
    while link:
        page = agent_client.get(link)
        assert "First page" in page.content.decode()
        seen += references(page)
        link = next_link(page)

    assert sorted(seen) == sorted(c.reference for c in cases)
    assert len(seen) == len(set(seen))


def test_sort_orders(agent_client, make_cases):
    cases = make_cases(3)
    newest_first = [c.reference for c in reversed(cases)]

    assert references(agent_client.get("/", {"sort": "updated"})) == newest_first
    assert references(agent_client.get("/", {"sort": "oldest"})) == newest_first[::-1]


def test_the_next_page_link_keeps_the_filters(agent_client, make_cases):
    make_cases(3, priority="high")

    link = next_link(agent_client.get("/", {"limit": 1, "priority": "high", "queue": "all"}))

    assert link is not None
    assert "priority=high" in link
    assert "queue=all" in link


def test_the_queue_can_show_one_customers_cases(agent_client, case, other_customer, agent, now):
    from rapport.cases.services import case_create

    case_create(actor=agent, customer=other_customer, subject="Bob's case", body="b", now=now)

    response = agent_client.get("/", {"customer": case.customer_id})

    assert references(response) == [case.reference]
    assert "Showing one customer's cases only." in response.content.decode()


def test_htmx_asks_for_just_the_results(agent_client, case):
    response = agent_client.get("/", {"queue": "all"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert 'id="queue-tabs" class="tabs" aria-label="Queues and saved views" hx-swap-oob="true"' in html
    assert "1 case shown." in html
    assert "HX-Request" in response["Vary"]
    assert page_problems(html, fragment=True) == []


def test_htmx_bad_filters_still_answer_with_the_results_region(agent_client, db):
    response = agent_client.get("/", {"status": "lost"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")

    assert response.status_code == 400
    assert "These filters cannot be used" in response.content.decode()


def test_the_filter_form_works_with_and_without_javascript(agent_client, db):
    html = agent_client.get("/").content.decode()

    form = re.search(r'<form class="filters panel"[^>]*>', html, re.S).group(0)
    assert 'method="get"' in form
    assert 'action="/"' in form
    assert 'hx-get="/"' in form
    assert 'hx-target="#results"' in form
    assert 'hx-push-url="true"' in form


# The queue costs the same whatever the page size: session, user, the agent's teams, the page,
# its tags, the saved views (the tabs beside the queues), and the team and owner choices of the
# filter form (on the process's first view; later views reuse them, see below). The counts on the
# tabs are read from the shared cache, which in tests is the process's memory (no query; with the
# database cache one read, tests/web/test_queue_counts.py).
QUEUE_QUERIES = 10  # 8 for the core; privacy: one for the adjustment badges; mail: whether email is failing
# (the header's warning, read on the process's first view, then reused for a minute)


def counted(client) -> None:
    """Have every queue counted (the count jobs run at once in tests), then forget what the process
    remembers, as a process that has not served the queue yet would."""
    from rapport.platform import caches

    client.get("/")
    caches.clear_all()


@pytest.mark.parametrize("size", [2, 10])
def test_queue_query_count_does_not_grow_with_the_page(
    agent_client, make_cases, agent, size, django_assert_num_queries
):
    for case in make_cases(12):
        case_update(
            actor=agent, reference=case.reference, expected_version=1, changes={"tags": ["a", "b"], "owner": agent}
        )

    counted(agent_client)

    with django_assert_num_queries(QUEUE_QUERIES):
        response = agent_client.get("/", {"limit": size})

    assert len(references(response)) == size


def test_later_queue_views_reuse_the_owner_and_team_lists(agent_client, make_cases, django_assert_num_queries):
    make_cases(3)
    first = agent_client.get("/").content.decode()
    with django_assert_num_queries(QUEUE_QUERIES - 3):  # the lists and the email check reused
        again = agent_client.get("/").content.decode()
    assert again.count("<option") == first.count("<option")
