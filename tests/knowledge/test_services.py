"""Articles, versions, the workflow, reviews and cited rules, case links and deflections."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Q

from rapport import extensions
from rapport.cases.models import CaseEvent
from rapport.knowledge import selectors, services
from rapport.knowledge.models import Article, ArticleDocument, Deflection, Synonym
from rapport.platform import settings_history
from rapport.platform.errors import Conflict, FieldError, Forbidden
from tests.knowledge.conftest import PUBLIC_BODY


def test_every_change_is_a_version_with_who_when_and_what(agent, public_article, now):
    later = now + timedelta(hours=1)
    article = services.article_update(
        actor=agent,
        article_id=public_article.pk,
        expected_version=3,
        changes={"body": PUBLIC_BODY + "\n\nWe pay for the return."},
        note="Return costs",
        now=later,
    )
    latest = article.versions.order_by("-number").first()
    assert (latest.number, latest.author, latest.at, latest.changed, latest.note) == (
        4,
        agent,
        later,
        ["body"],
        "Return costs",
    )
    assert [v.number for v in selectors.versions(article)] == [4, 3, 2, 1]
    diff = str(selectors.diff(article.versions.get(number=3), latest))
    assert "diff-add" in diff
    assert "We pay for the return." in diff


def test_an_edit_to_a_published_article_is_a_draft_readers_do_not_see_yet(agent, public_article, now):
    article = services.article_update(
        actor=agent, article_id=public_article.pk, expected_version=3, changes={"title": "Changed title"}, now=now
    )
    assert article.status == "draft"
    assert article.live.title == "Refunds for faulty goods"
    assert ArticleDocument.objects.get(article=article).title == "Refunds for faulty goods"


def test_an_edit_from_a_stale_version_is_refused(agent, public_article, now):
    with pytest.raises(Conflict):
        services.article_update(actor=agent, article_id=public_article.pk, expected_version=1, changes={"title": "X"})


def test_the_author_cannot_approve_their_own_public_article(team_leader, section, now):
    article = services.article_create(actor=team_leader, title="T", body="Text", audience="public", now=now)
    services.transition(actor=team_leader, article_id=article.pk, action="submit", expected_version=1, now=now)
    with pytest.raises(Forbidden, match="other than the author"):
        services.transition(actor=team_leader, article_id=article.pk, action="approve", expected_version=2, now=now)


def test_an_agent_cannot_approve_a_public_article(agent, other_agent, now):
    article = services.article_create(actor=other_agent, title="T", body="Text", audience="public", now=now)
    services.transition(actor=other_agent, article_id=article.pk, action="submit", expected_version=1, now=now)
    with pytest.raises(Forbidden, match="approver"):
        services.transition(actor=agent, article_id=article.pk, action="approve", expected_version=2, now=now)


def test_rolling_back_brings_the_old_text_back_as_a_new_version(agent, public_article, now):
    services.article_update(
        actor=agent, article_id=public_article.pk, expected_version=3, changes={"title": "Wrong"}, now=now
    )
    article = services.rollback(actor=agent, article_id=public_article.pk, number=1, expected_version=4, now=now)
    assert article.version == 5
    assert article.title == "Refunds for faulty goods"
    assert article.versions.get(number=5).note == "Rolled back to version 1"
    with pytest.raises(FieldError):
        services.rollback(actor=agent, article_id=public_article.pk, number=99, expected_version=5, now=now)


def test_headings_and_alt_text_are_checked_when_saving(agent, now):
    with pytest.raises(FieldError) as error:
        services.article_create(actor=agent, title="T", body="## A\n\n#### Deep\n\n![](/help/files/1/)", now=now)
    messages = error.value.errors["body"]
    assert any("level 2 to level 4" in m for m in messages)
    assert any("no text alternative" in m for m in messages)


def test_a_customer_cannot_write(customer_user, now):
    with pytest.raises(Forbidden):
        services.article_create(actor=customer_user, title="T", body="Text", now=now)


def test_a_cited_rule_that_changes_flags_the_article_for_review(agent, manager, internal_article, now):
    synonym = Synonym.objects.create(phrases="refund, money back")
    services.citations_set(
        article=internal_article, citations=[services.Citation("knowledge.synonym", str(synonym.pk))], now=now
    )
    assert services.flag_changed_rules(now=now + timedelta(minutes=1)) == 0
    synonym.phrases = "refund, money back, reimbursement"
    settings_history.setting_save(actor=manager, instance=synonym, now=now + timedelta(hours=1))
    assert services.flag_changed_rules(now=now + timedelta(hours=2)) == 1
    article = Article.objects.get(pk=internal_article.pk)
    assert "rule it cites changed" in article.review_reason
    assert article.review_due == (now + timedelta(hours=2)).date()
    assert services.flag_changed_rules(now=now + timedelta(hours=3)) == 0  # flagged once per change
    assert list(selectors.flagged(agent)) == [article]


def test_citing_an_unknown_rule_is_refused(internal_article, now):
    with pytest.raises(FieldError, match="No rule"):
        services.citations_set(article=internal_article, citations=[services.Citation("sla.nothing", "1")], now=now)


def test_overdue_reviews_go_to_the_owner_and_managers(agent, other_agent, manager, internal_article, now):
    Article.objects.filter(pk=internal_article.pk).update(review_due=now.date() - timedelta(days=1))
    assert list(selectors.overdue(agent, now.date())) == [internal_article]
    assert list(selectors.overdue(manager, now.date())) == [internal_article]
    assert list(selectors.overdue(other_agent, now.date())) == []


def test_linking_a_case_is_a_case_event_and_counts_with_its_csat(agent, case, public_article, now):
    services.case_link(actor=agent, reference=case.reference, article_id=public_article.pk, now=now)
    services.case_link(actor=agent, reference=case.reference, article_id=public_article.pk, now=now)
    assert CaseEvent.objects.filter(case=case, kind="kb_article_linked").count() == 1
    extensions.case_facts._entries.pop(extensions.CSAT, None)
    extensions.case_facts.register(extensions.CSAT, lambda low, high: {case.pk: 4})
    try:
        usage = selectors.usage([public_article])[public_article.pk]
    finally:
        extensions.case_facts._entries.pop(extensions.CSAT, None)
        from rapport.feedback import selectors as feedback_selectors

        extensions.case_facts.register(extensions.CSAT, feedback_selectors.csat_by_case)
    assert (usage.cases, usage.csat, usage.rated) == (1, 4.0, 1)


def test_an_agent_cannot_link_a_case_outside_their_scope(agent, other_case, public_article, now):
    from rapport.platform.errors import NotFound

    with pytest.raises(NotFound):
        services.case_link(actor=agent, reference=other_case.reference, article_id=public_article.pk, now=now)


def test_feedback_asks_why_not(customer_user, public_article, now):
    with pytest.raises(FieldError, match="why"):
        services.feedback_give(actor=customer_user, article_id=public_article.pk, helpful=False, now=now)
    given = services.feedback_give(
        actor=customer_user, article_id=public_article.pk, helpful=False, reason="unclear", now=now
    )
    assert given.public
    assert given.reason == "unclear"


def test_deflections_are_decided_after_the_window(customer, other_customer, agent, public_article, now):
    from rapport.cases.services import case_create

    gave_up = services.suggestion_opened(customer=other_customer, article=public_article, now=now)
    raised = services.suggestion_opened(customer=customer, article=public_article, now=now)
    case = case_create(actor=agent, customer=customer, subject="Still broken", body="x", now=now + timedelta(hours=1))
    assert services.deflections_decide(now=now + timedelta(hours=2)) == {"raised": 0, "deflected": 0}
    assert services.deflections_decide(now=now + timedelta(hours=25)) == {"raised": 1, "deflected": 1}
    assert Deflection.objects.get(pk=raised.pk).case_id == case.pk
    assert Deflection.objects.get(pk=gave_up.pk).outcome == "deflected"
    figures = selectors.figures(now - timedelta(days=1), now + timedelta(days=1))
    assert (figures.deflected, figures.raised, figures.resolution) == (1, 1, 0.5)


def test_a_customer_who_says_it_answered_them_is_deflected_at_once(customer, public_article, now):
    services.suggestion_opened(customer=customer, article=public_article, now=now)
    assert services.deflection_confirmed(customer=customer, article_id=public_article.pk, now=now) == 1
    assert Deflection.objects.get().outcome == "deflected"


def test_gaps_are_offered_as_evidence_through_the_registry(customer_user, public_article, now):
    services.search_logged(actor=customer_user, text="gift card balance", now=now)
    services.search_logged(actor=customer_user, text="gift card balance", now=now)
    services.feedback_give(actor=customer_user, article_id=public_article.pk, helpful=False, reason="unclear", now=now)
    scope = extensions.GapScope(start=now - timedelta(days=1), end=now + timedelta(days=1), cases=lambda prefix: Q())
    evidence = {e.key: e for _name, e in extensions.gaps_from_providers(scope) if _name == extensions.KB_SEARCHES}
    assert evidence["search:gift card balance"].reach == 2
    assert evidence["search:gift card balance"].size == 1.0
    assert evidence[f"article:{public_article.pk}"].size == 1.0


def test_csat_is_asked_for_run_by_run_never_the_whole_range(monkeypatch):
    asked = []

    def fact(low, high):
        asked.append((low, high))
        return {case_id: 5 for case_id in range(low, high + 1)}

    extensions.case_facts._entries.pop(extensions.CSAT, None)
    extensions.case_facts.register(extensions.CSAT, fact)
    try:
        scores = selectors.csat_of([3, 10, 900_000, 900_005])
    finally:
        extensions.case_facts._entries.pop(extensions.CSAT, None)
        from rapport.feedback import selectors as feedback_selectors

        extensions.case_facts.register(extensions.CSAT, feedback_selectors.csat_by_case)
    assert asked == [(3, 10), (900_000, 900_005)]
    assert scores == {3: 5, 10: 5, 900_000: 5, 900_005: 5}
