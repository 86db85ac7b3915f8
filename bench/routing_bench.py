"""Routing cost per decision: --cases new cases routed across --agents agents of one team.

    RAPPORT_DATA_DIR=/tmp/routing-bench .venv/bin/python bench/routing_bench.py [--cases 10000] [--agents 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/routing_bench .venv/bin/python bench/routing_bench.py

Migrates the database and makes a team of --agents agents (seeded: most available, some away or
on a break, a rota for half of them, Welsh, complaints and product skills spread among them, one in
ten with a capacity of their own) and --cases open cases of that team (seeded priorities, types
and product tags, a tenth of them complaints), written in bulk (not timed). Each method then
routes a third of the cases, one decision at a time as a worker does: ``services.case_route``,
which locks the team, reads the agents' status, rota, skills, loads and capacity, chooses,
assigns through the core's case service (journal events, notifications owed) and records the
decision. Side by side, in the same run, the floor: the core's own ``case_update`` of the owner
alone (what assigning costs without routing), and the decision alone (``case_route_choice``: the
reads and the rule, no lock and no writes). Prints per-decision mean, median and p99 in
milliseconds for each, routing's multiple of the floor, each method's fairness (Gini) and the
load average (the machine may be shared). The goal is well under 5 ms a decision.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402

from rapport.accounts.models import Role, Team, User  # noqa: E402
from rapport.cases.models import Case, Tag  # noqa: E402
from rapport.cases.services import case_update  # noqa: E402
from rapport.customers.models import Customer  # noqa: E402
from rapport.domain import routing as rules  # noqa: E402
from rapport.routing import services  # noqa: E402
from rapport.routing.models import AgentCapacity, Decision, TeamRouting  # noqa: E402
from rapport.workforce.models import AgentSkill, Shift, StatusChange  # noqa: E402

PRODUCTS = ["broadband", "mobile", "energy"]


def _team(rng: random.Random, agents: int, now: datetime) -> tuple[Team, list[User]]:
    team, _ = Team.objects.get_or_create(name=f"Bench routing {agents}")
    people = []
    for i in range(agents):
        email = f"bench-routing-{agents}-{i}@example.com"
        person = User.objects.filter(email=email).first() or User.objects.create_user(
            email, None, name=f"Agent {i:03d}", role=Role.AGENT
        )
        person.teams.add(team)
        people.append(person)
    StatusChange.objects.filter(agent__in=people).delete()
    Shift.objects.filter(agent__in=people).delete()
    AgentSkill.objects.filter(agent__in=people).delete()
    AgentCapacity.objects.filter(agent__in=people).delete()
    statuses, shifts, skills, capacities = [], [], [], []
    for i, person in enumerate(people):
        status = rng.choices(["available", "away", "on_break", "busy"], weights=[80, 8, 7, 5])[0]
        statuses.append(StatusChange(agent=person, status=status, source="agent", at=now - timedelta(hours=1)))
        if i % 2:
            shifts.append(Shift(agent=person, starts_at=now - timedelta(hours=3), ends_at=now + timedelta(hours=5)))
        if rng.random() < 0.2:
            skills.append(AgentSkill(agent=person, skill="welsh"))
        if rng.random() < 0.4:
            skills.append(AgentSkill(agent=person, skill="complaints"))
        skills.append(AgentSkill(agent=person, skill="product", detail=rng.choice(PRODUCTS)))
        if i % 10 == 0:
            capacities.append(AgentCapacity(agent=person, capacity=10_000))
    StatusChange.objects.bulk_create(statuses)
    Shift.objects.bulk_create(shifts)
    AgentSkill.objects.bulk_create(skills)
    AgentCapacity.objects.bulk_create(capacities)
    return team, people


def _cases(rng: random.Random, team: Team, count: int, now: datetime) -> list[int]:
    customer = Customer.objects.create(
        name="Rhys Evans", email=f"rhys.evans.{rng.random()}@example.co.uk", created_at=now, updated_at=now
    )
    rows = [
        Case(
            type="complaint" if rng.random() < 0.1 else "enquiry",
            priority=rng.choices([1, 2, 3, 4], weights=[20, 60, 15, 5])[0],
            channel="email",
            subject=f"Bench case {i}",
            customer=customer,
            team=team,
            created_at=now - timedelta(minutes=rng.randint(1, 600)),
            updated_at=now,
        )
        for i in range(count)
    ]
    made = Case.objects.bulk_create(rows)
    tags = {p: Tag.objects.get_or_create(name=p)[0] for p in PRODUCTS}
    links = [Case.tags.through(case_id=c.pk, tag_id=tags[rng.choice(PRODUCTS)].pk) for c in made if rng.random() < 0.3]
    Case.tags.through.objects.bulk_create(links)
    return [c.pk for c in made]


def _summary(label: str, seconds: list[float], floor: float | None = None) -> float:
    ms = sorted(s * 1000 for s in seconds)
    mean = statistics.fmean(ms)
    p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
    ratio = f"  {mean / floor:4.1f}x the floor" if floor else ""
    median = statistics.median(ms)
    print(f"{label:<28} n={len(ms):>6}  mean {mean:6.2f} ms  median {median:6.2f} ms  p99 {p99:6.2f} ms{ratio}")
    return mean


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    now = datetime.now(UTC)
    team, people = _team(rng, args.agents, now)
    TeamRouting.objects.update_or_create(team=team, defaults={"capacity": 10_000})
    case_ids = _cases(rng, team, args.cases, now)
    floor_ids = _cases(rng, team, min(1000, args.cases), now)
    services.routing_account()
    manager = User.objects.filter(email="bench-routing-manager@example.com").first() or User.objects.create_user(
        "bench-routing-manager@example.com", None, name="Bench manager", role=Role.MANAGER
    )

    floor_times = []
    for i, case_id in enumerate(floor_ids):
        case = Case.objects.only("id", "version").get(pk=case_id)
        began = time.perf_counter()
        case_update(
            actor=manager,
            reference=case.reference,
            expected_version=case.version,
            changes={"owner": people[i % len(people)].pk},
            now=now,
        )
        floor_times.append(time.perf_counter() - began)
    floor = _summary("floor: case_update(owner)", floor_times)

    thirds = [case_ids[i :: len(rules.Method)] for i in range(len(rules.Method))]
    for method, ids in zip(rules.Method, thirds, strict=True):
        chosen = []
        for case_id in ids[:1000]:
            began = time.perf_counter()
            services.case_route_choice(case_id=case_id, method=method, now=now)
            chosen.append(time.perf_counter() - began)
        _summary(f"decide only: {method}", chosen, floor)
        times = []
        first = Decision.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for case_id in ids:
            began = time.perf_counter()
            services.case_route(case=case_id, method=method, now=now)
            times.append(time.perf_counter() - began)
        _summary(f"route: {method}", times, floor)
        counts = dict.fromkeys((p.pk for p in people), 0)
        found = (
            Decision.objects.filter(pk__gt=first, agent__isnull=False)
            .values("agent_id")
            .annotate(n=Count("id"))
            .values_list("agent_id", "n")
        )
        counts.update(dict(found))
        taking = [n for n in counts.values() if n]
        nobody = Decision.objects.filter(pk__gt=first, agent__isnull=True).count()
        print(
            f"    {len(taking)} agents took cases; Gini among them {rules.gini(taking) or 0:.3f}; "
            f"nobody suitable {nobody} times"
        )
    print(f"load average {os.getloadavg()[0]:.2f} (the machine may be shared)")


if __name__ == "__main__":
    main()
