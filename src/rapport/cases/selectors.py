"""Reads shaped for the queue, case page and API: constant queries whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import Team, User
from rapport.cases import journal
from rapport.cases.models import Case, CaseEvent, Message
from rapport.domain.case_rules import CaseType, Channel, Priority, Status
from rapport.domain.references import format_reference, parse_reference
from rapport.platform.errors import FieldError, NotFound
from rapport.platform.pagination import Keyset, Page, since

QUEUES = ("mine", "team", "unassigned", "breaching", "all")
# The "breaching soon" queue: active cases whose next SLA target passes within a window (or has
# passed), soonest first. The window is the organisation's (``extensions.breaching_soon_window``).
SORTS: dict[str, Keyset] = {
    "updated": Keyset((("updated_at", datetime, True), ("id", int, True))),
    "oldest": Keyset((("updated_at", datetime, False), ("id", int, False))),
    "created": Keyset((("created_at", datetime, True), ("id", int, True))),
    "priority": Keyset((("priority", int, True), ("updated_at", datetime, True), ("id", int, True))),
}
# Time to next breach, soonest first. Only cases with a running SLA clock have one (a keyset cannot
# walk NULLs), so this sort shows those cases alone.
BREACH_SORT = Keyset((("next_breach_at", datetime, False), ("id", int, False)))
SORT_NAMES = (*SORTS, "breach")
SINCE_FORMAT = "Give a date and time with a time zone, e.g. 2026-03-01T09:00:00Z."


@dataclass(frozen=True)
class QueueFilter:
    queue: str = "all"
    statuses: tuple[str, ...] = ()
    active_only: bool = True
    priority: int | None = None
    type: str | None = None
    channel: str | None = None
    team_id: int | None = None
    owner_id: int | None = None
    customer_id: int | None = None
    tag: str | None = None
    sort: str = "updated"
    updated_since: datetime | None = None
    created_since: datetime | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: dict[str, str | list[str]]) -> QueueFilter:
        """Parse query parameters; every bad value is named in one ``FieldError``."""
        errors: dict[str, list[str]] = {}

        def one(name: str) -> str | None:
            value = params.get(name)
            if isinstance(value, list):
                value = value[0] if value else None
            return value.strip() if isinstance(value, str) and value.strip() else None

        def number(name: str) -> int | None:
            value = one(name)
            if value is None:
                return None
            if not (value.isascii() and value.isdigit()):
                errors.setdefault(name, []).append("Give a whole number.")
                return None
            return int(value)

        queue = one("queue") or "all"
        if queue not in QUEUES:
            errors.setdefault("queue", []).append(f"Choose one of: {', '.join(QUEUES)}.")
        raw_status = params.get("status") or []
        statuses = [s for s in ([raw_status] if isinstance(raw_status, str) else raw_status) for s in s.split(",") if s]
        active_only = True
        if statuses == ["any"]:
            statuses, active_only = [], False
        for status in statuses:
            if status not in Status.__members__.values():
                errors.setdefault("status", []).append(f"Unknown status {status!r}.")
        priority = None
        if (label := one("priority")) is not None:
            try:
                priority = int(Priority.from_label(label)) if not label.isdigit() else int(Priority(int(label)))
            except (KeyError, ValueError):
                errors.setdefault("priority", []).append("Choose low, normal, high or urgent.")
        case_type = one("type")
        if case_type is not None and case_type not in CaseType.__members__.values():
            errors.setdefault("type", []).append(f"Unknown case type {case_type!r}.")
        channel = one("channel")
        if channel is not None and channel not in Channel.__members__.values():
            errors.setdefault("channel", []).append(f"Unknown channel {channel!r}.")

        def moment(name: str) -> datetime | None:
            value = one(name)
            if value is None:
                return None
            if "T" in value:  # a "+01:00" offset arrives as " 01:00" when a client did not encode the "+"
                value = value.replace(" ", "+")
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                parsed = None
            if parsed is None or parsed.tzinfo is None:
                errors.setdefault(name, []).append(SINCE_FORMAT)
                return None
            return parsed

        sort = one("sort") or "updated"
        if sort not in SORT_NAMES:
            errors.setdefault("sort", []).append(f"Choose one of: {', '.join(SORT_NAMES)}.")
        result = cls(
            queue=queue,
            statuses=tuple(statuses),
            active_only=active_only and not statuses,
            priority=priority,
            type=case_type,
            channel=channel,
            team_id=number("team"),
            owner_id=number("owner"),
            customer_id=number("customer"),
            tag=one("tag"),
            sort=sort,
            updated_since=moment("updated_since"),
            created_since=moment("created_since"),
        )
        if errors:
            raise FieldError(errors)
        return result


def case_queue(
    actor: User, flt: QueueFilter, *, cursor: str | None, size: int, now: datetime | None = None
) -> Page[Case]:
    """One page of the actor's queue. Three queries: the team scope, the page, its tags."""
    cases, sort = _queue_cases(actor, flt, now or timezone.now())
    keyset = BREACH_SORT if sort == "breach" else SORTS[sort]
    cases = cases.select_related("customer", "owner", "team").prefetch_related("tags")
    return keyset.paginate(cases, cursor=cursor, size=size)


