"""SLA clocks when cases are merged or split: the earliest start wins, recorded breaches stay, and
a split-off case is measured from its first message's time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rapport.cases import merging, splitting
from rapport.cases.models import Case, CaseEvent, Message
from rapport.cases.services import case_create, message_add
from rapport.sla.models import Clock

H = timedelta(hours=1)


@pytest.fixture
def later(agent, customer, team, now):
    """The customer wrote again, about the same thing, three hours after ``case``."""
    return case_create(
        actor=agent, customer=customer, subject="Kettle, again", body="Any news?", channel="email", team=team,
        now=now + 3 * H,
    )  # fmt: skip


def _merge(actor, target, source, now):
    versions = {c.reference: Case.objects.get(pk=c.pk).version for c in (target, source)}
    return merging.cases_merge(
        actor=actor, target_reference=target.reference, references=[source.reference], versions=versions, now=now
    )


def open_clocks(case) -> dict[str, Clock]:
    return {c.target: c for c in Clock.objects.filter(case=case, stopped_at__isnull=True)}


def test_the_earliest_start_wins_when_an_older_case_is_merged_into_a_newer_one(agent, case, later, now):
    _merge(agent, later, case, now + 4 * H)

    kept = open_clocks(later)
    assert {t: c.started_at for t, c in kept.items()} == {"first_response": now, "resolution": now}
    # Due four business hours from 10:00, not from 13:00: the customer has waited since then.
    assert kept["first_response"].due_at == datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert Case.objects.get(pk=later.pk).next_breach_at == datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert not Clock.objects.filter(case=case, stopped_at__isnull=True).exists()
    assert Clock.objects.filter(case=later).count() == 2  # the later clocks measured the same wait


def test_a_breach_already_recorded_stays_recorded(agent, case, later, now):
    breached = Clock.objects.get(case=later, target="first_response")
    breached.breached_at = now + 7 * H
    breached.save()

    _merge(agent, later, case, now + 8 * H)

    breached.refresh_from_db()
    assert breached.breached_at == now + 7 * H
    assert breached.stopped_at == now + 8 * H
    assert open_clocks(later)["first_response"].started_at == now


def test_a_reply_after_the_merge_meets_the_kept_clock(agent, case, later, now):
    _merge(agent, later, case, now + H * 3.5)
    message_add(actor=agent, reference=later.reference, kind="outbound", body="On its way.", now=now + 3.75 * H)

    met = Clock.objects.get(case=later, target="first_response", started_at=now)
    assert met.stopped_at == now + 3.75 * H
    assert met.breached_at is None


def test_a_split_case_is_measured_from_the_split_messages_time(agent, case, customer_user, now):
    message_add(
        actor=customer_user, reference=case.reference, kind="inbound", body="New issue: my toaster.", now=now + H
    )
    message = Message.objects.get(body__startswith="New issue")
    case.refresh_from_db()

    new = splitting.case_split(
        actor=agent, reference=case.reference, message_id=message.pk, expected_version=case.version,
        subject="Toaster", now=now + 2 * H,
    )  # fmt: skip

    assert {t: c.started_at for t, c in open_clocks(new).items()} == {
        "first_response": now + H,
        "resolution": now + H,
    }
    assert CaseEvent.objects.filter(case=new, kind="split_from", after=case.reference).exists()
