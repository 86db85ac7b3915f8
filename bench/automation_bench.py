"""Automation rules: the cost of evaluating 200 active rules on each event (target: under 2 ms an
event), and a time rule scan over every case (target: under 5 s at 1,000,000 cases).

    RAPPORT_DATA_DIR=/tmp/auto-bench .venv/bin/python bench/automation_bench.py --cases 2000
    # at full size, on a quiet machine (seeds the cases first if the database has fewer):
    RAPPORT_DATA_DIR=/tmp/auto-bench taskset -c 0 .venv/bin/python bench/automation_bench.py --cases 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/auto_bench \
        .venv/bin/python bench/automation_bench.py --cases 1000000

Part 1, events (no database): 200 rules of the shapes people write (a field or two, text that
contains a word, a tag, an any-group, a time since a moment in an office calendar), compiled once
as the workers do (one per version, kept per process), evaluated in order on --events events, each
with the facts of a different seeded random case. Timed: building the facts and evaluating every
rule, per event (best of --repeat). Side by side, the floor: one dictionary read per rule.

Part 2, the time scan (the database): migrates, seeds ``rapport seed`` cases until there are
--cases, then times ``services.candidates`` for the procedure "waiting on the customer for 5
business days" (one SQL query over every case: status, the time since the last update against a
cutoff in the calendar's business time, and not fired already for this wait), counting the cases
it finds, and a whole ``time_scan`` run (at most 500 firings per rule per run) with the rule's
actions, rolled back afterwards so that every run sees the same data. Prints the load average
(the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import UTC, datetime, timedelta

from rapport.domain import automation as rules
from rapport.domain.calendar import BusinessCalendar, business_time_between

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
STATUSES = ("new", "open", "waiting_on_customer", "waiting_on_third_party", "resolved")
CHANNELS = ("email", "portal", "phone", "chat", "letter")
WORDS = ("refund", "parcel", "broken", "invoice", "delay", "complaint", "password", "engineer", "meter", "bill")


def rule_definitions(rng: random.Random, count: int) -> list[dict]:
    """``count`` event rules of the shapes people write, seeded."""
    found = []
    for i in range(count):
        shape = i % 5
        conditions: list[dict] = [{"field": "case.channel", "op": "is", "value": rng.choice(CHANNELS)}]
        if shape == 1:
            conditions.append({"field": "text", "op": "contains", "value": rng.choice(WORDS)})
        elif shape == 2:
            conditions.append({"match": "any", "conditions": [
                {"field": "customer.tier", "op": "is", "value": "gold"},
                {"field": "case.tags", "op": "has", "value": rng.choice(WORDS)},
            ]})  # fmt: skip
        elif shape == 3:
            conditions.append({"field": "since.created", "op": "at_least", "value": f"{rng.randint(1, 10)}d"})
        elif shape == 4:
            conditions.append({"field": "case.priority", "op": "in", "value": ["high", "urgent"]})
        found.append(
            {
                "trigger": "event",
                "events": ["created", "message"],
                "conditions": {"match": "all", "conditions": conditions},
                "actions": [{"type": "add_tags", "tags": [f"r{i}"]}],
            }
        )
    return found


def events_part(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    office = BusinessCalendar(hours={d: [("09:00", "17:30")] for d in range(5)}, tz="Europe/London")
    day = rules.working_day_of(office.opening_hours())
    compiled = [
        rules.compile_rule(
            rule_id=i + 1, version=1, name=f"r{i}", definition=rules.check(d, working_day=day), working_day=day
        )
        for i, d in enumerate(rule_definitions(rng, args.rules))
    ]
    raw = [
        {
            "status": rng.choice(STATUSES),
            "priority": rng.choice(("low", "normal", "high", "urgent")),
            "channel": rng.choice(CHANNELS),
            "subject": " ".join(rng.sample(WORDS, 3)),
            "body": " ".join(rng.choices(WORDS, k=40)),
            "tags": frozenset(rng.sample(WORDS, rng.randint(0, 2))),
            "created": NOW - timedelta(hours=rng.randint(1, 400)),
            "tier": rng.choice(("", "gold", "silver")),
        }
        for _ in range(args.events)
    ]

    def between(a: datetime, b: datetime) -> timedelta:
        return business_time_between(office, a, b)

    def evaluate() -> int:
        fired = 0
        for r in raw:
            facts = rules.Facts(
                case={"status": r["status"], "priority": r["priority"], "type": "enquiry", "channel": r["channel"],
                      "team": 1, "owner": None, "tags": r["tags"], "subject": r["subject"]},
                customer={"kind": "person", "tier": r["tier"], "preferred_channel": "email"},
                event={"kind": "created", "field": "", "after": ""},
                text=f"{r['subject']}\n{r['body']}",
                moments={"created": r["created"], "updated": r["created"], "first_response": None, "resolved": None},
                now=NOW,
                business_hours=office.is_open(NOW),
                business_between=between,
            )  # fmt: skip
            fired += len(rules.matching(compiled, "created", facts, rules.Chain()))
        return fired

    def floor() -> int:
        total = 0
        for r in raw:
            for _ in compiled:
                total += r["channel"] == "email"
        return total

    def best(fn) -> float:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times)

    fired = evaluate()
    t_eval, t_floor = best(evaluate), best(floor)
    print(f"part 1: {args.rules} rules, {args.events:,} events, seed {args.seed}; {fired:,} firings would follow")
    print(f"  floor (one read a rule):      {t_floor / args.events * 1e6:8.1f} µs an event")
    print(f"  facts + every rule, in order: {t_eval / args.events * 1e6:8.1f} µs an event (target 2,000)")
    print(f"  ratio to the floor: {t_eval / t_floor:.1f}")


def scan_part(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from rapport.accounts.models import Role, User
    from rapport.automation import services
    from rapport.automation.models import AutomationRule
    from rapport.cases.models import Case
    from rapport.seeding import bulk

    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    if have < args.cases:
        print(f"seeding {args.cases - have:,} cases …")
        started = time.perf_counter()
        bulk.seed(cases=args.cases - have, seed=args.seed, now=NOW)
        print(f"  seeded in {time.perf_counter() - started:.0f} s")
    manager = User.objects.filter(email="bench-manager@example.com").first() or User.objects.create_user(
        "bench-manager@example.com", "bench password 2026", name="Bench Manager", role=Role.MANAGER
    )
    AutomationRule.objects.filter(name__startswith="Bench:").delete()
    services.rule_create(
        actor=manager,
        name="Bench: remind after 5 business days",
        active=True,
        now=NOW,
        definition={
            "trigger": "time",
            "conditions": {
                "match": "all",
                "conditions": [
                    {"field": "case.status", "op": "is", "value": "waiting_on_customer"},
                    {"field": "case.type", "op": "is_not", "value": "complaint"},
                    {"field": "since.updated", "op": "at_least", "value": "5d"},
                ],
            },
            "actions": [{"type": "add_tags", "tags": ["reminded"]}],
        },
    )
    stored = services.active_rules("time")[0]
    calendar = services.default_calendar()
    rule = services.compiled(stored, rules.working_day_of(calendar.opening_hours()))
    total = Case.objects.count()
    times = []
    found = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        found = services.candidates(rule, NOW, calendar=calendar, rule_pk=stored.pk).count()
        times.append(time.perf_counter() - started)
    print(f"part 2: {total:,} cases")
    print(f"  time rule query over every case: {min(times):.3f} s, {found:,} cases found (target 5 s)")
    started = time.perf_counter()
    with transaction.atomic():  # rolled back, so the next run finds the same cases
        fired = services.time_scan(now=NOW)
        transaction.set_rollback(True)
    print(f"  a whole scan run (at most 500 firings a rule): {time.perf_counter() - started:.3f} s, {fired} fired")
    print(f"  load average: {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-scan", action="store_true", help="part 1 only (no database)")
    args = parser.parse_args()
    events_part(args)
    if not args.skip_scan:
        scan_part(args)


if __name__ == "__main__":
    main()
