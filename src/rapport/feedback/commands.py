"""`rapport feedback ...`: rebuild the KPI rollups, import orders, apply loyalty tiers, send surveys."""

from __future__ import annotations

import argparse

from rapport.platform.words import count


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    feedback = subparsers.add_parser("feedback", help="surveys, KPI rollups and customer value")
    sub = feedback.add_subparsers(dest="feedback_command", required=True)
    rollup = sub.add_parser("rollup", help="rebuild the KPI rollup tables from the cases")
    rollup.add_argument("--days", type=int, default=None, help="only cases changed in the last N days (default all)")
    rollup.set_defaults(handler=cmd_rollup)
    orders = sub.add_parser("import-orders", help="import orders from a CSV file")
    orders.add_argument("path", help="CSV with columns customer_email, reference, placed_at, amount")
    orders.set_defaults(handler=cmd_import_orders)
    tiers = sub.add_parser("tiers", help="set every customer's loyalty tier from their lifetime value")
    tiers.set_defaults(handler=cmd_tiers)
    surveys = sub.add_parser("surveys", help="send due surveys, remind once, close expired ones")
    surveys.set_defaults(handler=cmd_surveys)


def cmd_rollup(args: argparse.Namespace) -> int:
    import time

    from django.utils import timezone

    from rapport.feedback.rollup import rollup_rebuild

    started = time.monotonic()
    rows = rollup_rebuild(now=timezone.now(), days=args.days)
    print(f"{count(rows, 'daily rollup row')} in {time.monotonic() - started:.1f} s")
    return 0


def cmd_import_orders(args: argparse.Namespace) -> int:
    from pathlib import Path

    from django.utils import timezone

    from rapport.cli import UserError
    from rapport.feedback.services import orders_import_csv

    try:
        text = Path(args.path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"cannot read {args.path}: {error}") from None
    result = orders_import_csv(actor=None, text=text, now=timezone.now())
    print(
        f"{count(result.created, 'order')} added, {result.skipped:,} already recorded, "
        f"{count(len(result.errors), 'row')} refused"
    )
    for error in result.errors[:50]:
        print(f"  {error}")
    return 0 if not result.errors else 1


def cmd_tiers(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from rapport.feedback.services import tiers_apply

    print(f"{count(tiers_apply(now=timezone.now()), 'customer')} changed tier")
    return 0


def cmd_surveys(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from rapport.feedback.services import invitations_dispatch

    done = invitations_dispatch(now=timezone.now())
    print(", ".join(f"{n} {what}" for what, n in done.items()))
    return 0
