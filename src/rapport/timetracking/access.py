"""Who may track, change and read time (built on the core policy).

- Staff who may work a case log time on it, with a timer or by hand, as themselves.
- Everyone changes and removes their own entries; team leaders also those of the agents in their
  teams; managers and admins any entry.
- Reports: agents see their own time, team leaders their teams' cases, managers and admins all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access import actor_team_ids, is_staff, sees_all_cases
from rapport.accounts.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rapport.timetracking.models import TimeEntry


def can_track(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_change_entry(actor: User, entry: TimeEntry, agent_team_ids: list[int]) -> bool:
    """``agent_team_ids``: the teams of the entry's agent (loaded by the caller)."""
    if not is_staff(actor):
        return False
    if entry.agent_id == actor.pk or sees_all_cases(actor):
        return True
    return actor.role == Role.TEAM_LEADER and bool(set(agent_team_ids) & set(actor_team_ids(actor)))


def report_scope(actor: User) -> tuple[list[int] | None, int | None]:
    """The (team ids, agent id) a person's reports are bounded by: managers and admins everything
    (None, None); team leaders the cases of their teams; agents their own time."""
    if sees_all_cases(actor):
        return None, None
    if actor.role == Role.TEAM_LEADER:
        return actor_team_ids(actor), None
    return None, actor.pk
