"""The demo data set behind `rapport demo`: one small organisation with a few weeks of work.

Everything is written through the services (cases, customers, accounts), exactly as people using
the desk would write it, so events, search documents and statuses are the real thing. It is made
once: a second run finds the demo admin and leaves the database as it is.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction

from rapport import extensions
from rapport.accounts.models import Role, User
from rapport.accounts.services import staff_create
from rapport.cases import services as cases
from rapport.cases.models import Case
from rapport.customers import services as customers
from rapport.customers.models import Customer, CustomerKind
from rapport.domain.calendar import BusinessCalendar, business_time_between
from rapport.domain.case_rules import ACTIVE_STATUSES, CaseType, Channel, Priority, Status
from rapport.seeding import files, plans
from rapport.seeding.arrivals import shaped_time
from rapport.seeding.organisation import teams_ensure
from rapport.seeding.plans import ASSIGN, DAY, INBOUND, MESSAGE, CasePlan, Weighted
from rapport.seeding.pools import CUSTOMER_DOMAINS, STAFF_DOMAIN, Pools
from rapport.seeding.scenarios import (
    BILLING,
    COMPANY_SCENARIOS,
    COMPLAINTS,
    DATA_REQUEST_SCENARIOS,
    DEPARTMENTS,
    EXTERNAL_SCENARIOS,
    FRONT_LINE,
    INTERNAL_SCENARIOS,
    SCENARIOS,
    SCENARIOS_BY_KEY,
    TECHNICAL,
    Scenario,
)
from rapport.web.saved_views import saved_view_create

DEMO_SEED = 2026
DEMO_CASES = 140
DEMO_WEEKS = 6
PEOPLE = 46
COMPANIES = 14
COLLEAGUES = 10
PORTAL_CUSTOMERS = 6  # including the one whose sign-in is printed


@dataclass(frozen=True)
class DemoLogin:
    role: str
    name: str
    email: str
    password: str


AGENT = DemoLogin("Agent (Front line)", "Priya Shah", f"agent@{STAFF_DOMAIN}", "demo-agent-2026")
LEADER = DemoLogin("Team leader (Front line)", "Gareth Evans", f"leader@{STAFF_DOMAIN}", "demo-leader-2026")
MANAGER = DemoLogin("Manager", "Fiona MacLeod", f"manager@{STAFF_DOMAIN}", "demo-manager-2026")
ADMIN = DemoLogin("Admin", "Tom Okafor", f"admin@{STAFF_DOMAIN}", "demo-admin-2026")
WELSH_EVERY = 20  # one demo person in this many prefers Welsh
CUSTOMER = DemoLogin("Customer (portal)", "Sarah Thompson", "sarah.thompson@example.com", "demo-customer-2026")
DEMO_LOGINS = (AGENT, LEADER, MANAGER, ADMIN, CUSTOMER)

# Everyone else on the desk: (name, role, team). They own work; nobody signs in as them.
OTHER_STAFF = (
    ("Kieran Walsh", Role.AGENT, FRONT_LINE),
    ("Megan Hughes", Role.AGENT, FRONT_LINE),
    ("Amira Haddad", Role.AGENT, BILLING),
    ("Callum Fraser", Role.AGENT, BILLING),
    ("Owen Price", Role.TEAM_LEADER, BILLING),
    ("Dylan Roberts", Role.AGENT, TECHNICAL),
    ("Chloe Bennett", Role.AGENT, TECHNICAL),
    ("Hannah Scott", Role.TEAM_LEADER, TECHNICAL),
    ("Siobhan Kelly", Role.AGENT, COMPLAINTS),
    ("Mark Davies", Role.TEAM_LEADER, COMPLAINTS),
)
DEMO_STATUSES = Weighted(
    [
        (Status.NEW, 8),
        (Status.OPEN, 16),
        (Status.WAITING_ON_CUSTOMER, 9),
        (Status.WAITING_ON_THIRD_PARTY, 5),
        (Status.RESOLVED, 20),
        (Status.CLOSED, 42),
    ]
)

# How a real team's open work stands against its targets on an ordinary day: most cases well within
# target, a few close to it, a handful breached. Each open case is placed by how much of its target
# (in business time) has gone, so the picture holds whatever the day and hour the demo is made.
WITHIN, NEAR, BREACHED = "within", "near", "breached"
TARGET_STANDING = Weighted([(WITHIN, 82), (NEAR, 10), (BREACHED, 8)])
STANDING_SHARE = {WITHIN: (0.05, 0.5), BREACHED: (1.15, 1.6)}
WELL_WITHIN = timedelta(hours=5)  # business time left on a case well within target
# The service levels the demo's SLA policies set (the SLA app's defaults), in business hours:
# (first response, resolution). Urgent cases run on a 24/7 calendar.
DEMO_TARGETS = {
    Priority.URGENT: (1, 8),
    Priority.HIGH: (4, 16),
    Priority.NORMAL: (8, 40),
    Priority.LOW: (8, 40),
}
COMPLAINT_TARGETS = (4, 80)
INTERNAL_TARGETS = (16, 80)
OFFICE_HOURS = BusinessCalendar(
    hours=dict.fromkeys(range(5), (("09:00", "17:30"),)), tz="Europe/London", holidays="england"
)
ALWAYS_OPEN = BusinessCalendar.always_open()


@dataclass(frozen=True)
class DemoResult:
    created: bool  # False when the demo data was already there
    cases: int
    customers: int
    staff: int


@dataclass
class _Desk:
    admin: User
    manager: User
    agents: dict[str, list[User]]
    leaders: dict[str, User]


def demo_present() -> bool:
    return User.objects.filter(email__iexact=ADMIN.email).exists()


def seed_demo(*, now: datetime, seed: int = DEMO_SEED) -> DemoResult:
    """Create the demo organisation, customers and cases, unless they are there already."""
    if demo_present():
        return DemoResult(False, Case.objects.count(), Customer.objects.count(), _staff_count())
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    pools = Pools.build(seed)
    with transaction.atomic():
        desk = _staff()
        external, internal, portal = _customers(rng, pools, desk, now)
        made = _cases(rng, pools, desk, external, internal, portal, now)
        _saved_views(desk, now)
        files.seed_demo_files(now, seed=seed)
        # Each capability adds its own demo data (SLA policies, complaints, surveys …) on top; some
        # open cases of their own (a message split off into a new case), counted with the rest.
        before = Case.objects.count()
        for seeder in extensions.demo_seeders:
            seeder(now)
        made += Case.objects.count() - before
    files.draw_demo_previews()  # the worker's job, done now so the demo shows them at once
    return DemoResult(True, made, len(external) + len(internal), _staff_count())


def _saved_views(desk: _Desk, now: datetime) -> None:
    """The tabs a real front-line team keeps beside the fixed queues: two its leader shares, one of
    the agent's own."""
    leader = desk.leaders[FRONT_LINE]
    shared = {
        "Urgent, oldest first": {"queue": ["team"], "priority": ["urgent"], "sort": ["oldest"]},
        "Complaints": {"type": ["complaint"], "sort": ["breach"]},
    }
    for name, filters in shared.items():
        saved_view_create(actor=leader, name=name, filters=filters, shared=True, now=now)
    agent = desk.agents[FRONT_LINE][0]
    waiting = {"queue": ["mine"], "status": ["waiting_on_customer"]}
    saved_view_create(actor=agent, name="Waiting on customers", filters=waiting, now=now)


