"""Re-opening carries on the original resolution clock: full resolution time across re-opens, the
time while resolved is a pause, a breach already recorded stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rapport.cases.models import Case, CaseEvent
from rapport.cases.services import case_update, message_add
from rapport.sla.models import Clock, Pause
from rapport.sla.selectors import case_sla
from rapport.sla.services import sla_check

H = timedelta(hours=1)
WEDNESDAY_10 = datetime(2026, 3, 4, 10, tzinfo=UTC)


def resolve(case, agent, at):
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Fixed.", status_after="resolved", now=at)


def move(case, agent, status, at):
    current = Case.objects.get(pk=case.pk)
    case_update(
        actor=agent, reference=case.reference, expected_version=current.version, changes={"status": status}, now=at
    )


def test_a_customer_reply_resumes_the_resolution_clock_where_it_stopped(case, agent, customer_user, now):
    # Given the case resolved an hour in (Monday 11:00): 1 h of the 16 h resolution target used
    resolve(case, agent, now + H)
    resolution = Clock.objects.get(case=case, target="resolution")

    # When the customer replies on Wednesday at 10:00 (the case re-opens)
    message_add(actor=customer_user, reference=case.reference, kind="inbound", body="Broken again.", now=WEDNESDAY_10)

    # Then the same clock runs on with 15 h left: 7.5 h on Wednesday, 7.5 h on Thursday
    resumed = Clock.objects.get(case=case, target="resolution")
    assert resumed.pk == resolution.pk
    assert Clock.objects.filter(case=case, target="resolution").count() == 1
    assert (resumed.used, resumed.running_since, resumed.stopped_at) == (H, WEDNESDAY_10, None)
    assert resumed.due_at == datetime(2026, 3, 5, 16, 30, tzinfo=UTC)
    assert resumed.met is None  # undecided again: the resolve was premature
    # and the time while resolved is in the pause history
    pause = Pause.objects.get(case=case, status="resolved")
    assert (pause.started_at, pause.ended_at) == (now + H, WEDNESDAY_10)
    assert CaseEvent.objects.filter(case=case, kind="sla_resumed", field="resolution").exists()
    case.refresh_from_db()
    assert case.next_breach_at == min(c.due_at for c in Clock.objects.filter(case=case, stopped_at__isnull=True))


def test_the_case_page_state_counts_business_time_across_the_reopen(case, agent, now):
    resolve(case, agent, now + 2 * H)
    move(case, agent, "open", WEDNESDAY_10)

    row = next(r for r in case_sla(agent, case.reference, now=WEDNESDAY_10 + 3 * H).targets if r.target == "resolution")

    assert (row.state, row.used, row.remaining) == ("running", 5 * H, 11 * H)


def test_a_breach_recorded_before_resolving_stays_after_reopening(case, agent, now):
    # Given the resolution target breached (Tuesday 17:30) and recorded, then the case resolved
    sla_check(now=datetime(2026, 3, 3, 18, tzinfo=UTC))
    resolve(case, agent, datetime(2026, 3, 3, 18, 30, tzinfo=UTC))
    breached_at = Clock.objects.get(case=case, target="resolution").breached_at
    assert breached_at == datetime(2026, 3, 3, 17, 30, tzinfo=UTC)

    move(case, agent, "open", WEDNESDAY_10)
    sla_check(now=WEDNESDAY_10 + H)

    resumed = Clock.objects.get(case=case, target="resolution")
    assert (resumed.breached_at, resumed.stopped_at) == (breached_at, None)
    assert CaseEvent.objects.filter(case=case, kind="sla_breached", field="resolution").count() == 1


@pytest.mark.parametrize("path", [("closed",), ("resolved", "closed")])
def test_reopening_a_closed_case_behaves_alike(case, agent, now, path):
    for i, status in enumerate(path, start=1):
        move(case, agent, status, now + i * H)
    stopped = Clock.objects.get(case=case, target="resolution")
    assert stopped.stopped_at == now + H

    move(case, agent, "open", WEDNESDAY_10)

    resumed = Clock.objects.get(case=case, target="resolution")
    assert (resumed.pk, resumed.used, resumed.running_since) == (stopped.pk, H, WEDNESDAY_10)
    assert Pause.objects.get(case=case, status="resolved").started_at == now + H


def test_a_closed_case_stays_closed_and_its_clocks_stopped(case, agent, now):
    move(case, agent, "closed", now + H)

    sla_check(now=WEDNESDAY_10)

    assert not Clock.objects.filter(case=case, stopped_at__isnull=True).exists()
    assert Case.objects.get(pk=case.pk).next_breach_at is None


def test_a_case_without_a_resolution_clock_starts_one_when_reopened(case, agent, now):
    Clock.objects.filter(case=case, target="resolution").delete()  # e.g. measured before resolution targets
    resolve(case, agent, now + H)

    move(case, agent, "open", WEDNESDAY_10)

    started = Clock.objects.get(case=case, target="resolution")
    assert (started.started_at, started.used) == (WEDNESDAY_10, timedelta())
