"""Reads of macros and signatures: the picker, the management list, usage, one macro through its gate."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from rapport.access import actor_team_ids, sees_all_cases
from rapport.accounts.models import Team, User
from rapport.macros import access
from rapport.macros.models import Macro, Scope, Signature
from rapport.platform.errors import FieldError, NotFound
from rapport.platform.pagination import Keyset, Page

NO_MACRO = "No such macro."
BY_NAME = Keyset((("name", str, False), ("id", int, False)))
BY_USE = Keyset((("uses", int, True), ("id", int, True)))
SCOPES = frozenset(Scope.values)


def _rows() -> QuerySet[Macro]:
    return Macro.objects.select_related("owner", "team", "set_owner", "set_team")


def macros_usable(actor: User, *, scope: str = "", query: str = "") -> QuerySet[Macro]:
    """The macros ``actor`` may use, by name, filtered by ``scope`` and words of the name."""
    rows = _rows().filter(access.usable(actor))
    if scope:
        if scope not in SCOPES:
            raise FieldError(scope=f"Choose one of: {', '.join(sorted(SCOPES))}.")
        rows = rows.filter(scope=scope)
    for word in query.split()[:5]:
        rows = rows.filter(name__icontains=word)
    return rows.order_by(*BY_NAME.order_by)


def macro_page(actor: User, *, scope: str = "", query: str = "", cursor: str | None, size: int) -> Page[Macro]:
    return BY_NAME.paginate(macros_usable(actor, scope=scope, query=query), cursor=cursor, size=size)


def macro_usage(actor: User, *, cursor: str | None = None, size: int = 50) -> Page[Macro]:
    """The macros a leader answers for, most used first: a team leader's teams' macros and the
    shared ones; a manager's, every macro but other people's personal ones (theirs are private)."""
    if sees_all_cases(actor):
        rows = _rows().exclude(Q(scope=Scope.PERSONAL) & ~Q(owner_id=actor.pk))
    else:
        rows = _rows().filter(Q(scope=Scope.SHARED) | Q(scope=Scope.TEAM, team_id__in=actor_team_ids(actor)))
    return BY_USE.paginate(rows.order_by(*BY_USE.order_by), cursor=cursor, size=size)


def macro_get(actor: User, macro_id: int | str) -> Macro:
    """One macro ``actor`` may use: the same ``NotFound`` for a missing one and another's."""
    try:
        pk = int(macro_id)
    except (TypeError, ValueError):
        raise NotFound(NO_MACRO) from None
    found = _rows().filter(access.usable(actor), pk=pk).first()
    if found is None:
        raise NotFound(NO_MACRO)
    return found


def signature_of(user: User) -> str:
    """How ``user`` signs: their own signature, else their first team's (by name), else nothing."""
    rows = list(
        Signature.objects.filter(Q(user=user) | Q(team__members=user))
        .order_by("team__name", "id")
        .values_list("user_id", "body")[:20]
    )
    own = next((body for holder, body in rows if holder is not None), "")
    return own or next((body for holder, body in rows if holder is None), "")


def own_signature(user: User) -> str:
    return Signature.objects.filter(user=user).values_list("body", flat=True).first() or ""


def team_signatures(actor: User) -> list[tuple[Team, str]]:
    """The teams whose signature ``actor`` may set, with each one's signature."""
    teams = Team.objects.all() if sees_all_cases(actor) else Team.objects.filter(pk__in=actor_team_ids(actor))
    if not sees_all_cases(actor) and not access.can_see_usage(actor):
        return []
    bodies = dict(Signature.objects.filter(team__in=teams).values_list("team_id", "body"))
    return [(team, bodies.get(team.pk, "")) for team in teams.order_by("name")]
