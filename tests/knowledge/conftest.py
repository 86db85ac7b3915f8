"""Fixtures for the knowledge base: a category and section, published public and internal
articles (the public one approved by a manager), and the API's sign-in headers."""

from __future__ import annotations

import pytest

from rapport.knowledge import services
from rapport.knowledge.models import Category, Section
from tests.api.conftest import auth  # noqa: F401 - the API tests sign in with it

PUBLIC_BODY = (
    "## Your rights\n\nYou can get a full refund within 30 days if goods are faulty.\n\n- Tell us\n- Send it back"
)
INTERNAL_BODY = "## Limits\n\nAgents approve goodwill up to £50; the secret escalation phrase is zebracrossing."


@pytest.fixture
def section(db):
    category = Category.objects.create(name="Refunds", slug="refunds")
    return Section.objects.create(category=category, name="Faulty goods")


def publish_public(author, approver, now, **values):
    article = services.article_create(actor=author, audience="public", now=now, **values)
    services.transition(actor=author, article_id=article.pk, action="submit", expected_version=1, now=now)
    return services.transition(actor=approver, article_id=article.pk, action="approve", expected_version=2, now=now)


@pytest.fixture
def public_article(agent, manager, section, now):
    return publish_public(
        agent,
        manager,
        now,
        title="Refunds for faulty goods",
        summary="Your 30-day right to reject.",
        body=PUBLIC_BODY,
        section=section,
    )


@pytest.fixture
def internal_article(agent, section, now):
    article = services.article_create(
        actor=agent, title="Goodwill authority limits", body=INTERNAL_BODY, section=section, now=now
    )
    return services.transition(actor=agent, article_id=article.pk, action="publish", expected_version=1, now=now)
