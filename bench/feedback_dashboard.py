"""How long the manager dashboard takes over 1,000,000 cases and 300,000 survey answers.

    RAPPORT_DATA_DIR=/tmp/fb-bench .venv/bin/python bench/feedback_dashboard.py [--cases 1000000] [--answers 300000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/feedback_bench .venv/bin/python bench/feedback_dashboard.py

Tops the database up to the sizes (``rapport.seeding.bulk`` for the cases, spread over 365 days;
answers in bulk, seeded), rebuilds the KPI rollups once (timed: the nightly job), then renders the
manager dashboard (GET /feedback/, the last 28 days beside the 28 before, every figure, chart and
table) through Django's test client as a signed-in manager, for every period the dashboard offers
(--periods, default 7, 28, 90 and 365 days; each beside the period before it). Each figure is the
median of --repeat renders after one warm-up (the first render also warms the database's page
cache); the target is under 2 s on SQLite and under 1 s on PostgreSQL. The load average is printed
with the figures, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from rapport.accounts.models import Role, User  # noqa: E402
from rapport.cases.models import Case  # noqa: E402
from rapport.feedback.models import (  # noqa: E402
    CaseFact,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    TimingRollup,
)
from rapport.feedback.rollup import rollup_rebuild  # noqa: E402
from rapport.seeding.bulk import seed  # noqa: E402

EMAIL = "bench-feedback-manager@example.com"
KINDS = [(SurveyKind.CSAT, 1, 5), (SurveyKind.CES, 1, 7), (SurveyKind.NPS, 0, 10)]


def answers_ensure(target: int, now: datetime, rng: random.Random) -> int:
    """Add seeded answers (CSAT, CES, NPS) to resolved cases until there are ``target``."""
    have = SurveyAnswer.objects.count()
    if have >= target:
        return 0
    missing = target - have
    cases = list(
        Case.objects.filter(resolved_at__isnull=False)
        .exclude(survey_invitations__isnull=False)
        .order_by("-id")
        .values_list("id", "customer_id", "team_id", "owner_id", "channel", "type", "resolved_at")[: missing // 2 + 1]
    )
    made = 0
    for start in range(0, len(cases), 5000):
        invitations, rows = [], []
        for pk, customer, team, owner, channel, case_type, resolved in cases[start : start + 5000]:
            for kind, low, high in KINDS[:2] if made < missing else ():
                at = resolved + timedelta(hours=rng.randint(1, 72))
                invitations.append(
                    SurveyInvitation(
                        kind=kind,
                        customer_id=customer,
                        case_id=pk,
                        status="answered",
                        created_at=resolved,
                        send_after=resolved,
                        sent_at=resolved,
                        expires_at=resolved + timedelta(days=14),
                        answered_at=at,
                    )
                )
                score = min(high, max(low, round(rng.triangular(low, high, high - 1))))
                rows.append((kind, score, at, customer, pk, team, owner, channel, case_type))
                made += 1
        SurveyInvitation.objects.bulk_create(invitations, batch_size=5000)
        SurveyAnswer.objects.bulk_create(
            [
                SurveyAnswer(
                    invitation=inv,
                    kind=k,
                    score=s,
                    answered_at=at,
                    customer_id=c,
                    case_id=pk,
                    team_id=t,
                    agent_id=o,
                    channel=ch,
                    case_type=ct,
                )
                for inv, (k, s, at, c, pk, t, o, ch, ct) in zip(invitations, rows, strict=True)
            ],
            batch_size=5000,
        )
    return made


def median_time(client: Client, url: str, repeat: int) -> float:
    client.get(url)  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--periods", default="7,28,90,365", help="days, comma-separated (the dashboard's choices)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the rollups even if they look complete")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    now = timezone.now()
    have = Case.objects.count()
    if have < args.cases:
        started = time.perf_counter()
        seed(cases=args.cases - have, seed=args.seed, now=now)
        print(f"seeded {args.cases - have} cases in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    added = answers_ensure(args.answers, now, random.Random(args.seed))
    print(f"added {added} survey answers in {time.perf_counter() - started:.0f} s", flush=True)
    if args.rebuild or CaseFact.objects.count() != Case.objects.count() or not TimingRollup.objects.exists():
        started = time.perf_counter()
        rows = rollup_rebuild(now=now)
        print(f"full rollup rebuild: {rows} daily rows in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    rollup_rebuild(now=now, days=1)
    print(f"hourly rollup refresh (cases changed in the last day): {time.perf_counter() - started:.1f} s")
    # After a bulk load, as autovacuum and a maintenance window would: planner statistics, and on
    # PostgreSQL the visibility map that lets counts and percentiles read indexes alone.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"vacuum/analyze: {time.perf_counter() - started:.1f} s", flush=True)
    manager, _ = User.objects.get_or_create(email=EMAIL, defaults={"name": "Bench manager", "role": Role.MANAGER})
    client = Client()
    client.force_login(manager)
    vendor = connection.vendor
    print(f"{vendor}: {Case.objects.count()} cases, {SurveyAnswer.objects.count()} answers")
    for days in args.periods.split(","):
        took = median_time(client, f"/feedback/?period={int(days)}", args.repeat)
        load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
        print(f"manager dashboard, last {int(days)} days: {took * 1000:.0f} ms (median of {args.repeat}; load {load})")


if __name__ == "__main__":
    main()
