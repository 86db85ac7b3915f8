"""Every write of the SLA engine: starting, pausing, resuming and stopping clocks, and the check
that records warnings and breaches once and escalates by rule (seed 000 / domain.md §3).

The clock changes run inside the case write that caused them (``hooks`` receives the case
signals in that transaction), so a failed write leaves no clock behind. Time is injected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Min, Q

from rapport import extensions
from rapport.accounts.models import Role, User
from rapport.cases import journal
from rapport.cases.models import Case, CaseEvent, Message, MessageKind
from rapport.domain.case_rules import ACTIVE_STATUSES, Channel, Priority, Status
from rapport.domain.references import format_reference
from rapport.domain.sla import (
    Target,
    choose_policy,
    clock_due,
    clock_pause,
    clock_resume,
    clock_retarget,
    clock_warn_at,
    target_text,
)
from rapport.platform import metrics, notify
from rapport.sla.models import Action, Clock, Escalation, EscalationRule, Pause, Policy, Trigger

# Calls and conversations are answered as they happen (cases.services.contact_log).
ANSWERED_IN_PERSON = frozenset({Channel.PHONE, Channel.FACE_TO_FACE})
STOPPED = frozenset({Status.RESOLVED, Status.CLOSED})
# What a policy is chosen by, on the case (the customer's tier and kind are told by extensions).
CHOSEN_BY = frozenset({"priority", "type", "channel"})
RETARGET_BATCH = 500


def _event(case: Case, now: datetime, kind: str, field: str = "", before: str = "", after: str = "") -> journal.Entry:
    return journal.Entry(case, kind, now, None, field, before, after)


def _active_policies() -> list[Policy]:
    return list(Policy.objects.filter(is_active=True).select_related("calendar"))


def policy_for(case: Case, policies: Sequence[Policy] | None = None) -> Policy | None:
    """The policy that applies to ``case`` (one query over the small policy table, unless given)."""
    return choose_policy(
        _active_policies() if policies is None else policies,
        internal=case.customer.is_internal,
        priority=case.priority,
        tier=case.customer.tier,
        channel=case.channel,
        case_type=case.type,
    )


def _schedule(clock: Clock) -> None:
    """Keep ``due_at`` and ``warn_at`` in step with the snapshot (None while paused or stopped)."""
    calendar = clock.policy.calendar.business_calendar()
    snapshot = clock.snapshot()
    clock.due_at = clock_due(calendar, snapshot)
    clock.warn_at = clock_warn_at(calendar, snapshot)


def clock_start(
    *, case: Case, policy: Policy, target: Target, now: datetime, status: str | None = None
) -> Clock | None:
    """Start ``target``'s clock on ``case`` with the policy's time plus any adjustment's extra time
    (Equality Act 2010 s.20: a reasonable adjustment may give the customer's case more time)."""
    clock = _clock_new(case, policy, target, now, status, extensions.extra_target_time(case))
    if clock is not None:
        clock.save()
    return clock


def _clock_new(
    case: Case, policy: Policy, target: Target, now: datetime, status: str | None, extra: timedelta
) -> Clock | None:
    base = policy.target_time(target)
    if base is None:
        return None
    clock = Clock(
        case=case,
        policy=policy,
        target=target,
        target_time=base + extra,
        adjustment=extra,
        warn_percent=policy.warn_percent,
        started_at=now,
        running_since=None if policy.pauses_on(status or case.status) else now,
    )
    _schedule(clock)
    return clock


def _running_or_paused(case: Case) -> list[Clock]:
    return list(Clock.objects.filter(case=case, stopped_at__isnull=True).select_related("policy__calendar"))


def case_next_breach_refresh(case: Case) -> None:
    """The case's soonest due instant among running clocks, for the queue's index."""
    soonest = Clock.objects.filter(case=case, stopped_at__isnull=True, due_at__isnull=False).aggregate(
        at=Min("due_at")
    )["at"]
    if soonest != case.next_breach_at:
        case.next_breach_at = soonest
        Case.objects.filter(pk=case.pk).update(next_breach_at=soonest)


def clocks_on_case_created(*, case: Case, now: datetime, status: str | None = None) -> list[Clock]:
    """A new case starts its first-response and resolution clocks under the matching policy
    (``status``: the case's status then, when it is not its status now)."""
    policy = policy_for(case)
    if policy is None:
        return []
    targets = [Target.RESOLUTION]
    if case.channel not in ANSWERED_IN_PERSON:
        targets.insert(0, Target.FIRST_RESPONSE)
    started = [c for t in targets if (c := clock_start(case=case, policy=policy, target=t, now=now, status=status))]
    case_next_breach_refresh(case)
    return started


def clocks_on_cases_created(cases: Sequence[tuple[Case, datetime]]) -> list[Clock]:
    """``clocks_on_case_created`` for many new cases at once (a mailbox import): the policies read
    once, the clocks written with one insert, the cases' next breach with one update."""
    if not cases:
        return []
    policies = _active_policies()
    clocks: list[Clock] = []
    soonest: dict[int, tuple[Case, datetime | None]] = {}
    for case, now in cases:
        policy = policy_for(case, policies)
        if policy is None:
            continue
        targets = (
            [Target.RESOLUTION] if case.channel in ANSWERED_IN_PERSON else [Target.FIRST_RESPONSE, Target.RESOLUTION]
        )
        extra = extensions.extra_target_time(case)
        started = [c for t in targets if (c := _clock_new(case, policy, t, now, None, extra))]
        clocks += started
        dues = [c.due_at for c in started if c.due_at is not None]
        soonest[case.pk] = (case, min(dues) if dues else None)
    Clock.objects.bulk_create(clocks)
    _next_breach_set(soonest.values())
    return clocks


def _next_breach_set(cases: Iterable[tuple[Case, datetime | None]]) -> None:
    changed = []
    for case, soonest in cases:
        if soonest != case.next_breach_at:
            case.next_breach_at = soonest
            changed.append(case)
    Case.objects.bulk_update(changed, ["next_breach_at"], batch_size=500)


def clocks_on_messages(items: Sequence[tuple[Case, Message, datetime]]) -> None:
    """``clocks_on_message`` for many customers' messages at once, in order (a mailbox import): the
    cases' clocks read with one query instead of one per message."""
    if any(message.kind != MessageKind.INBOUND for _, message, _ in items):
        for case, message, now in items:
            clocks_on_message(case=case, message=message, now=now)
        return
    waiting = [(case, message, now) for case, message, now in items if case.first_response_at is not None]
    found: dict[int, list[Clock]] = {}
    ids = {case.pk for case, _, _ in waiting}
    for clock in Clock.objects.filter(case_id__in=ids, stopped_at__isnull=True).select_related("policy__calendar"):
        found.setdefault(clock.case_id, []).append(clock)
    policies: list[Policy] | None = None
    touched: dict[int, Case] = {}
    for case, _message, now in waiting:
        clocks = found.setdefault(case.pk, [])
        if case.status in STOPPED or any(c.target in {Target.FIRST_RESPONSE, Target.NEXT_RESPONSE} for c in clocks):
            continue
        if clocks:
            policy: Policy | None = clocks[0].policy
        else:
            if policies is None:
                policies = _active_policies()
            policy = policy_for(case, policies)
        if policy is not None and (
            started := clock_start(case=case, policy=policy, target=Target.NEXT_RESPONSE, now=now)
        ):
            clocks.append(started)
            touched[case.pk] = case
    _next_breach_set(
        (case, min((c.due_at for c in found[pk] if c.due_at is not None), default=None)) for pk, case in touched.items()
    )


def clocks_on_message(*, case: Case, message: Message, now: datetime) -> None:
    """A reply to the customer meets the response targets; a customer's message after the first
    response starts the next-response clock (one at a time)."""
    if message.kind == MessageKind.OUTBOUND:
        responded = [c for c in _running_or_paused(case) if c.target in {Target.FIRST_RESPONSE, Target.NEXT_RESPONSE}]
        clocks_stop(responded, now)
    elif message.kind == MessageKind.INBOUND:
        clocks = _running_or_paused(case)
        if any(c.target in {Target.FIRST_RESPONSE, Target.NEXT_RESPONSE} for c in clocks):
            return
        if case.first_response_at is None or case.status in STOPPED:
            return
        policy = clocks[0].policy if clocks else policy_for(case)
        if policy is not None:
            clock_start(case=case, policy=policy, target=Target.NEXT_RESPONSE, now=now)
    else:
        return
    case_next_breach_refresh(case)


def clocks_stop(clocks: Iterable[Clock], now: datetime) -> None:
    """Stop clocks for good (met, or resolved). A target that passed before the check noticed is
    still a breach, recorded here once with the instant it passed."""
    for clock in clocks:
        if clock.due_at is not None and clock.due_at <= now and clock.breached_at is None:
            # Conditional, like the check's own update: whichever records the breach first wins.
            if Clock.objects.filter(pk=clock.pk, breached_at__isnull=True).update(breached_at=clock.due_at):
                journal.record(
                    case=clock.case_id,
                    at=now,
                    kind="sla_breached",
                    field=clock.target,
                    after=clock.due_at.isoformat(),
                )
                metrics.SLA_BREACHES.inc()
            clock.breached_at = clock.due_at
        if clock.running_since is not None:
            calendar = clock.policy.calendar.business_calendar()
            clock.used = clock_pause(calendar, clock.snapshot(), now).used
        clock.running_since = None
        clock.stopped_at = now
        clock.due_at = clock.warn_at = None
        clock.save(update_fields=["used", "running_since", "stopped_at", "due_at", "warn_at"])


def clocks_on_status(*, case: Case, before: str, after: str, now: datetime) -> None:
    """Resolve or close: every clock stops. Reopen: the resolution clock carries on (a new one starts
    when the case had none). Waiting on the customer (a pause status of the policy): running clocks
    pause, and resume when the wait ends."""
    clocks = _running_or_paused(case)
    events: list[journal.Entry] = []
    if after in STOPPED:
        clocks_stop(clocks, now)
        _end_pauses(case, now)
    elif before in STOPPED and after in ACTIVE_STATUSES:
        if not _resolution_resume(case, after, now):
            policy = policy_for(case)
            if policy is not None:
                clock_start(case=case, policy=policy, target=Target.RESOLUTION, now=now)
    else:
        pausing = [c for c in clocks if c.running_since is not None and c.policy.pauses_on(after)]
        resuming = [c for c in clocks if c.running_since is None and not c.policy.pauses_on(after)]
        for clock in pausing:
            clock.used = clock_pause(clock.policy.calendar.business_calendar(), clock.snapshot(), now).used
            clock.running_since = None
            _schedule(clock)
            clock.save(update_fields=["used", "running_since", "due_at", "warn_at"])
        for clock in resuming:
            clock.running_since = clock_resume(clock.snapshot(), now).running_since
            _schedule(clock)
            clock.save(update_fields=["running_since", "due_at", "warn_at"])
        if pausing:
            Pause.objects.create(case=case, status=after, started_at=now)
            events.append(_event(case, now, "sla_paused", after=after.replace("_", " ")))
        if resuming:
            _end_pauses(case, now)
            events.append(_event(case, now, "sla_resumed", before=before.replace("_", " ")))
    journal.record_many(events)
    case_next_breach_refresh(case)


def _end_pauses(case: Case, now: datetime) -> None:
    Pause.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)