def queue_rows(actor: User, flt: QueueFilter, *, now: datetime) -> tuple[QuerySet[Case], Keyset]:
    """Every case of the actor's queue with these filters, unordered, with what a row shows loaded,
    and the keyset that walks them in the queue's order: what an export streams."""
    cases, sort = _queue_cases(actor, flt, now)
    keyset = BREACH_SORT if sort == "breach" else SORTS[sort]
    return cases.select_related("customer", "owner", "team").prefetch_related("tags"), keyset


def queue_count(actor: User, flt: QueueFilter, *, now: datetime) -> int:
    """How many cases the actor's queue holds with these filters (what the tabs and saved views
    show). One count over the same indexes the queue walks; the sort does not change it."""
    cases, _ = _queue_cases(actor, flt, now)
    return cases.count()


def _queue_cases(actor: User, flt: QueueFilter, now: datetime) -> tuple[QuerySet[Case], str]:
    """The actor's cases that pass ``flt``, and the sort that applies (the breaching queue has its own)."""
    cases = policy.visible_cases(actor)
    sort = flt.sort
    if flt.queue == "breaching":
        cases = cases.filter(next_breach_at__lte=now + extensions.breaching_soon_window())
        sort = "breach"
    elif sort == "breach":
        cases = cases.filter(next_breach_at__isnull=False)
    if flt.queue == "mine":
        cases = cases.filter(owner=actor)
    elif flt.queue == "team":
        cases = cases.filter(team_id__in=policy.actor_team_ids(actor))
    elif flt.queue == "unassigned":
        cases = cases.filter(owner__isnull=True)
    if flt.statuses:
        cases = cases.filter(status__in=flt.statuses)
    elif flt.active_only:
        cases = cases.filter(is_active=True)
    for name, value in (
        ("priority", flt.priority),
        ("type", flt.type),
        ("channel", flt.channel),
        ("team_id", flt.team_id),
        ("owner_id", flt.owner_id),
        ("customer_id", flt.customer_id),
    ):
        if value is not None:
            cases = cases.filter(**{name: value})
    if flt.tag:
        cases = cases.filter(tags__name=flt.tag)
    return since(cases, updated_since=flt.updated_since, created_since=flt.created_since), sort


def case_detail(actor: User, reference: str, *, why: str = "") -> tuple[Case, list[Message], list[CaseEvent]]:
    """The case, its messages (with attachments) as the actor may see them, and its timeline."""
    case = policy.access_case(actor, reference, why=why)
    messages = list(policy.visible_messages(actor, case).select_related("author").prefetch_related("attachments"))
    events = list(CaseEvent.objects.filter(case=case).select_related("actor")) if policy.can_see_internal(actor) else []
    journal.resolve_people(events)
    prefetch_related_objects([case], "tags")
    return case, messages, events


def customer_cases(actor: User, customer_id: int, *, limit: int = 20) -> QuerySet[Case]:
    return (
        policy.visible_cases(actor)
        .filter(customer_id=customer_id)
        .select_related("owner", "team")
        .order_by("-created_at", "-id")[:limit]
    )


