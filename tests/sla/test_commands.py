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


@pytest.fixture
def overdue_cases(agent, customer, team, now):
    """Five cases made long ago: every clock is past its warning and its breach by the time the
    command runs (it reads the real clock)."""
    from rapport.cases.services import case_create

    for n in range(5):
        case_create(
            actor=agent, customer=customer, subject=f"Case {n}", body="Help.", channel="email", team=team, now=now
        )
    running = Clock.objects.filter(stopped_at__isnull=True).count()
    assert running > 3  # more than one batch of three
    return running


@pytest.mark.django_db
def test_sla_check_works_through_every_batch_and_says_so(overdue_cases, capsys):
    assert main(["sla", "check", "--batch", "3"]) == 0

    out = capsys.readouterr().out
    n = overdue_cases
    assert out.startswith(f"{n} warnings, {n} breaches and 0 escalations recorded in batches of 3 (took ")
    assert "still to do" not in out
    assert not Clock.objects.filter(stopped_at__isnull=True, breached_at__isnull=True).exists()


@pytest.mark.django_db
def test_sla_check_once_says_what_is_left(overdue_cases, capsys):
    assert main(["sla", "check", "--batch", "3", "--once"]) == 0

    out = capsys.readouterr().out
    left = overdue_cases - 3
    assert out.startswith(
        "3 warnings, 3 breaches and 0 escalations recorded in batches of 3; "
        f"still to do: {left} warnings, {left} breaches and 0 escalations (took "
    )
    assert out.endswith("\nRun it again without --once to record the rest.\n")
