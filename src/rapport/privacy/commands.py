"""``rapport privacy retention [--dry-run]``: run the retention schedules now (what the daily job
does: schedules set to apply remove their data, the others report), or only report what would go.
Every run is recorded."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("privacy", help="privacy: retention schedules and scheduled erasures")
    actions = p.add_subparsers(dest="privacy_command", metavar="ACTION", required=True)
    r = actions.add_parser("retention", help="apply the retention schedules (or report with --dry-run)")
    r.add_argument("--dry-run", action="store_true", help="report what would go; change nothing")
    r.set_defaults(handler=cmd_retention)


def cmd_retention(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from rapport.privacy.erasure import scheduled_erasures_run
    from rapport.privacy.retention import retention_run

    now = timezone.now()
    run = retention_run(now=now, dry_run=args.dry_run)
    for item in run.report:
        print(f"{item['category']}: {item['count']} {'removed' if item['applied'] else 'would go'}")
        for kept in item.get("held", []):
            print(f"  {kept}")
    if not args.dry_run:
        erased = scheduled_erasures_run(now=now)
        print(f"scheduled erasures carried out: {len(erased)}")
    return 0