def customer_other_cases(actor: User, customer_id: int, *, besides: int, limit: int = 20) -> QuerySet[Case]:
    """The customer's other cases for the case page's side panel: reference, subject and status only
    (the page is the desk's most viewed, so it loads no more than it shows)."""
    return (
        policy.visible_cases(actor)
        .filter(customer_id=customer_id)
        .exclude(pk=besides)
        .only("id", "subject", "status", "created_at", "version", "merged_into", "is_active")
        .order_by("-created_at", "-id")[:limit]
    )


MESSAGE_KEYSET = Keyset((("created_at", datetime, False), ("id", int, False)))


def case_messages(
    actor: User, reference: str, *, cursor: str | None, size: int, why: str = ""
) -> tuple[Case, Page[Message]]:
    case = policy.access_case(actor, reference, why=why)
    messages = policy.visible_messages(actor, case).select_related("author").prefetch_related("attachments")
    return case, MESSAGE_KEYSET.paginate(messages, cursor=cursor, size=size)


# --- added for the REST API ---------------------------------------------------------------------

EVENT_KEYSET = Keyset((("at", datetime, False), ("id", int, False)))


def case_timeline(actor: User, reference: str, *, cursor: str | None, size: int, why: str = "") -> Page[CaseEvent]:
    """A page of the case's events, oldest first. Staff only: anyone else gets the same answer as
    for a missing case."""
    if not policy.can_see_internal(actor):
        raise NotFound(policy.NO_CASE)
    case = policy.access_case(actor, reference, why=why)
    events = CaseEvent.objects.filter(case=case).select_related("actor")
    return EVENT_KEYSET.paginate(events, cursor=cursor, size=size)


TAG_FILTER_STAFF_ONLY = "Filtering by tag is for staff."
STAFF_ONLY_FILTER = "Only staff can filter or sort cases by this."
STAFF_ONLY_SORTS = frozenset({"priority", "breach"})


def case_list(actor: User, params: dict[str, str | list[str]], *, cursor: str | None, size: int) -> Page[Case]:
    """The API's list of cases: the queue with its filters. Tags are the desk's own labels, so a
    customer may not filter by them any more than see them."""
    flt = QueueFilter.from_params(params)
    if not policy.can_see_internal(actor):
        _refuse_staff_filters(params)
    return case_queue(actor, flt, cursor=cursor, size=size)


def _refuse_staff_filters(params: dict[str, str | list[str]]) -> None:
    """Customers filter and sort only by what they may see (``policy.CUSTOMER_CASE_FILTERS``): a
    filter on priority, owner or SLA deadlines would tell them what the customer view leaves out."""
    refused = {
        name
        for name, value in params.items()
        if name not in policy.CUSTOMER_CASE_FILTERS and not (name == "queue" and value == "all")
    }
    if params.get("sort") in STAFF_ONLY_SORTS:
        refused.add("sort")
    if refused:
        raise FieldError({name: [TAG_FILTER_STAFF_ONLY if name == "tag" else STAFF_ONLY_FILTER] for name in refused})


def case_assignment(*, team_id: int | None, owner_id: int | None) -> tuple[Team | None, User | None]:
    """The team and owner a new case names by id; an id that matches nothing is a field error.
    (Whether the owner may own cases is the service's rule.)"""
    errors: dict[str, list[str]] = {}
    team = owner = None
    if team_id is not None and (team := Team.objects.filter(pk=team_id).first()) is None:
        errors["team"] = ["Choose a team."]
    if owner_id is not None and (owner := User.objects.filter(pk=owner_id).first()) is None:
        errors["owner"] = ["Choose a member of staff."]
    if errors:
        raise FieldError(errors)
    return team, owner


def case_followed(case: Case, *, hops: int = 10) -> Case:
    """Where a merged case's conversation lives now: the case its pointer leads to (following a
    target merged in turn), or ``case`` itself. Replies by email to a merged case go there."""
    while case.merged_into_id is not None and hops:
        case = Case.objects.select_related("customer").get(pk=case.merged_into_id)
        hops -= 1
    return case


def case_current_reference(actor: User, reference: str) -> str:
    """The reference to write to for ``reference``: the case it was merged into, if it was (and
    the actor may see it), else ``reference`` unchanged (the gate answers for it later)."""
    number = parse_reference(reference)
    for _ in range(10):
        if number is None:
            break
        into = policy.visible_cases(actor).filter(pk=number).values_list("merged_into_id", flat=True).first()
        if into is None:
            break
        number = into
        reference = format_reference(into)
    return reference
