"""What other apps give coaching through the registries: customer compliments (feedback), the
learning portfolio and learning units (learning), cases (the core, answered by coaching)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport import extensions

pytestmark = pytest.mark.django_db


def _answer(case, customer, agent, at, score, comment):
    from rapport.feedback.models import SurveyAnswer, SurveyInvitation

    invitation = SurveyInvitation.objects.create(
        kind="csat", customer=customer, created_at=at, send_after=at, expires_at=at + timedelta(days=14)
    )
    SurveyAnswer.objects.create(
        invitation=invitation,
        kind="csat",
        score=score,
        comment=comment,
        answered_at=at,
        customer=customer,
        case=case,
        agent=agent,
    )


def test_compliments_are_top_score_answers_with_a_comment_in_the_period(
    case, customer, agent, now, django_assert_max_num_queries
):
    hook = extensions.staff_evidence.get(extensions.COMPLIMENTS)
    assert hook(agent, now - timedelta(days=30), now) is None
    _answer(case, customer, agent, now - timedelta(days=2), 5, "Priya sorted it in one call, thank you!")
    _answer(case, customer, agent, now - timedelta(days=3), 5, "")  # no words: not a compliment
    _answer(case, customer, agent, now - timedelta(days=4), 4, "Fine")  # not the top score
    _answer(case, customer, agent, now - timedelta(days=60), 5, "Old praise")  # before the period
    with django_assert_max_num_queries(1):
        found = hook(agent, now - timedelta(days=30), now)
    assert found.items == ("Priya sorted it in one call, thank you!",)
    assert found.summary.startswith("1 top-score survey answer with a comment")


def test_learning_units_and_cases_resolve_only_for_those_who_may_see_them(agent, other_agent, case, customer_user, now):
    from rapport.learning.models import Unit

    unit = Unit.objects.create(
        identity="x" * 64, title="Handling complaints with HEAT", synopsis="s", imported_at=now, updated_at=now
    )
    units = extensions.work_links_for(agent, extensions.LEARNING_UNIT_LINK, [unit.pk, 999])
    assert list(units) == [unit.pk]
    assert units[unit.pk].label == "Handling complaints with HEAT"
    assert extensions.work_links_for(customer_user, extensions.LEARNING_UNIT_LINK, [unit.pk]) == {}
    assert list(extensions.work_links_for(agent, extensions.CASE_LINK, [case.pk])) == [case.pk]
    assert extensions.work_links_for(other_agent, extensions.CASE_LINK, [case.pk]) == {}