def _staff_count() -> int:
    return User.objects.exclude(role=Role.CUSTOMER).count()


def _staff() -> _Desk:
    teams = teams_ensure()

    def make(name: str, role: str, email: str, password: str | None, team: str | None) -> User:
        user = staff_create(email=email, name=name, role=role, password=password)
        if team:
            user.teams.set([teams[team]])
        return user

    agents: dict[str, list[User]] = {name: [] for name in teams}
    leaders: dict[str, User] = {}
    agents[FRONT_LINE].append(make(AGENT.name, Role.AGENT, AGENT.email, AGENT.password, FRONT_LINE))
    leaders[FRONT_LINE] = make(LEADER.name, Role.TEAM_LEADER, LEADER.email, LEADER.password, FRONT_LINE)
    manager = make(MANAGER.name, Role.MANAGER, MANAGER.email, MANAGER.password, None)
    admin = make(ADMIN.name, Role.ADMIN, ADMIN.email, ADMIN.password, None)
    for name, role, team in OTHER_STAFF:
        first, last = name.lower().split(" ", 1)
        user = make(name, role, f"{first[0]}.{last}@{STAFF_DOMAIN}", None, team)
        if role == Role.TEAM_LEADER:
            leaders[team] = user
        else:
            agents[team].append(user)
    return _Desk(admin=admin, manager=manager, agents=agents, leaders=leaders)


