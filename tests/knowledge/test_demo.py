"""The demo: 30+ UK articles, public ones approved, two overdue reviews, feedback and deflections."""

from __future__ import annotations

import pytest

from rapport.knowledge import search
from rapport.knowledge.models import Article, Deflection, Feedback, SearchLog
from rapport.seeding.demo import seed_demo
from tests.conftest import NOW


@pytest.mark.django_db
def test_the_demo_brings_a_knowledge_base():
    seed_demo(now=NOW, seed=1)

    assert Article.objects.count() >= 30
    public = Article.objects.filter(live__audience="public")
    assert public.count() >= 20
    assert not public.filter(approved_by=None).exists()
    assert Article.objects.filter(review_due__lt=NOW.date()).count() == 2
    assert Deflection.objects.filter(outcome="deflected").exists()
    assert Deflection.objects.filter(outcome="raised").exists()
    assert Feedback.objects.filter(helpful=False).exists()
    assert SearchLog.objects.filter(results=0).exists()
    titles = [h.title for h in search.search("money back", internal=False).hits]
    assert "Your 30-day right to reject faulty goods" in titles
