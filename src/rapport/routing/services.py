"""Routing's writes: route a case (ADR 0028), set a team's routing and an agent's capacity.

A decision is made under the team's lock, so two web processes and two workers routing cases of
one team at once take turns: round-robin's turn and the loads least-loaded reads are never read
by two decisions at the same time. The lock is an ``UPDATE`` of the team's routing row (a row lock
on PostgreSQL; SQLite's one writer), taken before anything is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case as When_
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When

from rapport import extensions
from rapport.accounts.models import STAFF_ROLES, Role, Team, User
from rapport.cases import journal
from rapport.cases import services as case_services
from rapport.cases.models import Case
from rapport.domain import routing as rules
from rapport.platform import settings_history
from rapport.platform.errors import FieldError, NotFound
from rapport.routing import access as policy
from rapport.routing.models import MAX_CAPACITY, AgentCapacity, Decision, TeamRouting, Trigger

ROUTING_EMAIL = "routing@service.invalid"
ROUTING_NAME = "Routing"
BAD_METHOD = "Choose one of: round_robin, least_loaded, skills (or leave it blank for the team's own method)."
NO_TEAM = "No team with that id."
NO_AGENT = "No member of staff with that id."
BAD_CAPACITY = f"Give a capacity from 1 to {MAX_CAPACITY} open cases."
BAD_AGENT_CAPACITY = f"Give a capacity from 0 to {MAX_CAPACITY} open cases, or leave it blank for the team's."
CLOSED = "the case is not open"
NO_TEAM_ON_CASE = "the case has no team"
MERGED = "the case was merged into another"

ROUTED = "routed"  # the journal kind of a decision (registered by ``hooks``): the reason, on the timeline


def routing_account() -> User:
    """The service account routing assigns as (a manager: it may work every case; it cannot sign
    in), so the assignment reads "Routing changed owner" on the timeline."""
    found = User.objects.filter(email=ROUTING_EMAIL).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return User.objects.create_user(ROUTING_EMAIL, None, name=ROUTING_NAME, role="manager")
    except IntegrityError:  # made at the same moment by another process
        return User.objects.get(email=ROUTING_EMAIL)


def team_routing(team_id: int) -> TeamRouting:
    """The team's routing settings, made with the defaults the first time they are asked for."""
    found = TeamRouting.objects.filter(team_id=team_id).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return TeamRouting.objects.create(team_id=team_id)
    except IntegrityError:
        return TeamRouting.objects.get(team_id=team_id)


def _lock_team(team_id: int) -> TeamRouting:
    """Take the team's routing lock (held until the caller's transaction ends) and read the row."""
    if not TeamRouting.objects.filter(team_id=team_id).update(turns=F("turns") + 1):
        team_routing(team_id)
        TeamRouting.objects.filter(team_id=team_id).update(turns=F("turns") + 1)
    return TeamRouting.objects.get(team_id=team_id)


AGENTS = Q(role=Role.AGENT, is_active=True) & ~Q(email__endswith="@service.invalid")


def people(where: Q) -> dict[int, tuple[str, int | None]]:
    """Members of staff by id, with their name and own capacity (None: their team's): one query."""
    own = AgentCapacity.objects.filter(agent=OuterRef("pk")).values("capacity")[:1]
    return {
        pk: (name, capacity)
        for pk, name, capacity in User.objects.filter(where)
        .annotate(own=Subquery(own))
        .order_by("pk")
        .values_list("pk", "name", "own")
    }


def members(team_id: int) -> dict[int, tuple[str, int | None]]:
    """The agents of the team, whom its cases are routed to (team leaders and managers in the team
    are not: they take a case when they choose to, or as a customer's named contact)."""
    return people(AGENTS & Q(teams=team_id))


def named_contact_id(name: str, team_id: int | None) -> int | None:
    """The member of staff a customer's named contact names (by their name, any case), preferring
    one of the case's team when two share the name; None when nobody, or several outside the team."""
    name = " ".join(name.split())
    if not name:
        return None
    found = list(
        User.objects.filter(name__iexact=name, role__in=STAFF_ROLES, is_active=True)
        .annotate(in_team=Count("teams", filter=Q(teams=team_id)))
        .values_list("pk", "in_team")
    )
    if len(found) == 1:
        return int(found[0][0])
    in_team = [pk for pk, count in found if count]
    return int(in_team[0]) if len(in_team) == 1 else None


