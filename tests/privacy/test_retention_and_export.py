"""Retention schedules with dry runs, and the access bundle's review flags."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.models import Message
from rapport.platform.errors import Forbidden
from rapport.privacy.exports import customer_export
from rapport.privacy.models import AccessLog, RetentionRun, RetentionSchedule
from rapport.privacy.retention import RETAINED_MESSAGE, retention_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_schedules(db):
    """The schedules migration 0002 adds (again, in case a transactional test flushed them)."""
    import importlib

    from django.apps import apps

    importlib.import_module("rapport.privacy.migrations.0002_default_retention_schedules").add_defaults(apps, None)


def test_dry_run_reports_and_changes_nothing_then_the_run_removes_content(history, agent, now):
    case = history["cases"][1]  # resolved
    from rapport.cases.models import Case

    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=now)
    # the default schedules (migration 0002): closed cases 6 years, access log 2 years, quarantined mail 30 days
    later = now + timedelta(days=6 * 365 + 3)
    # report-only until an admin sets the schedule to apply
    assert retention_run(now=later, dry_run=False).dry_run is True
    assert not Message.objects.filter(body=RETAINED_MESSAGE).exists()
    RetentionSchedule.objects.filter(category="closed_cases").update(apply=True)

    dry = retention_run(now=later, dry_run=True)
    assert dry.total == 1
    assert {r["category"]: r["count"] for r in dry.report} == {
        "access_log": 0,
        "closed_cases": 1,
        "quarantined_mail": 0,
    }
    assert not Message.objects.filter(body=RETAINED_MESSAGE).exists()

    real = retention_run(now=later, dry_run=False)
    assert real.total == 1
    assert set(Message.objects.filter(case=case).values_list("body", flat=True)) == {RETAINED_MESSAGE}
    assert Message.objects.exclude(case=case).exclude(body=RETAINED_MESSAGE).exists()
    assert retention_run(now=later, dry_run=False).total == 0  # done once
    assert RetentionRun.objects.count() == 4


def test_access_log_entries_expire(customer, agent, now):
    AccessLog.objects.create(actor=agent, customer=customer, at=now, what="case page")
    assert RetentionSchedule.objects.get(category="access_log").keep_days == 730
    RetentionSchedule.objects.filter(category="access_log").update(apply=True)
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


def test_the_command_reports_a_dry_run_and_records_it(history, capsys):
    from rapport.cli import main

    assert main(["privacy", "retention", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "closed_cases: 0 would go" in out
    assert RetentionRun.objects.get().dry_run is True


def test_the_daily_job_runs_retention_and_scheduled_erasures(customer, manager, now):
    from rapport.privacy.erasure import erasure_schedule
    from rapport.privacy.tasks import daily_privacy

    erasure_schedule(actor=manager, customer_id=customer.pk, now=now)
    daily_privacy.call_local()
    customer.refresh_from_db()
    assert customer.erased_at is not None
    assert RetentionRun.objects.get().dry_run is True  # the defaults only report until applied
