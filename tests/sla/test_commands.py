"""`rapport sla backfill` and `rapport sla check`, run in-process."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.models import Case
from rapport.cli import main
from rapport.sla.models import Clock, Policy


@pytest.mark.django_db
def test_backfill_measures_cases_opened_before_any_policy(case, agent, now, capsys):
    # Given a case that was answered and is waiting on the customer, opened with no policy active
    Clock.objects.all().delete()
    Case.objects.filter(pk=case.pk).update(next_breach_at=None)
    from rapport.cases.services import message_add

    Policy.objects.update(is_active=False)
    message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="Model?",
        status_after="waiting_on_customer",
        now=now + timedelta(hours=1),
    )
    Policy.objects.update(is_active=True)

    assert main(["sla", "backfill"]) == 0
    assert main(["sla", "backfill"]) == 0  # nothing left to do the second time

    out = capsys.readouterr().out
    assert "1 open case now measured (took " in out
    assert "0 open cases now measured (took " in out
    clocks = {c.target: c for c in Clock.objects.filter(case=case)}
    assert clocks["first_response"].met is True
    assert clocks["resolution"].running_since is None  # paused since the reply
    assert clocks["resolution"].used == timedelta(hours=1)


@pytest.mark.django_db
def test_check_reports_what_it_recorded(case, capsys):
    assert main(["sla", "check"]) == 0
    assert "breaches" in capsys.readouterr().out