def _resolution_resume(case: Case, status: str, now: datetime) -> bool:
    """A re-opened case keeps its resolution clock: full resolution time runs across re-opens, so a
    premature resolve does not reset the promise. The time while resolved does not count (it is a
    pause, "resolved"); a breach already recorded stays. Then the clock is measured against the
    policy the case now matches. False when the case has no resolution clock to resume."""
    clock = (
        Clock.objects.filter(case=case, target=Target.RESOLUTION)
        .select_related("policy__calendar")
        .order_by("-started_at", "-id")
        .first()
    )
    if clock is None or clock.stopped_at is None:
        return False
    resolved_at = clock.stopped_at
    waiting = clock.policy.pauses_on(status)
    clock.stopped_at = None
    clock.running_since = None if waiting else now
    _schedule(clock)
    clock.save(update_fields=["stopped_at", "running_since", "due_at", "warn_at"])
    Pause.objects.bulk_create(
        [
            Pause(case=case, status=Status.RESOLVED, started_at=resolved_at, ended_at=now),
            *([Pause(case=case, status=status, started_at=now)] if waiting else []),
        ]
    )
    journal.record(
        case=case, actor=None, at=now, kind="sla_resumed", field=Target.RESOLUTION, before=Status.RESOLVED.value
    )
    clocks_retarget(case_ids=[case.pk], now=now, reason="re-opened")
    return True


