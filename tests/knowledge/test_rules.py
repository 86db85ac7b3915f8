"""The pure rules: workflow, accessibility checks, query expansion and typo correction."""

from __future__ import annotations

import pytest

from rapport.domain import knowledge as rules

APPROVER = rules.Standing(may_approve=True, wrote_latest=False)
AUTHOR_APPROVER = rules.Standing(may_approve=True, wrote_latest=True)
AGENT = rules.Standing(may_approve=False, wrote_latest=False)


def test_a_public_article_is_approved_by_an_approver_who_did_not_write_it():
    assert rules.next_status("review", "approve", "public", APPROVER) == "published"
    with pytest.raises(rules.WorkflowRefused, match="other than the author"):
        rules.next_status("review", "approve", "public", AUTHOR_APPROVER)
    with pytest.raises(rules.WorkflowRefused, match="approver"):
        rules.next_status("review", "approve", "public", AGENT)


def test_a_public_article_cannot_skip_review_but_an_internal_one_can():
    with pytest.raises(rules.WorkflowRefused, match="review"):
        rules.next_status("draft", "publish", "public", APPROVER)
    assert rules.next_status("draft", "publish", "internal", AGENT) == "published"
    assert rules.next_status("draft", "submit", "public", AGENT) == "review"
    with pytest.raises(rules.WorkflowRefused):
        rules.next_status("published", "approve", "public", APPROVER)


def test_review_overdue_the_day_after_the_date(now):
    today = now.date()
    assert not rules.review_overdue(today, today)
    assert rules.review_overdue(today.replace(day=today.day - 1), today)
    assert not rules.review_overdue(None, today)


def test_headings_must_not_skip_a_level_or_repeat_the_title():
    assert rules.heading_problems([(2, "A"), (3, "B"), (2, "C"), (3, "D")]) == []
    problems = rules.heading_problems([(2, "A"), (4, "Deep")])
    assert problems
    assert "level 2 to level 4" in problems[0]
    assert "use level 3" in problems[0]
    assert "level 1 heading" in rules.heading_problems([(1, "Title again")])[0]


def test_every_image_needs_a_text_alternative():
    assert rules.image_problems([("/a.png", "A parcel label")]) == []
    assert "/b.png" in rules.image_problems([("/b.png", " ")])[0]


def test_synonyms_widen_the_query_phrase_by_phrase():
    groups = rules.expand("money back delay", [(("refund",), ("money", "back"))])
    assert groups == [(("money", "back"), ("refund",)), (("delay",),)]
    assert rules.fts5_query(groups) == '(("money"* AND "back"*) OR "refund"*) AND "delay"*'
    assert rules.tsquery(groups) == "((money:* & back:*) | refund:*) & delay:*"


def test_query_syntax_cannot_be_injected():
    groups = rules.expand('refund" OR NEAR(x', [])
    assert rules.fts5_query(groups) == '"refund"* AND "or"* AND "near"* AND "x"*'


def test_typos_are_corrected_to_the_closest_known_word():
    vocabulary = ["refund", "delivery", "damaged"]
    assert rules.corrected("refnud", lambda w: vocabulary) == "refund"
    assert rules.corrected("delivey damagd", lambda w: vocabulary) == "delivery damaged"
    assert rules.corrected("refund", lambda w: vocabulary) is None
    assert rules.corrected("xyzzy", lambda w: vocabulary) is None


def test_suggestions_match_any_meaningful_word():
    groups = rules.meaningful(rules.expand("my kettle is broken", []))
    assert rules.fts5_query(groups, any_group=True) == '"kettle"* OR "broken"*'


def test_the_word_being_typed_is_the_last_one_until_a_space_or_punctuation_follows():
    assert rules.being_typed("my parc") == "parc"
    assert rules.being_typed("my parcel ") is None
    assert rules.being_typed("is it late?") is None
    assert rules.being_typed("") is None


def test_only_the_word_being_typed_matches_as_a_prefix_in_suggestions():
    groups = rules.meaningful(rules.expand("broken kettle refu", [("refund",), ("money", "back")]))
    assert rules.fts5_query(groups, any_group=True, prefixes={"refu"}) == '"broken" OR "kettle" OR "refu"*'
    assert rules.tsquery(groups, any_group=True, prefixes={"refu"}) == "broken | kettle | refu:*"
    assert rules.tsquery(groups) == "broken:* & kettle:* & refu:*"  # search: every word a prefix


def test_a_long_description_can_be_read_further_than_a_search():
    text = "i sent it back to you on the monday of last week and i am still waiting for the refund"
    assert ("refund",) not in [g[0] for g in rules.expand(text, [])]
    assert (("refund",),) in rules.expand(text, [], max_terms=4 * rules.MAX_TERMS)
