"""Importing an mbox: messages per second and peak memory, on SQLite and on PostgreSQL.

    .venv/bin/python bench/mail_import.py [--messages 100000] [--seed 2026] [--database sqlite,postgres]

Generates (seeded) an mbox of --messages emails from 5,000 customers: about 60% start a
conversation, the rest reply to an earlier one by In-Reply-To (a third of those by the case
reference in the subject instead); about one in ten is multipart/alternative with an HTML part,
one in fifty has a small PDF attached, one in a hundred is an automatic reply. Each database is
fresh and migrated, and the import runs in its own process (``rapport mail import`` without
acknowledgements), so the peak RSS printed is that process's whole footprint, Django included.
The goal: at least 500 messages/s on SQLite with peak RSS under 200 MB. The importer's own CPU time
is printed beside the wall clock, so a run on a shared, busy machine still says what one idle core
would do (PostgreSQL's server process works on its own core and is not counted in it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = "postgres://postgres@127.0.0.1:5432/rapport_mail_bench"
PDF = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"


def generate(path: Path, count: int, seed: int) -> None:
    import base64

    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    threads: list[tuple[str, str, int]] = []  # (message id, sender, case number guess)
    words = [
        *("order", "delivery", "refund", "invoice", "account", "parcel", "broken", "late", "charge", "password"),
        *("booking", "cancel", "voucher", "address", "engineer", "appointment", "warranty", "replacement"),
    ]
    with path.open("wb") as out:
        for i in range(count):
            sender_no = rng.randrange(5000)
            sender = f"customer{sender_no}@example.net"
            when = start + timedelta(seconds=i * 20)
            subject = " ".join(rng.choice(words) for _ in range(4)).capitalize()
            body = "\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(rng.randrange(3, 15)))
            headers = [
                f"From: Customer {sender_no} <{sender}>",
                "To: support@rapport.example",
                f"Date: {format_datetime(when)}",
                f"Message-ID: <bench{i}@example.net>",
            ]
            if threads and rng.random() < 0.4:
                parent, parent_sender, number = rng.choice(threads[-2000:])
                headers[0] = f"From: <{parent_sender}>"
                if rng.random() < 0.33:
                    subject = f"Re: {subject} [C-{number:06d}]"
                else:
                    headers.append(f"In-Reply-To: <{parent}>")
                    subject = f"Re: {subject}"
            else:
                threads.append((f"bench{i}@example.net", sender, len(threads) + 1))
            if rng.random() < 0.01:
                headers.append("Auto-Submitted: auto-replied")
            headers.append(f"Subject: {subject}")
            headers.append("MIME-Version: 1.0")
            roll = rng.random()
            if roll < 0.1:
                html = "".join(f"<p>{line}</p>" for line in body.splitlines())
                payload = (
                    'Content-Type: multipart/alternative; boundary="b"\n\n'
                    "--b\nContent-Type: text/plain; charset=utf-8\n\n"
                    f"{body}\n--b\nContent-Type: text/html; charset=utf-8\n\n{html}\n--b--\n"
                )
            elif roll < 0.12:
                encoded = base64.encodebytes(PDF).decode()
                payload = (
                    'Content-Type: multipart/mixed; boundary="m"\n\n--m\nContent-Type: text/plain; charset=utf-8\n\n'
                    f"{body}\n--m\nContent-Type: application/pdf\n"
                    'Content-Disposition: attachment; filename="receipt.pdf"\n'
                    f"Content-Transfer-Encoding: base64\n\n{encoded}--m--\n"
                )
            else:
                payload = f"Content-Type: text/plain; charset=utf-8\n\n{body}\n"
            out.write(f"From {sender} {when:%a %b %d %H:%M:%S %Y}\n".encode())
            out.write(("\n".join(headers) + "\n" + payload + "\n").encode())


def _fresh_postgres() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS rapport_mail_bench")
        conn.execute("CREATE DATABASE rapport_mail_bench")


def run_child(mbox: str) -> None:
    """In the child process: migrate the fresh database, then time the import alone."""
    import resource

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from rapport.mail.imports import mail_import

    call_command("migrate", interactive=False, verbosity=0)
    before = resource.getrusage(resource.RUSAGE_SELF)
    began = time.perf_counter()
    summary = mail_import(path=Path(mbox), now=timezone.now())
    elapsed = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(
        json.dumps(
            {
                "messages": summary.total,
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "peak_rss_mb": after.ru_maxrss / 1024,
                "counts": dict(summary.counts),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database", default="sqlite,postgres")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child)
        return

    with tempfile.TemporaryDirectory(prefix="rapport-mail-bench-") as folder:
        mbox = Path(folder) / "bench.mbox"
        began = time.perf_counter()
        generate(mbox, args.messages, args.seed)
        print(
            f"generated {args.messages:,} messages, {mbox.stat().st_size / 1e6:.0f} MB, "
            f"in {time.perf_counter() - began:.0f} s"
        )
        for database in args.database.split(","):
            env = {
                **os.environ,
                "RAPPORT_ENV": "development",
                "RAPPORT_DEBUG": "0",
                "RAPPORT_DATA_DIR": folder,
                "DJANGO_SETTINGS_MODULE": "rapport.settings",
                "PYTHONPATH": str(ROOT / "src"),
            }
            env.pop("REDIS_URL", None)
            if database == "sqlite":
                db = Path(folder) / "bench.sqlite3"
                db.unlink(missing_ok=True)
                env["DATABASE_URL"] = f"sqlite:///{db}"
            else:
                _fresh_postgres()
                env["DATABASE_URL"] = PG_URL
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(mbox)], env=env, check=True, capture_output=True, text=True
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            rate = result["messages"] / result["seconds"]
            cpu_rate = result["messages"] / result["cpu_seconds"]
            print(
                f"{database:<9} {result['messages']:>7,} messages in {result['seconds']:6.1f} s "
                f"= {rate:6.0f} messages/s "
                f"({cpu_rate:.0f} per second of the importer's own CPU time), peak RSS {result['peak_rss_mb']:.0f} MB "
                f"{result['counts']}"
            )
        print(
            f"machine load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
            "(the wall-clock rate falls when other work shares the cores; the CPU-time rate does not)"
        )


if __name__ == "__main__":
    main()
