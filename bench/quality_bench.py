"""How long the QA report takes over 1,000,000 cases.

    RAPPORT_DATA_DIR=/tmp/quality-bench .venv/bin/python bench/quality_bench.py [--cases 1000000] [--reviewed 0.05]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quality_bench .venv/bin/python bench/quality_bench.py

Tops the database up to --cases (``rapport.seeding.bulk``, spread over 365 days), reviews a share
of the cases (--reviewed; 5% is a generous QA programme) with every behaviour of the default
scorecard rated (written in bulk: the service would take hours), then times, each the median of
--repeat runs after one warm-up, what the quality page computes for a manager:

- the QA score by agent, team, behaviour, channel and case type (``selectors.report``);
- the link between QA scores and CSAT, first contact resolution and reopening (``selectors.links``);

over the last 28 days and over the whole year. The target is under 2 s for the whole report on
SQLite. The load average is printed with the figures, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from rapport.accounts.models import Role, User  # noqa: E402
from rapport.cases.models import Case  # noqa: E402
from rapport.domain import quality as rules  # noqa: E402
from rapport.quality import selectors, services  # noqa: E402
from rapport.quality.models import Rating, Review, ReviewStatus  # noqa: E402
from rapport.seeding.bulk import seed  # noqa: E402

EMAIL = "bench-quality-manager@example.com"
DIMENSIONS = ("agent", "team", "behaviour", "channel", "case_type")


def median_time(work: Callable[[], object], repeat: int) -> float:
    work()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def review_in_bulk(share: float, reviewer: User, rng: random.Random) -> int:
    """Review ``share`` of the cases with an owner that have no review yet, directly in bulk."""
    version = services.default_version()
    behaviours = list(version.behaviours.all())
    weights = {b.code: b.weight for b in behaviours}
    reviewed = Review.objects.values("case_id")
    rows = (
        Case.objects.filter(owner__isnull=False)
        .exclude(pk__in=reviewed)
        .values_list("pk", "owner_id", "team_id", "channel", "type", "updated_at")
    )
    made = 0
    batch: list[tuple[Review, dict[str, int]]] = []

    def flush() -> None:
        reviews = Review.objects.bulk_create([review for review, _ in batch])
        Rating.objects.bulk_create(
            Rating(review=review, behaviour=b, value=values[b.code], comment="Bench.")
            for review, values in zip(reviews, [v for _, v in batch], strict=True)
            for b in behaviours
        )
        batch.clear()

    for pk, owner_id, team_id, channel, case_type, updated_at in rows.iterator(chunk_size=5000):
        if rng.random() >= share or owner_id == reviewer.pk:
            continue
        values = {b.code: rng.randint(version.scale_min, version.scale_max) for b in behaviours}
        scored = rules.score(values, weights, lowest=version.scale_min, highest=version.scale_max)
        batch.append(
            (
                Review(
                    version=version,
                    case_id=pk,
                    agent_id=owner_id,
                    reviewer=reviewer,
                    status=ReviewStatus.SUBMITTED,
                    score=scored.score,
                    failed=False,
                    created_at=updated_at,
                    submitted_at=updated_at,
                    team_id=team_id,
                    channel=channel,
                    case_type=case_type,
                ),
                values,
            )
        )
        made += 1
        if len(batch) >= 2000:
            with transaction.atomic():
                flush()
    if batch:
        with transaction.atomic():
            flush()
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--reviewed", type=float, default=0.05, help="share of cases reviewed (0..1)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    now = timezone.now()
    have = Case.objects.count()
    if have < args.cases:
        started = time.perf_counter()
        seed(cases=args.cases - have, seed=args.seed, now=now)
        print(f"seeded {args.cases - have} cases in {time.perf_counter() - started:.0f} s", flush=True)
    manager, _ = User.objects.get_or_create(email=EMAIL, defaults={"name": "Bench manager", "role": Role.MANAGER})
    wanted = int(Case.objects.count() * args.reviewed)
    have_reviews = Review.objects.count()
    if have_reviews < wanted:
        started = time.perf_counter()
        share = (wanted - have_reviews) / max(Case.objects.count() - have_reviews, 1)
        made = review_in_bulk(share, manager, random.Random(args.seed))
        print(f"reviewed {made} cases in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(
        f"{connection.vendor}: {Case.objects.count()} cases, {Review.objects.count()} reviews, "
        f"{Rating.objects.count()} ratings (load {load})"
    )
    reviews = Review.objects.all()
    for label, days in (("last 28 days", 28), ("last 365 days", 366)):
        start, end = now - timedelta(days=days), now + timedelta(days=1)

        def report(start=start, end=end) -> None:
            for dimension in DIMENSIONS:
                selectors.report(reviews, dimension, start, end)
            selectors.links(reviews, start, end)

        took = median_time(report, args.repeat)
        counted = selectors.done(reviews, start, end).count()
        print(
            f"QA report ({', '.join(DIMENSIONS)} and the CSAT/FCR/reopen links), {label}, {counted} reviews: "
            f"{took * 1000:.0f} ms (median of {args.repeat})"
        )
        for dimension in DIMENSIONS:
            took = median_time(lambda d=dimension, s=start, e=end: selectors.report(reviews, d, s, e), args.repeat)
            print(f"  by {dimension}: {took * 1000:.0f} ms")
        took = median_time(lambda s=start, e=end: selectors.links(reviews, s, e), args.repeat)
        print(f"  links: {took * 1000:.0f} ms")


if __name__ == "__main__":
    main()
