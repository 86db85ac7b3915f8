"""Promises to customers (seed 003 "setting realistic expectations, communicating clearly"): made
when a case's first-response clock starts, kept or missed, and revised before they break.

- **Made** with the first-response clock's due instant (business time, the policy's calendar):
  the acknowledgement and the portal say it in words (``rapport.platform.promises``).
- **Kept** when the first reply reaches the customer by the promised instant, **missed** when it
  does not (the promise job decides those whose instant passed).
- **At risk** ``AT_RISK_WITHIN`` before the instant with no reply: the job proposes a new time
  from the SLA (the policy's target counted again from now) and asks the case owner to set or
  confirm it on the case page. When the owner confirms, the customer is told the new time before
  the old one passes. If nobody has acted ``LAST_CALL`` before the instant, the job tells the
  customer the SLA's proposed time itself: a customer is never left to find a promise broken.

Every change is a case event (``promise_made``, ``promise_at_risk``, ``promise_revised``,
``promise_kept``, ``promise_missed``). "Promises kept" is the share of decided promises that were
kept; a promise revised in time is not decided: the promise that replaced it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery

from rapport import extensions
from rapport.access import NO_CASE, access_case
from rapport.accounts.models import Role, User
from rapport.cases import journal
from rapport.cases.models import Case
from rapport.domain.promises import promise_outcome, proposed_due
from rapport.domain.sla import Target
from rapport.platform import notify
from rapport.platform import promises as wording
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.sla import access as sla_access
from rapport.sla.models import Clock, Promise, PromiseState

AT_RISK_WITHIN = timedelta(hours=2)
"""How long before a promised instant with no reply the owner is asked for a new time."""
LAST_CALL = timedelta(minutes=30)
"""How long before the instant the job tells the customer the proposed time if nobody has."""
LATEST_REVISION = timedelta(days=60)
"""A new time further ahead than this is refused as a slip of the keyboard."""
BATCH = 500
UNCONFIRMED = "Nobody set a new time before the last call: the time proposed from the SLA was sent."


def _entry(promise: Promise, kind: str, at: datetime, actor: User | None = None, before: str = "") -> journal.Entry:
    return journal.Entry(promise.case_id, kind, at, actor, "", before, promise.due_at.isoformat())


def promises_make(clocks: Sequence[Clock], now: datetime) -> list[Promise]:
    """A promise for each running first-response clock among ``clocks`` (one insert, one journal
    insert, whatever their number)."""
    made = [
        Promise(case_id=c.case_id, made_at=now, due_at=c.due_at)
        for c in clocks
        if c.target == Target.FIRST_RESPONSE and c.due_at is not None
    ]
    if made:
        Promise.objects.bulk_create(made)
        journal.record_many([_entry(p, "promise_made", now) for p in made], ids=False)
    return made


def promises_on_reply(case: Case, now: datetime) -> None:
    """A reply reached the customer: the case's open promise is kept, or missed if it is late."""
    for promise in Promise.objects.filter(case=case, state=PromiseState.OPEN):
        _decide(promise, now, now)


def _decide(promise: Promise, answered_at: datetime | None, now: datetime) -> bool:
    """Kept when answered by the promised instant; missed when answered late or not at all."""
    state = PromiseState.KEPT if promise_outcome(promise.due_at, answered_at) else PromiseState.MISSED
    if not Promise.objects.filter(pk=promise.pk, state=PromiseState.OPEN).update(state=state, decided_at=now):
        return False  # decided already (another worker, or the reply beat the job)
    promise.state, promise.decided_at = state, now
    journal.record_many([_entry(promise, f"promise_{state}", now)])
    return True


def promises_on_merge(target: Case, sources: Sequence[Case]) -> int:
    """Cases merged into ``target``: their open promises move with their messages (the customer
    was told them and is answered on the target now), so the target's first reply decides them."""
    return Promise.objects.filter(case__in=[s.pk for s in sources], state=PromiseState.OPEN).update(case=target)


def _answered_at(promise: Promise) -> datetime | None:
    """When the customer had an answer after the promise was made: the first reply, or the case
    resolved or closed (a call back that settled it is an answer too)."""
    case = promise.case
    moments = [m for m in (case.first_response_at, case.resolved_at, case.closed_at) if m and m >= promise.made_at]
    return min(moments, default=None)


def _open() -> Q:
    return Q(state=PromiseState.OPEN)


