"""Search on a large desk: ranked within the newest matches, widened for narrow scopes, snippets
cut from the kept rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from rapport.cases import search
from rapport.cases.search import MARK_CLOSE, MARK_OPEN, snippet
from rapport.cases.services import case_create


def test_a_snippet_marks_words_that_start_with_a_term():
    body = "Hello there. I ordered a kettle on Monday and the Order number is 5521; it arrived broken."
    shown = snippet(body, ["order"])
    assert f"{MARK_OPEN}ordered{MARK_CLOSE}" in shown
    assert f"{MARK_OPEN}Order{MARK_CLOSE}" in shown
    assert shown.endswith("…")


def test_a_snippet_without_a_match_shows_the_opening_words():
    assert snippet("one two three", ["zebra"]) == "one two three"
    assert snippet("", ["zebra"]) == ""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the ranking window is SQLite's")
def test_a_narrow_scope_still_finds_an_old_match_outside_the_window(
    monkeypatch, agent, other_agent, customer, other_customer, team, other_team, now
):
    monkeypatch.setattr(search, "RECENT_WINDOW", 2)
    mine = case_create(
        actor=agent, customer=customer, subject="Kettle", body="kettle broke", channel="email", team=team, now=now
    )
    for i in range(6):  # newer matches the agent may not see
        case_create(
            actor=other_agent,
            customer=other_customer,
            subject=f"Kettle {i}",
            body="kettle again",
            channel="email",
            team=other_team,
            now=now + timedelta(minutes=i + 1),
        )
    hits = search.search(agent, "kettle", limit=5)
    assert {hit.case_id for hit in hits} == {mine.pk}


def test_a_customer_searches_only_their_own_documents(customer_user, customer, other_customer, agent, team, now):
    own = case_create(actor=customer_user, customer=customer, subject="Late parcel", body="My parcel is late", now=now)
    case_create(actor=agent, customer=other_customer, subject="Parcel", body="parcel lost", channel="email", now=now)
    hits = search.search(customer_user, "parcel")
    assert {hit.case_id for hit in hits} == {own.pk}
    assert all(MARK_OPEN in hit.snippet or hit.kind == "case" for hit in hits)
