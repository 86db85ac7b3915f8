"""Who may see and do what in the core: predicates and the scopes that bound every query.

Rules:
- customers see only their own cases and never internal notes;
- agents and team leaders see cases of their teams, cases they own, and cases not yet given
  to a team (the triage pool);
- managers and admins see every case;
- any staff member may see customers (to log a call they must find the caller first).

Capabilities write their own rules in ``rapport/<capability>/access.py`` on top of these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from rapport.accounts.models import ALL_CASES_ROLES, Role, User
from rapport.cases.models import Case, Message, MessageKind
from rapport.customers.models import Customer
from rapport.platform.errors import Forbidden, NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def is_staff(actor: User | AnonymousUser) -> bool:
    return bool(actor.is_authenticated and actor.is_active and getattr(actor, "is_desk_staff", False))


def sees_all_cases(actor: User) -> bool:
    return actor.role in ALL_CASES_ROLES


def case_scope(actor: User | AnonymousUser) -> Q | None:
    """The filter on Case that bounds what ``actor`` may see; None means every case."""
    if not actor.is_authenticated or not actor.is_active:
        return Q(pk__in=[])
    assert isinstance(actor, User)
    if actor.role == Role.CUSTOMER:
        customer_id = actor_customer_id(actor)
        return Q(customer_id=customer_id) if customer_id else Q(pk__in=[])
    if sees_all_cases(actor):
        return None
    team_ids = actor_team_ids(actor)
    return Q(team_id__in=team_ids) | Q(owner_id=actor.pk) | Q(team__isnull=True)


def actor_team_ids(actor: User) -> list[int]:
    cached = getattr(actor, "_team_ids", None)
    if cached is None:
        cached = list(actor.teams.values_list("id", flat=True))
        actor._team_ids = cached  # type: ignore[attr-defined]
    return cached


def actor_customer_id(actor: User) -> int | None:
    """The customer record a portal user signs in for (looked up once per request)."""
    if not hasattr(actor, "_customer_id"):
        actor._customer_id = (  # type: ignore[attr-defined]
            Customer.objects.filter(user=actor).values_list("id", flat=True).first()
        )
    return actor._customer_id  # type: ignore[attr-defined,no-any-return]


def visible_cases(actor: User | AnonymousUser) -> QuerySet[Case]:
    scope = case_scope(actor)
    cases = Case.objects.all()
    return cases if scope is None else cases.filter(scope)


def can_see_internal(actor: User | AnonymousUser) -> bool:
    """Internal notes and staff-only detail: staff only, by any path."""
    return is_staff(actor)


def visible_messages(actor: User | AnonymousUser, case: Case) -> QuerySet[Message]:
    messages = Message.objects.filter(case=case)
    return messages if can_see_internal(actor) else messages.exclude(kind=MessageKind.NOTE)


def require_staff(actor: User | AnonymousUser) -> User:
    if not is_staff(actor):
        raise NotFound()
    assert isinstance(actor, User)
    return actor


def can_work_case(actor: User, case: Case) -> bool:
    """Staff who can see a case may work it (reply, note, assign, change status)."""
    return is_staff(actor)


def require_work(actor: User, case: Case) -> None:
    if not can_work_case(actor, case):
        raise Forbidden("Only staff may change a case.")


def can_reply_as_customer(actor: User, case: Case) -> bool:
    return actor.role == Role.CUSTOMER and case.customer.user_id == actor.pk


def visible_customers(actor: User | AnonymousUser) -> QuerySet[Customer]:
    if is_staff(actor):
        return Customer.objects.all()
    if actor.is_authenticated:
        return Customer.objects.filter(user=actor)
    return Customer.objects.none()


CUSTOMER_CASE_FIELDS = frozenset(
    {
        "reference",
        "subject",
        "type",
        "status",
        "channel",
        "created_at",
        "updated_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "url",
    }
)
"""What a customer may see of their own case, through any path: the allow-list the customer-facing
API schema is built from. Who works it (owner, team), how the desk ranks it (priority, tags) and its
internal targets (SLA deadlines) are the organisation's business, not the customer's."""

CUSTOMER_RECORD_FIELDS = frozenset(
    {"id", "kind", "name", "organisation", "email", "phone", "address", "preferred_channel", "created_at", "updated_at"}
)
"""What a customer may see of their own customer record: their details, not the desk's notes or how
the desk classes them."""

CUSTOMER_CASE_FILTERS = frozenset(
    {"status", "type", "channel", "sort", "cursor", "limit", "updated_since", "created_since"}
)
"""The case-list filters a customer may use: none that would reveal what they may not see."""


def audience_of(actor: User | AnonymousUser) -> str:
    """Which view of cases and customer records ``actor`` gets: "staff" (everything the desk records)
    or "customer" (the allow-lists above)."""
    return "staff" if can_see_internal(actor) else "customer"


def can_manage_customers(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def can_read_settings_history(actor: User | AnonymousUser) -> bool:
    """Managers and admins read who changed which rule or setting, and how (ADR 0011)."""
    return is_staff(actor) and getattr(actor, "role", "") in {Role.MANAGER, Role.ADMIN}


SHARING_ROLES = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})


def can_share_views(actor: User | AnonymousUser) -> bool:
    """Team leaders, managers and admins share saved views of the queue with every member of staff."""
    return is_staff(actor) and getattr(actor, "role", "") in SHARING_ROLES


def can_change_view(actor: User, *, owner_id: int, shared: bool) -> bool:
    """A saved view is changed by its owner; a shared one also by managers and admins, who look
    after what every member of staff is shown."""
    return actor.pk == owner_id or (shared and sees_all_cases(actor))


def can_administer_people(actor: User | AnonymousUser) -> bool:
    """Admins add staff accounts and teams, change roles and deactivate accounts; other staff read
    the lists of users and teams (to assign work), and customers see neither."""
    return is_staff(actor) and getattr(actor, "role", "") == Role.ADMIN


def can_export_lists(actor: User | AnonymousUser) -> bool:
    """Staff export the lists they can see (cases, customers, reports); a customer exports nothing
    through the desk (their own data comes as a subject access bundle)."""
    return is_staff(actor)


def permissions_of(actor: User) -> dict[str, bool]:
    """What the core policy lets ``actor`` do, by name: what ``GET /api/v1/me`` reports so that a
    client can show only the actions that will be allowed. Capabilities keep their own rules."""
    return {
        "see_all_cases": sees_all_cases(actor),
        "see_internal_notes": can_see_internal(actor),
        "manage_customers": can_manage_customers(actor),
        "merge_customers": can_manage_customers(actor),
        "request_erasure": can_manage_customers(actor),
        "share_views": can_share_views(actor),
        "read_settings_history": can_read_settings_history(actor),
        "export_lists": can_export_lists(actor),
        "read_users_and_teams": is_staff(actor),
        "administer_users_and_teams": can_administer_people(actor),
    }