def _customers(
    rng: random.Random, pools: Pools, desk: _Desk, now: datetime
) -> tuple[list[Customer], list[Customer], dict[int, User]]:
    """External customers (people, companies), internal ones (colleagues, departments), and the
    portal sign-ins of a few of them (the first is the printed demo customer)."""
    since = now - timedelta(weeks=DEMO_WEEKS + 2)  # they were customers before the weeks shown

    def create(**values: str) -> Customer:
        return customers.customer_create(actor=desk.admin, now=since, **values)

    external = [
        create(
            kind=CustomerKind.PERSON,
            name=CUSTOMER.name,
            email=CUSTOMER.email,
            phone=rng.choice(pools.phones),
            address=pools.address(rng),
            preferred_channel=Channel.PORTAL,
        )
    ]
    for _ in range(PEOPLE - 1):
        first, last = pools.person(rng)
        external.append(
            create(
                kind=CustomerKind.PERSON,
                name=f"{first} {last}",
                email=pools.email(rng, first, last),
                phone=rng.choice(pools.phones),
                address=pools.address(rng),
                preferred_channel=plans.draw_channel(rng, internal=False),
            )
        )
    for company in rng.sample(pools.companies, COMPANIES):
        slug = "".join(ch for ch in company.lower() if ch.isalnum())[:30]
        external.append(
            create(
                kind=CustomerKind.COMPANY,
                name=company,
                organisation=company,
                email=f"accounts@{slug}.{rng.choice(CUSTOMER_DOMAINS)}",
                phone=rng.choice(pools.phones),
                address=pools.address(rng),
            )
        )
    internal = [
        create(kind=CustomerKind.DEPARTMENT, name=name, email=f"{name.lower()}@{STAFF_DOMAIN}") for name in DEPARTMENTS
    ]
    for _ in range(COLLEAGUES):
        first, last = pools.person(rng)
        internal.append(
            create(
                kind=CustomerKind.COLLEAGUE,
                name=f"{first} {last}",
                organisation=rng.choice(DEPARTMENTS),
                email=f"{first[0]}.{last}@{STAFF_DOMAIN}".lower().replace("'", ""),
                preferred_channel=Channel.CHAT,
            )
        )
    # About one person in twenty is served in Welsh (as in a UK-wide desk with customers in Wales):
    # their emails, letters and surveys are written in Welsh and their portal opens in it.
    for index, customer in enumerate(c for c in external if c.kind == CustomerKind.PERSON):
        if index % WELSH_EVERY == WELSH_EVERY - 1:
            customers.customer_language_set(actor=desk.admin, customer_id=customer.pk, language="cy", now=since)
            customer.language = "cy"
    portal = {}
    for index, customer in enumerate(c for c in external if c.kind == CustomerKind.PERSON):
        if index == PORTAL_CUSTOMERS:
            break
        password = CUSTOMER.password if index == 0 else secrets.token_urlsafe(16)
        customer.user = portal[customer.pk] = customers.customer_portal_access(
            actor=desk.admin, customer_id=customer.pk, password=password
        )
    return external, internal, portal


def _coverage(rng: random.Random) -> list[dict[str, object]]:
    """One case at least for every status, channel, priority and type: each forced on its own case."""
    forced: list[dict[str, object]] = [{} for _ in range(DEMO_CASES)]
    order = iter(rng.sample(range(DEMO_CASES), DEMO_CASES))
    for name, values in (("status", Status), ("channel", Channel), ("priority", Priority), ("type", CaseType)):
        for value in values:
            forced[next(order)][name] = value
    # Every kind of data subject request, each with words that ask for it.
    for scenario in DATA_REQUEST_SCENARIOS:
        forced[next(order)]["scenario"] = scenario.key
    # The printed customer has a handful of cases to show in the portal.
    for _ in range(6):
        forced[next(order)]["portal_customer"] = True
    return forced


