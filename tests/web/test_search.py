"""The search page: results grouped by kind, snippets marked up safely, the policy respected."""

from __future__ import annotations

import pytest

from rapport.cases.search import MARK_CLOSE, MARK_OPEN
from rapport.cases.services import case_create, message_add
from rapport.customers.services import customer_create
from rapport.web.templatetags.markup import marked
from tests.web.html_checks import page_problems


def test_search_lists_cases_and_messages(agent_client, case):
    response = agent_client.get("/search/", {"q": "kettle"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="results-case">Cases' in html
    assert '<h2 id="results-message">Messages' in html
    assert f'<a href="/cases/{case.reference}/">{case.reference} Broken kettle</a>' in html
    assert "Broken <mark>kettle</mark>" in html
    assert page_problems(html) == []


def test_search_finds_customers(agent_client, agent, now):
    carol = customer_create(actor=agent, name="Carol Danvers", email="carol@example.com", now=now)

    html = agent_client.get("/search/", {"q": "carol"}).content.decode()

    assert '<h2 id="results-customer">Customers' in html
    assert f'<a href="/customers/{carol.pk}/">Carol Danvers</a>' in html


def test_message_hits_link_to_the_message_on_its_case(agent_client, case):
    message = case.messages.get()

    html = agent_client.get("/search/", {"q": "heating"}).content.decode()

    assert f'href="/cases/{case.reference}/#message-{message.pk}"' in html
    assert "stopped <mark>heating</mark>" in html


def test_user_text_in_results_is_escaped(agent_client, agent, customer, now):
    case_create(
        actor=agent,
        customer=customer,
        subject="<b>bold</b> «quoted» kettle",
        body="<img src=x onerror=alert(1)> kettle",
        now=now,
    )

    html = agent_client.get("/search/", {"q": "kettle"}).content.decode()

    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "«quoted»" in html  # guillemets a person types are text, not match markers


def test_search_respects_the_policy(agent_client, case, other_case):
    html = agent_client.get("/search/", {"q": "duplicate charge"}).content.decode()

    assert other_case.reference not in html
    assert "No results for" in html


@pytest.mark.parametrize("q", ["", "   ", "!!!"])
def test_an_empty_or_wordless_search_is_calm(agent_client, db, q):
    response = agent_client.get("/search/", {"q": q})
    assert response.status_code == 200


def test_the_header_search_box_is_on_every_desk_page(agent_client, db):
    html = agent_client.get("/customers/").content.decode()

    assert 'id="global-search"' in html
    assert 'aria-keyshortcuts="/"' in html
    assert '<form role="search" method="get" action="/search/"' in html


OPEN, CLOSE = MARK_OPEN, MARK_CLOSE


@pytest.mark.parametrize(
    ("snippet", "html"),
    [
        (f"a {OPEN}match{CLOSE} here", "a <mark>match</mark> here"),
        (f"<script>{OPEN}x{CLOSE}</script>", "&lt;script&gt;<mark>x</mark>&lt;/script&gt;"),
        (f"stray {CLOSE} close", "stray  close"),
        (f"left {OPEN}open", "left <mark>open</mark>"),
        (f"{OPEN}a{CLOSE} and {OPEN}b{CLOSE}", "<mark>a</mark> and <mark>b</mark>"),
        (f"{OPEN}{OPEN}double{CLOSE}{CLOSE}", "<mark>double</mark>"),
        ("", ""),
    ],
)
def test_snippet_markers_become_balanced_marks(snippet, html):
    assert marked(snippet) == html


def test_internal_notes_are_labelled_as_such_for_staff(agent_client, agent, case):
    message_add(actor=agent, reference=case.reference, kind="note", body="Goodwill voucher approved by leader")

    html = agent_client.get("/search/", {"q": "goodwill voucher"}).content.decode()

    assert "Internal note" in html


# --- a reference goes straight to the case ------------------------------------------------------


def _as_typed(case, form):
    return {
        "reference": case.reference,
        "lower": case.reference.lower(),
        "padded": f"{case.pk:06d}",
        "bare": str(case.pk),
    }[form]


@pytest.mark.parametrize("form", ["reference", "lower", "padded", "bare"])
def test_a_reference_or_its_number_goes_straight_to_the_case(agent_client, case, form):
    response = agent_client.get("/search/", {"q": _as_typed(case, form)})

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"


def test_a_reference_the_searcher_may_not_see_is_searched_as_words(agent_client, case, other_case):
    # given: other_case belongs to another team, so the agent may not see it
    # when
    response = agent_client.get("/search/", {"q": other_case.reference})

    # then: the ordinary results page, exactly as for a reference that does not exist
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/cases/{other_case.reference}/' not in html
    missing = agent_client.get("/search/", {"q": "C-999999"})
    assert missing.status_code == 200
    assert "No results for" in html
    assert "No results for" in missing.content.decode()
