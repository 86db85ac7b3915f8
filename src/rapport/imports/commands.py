"""``rapport import zendesk|freshdesk|csv PATH``: another help desk's history from files."""

from __future__ import annotations

import argparse
from typing import Any

SOURCES = {
    "zendesk": "a folder of Zendesk JSON exports (tickets, users, organizations, ticket comments)",
    "freshdesk": "a folder of Freshdesk API JSON (tickets, conversations, contacts, agents, companies)",
    "csv": "a tickets CSV file (with comments.csv beside it), or a folder holding tickets.csv",
}


def register(subparsers: Any) -> None:
    """Nothing at the top level: the sources sit in ``rapport import`` (``register_import``)."""


def register_import(subparsers: Any) -> None:
    for source, what in SOURCES.items():
        p = subparsers.add_parser(source, help=f"import {what}")
        p.add_argument("path", help=what)
        p.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would be created and what cannot be mapped; write nothing",
        )
        p.add_argument(
            "--attachments-base",
            default="",
            metavar="URL",
            help="fetch attachments not beside the export from this address (keeping the path of each file's URL)",
        )
        p.add_argument("--timezone", default="", help="read times written without a zone in this zone (Europe/London)")
        p.add_argument("--batch", type=int, default=None, help="tickets per transaction (500)")
        p.set_defaults(handler=cmd_import, import_source=source)


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from django.utils import timezone

    from rapport.imports import services, sources
    from rapport.platform.errors import UserError
    from rapport.platform.progress import Progress

    path = Path(args.path)
    if not path.exists():
        raise UserError(f"{path} does not exist.")
    if args.timezone:
        try:
            ZoneInfo(args.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UserError(f"{args.timezone!r} is not a time zone (try Europe/London).") from None
    try:
        where = sources.layout(args.import_source, path)
    except sources.ExportNotFound as error:
        raise UserError(str(error)) from None
    total = sources.count_lines(where.tickets) if args.import_source != "csv" else None
    now = timezone.now()
    run = services.run_create(
        source=args.import_source,
        label=str(path.resolve()),
        now=now,
        dry_run=args.dry_run,
        attachments_base=args.attachments_base,
        zone=args.timezone,
    )
    meter = Progress("Tickets read" if not args.dry_run else "Tickets checked", total=total)

    def progress(stage: str, done: int) -> None:
        if stage == "tickets":
            meter.update(done)

    try:
        report = services.run_execute(
            run=run, path=path, now=now, batch=args.batch or services.BATCH, progress=progress
        )
    except (OSError, ValueError) as error:
        raise UserError(str(error)) from None
    meter.finish(report.describe())
    for kind, examples in sorted(report.examples.items()):
        print(f"  {kind.replace('_', ' ')} ({report.issues[kind]:,}):")
        for example in examples[:3]:
            print(f"    {example}")
    print(f"The full report is on import #{run.pk} (/imports/{run.pk}/).")
    return 0