def promises_check(*, now: datetime, batch: int = BATCH) -> dict[str, int]:
    """The promise job: decide the promises whose instant passed, flag those about to be missed
    (proposing a new time and asking the owner), and tell the customer at the last call. Safe to
    run twice: every step is a conditional update."""
    counts = {"decided": 0, "at_risk": 0, "told": 0}
    passed = Promise.objects.filter(_open(), due_at__lte=now).select_related("case")[:batch]
    for promise in passed:
        with transaction.atomic():
            counts["decided"] += _decide(promise, _answered_at(promise), now)
    soon = Promise.objects.filter(_open(), at_risk_at__isnull=True, due_at__gt=now, due_at__lte=now + AT_RISK_WITHIN)
    for promise in soon.select_related("case__owner")[:batch]:
        with transaction.atomic():
            counts["at_risk"] += _flag(promise, now)
    last = Promise.objects.filter(_open(), at_risk_at__isnull=False, due_at__gt=now, due_at__lte=now + LAST_CALL)
    for promise in last.select_related("case__customer")[:batch]:
        if promise.proposed_due is None:
            continue
        try:
            promise_revise_now(
                promise, due=promise.proposed_due, actor=None, now=now, proposed=True, reason=UNCONFIRMED
            )
        except FieldError:
            continue
        counts["told"] += 1
    return counts


def proposed_due_for(promise: Promise, now: datetime) -> datetime:
    """The new time the SLA proposes for ``promise`` at ``now``: its first-response target
    counted again from now in the policy's business calendar."""
    return _proposal(promise, now)


def _proposal(promise: Promise, now: datetime) -> datetime:
    clock = (
        Clock.objects.filter(case_id=promise.case_id, target=Target.FIRST_RESPONSE)
        .select_related("policy__calendar")
        .order_by("-started_at")
        .first()
    )
    if clock is None:
        return now + (promise.due_at - promise.made_at)
    calendar = clock.policy.calendar.business_calendar()
    return proposed_due(calendar, now, clock.target_time)


def _flag(promise: Promise, now: datetime) -> int:
    proposal = _proposal(promise, now)
    if not Promise.objects.filter(pk=promise.pk, state=PromiseState.OPEN, at_risk_at__isnull=True).update(
        at_risk_at=now, proposed_due=proposal
    ):
        return 0
    promise.at_risk_at, promise.proposed_due = now, proposal
    journal.record_many([journal.Entry(promise.case_id, "promise_at_risk", now, None, "", "", proposal.isoformat())])
    case = promise.case
    people = [case.owner] if case.owner and case.owner.email and case.owner.is_active else _leaders(case)
    if people:
        addresses = [p.email for p in people]
        subject = f"Promise about to be missed on {case.reference}: set a new time"
        text = (
            f"We promised the customer a reply on {case.reference} ({case.subject}) by "
            f"{promise.due_at:%H:%M on %d %b %Y} UTC and no reply has gone yet.\n\n"
            f"The SLA proposes {proposal:%H:%M on %d %b %Y} UTC. Set or confirm the new time on the case page, "
            f"and the customer is told before the promise is missed: /cases/{case.reference}/\n"
        )
        transaction.on_commit(lambda: notify.email_send(to=addresses, subject=subject[:200], text=text))
    return 1


def _leaders(case: Case) -> list[User]:
    users = User.objects.filter(role=Role.TEAM_LEADER, is_active=True).exclude(email="")
    if case.team_id is None:
        return []
    return list(users.filter(teams=case.team_id).order_by("id"))


def promise_revise(
    *, actor: User, reference: str, due: datetime | None, proposed: bool, reason: str, now: datetime
) -> Promise:
    """The case owner sets a new time for the case's open promise (``proposed``: the SLA's proposal,
    confirmed); the customer is told at once. Refused for a time not ahead of now or of the old
    promise, or more than ``LATEST_REVISION`` ahead."""
    if not sla_access.can_view_case_sla(actor):
        raise NotFound(NO_CASE)  # customers see no SLA, not even that there is one
    case = access_case(actor, reference, why="revise a promise")
    if not sla_access.can_revise_promise(actor, case):
        raise Forbidden("Only the case owner, a team leader or a manager may set a new time.")
    with transaction.atomic():
        promise = Promise.objects.select_for_update().filter(case=case, state=PromiseState.OPEN).last()
        if promise is None:
            raise FieldError(due="There is no open promise on this case to revise.")
        promise.case = case
        if proposed:
            if promise.proposed_due is None:
                promise.proposed_due = _proposal(promise, now)
            due = promise.proposed_due
        if due is None:
            raise FieldError(due="Give the new time, or confirm the time proposed.")
        return promise_revise_now(promise, due=due, actor=actor, now=now, proposed=proposed, reason=reason)


