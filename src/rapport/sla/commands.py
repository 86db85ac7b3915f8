"""``rapport sla check`` (record warnings and breaches, escalate, now) and ``rapport sla backfill``
(measure open cases opened before any policy existed)."""

from __future__ import annotations

import argparse
from typing import Any

DEFAULT_BATCH = 500


def _batch(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("expected 1 or more")
    return value


def register(subparsers: Any) -> None:
    sla = subparsers.add_parser("sla", help="service levels").add_subparsers(dest="sla_command", required=True)
    check = sla.add_parser(
        "check",
        help="record warnings and breaches and apply escalation rules now",
        description="Records every warning and breach that is due and applies the escalation rules, "
        "in batches, until nothing is left (or one batch each with --once).",
    )
    check.add_argument(
        "--batch", type=_batch, default=DEFAULT_BATCH, help=f"records of each kind per batch ({DEFAULT_BATCH})"
    )
    check.add_argument("--once", action="store_true", help="one batch of each kind, then say what is left")
    check.set_defaults(handler=cmd_check)
    backfill = sla.add_parser("backfill", help="start clocks for open cases that have none")
    backfill.set_defaults(handler=cmd_backfill)


def cmd_check(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from rapport.platform.progress import Progress
    from rapport.platform.words import count
    from rapport.sla.selectors import sla_pending
    from rapport.sla.services import sla_check

    now = timezone.now()
    progress = Progress("SLA check", total=sla_pending(now=now).total)
    warnings = breaches = escalations = 0
    while True:
        result = sla_check(now=now, batch=args.batch)
        warnings, breaches, escalations = (
            warnings + result.warnings,
            breaches + result.breaches,
            escalations + result.escalations,
        )
        progress.update(warnings + breaches + escalations)
        full = max(result.warnings, result.breaches, result.escalations) >= args.batch
        if args.once or not full or not (result.warnings or result.breaches or result.escalations):
            break
    left = sla_pending(now=now)
    recorded = (
        f"{count(warnings, 'warning')}, {count(breaches, 'breach')} and {count(escalations, 'escalation')} "
        f"recorded in batches of {args.batch:,}"
    )
    if left.total:
        recorded += (
            f"; still to do: {count(left.warnings, 'warning')}, {count(left.breaches, 'breach')} and "
            f"{count(left.escalations, 'escalation')}"
        )
    progress.finish(recorded)
    if left.total:
        print("Run it again" + (" without --once" if args.once else "") + " to record the rest.")
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    from rapport.platform.progress import Progress
    from rapport.platform.words import count
    from rapport.sla.services import clocks_backfill

    progress = Progress("Cases examined")

    def report(done: int, total: int) -> None:
        progress.total = total
        progress.update(done)

    measured = clocks_backfill(progress=report)
    progress.finish(f"{count(measured, 'open case')} now measured")
    return 0
