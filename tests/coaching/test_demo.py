"""The coaching demo: targets, two sessions with actions, one appraisal signed by both, a pulse
round with at least five answers in every group it shows."""

from __future__ import annotations

import pytest

from rapport.coaching import selectors
from rapport.coaching.demo import seed
from rapport.coaching.models import Action, Appraisal, PulseRound, Session, Target

pytestmark = pytest.mark.django_db


def test_the_demo_is_made_once_and_shows_every_part(team_leader, agent, manager, crowd, case, now):
    type(case).objects.filter(pk=case.pk).update(owner=agent)
    seed(now=now)
    seed(now=now)
    assert Target.objects.filter(team__isnull=False).count() >= 5
    assert Target.objects.filter(agent=agent).count() == 1
    sessions = list(Session.objects.filter(agent=agent))
    assert len(sessions) == 2
    assert Action.objects.filter(session__in=sessions).count() == 4
    assert Action.objects.filter(done_at__isnull=False).count() == 2
    assert sessions[-1].links.filter(kind="case", ref=case.pk).exists()
    appraisal = Appraisal.objects.get()
    assert appraisal.locked
    assert appraisal.leader_comment
    assert appraisal.agent_comment
    closed = PulseRound.objects.order_by("closes_on").first()
    results = selectors.pulse_results(manager, closed)
    assert results.total.summary is not None
    assert results.total.summary.n >= 5
    shown = [c for c in results.teams if c.summary is not None]
    assert all(c.summary.n >= 5 for c in shown)
    assert PulseRound.objects.count() == 2  # and one open now, for the reminders
