"""The portal's suggestions while a customer types a case: relevant to how customers put things,
public published articles only (their own index, kept in step with publishing), the word being
typed matched as a prefix, and a bounded amount of ranking."""

from __future__ import annotations

import pytest

from rapport.knowledge import demo, search, services
from rapport.knowledge.models import Article
from tests.knowledge.conftest import publish_public

pytestmark = pytest.mark.django_db

# How customers write a new case (subject, description), and the demo article that answers it.
PHRASINGS = [
    (
        "Kettle stopped working",
        "I bought it three weeks ago and it just stopped working. Can I get my money back?",
        "Your 30-day right to reject faulty goods",
    ),
    (
        "Parcel not arrived",
        "Tracking says it was delivered yesterday but I haven't got it and my neighbours don't have it",
        "My parcel says delivered but I haven't got it",
    ),
    ("Can't log in", "I've forgotten my password and can't get into my account", "Resetting your password"),
    ("Complaint", "I want to complain about how my order was handled", "How to make a complaint"),
    ("Copy of my data", "I'd like a copy of the personal data you hold about me", "Asking for a copy of your data"),
    ("Sofa arrived damaged", "The sofa was delivered with a big tear in the fabric", "My parcel arrived damaged"),
    (
        "Changed my mind",
        "I ordered a coat online last week and I want to send it back",
        "Changed your mind? Returning something bought online",
    ),
    ("Stop emails", "Please stop sending me marketing emails", "Stopping marketing messages"),
    (
        "Still waiting for refund",
        "You agreed a refund ten days ago and I still haven't got it",
        "How long a refund takes",
    ),
    (
        "Unhappy with your final response",
        "I want to go to the ombudsman",
        "Taking your complaint to an ombudsman",
    ),
    (
        "Large print please",
        "I have poor eyesight, can you send letters in large print?",
        "Getting information in another format",
    ),
]


@pytest.fixture
def demo_articles(agent, manager, now):
    demo.seed(now=now)


def titles(subject: str, description: str) -> list[str]:
    return [hit.title for hit in search.suggest(subject, description)]


@pytest.mark.parametrize(("subject", "description", "answer"), PHRASINGS)
def test_suggestions_find_the_article_that_answers_a_customers_own_words(demo_articles, subject, description, answer):
    assert answer in titles(subject, description)[:3]


def test_internal_articles_are_never_suggested_even_for_their_own_words(demo_articles):
    internal = set(Article.objects.filter(live__audience="internal").values_list("live__title", flat=True))
    assert "Refund authority limits" in internal
    assert titles("Goodwill authority limits", "HEAT stages, escalate, vulnerable circumstances") == []
    every = {t for subject, description, _ in PHRASINGS for t in titles(subject, description)}
    every |= set(titles("refund authority", "subject access request plain English"))
    assert every
    assert not every & internal


def test_the_word_being_typed_matches_as_a_prefix_and_finished_words_match_whole(agent, manager, now):
    parcel = publish_public(agent, manager, now, title="My parcel arrived damaged", body="Tell us.")
    card = publish_public(agent, manager, now, title="Paying by card", body="Card payments.")
    assert [h.article_id for h in search.suggest("", "my parc")] == [parcel.pk]
    assert search.suggest("", "my parc ") == []  # "parc" is finished: a whole word, not a prefix
    assert [h.article_id for h in search.suggest("car", "")] == [card.pk]
    assert [h.article_id for h in search.suggest("car ", "my parcels")] == [parcel.pk]  # stemmed


def test_the_title_weighs_more_than_the_summary(agent, manager, now):
    in_summary = publish_public(
        agent, manager, now, title="Returns", summary="What to do about a late delivery.", body="x"
    )
    in_title = publish_public(agent, manager, now, title="Late delivery", summary="What to do.", body="x")
    assert [h.article_id for h in search.suggest("late delivery", "")] == [in_title.pk, in_summary.pk]


def test_only_title_and_summary_are_matched_not_the_body(agent, manager, now):
    publish_public(agent, manager, now, title="Returns", summary="Sending things back.", body="A zebra crossing.")
    assert search.suggest("zebra", "") == []
    assert len(search.search("zebra", internal=False).hits) == 1  # search still reads the body


def test_the_index_follows_publishing_changing_and_withdrawing(agent, manager, now):
    article = publish_public(agent, manager, now, title="Lost parcels", summary="We look for it.", body="x")
    draft = services.article_create(actor=agent, title="Parcel insurance", body="x", audience="public", now=now)
    assert [h.article_id for h in search.suggest("parcel", "")] == [article.pk]  # drafts never
    services.article_update(
        actor=agent, article_id=article.pk, expected_version=3, changes={"summary": "Courier claims."}, now=now
    )
    assert [h.article_id for h in search.suggest("courier", "")] == []  # still the published version
    services.transition(actor=agent, article_id=article.pk, action="submit", expected_version=4, now=now)
    services.transition(actor=manager, article_id=article.pk, action="approve", expected_version=5, now=now)
    assert [h.article_id for h in search.suggest("courier", "")] == [article.pk]
    assert search.suggest("look", "") == []  # the old summary is out of the index
    services.article_update(
        actor=agent, article_id=article.pk, expected_version=6, changes={"audience": "internal"}, now=now
    )
    services.transition(actor=agent, article_id=article.pk, action="publish", expected_version=7, now=now)
    assert search.suggest("courier", "") == []  # internal now: out of the suggestions
    assert [h.article_id for h in search.search("courier", internal=True).hits] == [article.pk]
    services.article_update(
        actor=agent, article_id=article.pk, expected_version=8, changes={"audience": "public"}, now=now
    )
    services.transition(actor=agent, article_id=article.pk, action="submit", expected_version=9, now=now)
    services.transition(actor=manager, article_id=article.pk, action="approve", expected_version=10, now=now)
    assert [h.article_id for h in search.suggest("courier", "")] == [article.pk]
    services.transition(actor=agent, article_id=article.pk, action="unpublish", expected_version=11, now=now)
    assert search.suggest("courier", "") == []
    assert draft.pk not in {h.article_id for h in search.suggest("parcel insurance", "")}


def test_a_long_description_is_matched_on_its_meaningful_words(agent, manager, now):
    article = publish_public(agent, manager, now, title="How long a refund takes", body="x")
    description = "I sent it back to you on the Monday of last week and I am still waiting for the refund"
    assert [h.article_id for h in search.suggest("", description)] == [article.pk]


def test_ranking_is_bounded_to_the_newest_matches_and_widens_when_too_few(agent, manager, now, monkeypatch):
    best = publish_public(agent, manager, now, title="Late delivery", body="x")  # the oldest
    newer = [publish_public(agent, manager, now, title=f"Delivery note {n}", body="x") for n in range(3)]
    assert search.suggest("late delivery", "", limit=2)[0].article_id == best.pk
    monkeypatch.setattr(search, "SUGGESTION_WINDOW", 2)
    found = search.suggest("late delivery", "", limit=2)
    assert [h.article_id for h in found] == [newer[2].pk, newer[1].pk]  # only the newest two ranked
    widened = search.suggest("late delivery", "", limit=4)
    assert [h.article_id for h in widened] == [best.pk, newer[2].pk, newer[1].pk, newer[0].pk]