def _cases(
    rng: random.Random,
    pools: Pools,
    desk: _Desk,
    external: list[Customer],
    internal: list[Customer],
    portal: dict[int, User],
    now: datetime,
) -> int:
    now_ts = int(now.timestamp())
    window = DEMO_WEEKS * 7 * DAY
    specs = []
    for want in _coverage(rng):
        scenario, customer, channel = _who_and_how(rng, want, external, internal, portal)
        team = scenario.team
        worker = rng.choice(desk.agents[team])
        status = str(want.get("status") or DEMO_STATUSES.draw(rng))
        forced_type = want.get("type")
        case_type = str(forced_type) if forced_type else plans.draw_type(rng, scenario)
        priority = int(want["priority"]) if "priority" in want else plans.draw_priority(rng, case_type)  # type: ignore[call-overload]
        if status in ACTIVE_STATUSES:
            internal_customer = customer.kind in {CustomerKind.COLLEAGUE, CustomerKind.DEPARTMENT}
            created = _placed(
                rng, now, status=status, case_type=case_type, priority=priority, internal=internal_customer
            )
        else:
            # Finished work, spread over the weeks as customers get in touch (domain.arrivals).
            created = shaped_time(rng, channel, start=now_ts - window, end=now_ts)
        first = customer.name.split(" ", 1)[0] if customer.kind != CustomerKind.DEPARTMENT else pools.person(rng)[0]
        slots = pools.slots(rng, scenario, first=first, agent=worker.name.split(" ", 1)[0], created_at=created)
        young = now_ts - created < DAY
        plan = plans.plan_case(
            rng,
            scenario,
            slots,
            channel=channel,
            status=status,
            messages=rng.choice((2, 2, 3) if young else (2, 3, 3, 4, 4)),
            created_at=created,
            now=now_ts,
            case_type=case_type,
            priority=priority,
        )
        if status == Status.OPEN:
            plan = _answered_lately(rng, plan, now_ts)
        # Some new cases are still in the pool, waiting for triage to give them a team.
        untriaged = status == Status.NEW and rng.random() < 0.5
        specs.append((plan, customer, worker, untriaged))
    # Written in the order they happened, so references follow time as they would on a real desk.
    specs.sort(key=lambda spec: spec[0].created_at)
    for plan, customer, worker, untriaged in specs:
        _play(
            plan, customer=customer, worker=worker, desk=desk, portal_user=portal.get(customer.pk), untriaged=untriaged
        )
    return len(specs)


def _answered_lately(rng: random.Random, plan: plans.CasePlan, now_ts: int) -> plans.CasePlan:
    """An open case whose last message is the customer's: they wrote within the last hour or so
    (the desk answers the customer's word within its next-response target; an older unanswered
    message would be a breach, which the demo places on purpose, not by chance)."""
    steps = list(plan.steps)
    messages = [i for i, step in enumerate(steps) if step.action == MESSAGE]
    if not messages or steps[messages[-1]].kind != INBOUND:
        return plan
    last = messages[-1]
    floor = steps[last - 1].at if last else plan.created_at
    steps[last] = steps[last]._replace(at=max(steps[last].at, floor, now_ts - rng.randrange(5 * 60, 90 * 60)))
    for i in range(last + 1, len(steps)):
        steps[i] = steps[i]._replace(at=max(steps[i].at, steps[last].at))
    return plan._replace(steps=tuple(steps))


def _placed(rng: random.Random, now: datetime, *, status: str, case_type: str, priority: int, internal: bool) -> int:
    """When an open case was opened, so that the target that governs it now (the first response
    while it is new, else the resolution) stands as a real desk's would: mostly within target."""
    first_response, resolution = (
        INTERNAL_TARGETS
        if internal
        else COMPLAINT_TARGETS
        if case_type == CaseType.COMPLAINT and priority != Priority.URGENT
        else DEMO_TARGETS[Priority(priority)]
    )
    target = timedelta(hours=first_response if status == Status.NEW else resolution)
    calendar = ALWAYS_OPEN if priority == Priority.URGENT else OFFICE_HOURS
    standing = TARGET_STANDING.draw(rng)
    if standing == NEAR:
        # Due within the next few hours of the clock on the wall ("breaching soon"); out of hours
        # nothing falls due so soon, and the case is simply within target.
        left = business_time_between(calendar, now, now + timedelta(minutes=rng.randrange(30, 210)))
        if left > timedelta(0):
            return int(_business_ago(calendar, now, target - left).timestamp())
        standing = WITHIN
    low, high = STANDING_SHARE[standing]
    if status != Status.NEW and standing == WITHIN:
        # Its first reply went out in time, so at least that much of the day has passed since.
        low = max(low, min(first_response / (target / timedelta(hours=1)) * 1.2, 0.5))
    used = target * rng.uniform(low, max(low, high))
    if standing == WITHIN:
        # Well within target: not yet in the "breaching soon" window, where the target allows it.
        used = max(min(used, target - WELL_WITHIN), target * 0.02)
    return int(_business_ago(calendar, now, used).timestamp())


def _business_ago(calendar: BusinessCalendar, now: datetime, used: timedelta) -> datetime:
    """The latest instant from which ``used`` business time has passed by ``now``."""
    low, high = now - used, now - used * 8 - timedelta(days=14)  # `high` is surely far enough back
    if business_time_between(calendar, low, now) >= used:
        return low
    for _ in range(40):  # bisect to within a second
        middle = high + (low - high) / 2
        if business_time_between(calendar, middle, now) >= used:
            high = middle
        else:
            low = middle
        if low - high < timedelta(seconds=1):
            break
    return high


