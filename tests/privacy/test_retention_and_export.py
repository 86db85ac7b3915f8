"""Retention schedules with dry runs, and the access bundle's review flags."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.models import Message
from rapport.errors import Forbidden
from rapport.privacy.exports import customer_export
from rapport.privacy.models import AccessLog, RetentionRun, RetentionSchedule
from rapport.privacy.retention import RETAINED_MESSAGE, retention_run

pytestmark = pytest.mark.django_db


def test_dry_run_reports_and_changes_nothing_then_the_run_removes_content(history, agent, now):
    case = history["cases"][1]  # resolved
    from rapport.cases.models import Case

    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=now)
    RetentionSchedule.objects.create(category="closed_cases", keep_days=6 * 365)
    RetentionSchedule.objects.create(category="quarantined_mail", keep_days=30)
    later = now + timedelta(days=6 * 365 + 1)

    dry = retention_run(now=later, dry_run=True)
    assert dry.total == 1
    assert {r["category"]: r["count"] for r in dry.report} == {"closed_cases": 1, "quarantined_mail": 0}
    assert not Message.objects.filter(body=RETAINED_MESSAGE).exists()

    real = retention_run(now=later, dry_run=False)
    assert real.total == 1
    assert set(Message.objects.filter(case=case).values_list("body", flat=True)) == {RETAINED_MESSAGE}
    assert Message.objects.exclude(case=case).exclude(body=RETAINED_MESSAGE).exists()
    assert retention_run(now=later, dry_run=False).total == 0  # done once
    assert RetentionRun.objects.count() == 3


def test_access_log_entries_expire(customer, agent, now):
    AccessLog.objects.create(actor=agent, customer=customer, at=now, what="case page")
    RetentionSchedule.objects.create(category="access_log", keep_days=730)
    assert retention_run(now=now + timedelta(days=729), dry_run=False).total == 0
    assert retention_run(now=now + timedelta(days=731), dry_run=False).total == 1
    assert not AccessLog.objects.exists()


def test_export_flags_other_peoples_data_and_internal_notes(history, customer, team_leader, agent, now):
    bundle = customer_export(actor=team_leader, customer_id=customer.pk, why="SAR", now=now)
    reasons = [r for item in bundle.data["review"] for r in item["reasons"]]
    assert "internal note: check exemptions" in reasons
    assert not any("alice@example.com" in r for r in reasons)


def test_export_names_a_third_party_email(agent, customer, team, team_leader, now):
    from rapport.cases.services import case_create

    case_create(
        actor=agent,
        customer=customer,
        subject="Son",
        body="Reply to my son at sam@example.org too.",
        channel="email",
        team=team,
        now=now,
    )
    bundle = customer_export(actor=team_leader, customer_id=customer.pk, why="SAR", now=now)
    assert bundle.data["review"][0]["reasons"] == ["email: sam@example.org"]


def test_agents_cannot_export(customer, agent, now):
    with pytest.raises(Forbidden):
        customer_export(actor=agent, customer_id=customer.pk, why="curious", now=now)
    assert not AccessLog.objects.exists()
