"""Exports at size: the case list and the customer list streamed as CSV and JSON, rows a second and
memory, with the OFFSET paging an export would otherwise use side by side (ratio).

    RAPPORT_DATA_DIR=/tmp/export-bench .venv/bin/python bench/export_bench.py --cases 1000000 [--seed 2026]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/export_bench .venv/bin/python bench/export_bench.py --cases 1000000

Migrates, tops the database up to --cases cases with ``rapport seed``'s bulk seeder (about one
customer for every four cases), then, as a manager (who sees every case), writes each export
through the very path the pages and the API stream (``web.exports`` → ``Keyset.walk`` →
``platform.csv_export``), into a counter rather than a socket. Every batch's people are written to
the access log as in production, so that cost is in the figures. Prints, for each export: rows,
bytes, seconds, rows a second, and the growth of the process's peak memory (it must not grow with
the row count). Then the same first --offset-rows case rows read by OFFSET pages of the same size,
against the keyset walk over those rows: the ratio is why exports walk by keyset. The load average
is printed too: on a shared machine, compare ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from rapport.accounts.models import Role, User  # noqa: E402
from rapport.cases.models import Case  # noqa: E402
from rapport.cases.selectors import SORTS  # noqa: E402
from rapport.platform import csv_export  # noqa: E402
from rapport.web import exports  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def manager() -> User:
    found = User.objects.filter(email="export-bench@example.com").first()
    return found or User.objects.create_user("export-bench@example.com", None, name="Export Bench", role=Role.MANAGER)


def run(label: str, export: exports.Export, fmt: str) -> None:
    before = peak_mib()
    started = time.perf_counter()
    rows = size = 0

    def counted():  # type: ignore[no-untyped-def]
        nonlocal rows
        for batch in export.batches:
            rows += len(batch)
            yield batch

    for chunk in csv_export.chunks(fmt, export.header, counted()):
        size += len(chunk.encode())
    took = time.perf_counter() - started
    print(
        f"{label:<16} {fmt:<4} {rows:>10,} rows {size / 1e6:>9.1f} MB {took:>8.1f} s "
        f"{rows / took if took else 0:>10,.0f} rows/s  peak memory +{peak_mib() - before:.0f} MiB"
    )


def offset_versus_keyset(rows: int, batch: int) -> None:
    walked = Case.objects.select_related("customer", "owner", "team").order_by(*SORTS["updated"].order_by)
    started = time.perf_counter()
    seen = 0
    for offset in range(0, rows, batch):
        seen += len(list(walked[offset : offset + batch]))
    by_offset = time.perf_counter() - started
    started = time.perf_counter()
    seen_keyset = 0
    for page in SORTS["updated"].walk(Case.objects.select_related("customer", "owner", "team"), batch=batch):
        seen_keyset += len(page)
        if seen_keyset >= rows:
            break
    by_keyset = time.perf_counter() - started
    print(
        f"first {seen:,} case rows: OFFSET pages {by_offset:.1f} s, keyset {by_keyset:.1f} s "
        f"(OFFSET / keyset = {by_offset / by_keyset if by_keyset else 0:.1f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--offset-rows", type=int, default=100_000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    if have < args.cases:
        from rapport.seeding import bulk

        print(f"seeding {args.cases - have:,} cases …", flush=True)
        bulk.seed(cases=args.cases - have, seed=args.seed)
    who = manager()
    now = timezone.now()
    load = os.getloadavg()
    print(f"{Case.objects.count():,} cases; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    for fmt in ("csv", "json"):
        run("case list", exports.case_export(who, {"status": "any"}, now=now, why="bench", count=False), fmt)
        run("customer list", exports.customer_export(who, {}, now=now, why="bench", count=False), fmt)
    offset_versus_keyset(min(args.offset_rows, args.cases), exports.BATCH)


if __name__ == "__main__":
    main()