def _who_and_how(
    rng: random.Random,
    want: dict[str, object],
    external: list[Customer],
    internal: list[Customer],
    portal: dict[int, User],
) -> tuple[Scenario, Customer, str]:
    wanted_type = want.get("type")
    wanted_channel = want.get("channel")
    if want.get("portal_customer"):
        customer = external[0]
        channel = wanted_channel or plans.draw_channel(rng, internal=False)
    elif wanted_type == CaseType.INTERNAL_REQUEST or (not want and rng.random() < 0.15):
        customer = rng.choice(internal)
        channel = wanted_channel or plans.draw_channel(rng, internal=True)
        if channel == Channel.PORTAL:
            channel = Channel.CHAT  # colleagues use the staff desk, not the customer portal
    else:
        channel = wanted_channel or plans.draw_channel(rng, internal=False)
        # Only customers with a sign-in write through the portal.
        pool = [c for c in external if c.pk in portal] if channel == Channel.PORTAL else external
        if "scenario" in want:  # a data subject request is a person's
            pool = [c for c in pool if c.kind == CustomerKind.PERSON]
        customer = rng.choice(pool)
    if customer.kind in {CustomerKind.COLLEAGUE, CustomerKind.DEPARTMENT}:
        choices: tuple[Scenario, ...] = INTERNAL_SCENARIOS
    elif customer.kind == CustomerKind.COMPANY:
        choices = COMPANY_SCENARIOS
    else:
        choices = EXTERNAL_SCENARIOS
    if wanted_type:
        choices = tuple(s for s in choices if wanted_type in s.types) or tuple(
            s for s in SCENARIOS if wanted_type in s.types
        )
    scenario = SCENARIOS_BY_KEY[str(want["scenario"])] if "scenario" in want else rng.choice(choices)
    if channel == Channel.PORTAL and customer.pk not in portal:
        channel = Channel.EMAIL
    return scenario, customer, str(channel)


def _play(
    plan: CasePlan, *, customer: Customer, worker: User, desk: _Desk, portal_user: User | None, untriaged: bool
) -> None:
    """Run a plan through the services, as the people involved would have done it."""
    created = _at(plan.created_at)
    team = worker.teams.first()
    leader = desk.leaders[plan.scenario.team]
    if plan.logged_by_staff:
        case = cases.contact_log(
            actor=worker,
            customer=customer,
            channel=plan.channel,
            subject=plan.subject,
            summary=plan.body,
            type=plan.type,
            priority=plan.priority,
            now=created,
        )
        case = cases.case_update(
            actor=worker,
            reference=case.reference,
            expected_version=case.version,
            changes={"tags": list(plan.tags)},
            now=created,
        )
    elif plan.channel == Channel.PORTAL and portal_user is not None:
        case = cases.case_create(
            actor=portal_user, customer=customer, subject=plan.subject, body=plan.body, type=plan.type, now=created
        )
        if not untriaged:
            # Triage: the front-line team leader routes it, sets the priority and tags it.
            case = cases.case_update(
                actor=desk.leaders[FRONT_LINE],
                reference=case.reference,
                expected_version=case.version,
                changes={"team": team, "priority": plan.priority, "tags": list(plan.tags)},
                now=created,
            )
    else:
        logger = desk.agents[FRONT_LINE][0] if plan.channel == Channel.LETTER else worker
        case = cases.case_create(
            actor=logger,
            customer=customer,
            subject=plan.subject,
            body=plan.body,
            type=plan.type,
            channel=plan.channel,
            priority=plan.priority,
            team=None if untriaged else team,
            tags=plan.tags,
            now=created,
        )
    for step in plan.steps:
        at = _at(step.at)
        if step.action == MESSAGE:
            author = portal_user if step.kind == INBOUND and portal_user is not None else worker
            cases.message_add(
                actor=author,
                reference=case.reference,
                kind=step.kind,
                body=step.body,
                channel=Channel.PORTAL if author is portal_user else plan.channel,
                status_after=step.status or None,
                now=at,
            )
        else:
            actor, changes = (leader, {"owner": worker}) if step.action == ASSIGN else (worker, {"status": step.status})
            cases.case_update(
                actor=actor,
                reference=case.reference,
                expected_version=Case.objects.values_list("version", flat=True).get(pk=case.pk),
                changes=changes,
                now=at,
            )


def _at(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)
