"""Importing a Zendesk export: tickets per second and memory as the import goes, on SQLite.

    .venv/bin/python bench/import_bench.py [--tickets 100000] [--comments 4] [--seed 2026]

Generates (seeded) a Zendesk export in the admin's JSON-lines shape: --tickets tickets, each with
--comments comments (so 100,000 tickets carry 400,000 comments), from 20,000 end-users in 2,000
organisations and 60 agents; about a third of the comments are HTML, one in ten is an internal
note, each ticket has tags and two custom fields, one in five a CSAT rating, times with offsets
across both of 2026's clock changes. The database is a fresh, migrated SQLite file and the import
runs in its own process, so the figures are that process's whole footprint, Django included.

The issue's goal: 100,000 tickets with 400,000 comments in under 10 minutes on SQLite, with
memory flat. The child prints its resident memory at each tenth of the tickets: flat means the
last tenth's figure is close to the first's, whatever the size. It then imports the same export
again, which must add nothing (the second run's "created" is empty).
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = [
    "order",
    "delivery",
    "refund",
    "invoice",
    "account",
    "parcel",
    "broken",
    "late",
    "charge",
    "password",
    "booking",
    "cancel",
    "voucher",
    "address",
    "engineer",
    "appointment",
    "warranty",
    "replacement",
    "boiler",
    "meter",
    "tariff",
    "direct",
    "debit",
    "statement",
    "courier",
    "kettle",
]
STATUSES = ["new", "open", "pending", "hold", "solved", "closed", "closed", "solved"]
PRIORITIES = ["low", "normal", "normal", "high", "urgent", None]
CHANNELS = ["email", "email", "web", "voice", "chat", "native_messaging", "api"]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(folder: Path, tickets: int, comments: int, seed: int) -> None:
    rng = random.Random(seed)
    people, orgs, agents = 20_000, 2_000, 60
    with (folder / "organizations.json").open("w") as out:
        json.dump({"organizations": [{"id": 500_000 + i, "name": f"Organisation {i} Ltd"} for i in range(orgs)]}, out)
    with (folder / "users.jsonl").open("w") as out:
        for i in range(agents):
            out.write(
                json.dumps(
                    {"id": 900_000 + i, "name": f"Agent {i}", "email": f"agent{i}@rapport.example", "role": "agent"}
                )
                + "\n"
            )
        for i in range(people):
            org = 500_000 + rng.randrange(orgs) if rng.random() < 0.3 else None
            user = {"id": 100_000 + i, "name": f"Customer {i}", "email": f"customer{i}@example.net", "role": "end-user"}
            out.write(json.dumps({**user, "organization_id": org, "active": rng.random() > 0.01}) + "\n")
    with (folder / "ticket_fields.json").open("w") as out:
        json.dump({"ticket_fields": [{"id": 1, "title": "Order number"}, {"id": 2, "title": "Product"}]}, out)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with (folder / "tickets.jsonl").open("w") as out:
        for t in range(tickets):
            created = start + timedelta(seconds=int(t * 300 * rng.random() + t * 60))
            requester = 100_000 + rng.randrange(people)
            agent = 900_000 + rng.randrange(agents)
            offset = "+01:00" if 3 <= created.month <= 10 else "Z"
            thread = []
            when = created
            for c in range(comments):
                when += timedelta(minutes=rng.randrange(5, 600))
                author = requester if c % 2 == 0 else agent
                public = not (c > 0 and rng.random() < 0.1)
                body = "\n".join(_text(rng, 14) for _ in range(rng.randrange(2, 6)))
                comment = {"id": t * 10 + c, "author_id": author, "public": public, "body": body,
                           "created_at": when.isoformat().replace("+00:00", "Z")}  # fmt: skip
                if rng.random() < 0.33:
                    comment["html_body"] = "".join(f"<p>{line}</p>" for line in body.splitlines())
                thread.append(comment)
            ticket = {
                "id": t + 1,
                "subject": _text(rng, 5),
                "status": rng.choice(STATUSES),
                "priority": rng.choice(PRIORITIES),
                "type": rng.choice(["question", "incident", "problem", "task", None]),
                "via": {"channel": rng.choice(CHANNELS)},
                "requester_id": requester,
                "assignee_id": agent,
                "tags": rng.sample(WORDS, 2),
                "custom_fields": [{"id": 1, "value": f"ORD-{t:07d}"}, {"id": 2, "value": rng.choice(WORDS)}],
                "created_at": created.replace(tzinfo=None).isoformat() + offset,
                "updated_at": when.isoformat().replace("+00:00", "Z"),
                "comments": thread,
            }
            if rng.random() < 0.2:
                ticket["satisfaction_rating"] = {"score": rng.choice(["good", "good", "bad"]), "comment": _text(rng, 4)}
            out.write(json.dumps(ticket) + "\n")


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def run_child(folder: str, tickets: int) -> None:
    """In the child process: migrate the fresh database, then time the import alone."""
    import resource

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from rapport.imports.services import import_run

    call_command("migrate", interactive=False, verbosity=0)
    marks: list[tuple[int, float]] = []
    step = max(tickets // 10, 1)

    def progress(stage: str, done: int) -> None:
        if stage == "tickets" and (not marks or done - marks[-1][0] >= step):
            marks.append((done, round(_rss_mb(), 1)))

    before = resource.getrusage(resource.RUSAGE_SELF)
    began = time.perf_counter()
    report = import_run(source="zendesk", path=Path(folder), now=timezone.now(), progress=progress)
    elapsed = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_SELF)
    again_began = time.perf_counter()
    again = import_run(source="zendesk", path=Path(folder), now=timezone.now())
    again_elapsed = time.perf_counter() - again_began
    print(
        json.dumps(
            {
                "seconds": round(elapsed, 1),
                "cpu_seconds": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1),
                "tickets_per_second": round(tickets / max(elapsed, 0.001)),
                "created": dict(report.created),
                "issues": dict(report.issues),
                "rss_mb_by_tickets": marks,
                "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
                "again_seconds": round(again_elapsed, 1),
                "again_created": {k: v for k, v in again.created.items() if v},
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.tickets)
        return
    with tempfile.TemporaryDirectory(prefix="rapport-import-bench-") as temp:
        folder = Path(temp) / "export"
        folder.mkdir()
        began = time.perf_counter()
        generate(folder, args.tickets, args.comments, args.seed)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1024 / 1024
        print(
            f"Generated {args.tickets:,} tickets x {args.comments} comments ({size:,.0f} MB) "
            f"in {time.perf_counter() - began:.0f}s"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "rapport.settings",
            "RAPPORT_ENV": "development",
            "RAPPORT_DEBUG": "false",
            "RAPPORT_DATA_DIR": str(Path(temp) / "data"),
            "DATABASE_URL": f"sqlite:///{Path(temp) / 'bench.sqlite3'}",
        }
        env.pop("REDIS_URL", None)
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(folder), "--tickets", str(args.tickets)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            print(child.stderr, file=sys.stderr)
            sys.exit(child.returncode)
        result = json.loads(child.stdout.strip().splitlines()[-1])
        print(json.dumps(result, indent=2))
        goal = 600 * args.tickets / 100_000
        verdict = "within" if result["seconds"] <= goal else "OVER"
        print(
            f"{result['seconds']}s for {args.tickets:,} tickets: {verdict} the goal's pace ({goal:.0f}s at this size)."
        )


if __name__ == "__main__":
    main()
