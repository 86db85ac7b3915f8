"""``rapport sla check`` (record warnings and breaches, escalate, now) and ``rapport sla backfill``
(measure open cases opened before any policy existed)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    sla = subparsers.add_parser("sla", help="service levels").add_subparsers(dest="sla_command", required=True)
    check = sla.add_parser("check", help="record warnings and breaches and apply escalation rules now")
    check.set_defaults(handler=cmd_check)
    backfill = sla.add_parser("backfill", help="start clocks for open cases that have none")
    backfill.set_defaults(handler=cmd_backfill)


def cmd_check(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from rapport.sla.services import sla_check

    result = sla_check(now=timezone.now())
    print(f"{result.warnings} warnings, {result.breaches} breaches, {result.escalations} escalations recorded")
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    from rapport.sla.services import clocks_backfill

    print(f"{clocks_backfill()} open cases now measured")
    return 0
