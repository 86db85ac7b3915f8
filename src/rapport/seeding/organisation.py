"""The teams every data set needs, and a pool of staff to own bulk-seeded cases."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from rapport.accounts.models import Role, Team, TeamKind, User
from rapport.seeding.pools import STAFF_DOMAIN, Pools
from rapport.seeding.scenarios import BILLING, COMPLAINTS, FRONT_LINE, TECHNICAL

TEAMS = (
    (FRONT_LINE, TeamKind.FRONT_LINE),
    (BILLING, TeamKind.BACK_OFFICE),
    (TECHNICAL, TeamKind.BACK_OFFICE),
    (COMPLAINTS, TeamKind.BACK_OFFICE),
)
# Enough agents per team that bulk queues look like a real desk's (agents, then one team leader).
BULK_AGENTS = {FRONT_LINE: 14, BILLING: 6, TECHNICAL: 6, COMPLAINTS: 4}
WORKING_ROLES = (Role.AGENT, Role.TEAM_LEADER)


@dataclass(frozen=True)
class StaffMember:
    id: int
    name: str

    @property
    def first_name(self) -> str:
        return self.name.split(" ", 1)[0]


@dataclass(frozen=True)
class TeamStaff:
    team_id: int
    agents: tuple[StaffMember, ...]
    leader: StaffMember


def teams_ensure() -> dict[str, Team]:
    """The four demo teams by name, created when missing (existing ones are kept as they are)."""
    teams = {}
    for name, kind in TEAMS:
        slug = name.lower().replace(" ", "")
        teams[name], _ = Team.objects.get_or_create(
            name=name, defaults={"kind": kind, "email": f"{slug}@{STAFF_DOMAIN}"}
        )
    return teams


def staff_pool_ensure(*, pools: Pools, rng: random.Random) -> dict[str, TeamStaff]:
    """Agents and a team leader for each team: those already there, topped up to ``BULK_AGENTS``.

    New staff get unusable passwords: they own seeded work but nobody signs in as them.
    """
    with transaction.atomic():
        teams = teams_ensure()
        taken = set(User.objects.values_list("email", flat=True))
        unusable = make_password(None)
        result = {}
        for name, team in teams.items():
            members = list(team.members.filter(role__in=WORKING_ROLES, is_active=True).order_by("id"))
            new: list[User] = []
            wanted = [Role.AGENT] * max(BULK_AGENTS[name] - sum(m.role == Role.AGENT for m in members), 0)
            if not any(m.role == Role.TEAM_LEADER for m in members):
                wanted.append(Role.TEAM_LEADER)
            for role in wanted:
                first, last = pools.person(rng)
                email = _free_email(f"{first}.{last}", taken)
                new.append(User(email=email, name=f"{first} {last}", role=role, password=unusable))
            if new:
                new = User.objects.bulk_create(new)
                User.teams.through.objects.bulk_create([User.teams.through(user_id=u.pk, team_id=team.pk) for u in new])
            members += new
            agents = tuple(StaffMember(m.pk, m.name) for m in members if m.role == Role.AGENT)
            leader = next(m for m in members if m.role == Role.TEAM_LEADER)
            result[name] = TeamStaff(
                team.pk, agents or (StaffMember(leader.pk, leader.name),), StaffMember(leader.pk, leader.name)
            )
    return result


def _free_email(local: str, taken: set[str]) -> str:
    local = local.lower().replace(" ", "").replace("'", "")
    email = f"{local}@{STAFF_DOMAIN}"
    number = 2
    while email in taken:
        email = f"{local}{number}@{STAFF_DOMAIN}"
        number += 1
    taken.add(email)
    return email
