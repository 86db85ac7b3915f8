"""``rapport mail import PATH`` and ``rapport mail poll``: the email channel from the command line."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("mail", help="the email channel: import mail, poll mailboxes")
    sub = parser.add_subparsers(dest="mail_command", required=True)
    p = sub.add_parser("import", help="file the mail in an .eml file, an mbox or a Maildir")
    p.add_argument("path", help="an .eml file, an mbox file or a Maildir folder")
    p.add_argument(
        "--acknowledge", action="store_true", help="email an acknowledgement for each new case (off for archives)"
    )
    p.set_defaults(handler=cmd_import)
    p = sub.add_parser("poll", help="fetch new mail from every active mailbox now")
    p.set_defaults(handler=cmd_poll)


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from django.utils import timezone

    from rapport.cli import UserError
    from rapport.mail.imports import mail_import
    from rapport.mail.sources import count_messages
    from rapport.platform.progress import Progress

    path = Path(args.path)
    if not path.exists():
        raise UserError(f"{path} does not exist.")
    try:
        progress = Progress("Messages filed", total=count_messages(path))
        summary = mail_import(
            path=path,
            now=timezone.now(),
            acknowledge=args.acknowledge,
            progress=lambda so_far: progress.update(so_far.total),
        )
    except (OSError, ValueError) as exc:
        raise UserError(str(exc)) from None
    progress.finish(summary.describe())
    return 0


def cmd_poll(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from rapport.mail.imap import mailbox_poll
    from rapport.mail.models import Mailbox
    from rapport.platform.words import count

    failed = 0
    for mailbox in Mailbox.objects.filter(active=True):
        result = mailbox_poll(mailbox=mailbox, now=timezone.now())
        print(
            f"{mailbox.name}: {count(result.received, 'message')} filed, {result.duplicates:,} already had, "
            f"{result.quarantined:,} quarantined" + (f"; error: {result.error}" if result.error else "")
        )
        failed += bool(result.error)
    return 1 if failed else 0