def promise_revise_now(
    promise: Promise, *, due: datetime, actor: User | None, now: datetime, proposed: bool, reason: str
) -> Promise:
    if due <= now:
        raise FieldError(due="The new time must be in the future.")
    if due <= promise.due_at:
        raise FieldError(due="The new time must be later than the time promised.")
    if due > now + LATEST_REVISION:
        raise FieldError(due="The new time must be within 60 days.")
    with transaction.atomic():
        if not Promise.objects.filter(pk=promise.pk, state=PromiseState.OPEN).update(
            state=PromiseState.REVISED, decided_at=now
        ):
            raise FieldError(due="This promise was decided or revised meanwhile; reload the case.")
        new = Promise.objects.create(
            case_id=promise.case_id,
            made_at=now,
            due_at=due,
            revises=promise,
            set_by=actor,
            proposed=proposed,
            reason=reason.strip()[:300],
        )
        journal.record_many([_entry(new, "promise_revised", now, actor, promise.due_at.isoformat())])
        _tell_customer(promise.case, new)
    return new


def _tell_customer(case: Case, promise: Promise) -> None:
    customer = case.customer
    if not customer.email or not extensions.contact_permitted(customer, "service", "email"):
        return  # the portal shows the new time on the case
    zone = _zone(case)
    text = f"{wording.revised_promise(promise.due_at, zone)}\n\n{case.reference}: {case.subject}\n"
    subject = f"{case.subject} [{case.reference}]"
    headers = {"Auto-Submitted": "auto-generated"}
    to = [customer.email]
    transaction.on_commit(lambda: notify.email_send(to=to, subject=subject[:200], text=text, headers=headers))


def _zone(case: Case) -> ZoneInfo:
    if extensions.case_calendars:
        source = extensions.case_calendars[0]()
        found = source.for_cases([case.pk]).get(case.pk) or source.default
        if found is not None:
            return found.zone
    return ZoneInfo("Europe/London")


# -- reads -----------------------------------------------------------------------------------------


def open_promises(case_ids: Sequence[int]) -> dict[int, Promise]:
    """The open promise of each case, with ``zone``: the time zone of the calendar its first clock
    counts in (one query; a customer reads the time on the organisation's clock)."""
    zone = Subquery(
        Clock.objects.filter(case_id=OuterRef("case_id"))
        .order_by("started_at", "id")
        .values("policy__calendar__tz")[:1]
    )
    found: dict[int, Promise] = {}
    rows = Promise.objects.filter(_open(), case_id__in=list(case_ids)).annotate(zone=zone).order_by("made_at", "id")
    for promise in rows:
        found[promise.case_id] = promise
    return found


def promise_sample(scope: extensions.KpiScope) -> extensions.KpiSample:
    """Promises decided in the period on the scope's cases (kept or missed), and those kept."""
    found = Promise.objects.filter(
        scope.cases("case__"),
        decided_at__gte=scope.start,
        decided_at__lt=scope.end,
        state__in=[PromiseState.KEPT, PromiseState.MISSED],
    ).aggregate(n=Count("pk"), kept=Count("pk", filter=Q(state=PromiseState.KEPT)))
    return extensions.KpiSample(found["n"], found["kept"])


def missed_promise_cases(scope: extensions.KpiScope, limit: int) -> list[int]:
    rows = Promise.objects.filter(
        scope.cases("case__"), decided_at__gte=scope.start, decided_at__lt=scope.end, state=PromiseState.MISSED
    ).order_by("-decided_at")
    return list(rows.values_list("case_id", flat=True)[:limit])


PROMISES_KEPT = extensions.KpiSource(
    "Promises kept",
    lambda scope: 100 * s.total / s.n if (s := promise_sample(scope)).n else None,
    sample=promise_sample,
    definition="Share of promises to reply by a stated time, decided in the period, that were kept.",
    formula="100 x kept / (kept + missed); a promise revised before it was due counts as the promise that replaced it",
    source="SLA promises: made from the first-response target in business time (docs/improvement.md, Promises)",
    behind=missed_promise_cases,
)