# -- re-targeting ---------------------------------------------------------------------------------


def clocks_on_case_facts(*, case: Case, events: Sequence[CaseEvent], now: datetime) -> int:
    """The case's priority, type or channel changed: its running and paused clocks are measured
    against the policy it now matches. Returns the clocks re-targeted."""
    changed = [e for e in events if e.kind == "changed" and e.field in CHOSEN_BY]
    if not changed:
        return 0
    reason = ", ".join(f"{e.field} {e.after.replace('_', ' ')}" for e in changed)
    found = clocks_retarget(case_ids=[case.pk], now=now, reason=reason)
    if found:
        case_next_breach_refresh(case)  # the caller's copy of the case shows the new instant
    return found


def clocks_retarget(
    *, now: datetime, reason: str, case_ids: Sequence[int] = (), customer_ids: Sequence[int] = ()
) -> int:
    """Measure the running and paused clocks of the given cases (or of the given customers' cases)
    against the policy each case now matches, e.g. after a priority raised by escalation or a
    loyalty tier earned. The business time used stays; the target becomes the policy's plus the
    adjustment the clock was given when it started (Equality Act 2010 s.20); due and warning
    instants and ``Case.next_breach_at`` follow. A breach already recorded stays; a target already
    passed is recorded as breached now, once; a warning sent is not sent again. Each change is a
    case event ("resolution 16 h → 8 h (priority urgent)").

    A clock whose case now matches no policy, or one without that target, keeps its target.
    Bulk, never a query per case: the policies once, then per batch of up to ``RETARGET_BATCH``
    cases or customers one locked read of their open clocks, one insert of the events and bulk
    updates of the clocks and cases (five queries for a batch of a few hundred clocks; the database
    may split a bulk update by its parameter limit). Returns the clocks re-targeted."""
    policies = _active_policies()
    by_case = not customer_ids
    ids = list(case_ids if by_case else customer_ids)
    changed = 0
    for start in range(0, len(ids), RETARGET_BATCH):
        batch = ids[start : start + RETARGET_BATCH]
        scope = Q(case_id__in=batch) if by_case else Q(case__customer_id__in=batch)
        clocks = list(
            Clock.objects.filter(scope, stopped_at__isnull=True)
            .select_related("case__customer", "policy__calendar")
            .select_for_update(of=("self",))
            .order_by("case_id", "id")
        )
        changed += _retarget_batch(clocks, policies, now, reason)
    return changed


