"""Retention (UK GDPR Art 5(1)(e), storage limitation): each category of data is kept for its
scheduled time, then its content goes. A daily job runs the schedules; a dry run reports what
would go without changing anything; every run, dry or not, is recorded.

Categories this app knows are below; another app adds its own (quarantined mail after 30 days)
by putting a callable in ``categories``: ``fn(now, cutoff, dry_run) -> count``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction

from rapport import extensions
from rapport.cases import journal
from rapport.cases.models import Attachment, Case, Message, SearchDocument
from rapport.customers.models import Customer
from rapport.domain.case_rules import Status
from rapport.privacy import purge as purge_files
from rapport.privacy.erasure import ERASED_FILE, erase_files
from rapport.privacy.models import AccessLog, RetentionCategory, RetentionRun, RetentionSchedule

RETAINED_MESSAGE = "[Message removed under the retention schedule]"

# A category's purge returns how many items went (or would go), optionally with the reasons some
# were kept (a legal hold, a restriction of processing) for the run's report.
Purge = Callable[[datetime, datetime, bool], "int | tuple[int, list[str]]"]


def _closed_cases(now: datetime, cutoff: datetime, dry_run: bool) -> tuple[int, list[str]]:
    """Closed cases whose content is past its time: the messages and files go, the case row (its
    times, status and type) stays for statistics. Cases of a customer whose data must be kept
    (``extensions.hold_reasons``: a legal hold, an open complaint, a restriction of processing
    under UK GDPR Art 18(1)(c)/(d)) wait, and the report says why."""
    due = Case.objects.filter(status=Status.CLOSED, closed_at__lt=cutoff).exclude(events__kind="retention_purged")
    rows = list(due.values_list("pk", "customer_id"))
    held: list[str] = []
    held_customers: set[int] = set()
    for customer in Customer.objects.filter(pk__in={c for _, c in rows}).order_by("pk"):
        reasons = extensions.hold_reasons(customer)
        if reasons:
            held_customers.add(customer.pk)
            held.append(f"customer {customer.pk} kept: {'; '.join(reasons)}")
    ids = [pk for pk, customer_id in rows if customer_id not in held_customers]
    if dry_run or not ids:
        return len(ids), held
    Message.objects.filter(case_id__in=ids).update(body=RETAINED_MESSAGE, body_html="")
    erase_files(Attachment.objects.filter(message__case_id__in=ids).exclude(filename=ERASED_FILE))
    SearchDocument.objects.filter(case_id__in=ids, kind="message").update(body=RETAINED_MESSAGE)
    journal.record_many([journal.Entry(pk, "retention_purged", now, after="content removed (retention)") for pk in ids])
    return len(ids), held


def _access_log(now: datetime, cutoff: datetime, dry_run: bool) -> int:
    old = AccessLog.objects.filter(at__lt=cutoff)
    if dry_run:
        return old.count()
    return old.delete()[0]


categories: dict[str, Purge] = {
    RetentionCategory.CLOSED_CASES: _closed_cases,
    RetentionCategory.ACCESS_LOG: _access_log,
}


def retention_run(*, now: datetime, dry_run: bool) -> RetentionRun:
    """Run every active schedule and record the run. A schedule removes data only when it is set to
    apply (an admin turns that on after reading its dry-run reports) and this is not a dry run;
    otherwise it reports what would go."""
    report = []
    total = 0
    applied_any = False
    with transaction.atomic():
        for schedule in RetentionSchedule.objects.filter(active=True):
            purge = categories.get(schedule.category)
            cutoff = now - timedelta(days=schedule.keep_days)
            if purge is None:
                report.append({"category": schedule.category, "count": 0, "applied": False, "note": "no handler"})
                continue
            apply = schedule.apply and not dry_run
            result = purge(now, cutoff, not apply)
            count, held = result if isinstance(result, tuple) else (result, [])
            total += count
            applied_any = applied_any or apply
            report.append(
                {
                    "category": schedule.category,
                    "keep_days": schedule.keep_days,
                    "cutoff": cutoff.isoformat(),
                    "count": count,
                    "applied": apply,
                    **({"held": held} if held else {}),
                }
            )
        if applied_any and total:
            # What went is gone from the rows; clear it from the files too (``rapport.privacy.purge``).
            transaction.on_commit(purge_files.database_files_clean_job)
        return RetentionRun.objects.create(at=now, dry_run=not applied_any, report=report, total=total)
