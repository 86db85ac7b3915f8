"""Search: ranked, widened by synonyms, forgiving of typos, filtered by category and audience."""

from __future__ import annotations

import pytest

from rapport.knowledge import search, services
from rapport.knowledge.models import Category, SearchLog, Section, Synonym
from tests.knowledge.conftest import publish_public

pytestmark = pytest.mark.django_db


def test_the_title_ranks_above_the_body(agent, manager, section, now):
    body_only = publish_public(agent, manager, now, title="Returns", body="A delivery that arrives late.")
    in_title = publish_public(agent, manager, now, title="Late delivery", body="What to do.")
    found = search.search("late delivery", internal=False).hits
    assert [h.article_id for h in found] == [in_title.pk, body_only.pk]


def test_synonyms_the_admin_adds_widen_the_search(public_article):
    assert search.search("money back", internal=False).hits == []
    Synonym.objects.create(phrases="refund, money back")
    assert [h.article_id for h in search.search("money back", internal=False).hits] == [public_article.pk]


def test_a_typo_is_corrected_to_a_word_of_the_articles(public_article):
    found = search.search("refnud", internal=False)
    assert found.corrected == "refund"
    assert [h.article_id for h in found.hits] == [public_article.pk]


def test_words_match_as_prefixes(public_article):
    assert [h.article_id for h in search.search("refu", internal=False).hits] == [public_article.pk]


def test_filters_by_category_and_audience(agent, manager, public_article, internal_article, now):
    other = Section.objects.create(category=Category.objects.create(name="Delivery", slug="delivery"), name="Late")
    elsewhere = publish_public(agent, manager, now, title="Refund for a late parcel", body="Refund.", section=other)
    ids = {h.article_id for h in search.search("refund", internal=True).hits}
    assert ids == {public_article.pk, elsewhere.pk}
    by_category = search.search("refund", internal=True, category_id=other.category_id).hits
    assert [h.article_id for h in by_category] == [elsewhere.pk]
    internal_only = search.search("goodwill", internal=True, audience="internal").hits
    assert [h.article_id for h in internal_only] == [internal_article.pk]
    assert search.search("goodwill", internal=True, audience="public").hits == []


def test_searches_are_logged_with_their_number_of_results(customer_user, public_article, now):
    services.search_logged(actor=customer_user, text="Refund!", now=now)
    services.search_logged(actor=customer_user, text="gift card", now=now)
    assert sorted(SearchLog.objects.values_list("query", "results", "public")) == [
        ("gift card", 0, True),
        ("refund", 1, True),
    ]


def test_unpublishing_takes_an_article_out_of_search(agent, public_article, now):
    services.transition(actor=agent, article_id=public_article.pk, action="unpublish", expected_version=3, now=now)
    assert search.search("refund", internal=True).hits == []


def test_only_the_newest_matches_are_ranked_and_sqlite_widens_until_enough_hits(
    agent, manager, public_article, now, monkeypatch
):
    from django.db import connection

    other = publish_public(agent, manager, now, title="Refund timescales", body="Refund within 14 days.")
    monkeypatch.setattr(search, "RANK_WINDOW", 1)
    found = {h.article_id for h in search.search("refund", internal=False).hits}
    if connection.vendor == "sqlite":  # the window widens when it leaves fewer hits than asked for
        assert found == {public_article.pk, other.pk}
    else:  # PostgreSQL ranks the newest matches the reader may see, a bounded number
        assert found == {other.pk}