def _retarget_batch(clocks: list[Clock], policies: Sequence[Policy], now: datetime, reason: str) -> int:
    events: list[journal.Entry] = []
    moved: list[Clock] = []
    for clock in clocks:
        case = clock.case
        policy = policy_for(case, policies)
        base = policy.target_time(clock.target) if policy is not None else None
        if policy is None or base is None:
            continue
        target_time = base + clock.adjustment
        if (policy.pk, target_time, policy.warn_percent) == (clock.policy_id, clock.target_time, clock.warn_percent):
            continue
        before = clock.target_time
        named = f" under {policy.name}" if policy.pk != clock.policy_id else ""
        found = clock_retarget(
            clock.policy.calendar.business_calendar(),
            clock.snapshot(),
            target=target_time,
            warn_percent=policy.warn_percent,
            at=now,
        )
        clock.policy, clock.target_time, clock.warn_percent = policy, target_time, policy.warn_percent
        clock.used, clock.running_since = found.clock.used, found.clock.running_since
        _schedule(clock)
        events.append(
            _event(
                case,
                now,
                "sla_target",
                clock.target,
                target_text(before),
                f"{target_text(before)} → {target_text(target_time)}{named} ({reason})",
            )
        )
        if found.passed_at is not None:
            if clock.due_at is not None:
                clock.due_at = found.passed_at  # the queue shows when it was breached
            if clock.breached_at is None:
                clock.breached_at = found.passed_at
                events.append(_event(case, now, "sla_breached", clock.target, after=found.passed_at.isoformat()))
                metrics.SLA_BREACHES.inc()
        moved.append(clock)
    if not moved:
        return 0
    Clock.objects.bulk_update(
        moved,
        ["policy", "target_time", "warn_percent", "used", "running_since", "due_at", "warn_at", "breached_at"],
        batch_size=RETARGET_BATCH,
    )
    journal.record_many(events)
    _next_breach_refresh_many(clocks)
    return len(moved)


