"""Demo time: entries across the demo's worked cases and agents over the last four weeks, each a
case event like any other, and one agent's timer left running."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from rapport.cases import journal
from rapport.cases.models import Case
from rapport.domain.case_rules import CaseType
from rapport.timetracking.events import TIME_LOGGED
from rapport.timetracking.models import RunningTimer, Source, TimeCategory, TimeEntry
from rapport.timetracking.services import describe

CASES = 150
NOTES = [
    "",
    "",
    "Called the customer back about the delivery date",
    "Checked the order history and courier tracking",
    "Wrote up the findings for the team leader",
    "Chased the warehouse for the replacement",
    "Reviewed the recording of the first call",
]


def seed_time_demo(now: datetime) -> None:
    if TimeEntry.objects.exists():
        return
    rng = random.Random(f"time:{now.date()}")  # noqa: S311 - demo data
    reasons = {c.name: c for c in TimeCategory.objects.filter(active=True)}
    if not reasons:
        return
    general = [c for name, c in reasons.items() if name != "Complaint handling"]
    complaint = reasons.get("Complaint handling", general[0])
    cases = list(Case.objects.filter(owner__isnull=False).select_related("owner").order_by("-created_at")[:CASES])
    today = timezone.localdate(now)
    entries: list[TimeEntry] = []
    for case in cases:
        opened = timezone.localdate(case.created_at)
        for _ in range(rng.randint(1, 4)):
            day = min(today, opened + timedelta(days=rng.randint(0, 6)))
            # recorded that afternoon, never before the case was opened or after now
            at = datetime.combine(day, time(15, rng.randint(0, 59)), tzinfo=timezone.get_current_timezone())
            at = min(now, max(at, case.created_at))
            category = complaint if case.type == CaseType.COMPLAINT and rng.random() < 0.6 else rng.choice(general)
            entries.append(
                TimeEntry(
                    case=case,
                    agent=case.owner,
                    minutes=rng.choice([5, 10, 12, 15, 20, 25, 30, 45, 60, 90]),
                    worked_on=day,
                    category=category,
                    note=rng.choice(NOTES),
                    source=rng.choice([Source.TIMER, Source.MANUAL]),
                    created_at=at,
                    updated_at=at,
                )
            )
    TimeEntry.objects.bulk_create(entries)
    journal.record_many(
        [journal.Entry(e.case, TIME_LOGGED, e.created_at, e.agent, after=describe(e)) for e in entries], ids=False
    )
    if cases:
        first = cases[0]
        RunningTimer.objects.get_or_create(
            agent=first.owner, defaults={"case": first, "started_at": now - timedelta(minutes=18)}
        )