def loads(agent_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Each agent's open cases and their load (weighted by priority): one query."""
    weight = When_(
        *[When(priority=p, then=Value(w)) for p, w in rules.PRIORITY_WEIGHTS.items()],
        default=Value(1),
        output_field=IntegerField(),
    )
    rows = (
        Case.objects.filter(is_active=True, owner_id__in=list(agent_ids))
        .values("owner_id")
        .annotate(open=Count("id"), load=Sum(weight))
        .values_list("owner_id", "open", "load")
    )
    return {owner: (int(count), int(load or 0)) for owner, count, load in rows}


def agents_now(
    known: dict[int, tuple[str, int | None]], *, team_capacity: int, now: datetime
) -> dict[int, rules.Agent]:
    """What routing knows of each of ``known`` (``people``) now: roster (status, rota, skills), open
    cases, load and capacity, in a fixed number of queries (the roster's three, the loads' one)."""
    ids = sorted(known)
    if not ids:
        return {}
    rosters = extensions.rosters_for(ids, now)
    held = loads(ids)
    found = {}
    for agent_id in ids:
        roster = rosters.get(agent_id) if rosters is not None else extensions.AgentRoster(status=rules.AVAILABLE)
        roster = roster or extensions.AgentRoster(status="off_shift")
        open_cases, load = held.get(agent_id, (0, 0))
        name, own = known[agent_id]
        found[agent_id] = rules.Agent(
            id=agent_id,
            name=name,
            status=roster.status,
            on_rota=roster.on_rota,
            skills=roster.skills,
            open_cases=open_cases,
            load=load,
            capacity=team_capacity if own is None else own,
        )
    return found


def _language(case: Case) -> str:
    # The customer's preferred language arrives with the Welsh issue (Customer.language); a chat
    # may carry its own.
    return str(getattr(case, "language", "") or getattr(case.customer, "language", "") or "")


def case_route(
    *,
    case: Case | int,
    method: str = "",
    now: datetime,
    trigger: str = Trigger.HOOK,
    asked_by: User | None = None,
) -> extensions.RoutingOutcome:
    """Choose an agent for ``case`` by ``method`` ("" for its team's own), assign it to them through
    the core's case services, and record the decision (who, why, when, how). Nobody suitable:
    the case stays with its team and the decision says why."""
    if method and method not in set(rules.Method):
        raise FieldError(method=BAD_METHOD)
    case_id = case if isinstance(case, int) else case.pk
    with transaction.atomic():
        fresh = Case.objects.select_related("customer", "team").filter(pk=case_id).first()
        if fresh is None:
            raise NotFound("No case with that reference.")
        if fresh.merged_into_id is not None:
            return extensions.RoutingOutcome(None, MERGED)
        if not fresh.is_active:
            return extensions.RoutingOutcome(None, CLOSED)
        if fresh.team_id is None or fresh.team is None:
            return _record(fresh, None, "", rules.Choice(None, NO_TEAM_ON_CASE, rules.NOBODY), trigger, asked_by, now)
        team_id, team_name = fresh.team_id, fresh.team.name
        team = _lock_team(team_id)
        fresh = Case.objects.select_for_update().select_related("customer").get(pk=case_id)
        chosen_method = method or team.method
        choice = _decide(fresh, team, chosen_method, team_name, now)
        unowned = fresh.owner_id is None
        if choice.agent_id is not None:
            if choice.agent_id != fresh.owner_id:
                case_services.case_update(
                    actor=routing_account(),
                    reference=fresh.reference,
                    expected_version=fresh.version,
                    changes={"owner": choice.agent_id},
                    now=now,
                )
            if choice.rule != rules.NAMED_CONTACT:
                TeamRouting.objects.filter(pk=team.pk).update(last_agent_id=choice.agent_id)
        return _record(fresh, team, chosen_method, choice, trigger, asked_by, now, unowned=unowned)


def _decide(case: Case, team: TeamRouting, method: str, team_name: str, now: datetime) -> rules.Choice:
    """Whom ``method`` chooses for ``case`` now: the reads (members, the customer's adjustments,
    rosters, loads, tags) in a fixed number of queries, then the pure rule."""
    team_members = members(team.team_id)
    preferences = extensions.preferences_for(case.customer)
    contact_id = named_contact_id(preferences.contact_name, team.team_id) if preferences.contact_name else None
    everyone = dict(team_members)
    if contact_id is not None and contact_id not in everyone:
        everyone.update(people(Q(pk=contact_id)))
    known = agents_now(everyone, team_capacity=team.capacity, now=now)
    need = rules.needs_for(
        language=_language(case),
        case_type=case.type,
        bsl_relay=preferences.bsl_relay,
        products=_products(case, [a.skills for a in known.values()]),
        named_contact=contact_id,
    )
    return rules.choose(
        method=method,
        agents=[known[m] for m in team_members],
        need=need,
        last=team.last_agent_id,
        team=team_name,
        contact=known.get(contact_id) if contact_id else None,
    )


def case_route_choice(*, case_id: int, method: str = "", now: datetime) -> rules.Choice:
    """Whom routing would choose for the case now, without assigning or recording anything (no
    lock: a preview, and the decision's own cost in the benchmark)."""
    if method and method not in set(rules.Method):
        raise FieldError(method=BAD_METHOD)
    case = Case.objects.select_related("customer", "team").get(pk=case_id)
    if case.team is None:
        return rules.Choice(None, NO_TEAM_ON_CASE, rules.NOBODY)
    team = TeamRouting.objects.filter(team=case.team).first() or TeamRouting(team=case.team)
    return _decide(case, team, method or team.method, case.team.name, now)


def _products(case: Case, skill_sets: Sequence[frozenset[str]]) -> list[str]:
    """The case's tags that name a product someone routing considers knows."""
    known = {s for skills in skill_sets for s in skills if s.startswith(rules.PRODUCT + ":")}
    if not known:
        return []
    return [t for t in case.tags.values_list("name", flat=True) if rules.product_skill(t) in known]


def _record(
    case: Case,
    team: TeamRouting | None,
    method: str,
    choice: rules.Choice,
    trigger: str,
    asked_by: User | None,
    now: datetime,
    *,
    unowned: bool = False,
) -> extensions.RoutingOutcome:
    first = (
        unowned and choice.agent_id is not None and not Decision.objects.filter(case=case, agent__isnull=False).exists()
    )
    Decision.objects.create(
        case=case,
        team_id=case.team_id,
        agent_id=choice.agent_id,
        method=method or (team.method if team else ""),
        rule=choice.rule,
        reason=choice.reason[:300],
        trigger=trigger,
        first=first,
        arrived_at=case.created_at,
        decided_at=now,
        asked_by=asked_by,
    )
    journal.record(case=case, kind=ROUTED, at=now, actor=asked_by, after=choice.reason[:300])
    return extensions.RoutingOutcome(choice.agent_id, choice.reason)


def route_hook(case: Case, method: str, now: datetime) -> extensions.RoutingOutcome:
    """``extensions.routers``: automation rules' "assign" and live chat route through here."""
    return case_route(case=case, method=method, now=now, trigger=Trigger.HOOK)


def case_route_request(*, actor: User, reference: str, method: str, now: datetime) -> extensions.RoutingOutcome:
    """A person asks for a case to be routed now (the case page, the API): through the case's gate."""
    from rapport.access import access_case, require_work

    case = access_case(actor, reference)
    require_work(actor, case)
    return case_route(case=case, method=method, now=now, trigger=Trigger.REQUEST, asked_by=actor)


def cases_arrived(case_ids: Sequence[int], *, now: datetime) -> int:
    """Route the new cases of teams that route on arrival (the journal's "created" job): once per
    case (a case already owned, or already routed on arrival, is left alone). The number routed."""
    due = list(
        Case.objects.filter(pk__in=list(case_ids), owner__isnull=True, is_active=True, team__isnull=False)
        .filter(team_id__in=TeamRouting.objects.filter(route_on_arrival=True).values("team_id"))
        .exclude(pk__in=Decision.objects.filter(trigger=Trigger.ARRIVAL).values("case_id"))
        .values_list("pk", flat=True)
    )
    for case_id in due:
        case_route(case=case_id, now=now, trigger=Trigger.ARRIVAL)
    return len(due)


# --- settings -------------------------------------------------------------------------------------


def _team(actor: User, team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id).first()
    if team is None or not policy.leads_team(actor, team_id):
        raise NotFound(NO_TEAM)
    return team


@dataclass(frozen=True)
class TeamSettings:
    method: str | None = None
    route_on_arrival: bool | None = None
    capacity: int | None = None


def team_routing_set(*, actor: User, team_id: int, changes: TeamSettings, now: datetime) -> TeamRouting:
    """Change a team's routing (team leaders of the team, managers, admins); kept in the settings
    history with who and when."""
    _team(actor, team_id)
    errors: dict[str, list[str]] = {}
    if changes.method is not None and changes.method not in set(rules.Method):
        errors["method"] = [BAD_METHOD.split(" (")[0] + "."]
    if changes.capacity is not None and not 1 <= changes.capacity <= MAX_CAPACITY:
        errors["capacity"] = [BAD_CAPACITY]
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        settings = team_routing(team_id)
        settings = TeamRouting.objects.select_for_update().get(pk=settings.pk)
        values: dict[str, Any] = {
            "method": changes.method,
            "route_on_arrival": changes.route_on_arrival,
            "capacity": changes.capacity,
        }
        for name, value in values.items():
            if value is not None:
                setattr(settings, name, value)
        settings.updated_at = now
        settings_history.setting_save(actor=actor, instance=settings, now=now)
    return settings


def agent_capacity_set(*, actor: User, agent_id: int, capacity: int | None, now: datetime) -> int | None:
    """Set an agent's own capacity (None: follow their team's); by whoever leads one of their teams."""
    if not policy.can_lead_routing(actor):
        raise NotFound(NO_AGENT)
    agent = User.objects.filter(pk=agent_id, role__in=STAFF_ROLES, is_active=True).first()
    led = policy.led_team_ids(actor)
    if agent is None or (led is not None and not set(led) & set(agent.teams.values_list("pk", flat=True))):
        raise NotFound(NO_AGENT)
    if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
        raise FieldError(capacity=BAD_AGENT_CAPACITY)
    with transaction.atomic():
        found = AgentCapacity.objects.select_for_update().filter(agent=agent).first()
        if capacity is None:
            if found is not None:
                settings_history.setting_delete(actor=actor, instance=found, now=now)
            return None
        found = found or AgentCapacity(agent=agent, capacity=capacity)
        found.capacity = capacity
        settings_history.setting_save(actor=actor, instance=found, now=now)
    return capacity