def _next_breach_refresh_many(clocks: Sequence[Clock]) -> None:
    """``case_next_breach_refresh`` for every case of ``clocks`` (all of each case's open clocks)."""
    soonest: dict[int, datetime | None] = {}
    cases: dict[int, Case] = {}
    for clock in clocks:
        cases[clock.case_id] = clock.case
        current = soonest.get(clock.case_id)
        if clock.due_at is not None and (current is None or clock.due_at < current):
            soonest[clock.case_id] = clock.due_at
        else:
            soonest.setdefault(clock.case_id, None)
    stale = []
    for case_id, at in soonest.items():
        if cases[case_id].next_breach_at != at:
            cases[case_id].next_breach_at = at
            stale.append(cases[case_id])
    Case.objects.bulk_update(stale, ["next_breach_at"], batch_size=RETARGET_BATCH)


def clocks_backfill(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Measure active cases that have no clock yet (opened before any policy existed), as if the
    engine had run all along: start at opening, meet the first response when it was sent, replay
    the status history for pauses. Returns the number of cases measured.

    ``progress(examined, total)`` is called after each case (a long run at scale)."""
    cases = Case.objects.filter(status__in=sorted(ACTIVE_STATUSES)).exclude(sla_clocks__isnull=False)
    total = cases.count() if progress is not None else 0
    measured = 0
    for examined, case in enumerate(cases.select_related("customer").order_by("id").iterator(chunk_size=500), 1):
        measured += _backfill_case(case)
        if progress is not None:
            progress(examined, total)
    return measured


def _backfill_case(case: Case) -> bool:
    with transaction.atomic():
        moves = list(CaseEvent.objects.filter(case=case, kind="changed", field="status").order_by("at", "id"))
        opened_as = moves[0].before if moves else case.status
        if not clocks_on_case_created(case=case, now=case.created_at, status=opened_as):
            return False
        if case.first_response_at is not None:
            first = Clock.objects.filter(case=case, target=Target.FIRST_RESPONSE, stopped_at__isnull=True)
            clocks_stop(first.select_related("policy__calendar"), case.first_response_at)
        for move in moves:
            clocks_on_status(case=case, before=move.before, after=move.after, now=move.at)
        case_next_breach_refresh(case)
    return True


# -- the periodic check ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    warnings: int = 0
    breaches: int = 0
    escalations: int = 0


def sla_check(*, now: datetime, batch: int = 500) -> CheckResult:
    """Record each clock's warning and breach once, then apply every escalation rule once per
    clock. Safe to run twice, or on two workers at once: each record is a conditional update or a
    unique row, and only the run that wins it writes the case event and acts."""
    warnings = _record(now, batch, due="warn_at", done="warned_at", kind="sla_warning")
    breaches = _record(now, batch, due="due_at", done="breached_at", kind="sla_breached")
    metrics.SLA_BREACHES.inc(breaches)
    escalations = sum(_escalate(rule, now, batch) for rule in EscalationRule.objects.filter(is_active=True))
    return CheckResult(warnings=warnings, breaches=breaches, escalations=escalations)


def _record(now: datetime, batch: int, *, due: str, done: str, kind: str) -> int:
    pending = Clock.objects.filter(
        Q(**{f"{due}__lte": now, f"{done}__isnull": True}), stopped_at__isnull=True
    ).select_related("case")[:batch]
    recorded = 0
    for clock in pending:
        when = getattr(clock, due)
        with transaction.atomic():
            recorded_now = Clock.objects.filter(pk=clock.pk, stopped_at__isnull=True, **{f"{done}__isnull": True})
            if not recorded_now.update(**{done: when}):
                continue  # another run recorded it first
            journal.record(
                case=clock.case,
                actor=None,
                at=now,
                kind=kind,
                field=clock.target,
                after=when.isoformat(),
            )
        recorded += 1
    return recorded


def _escalate(rule: EscalationRule, now: datetime, batch: int) -> int:
    reached = Q(warned_at__isnull=False) if rule.trigger == Trigger.WARNING else Q(breached_at__isnull=False)
    clocks = Clock.objects.filter(reached, stopped_at__isnull=True).exclude(escalations__rule=rule)
    if rule.policy_id is not None:
        clocks = clocks.filter(policy_id=rule.policy_id)
    if rule.target:
        clocks = clocks.filter(target=rule.target)
    applied = 0
    for clock in clocks.select_related("case__team", "case__owner", "case__customer")[:batch]:
        with transaction.atomic():
            escalation, created = Escalation.objects.get_or_create(rule=rule, clock=clock, defaults={"at": now})
            if not created:
                continue
            case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("team", "owner", "customer")
                .get(pk=clock.case_id)
            )
            outcome = _act(rule, case, clock, now)
            escalation.outcome = outcome[:200]
            escalation.save(update_fields=["outcome"])
            journal.record(
                case=case, actor=None, at=now, kind="escalated", field=clock.target, after=f"{rule.name}: {outcome}"
            )
        applied += 1
    return applied


def _act(rule: EscalationRule, case: Case, clock: Clock, now: datetime) -> str:
    what = f"{clock.get_target_display()} on {case.reference} ({case.subject})"
    if rule.action == Action.RAISE_PRIORITY:
        if case.priority >= Priority.URGENT:
            return "priority already urgent"
        before, after = Priority(case.priority), Priority(case.priority + 1)
        Case.objects.filter(pk=case.pk).update(priority=int(after), version=F("version") + 1, updated_at=now)
        journal.record(
            case=case, actor=None, at=now, kind="changed", field="priority", before=before.label, after=after.label
        )
        clocks_retarget(case_ids=[case.pk], now=now, reason=f"priority {after.label}")
        return f"priority raised from {before.label} to {after.label}"
    if rule.action == Action.REASSIGN:
        team = rule.reassign_to
        if team is None or team.pk == case.team_id:
            return "already with that team" if team else "no team to reassign to"
        journal.record_many(
            [
                _event(case, now, "changed", "team", str(case.team or ""), str(team)),
                *([_event(case, now, "changed", "owner", journal.person(case.owner), "")] if case.owner else []),
            ]
        )
        Case.objects.filter(pk=case.pk).update(team=team, owner=None, version=F("version") + 1, updated_at=now)
        return f"reassigned to {team}"
    if rule.action == Action.NOTIFY_TEAM_LEADER:
        people = _staff(Role.TEAM_LEADER, team_id=case.team_id)
        return _notify(people, f"SLA {rule.get_trigger_display().lower()}: {what}", case, clock) or (
            "no team leader to notify"
        )
    people = _staff(Role.MANAGER)
    return _notify(people, f"SLA {rule.get_trigger_display().lower()}: {what}", case, clock) or "no manager to notify"


def _staff(role: str, *, team_id: int | None = None) -> list[User]:
    users = User.objects.filter(role=role, is_active=True).exclude(email="")
    if role == Role.TEAM_LEADER:
        if team_id is None:
            return []
        users = users.filter(teams=team_id)
    return list(users.order_by("id"))


def _notify(people: Sequence[User], subject: str, case: Case, clock: Clock) -> str:
    if not people:
        return ""
    addresses = [p.email for p in people]
    due = f"due {clock.due_at:%d %b %Y %H:%M} UTC" if clock.due_at else "paused"
    text = f"{subject}\n\nTarget: {clock.get_target_display()}, {due}.\nCase: /cases/{case.reference}/\n"
    transaction.on_commit(lambda: notify.email_send(to=addresses, subject=subject[:200], text=text))
    return "notified " + ", ".join(str(p) for p in people)


# -- merge and split (cases.merging, cases.splitting) ---------------------------------------------


def clocks_on_merge(*, target: Case, sources: Sequence[Case], now: datetime) -> int:
    """Cases merged into ``target``: one clock per target (first response, next response,
    resolution) carries on there, the one that started earliest (the customer has waited since
    then). A superseded clock that already breached stays on its case with its breach recorded,
    stopped; one that had not is removed (it measured the same wait). The kept clocks pause or run
    as the target's status says. Returns how many clocks moved to the target."""
    ids = [target.pk, *(s.pk for s in sources)]
    open_clocks = list(
        Clock.objects.filter(case_id__in=ids, stopped_at__isnull=True)
        .select_related("policy__calendar")
        .order_by("started_at", "id")
    )
    kept: dict[str, Clock] = {}
    for clock in open_clocks:
        kept.setdefault(clock.target, clock)
    moved = 0
    superseded = [c for c in open_clocks if kept[c.target] is not c]
    for clock in superseded:
        if clock.breached_at is not None:
            if clock.running_since is not None:
                clock.used = clock_pause(clock.policy.calendar.business_calendar(), clock.snapshot(), now).used
            clock.running_since = None
            clock.stopped_at = now
            clock.due_at = clock.warn_at = None
            clock.save(update_fields=["used", "running_since", "stopped_at", "due_at", "warn_at"])
        else:
            clock.delete()
    events: list[journal.Entry] = []
    for clock in kept.values():
        if clock.case_id != target.pk:
            events.append(
                _event(target, now, "sla_target", clock.target, after=f"kept from {format_reference(clock.case_id)}")
            )
            clock.case = target
            moved += 1
        waiting = clock.policy.pauses_on(target.status)
        if waiting and clock.running_since is not None:
            clock.used = clock_pause(clock.policy.calendar.business_calendar(), clock.snapshot(), now).used
            clock.running_since = None
        elif not waiting and clock.running_since is None:
            clock.running_since = clock_resume(clock.snapshot(), now).running_since
        _schedule(clock)
        clock.save(update_fields=["case", "used", "running_since", "due_at", "warn_at"])
    Pause.objects.filter(case_id__in=[s.pk for s in sources], ended_at__isnull=True).update(ended_at=now)
    journal.record_many(events)
    case_next_breach_refresh(target)
    return moved


def clocks_on_split(*, case: Case, message: Message) -> list[Clock]:
    """A case split off another starts its clocks from the split message's time, as if it had
    arrived on its own then (the customer has been waiting since)."""
    return clocks_on_case_created(case=case, now=message.created_at)
