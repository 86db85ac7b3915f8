"""Writes for service plans: the plan and its sections, contingencies, systems declared down, and
the check that watches every contingency's trigger (ADR 0020).

Every change to a plan saves a ``PlanVersion`` (who, when, what changed, the whole document) in
the same transaction and moves the plan's ``version`` on; a change made against an older version
is refused with ``Conflict``. The check records a ``Firing`` once per episode of a trigger holding
(a partial unique index keeps one open per contingency, however many checks run at once), tells
the plan's owner once, and closes the firing when a later check measures that the condition ended.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from rapport import extensions
from rapport.accounts.models import STAFF_ROLES, Team, User
from rapport.cases.models import Case
from rapport.domain import contingencies as rules
from rapport.domain.case_rules import Channel
from rapport.plans import access as policy
from rapport.plans import sections as parts
from rapport.plans.models import Contingency, Firing, Outage, Plan, PlanStatus, PlanVersion, Response
from rapport.platform import jobs
from rapport.platform import notify as outbox
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound

log = logging.getLogger(__name__)

MAY_NOT_WRITE = "Only managers may change service plans."
STALE = "Someone changed this plan since you opened it: reload it and make your change again."
NO_TEAM = "No team with that id."
NO_OWNER = "The owner must be an active member of staff."
PERIOD = "The plan must end on or after the day it starts."
PERIOD_LONG = "A plan covers at most two years."
NO_ITEM = "No item at that position in this section."
NO_CONTINGENCY = "No contingency with that id on this plan."
NO_OUTAGE = "No system is declared down with that id."
NO_RESPONSE = "Choose at least one planned response."
BAD_RESPONSE = "{value!r} is not one of the planned responses."
BAD_TRIGGER = "{value!r} is not one of the triggers."
TITLE_NEEDED = "Give the plan a title."
SYSTEM_NEEDED = "Name the system that is down."
BUDGET_RANGE = "A budget from £0 to £100,000,000."
CONTACTS_RANGE = "Contacts per week from 0 to 10,000,000."
TOO_LONG = "At most {n} characters."
SLA_WINDOW = timedelta(days=7)
FIRED_KEY = "plans:fired-by-owner"
FIRED_SECONDS = 2 * 60 * 60  # the check republishes every 15 minutes; stale at worst by two hours
PLAN_FIELDS = (
    "title", "team", "owner", "starts_on", "ends_on", "status", "summary", "planned_weekly_contacts", "budget_pence",
)  # fmt: skip


def _require_writer(actor: User) -> None:
    if not policy.can_write_plans(actor):
        raise Forbidden(MAY_NOT_WRITE)


def document(plan: Plan, contingencies: Iterable[Contingency] | None = None) -> dict[str, Any]:
    """The whole plan as plain values: what a version keeps and the API returns as history."""
    found = list(contingencies) if contingencies is not None else list(plan.contingencies.all())
    return {
        "title": plan.title,
        "team_id": plan.team_id,
        "owner_id": plan.owner_id,
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "status": plan.status,
        "summary": plan.summary,
        "planned_weekly_contacts": plan.planned_weekly_contacts,
        "budget_pence": plan.budget_pence,
        "sections": plan.sections,
        "contingencies": [
            {
                "id": c.pk,
                "name": c.name,
                "trigger": c.trigger,
                "threshold": str(c.threshold) if c.threshold is not None else None,
                "intervals": c.intervals,
                "system": c.system,
                "responses": c.responses,
                "response_detail": c.response_detail,
                "active": c.active,
            }
            for c in found
        ],
    }


def _save_version(plan: Plan, *, actor: User | None, now: datetime, change: str, new: bool = False) -> None:
    if not new:
        plan.version += 1
    plan.updated_at = now
    plan.save()
    PlanVersion.objects.create(
        plan=plan, number=plan.version, actor=actor, at=now, change=change[:300], document=document(plan)
    )


# --- the plan ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanFields:
    """What a person or client may set on a plan; ``None`` in a patch: unchanged."""

    title: str
    team_id: int | None
    owner_id: int
    starts_on: date
    ends_on: date
    status: str = PlanStatus.DRAFT
    summary: str = ""
    planned_weekly_contacts: int | None = None
    budget_pence: int | None = None


def _check_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The plan's fields checked; ``FieldError`` names every bad one."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    if "title" in values:
        title = str(values["title"] or "").strip()
        if not title:
            errors["title"] = [TITLE_NEEDED]
        elif len(title) > 200:
            errors["title"] = [TOO_LONG.format(n=200)]
        out["title"] = title
    if "summary" in values:
        summary = str(values["summary"] or "").strip()
        if len(summary) > 5000:
            errors["summary"] = [TOO_LONG.format(n=5000)]
        out["summary"] = summary
    if "team_id" in values:
        team_id = values["team_id"]
        team = Team.objects.filter(pk=team_id).first() if team_id is not None and 0 < team_id < 2**63 else None
        if team_id is not None and team is None:
            errors["team_id"] = [NO_TEAM]
        out["team"] = team
    if "owner_id" in values:
        owner_id = values["owner_id"]
        owner = (
            User.objects.filter(pk=owner_id, is_active=True, role__in=STAFF_ROLES).first()
            if isinstance(owner_id, int) and 0 < owner_id < 2**63
            else None
        )
        if owner is None:
            errors["owner_id"] = [NO_OWNER]
        out["owner"] = owner
    if "status" in values:
        if values["status"] not in PlanStatus.values:
            errors["status"] = [parts.NOT_A_CHOICE.format(value=str(values["status"])[:40])]
        out["status"] = values["status"]
    if "planned_weekly_contacts" in values:
        contacts = values["planned_weekly_contacts"]
        if contacts is not None and not 0 <= contacts <= 10_000_000:
            errors["planned_weekly_contacts"] = [CONTACTS_RANGE]
        out["planned_weekly_contacts"] = contacts
    if "budget_pence" in values:
        budget = values["budget_pence"]
        if budget is not None and not 0 <= budget <= 10_000_000_000:
            errors["budget_pence"] = [BUDGET_RANGE]
        out["budget_pence"] = budget
    for name in ("starts_on", "ends_on"):
        if name in values:
            out[name] = values[name]
    if errors:
        raise FieldError(errors)
    return out


def _check_period(plan: Plan) -> None:
    if plan.ends_on < plan.starts_on:
        raise FieldError(ends_on=PERIOD)
    if (plan.ends_on - plan.starts_on).days > 731:
        raise FieldError(ends_on=PERIOD_LONG)


def plan_create(*, actor: User, fields: PlanFields, sections: Mapping[str, Any] | None = None, now: datetime) -> Plan:
    """A new plan (version 1), its sections checked item by item."""
    _require_writer(actor)
    values = _check_fields(
        {name: getattr(fields, name) for name in ("title", "summary", "team_id", "owner_id", "status")}
        | {
            "planned_weekly_contacts": fields.planned_weekly_contacts,
            "budget_pence": fields.budget_pence,
            "starts_on": fields.starts_on,
            "ends_on": fields.ends_on,
        }
    )
    empty: dict[str, list[dict[str, Any]]] = {key: [] for key in parts.SECTIONS}
    cleaned = empty | parts.sections_clean(sections or {})
    plan = Plan(**values, sections=cleaned, created_at=now, updated_at=now)
    _check_period(plan)
    with transaction.atomic():
        _save_version(plan, actor=actor, now=now, change="Plan created", new=True)
    return plan


def plan_update(*, actor: User, plan_id: int, version: int | None, changes: Mapping[str, Any], now: datetime) -> Plan:
    """Change the plan's own fields and/or replace whole sections; one new version."""
    _require_writer(actor)
    sections = changes.get("sections")
    values = _check_fields({k: v for k, v in changes.items() if k != "sections"})
    cleaned = parts.sections_clean(sections) if sections is not None else {}
    with transaction.atomic():
        plan = policy.access_plan(actor, plan_id, for_update=True)
        if version is not None and version != plan.version:
            raise Conflict(STALE, current={"version": plan.version})
        changed = [name for name, value in values.items() if getattr(plan, name) != value]
        for name, value in values.items():
            setattr(plan, name, value)
        _check_period(plan)
        moved = [key for key, items in cleaned.items() if plan.sections.get(key) != items]
        plan.sections = {**plan.sections, **cleaned}
        if not changed and not moved:
            return plan
        what = [name.replace("_", " ") for name in changed] + [parts.SECTIONS[key].title.lower() for key in moved]
        _save_version(plan, actor=actor, now=now, change="Changed: " + ", ".join(what))
        if "status" in changed or "owner" in changed:
            transaction.on_commit(fired_publish)
    return plan


def plan_item_add(*, actor: User, plan_id: int, section: str, raw: Mapping[str, Any], now: datetime) -> Plan:
    """Add one item to a section (an objective, a milestone …)."""
    _require_writer(actor)
    item = parts.item_clean(section, raw)
    with transaction.atomic():
        plan = policy.access_plan(actor, plan_id, for_update=True)
        items = list(plan.sections.get(section, []))
        if len(items) >= parts.MAX_ITEMS:
            raise FieldError(section=parts.TOO_MANY)
        plan.sections = {**plan.sections, section: [*items, item]}
        spec = parts.SECTIONS[section]
        _save_version(plan, actor=actor, now=now, change=f"Added {spec.item}: {_headline(spec, item)}")
    return plan


def plan_item_remove(*, actor: User, plan_id: int, section: str, index: int, version: int, now: datetime) -> Plan:
    """Remove the item at ``index`` of a section, as the actor saw it at ``version``."""
    _require_writer(actor)
    spec = parts.SECTIONS.get(section)
    if spec is None:
        raise FieldError(section=parts.NO_SECTION)
    with transaction.atomic():
        plan = policy.access_plan(actor, plan_id, for_update=True)
        if version != plan.version:
            raise Conflict(STALE, current={"version": plan.version})
        items = list(plan.sections.get(section, []))
        if not 0 <= index < len(items):
            raise FieldError(index=NO_ITEM)
        item = items.pop(index)
        plan.sections = {**plan.sections, section: items}
        _save_version(plan, actor=actor, now=now, change=f"Removed {spec.item}: {_headline(spec, item)}")
    return plan


def _headline(spec: parts.SectionSpec, item: Mapping[str, Any]) -> str:
    first = spec.fields[0]
    return parts.label_of(first, item.get(first.name))[:120]


# --- contingencies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContingencyFields:
    name: str
    trigger: str
    threshold: Decimal | None = None
    intervals: int | None = None
    system: str = ""
    responses: Sequence[str] = ()
    response_detail: str = ""


def _check_contingency(fields: ContingencyFields) -> rules.Trigger:
    errors: dict[str, list[str]] = {}
    if not fields.name.strip():
        errors["name"] = [parts.REQUIRED]
    elif len(fields.name) > 120:
        errors["name"] = [TOO_LONG.format(n=120)]
    if len(fields.system) > 80:
        errors["system"] = [TOO_LONG.format(n=80)]
    if len(fields.response_detail) > 2000:
        errors["response_detail"] = [TOO_LONG.format(n=2000)]
    if not fields.responses:
        errors["responses"] = [NO_RESPONSE]
    for value in fields.responses:
        if value not in Response.values:
            errors["responses"] = [BAD_RESPONSE.format(value=str(value)[:40])]
    if fields.trigger not in set(rules.TriggerKind):
        errors["trigger"] = [BAD_TRIGGER.format(value=str(fields.trigger)[:40])]
        raise FieldError(errors)
    if fields.threshold is not None and not fields.threshold.is_finite():
        errors["threshold"] = [parts.NOT_A_NUMBER]
        raise FieldError(errors)
    trigger = _trigger(fields.trigger, fields.threshold, fields.intervals, fields.system)
    for name, message in rules.check_trigger(trigger).items():
        errors.setdefault(name, []).append(message)
    if errors:
        raise FieldError(errors)
    return trigger


def _trigger(kind: str, threshold: Decimal | None, intervals: int | None, system: str) -> rules.Trigger:
    return rules.Trigger(
        rules.TriggerKind(kind), float(threshold) if threshold is not None else None, intervals, system.strip()
    )


def contingency_add(*, actor: User, plan_id: int, fields: ContingencyFields, now: datetime) -> Contingency:
    """Add a contingency: a trigger to watch and the responses planned for when it fires."""
    _require_writer(actor)
    _check_contingency(fields)
    with transaction.atomic():
        plan = policy.access_plan(actor, plan_id, for_update=True)
        found = Contingency.objects.create(
            plan=plan,
            name=fields.name.strip(),
            trigger=fields.trigger,
            threshold=fields.threshold if fields.trigger != rules.TriggerKind.UNDERSTAFFED else None,
            intervals=fields.intervals if fields.trigger == rules.TriggerKind.UNDERSTAFFED else None,
            system=fields.system.strip() if fields.trigger == rules.TriggerKind.SYSTEM_DOWN else "",
            responses=sorted(set(fields.responses)),
            response_detail=fields.response_detail.strip(),
        )
        _save_version(plan, actor=actor, now=now, change=f"Added contingency: {found.name}")
    return found


def contingency_set_active(
    *, actor: User, plan_id: int, contingency_id: int, active: bool, now: datetime
) -> Contingency:
    """Stop watching a contingency (its open firing ends) or watch it again."""
    _require_writer(actor)
    with transaction.atomic():
        plan = policy.access_plan(actor, plan_id, for_update=True)
        found = Contingency.objects.filter(plan=plan, pk=contingency_id).first() if 0 < contingency_id < 2**63 else None
        if found is None:
            raise NotFound(NO_CONTINGENCY)
        if found.active == active:
            return found
        found.active = active
        found.save(update_fields=["active"])
        if not active:
            _end_firings(found, now=now, reason="No longer watched.")
            transaction.on_commit(fired_publish)
        _save_version(
            plan,
            actor=actor,
            now=now,
            change=f"{'Resumed' if active else 'Stopped'} watching contingency: {found.name}",
        )
    return found


# --- systems declared down --------------------------------------------------------------------------


def outage_declare(*, actor: User, system: str, note: str = "", now: datetime) -> Outage:
    """A manager declares a system down; every contingency watching for it fires at the next check."""
    _require_writer(actor)
    system, note = system.strip(), note.strip()
    if not system:
        raise FieldError(system=SYSTEM_NEEDED)
    if len(system) > 80:
        raise FieldError(system=TOO_LONG.format(n=80))
    if len(note) > 300:
        raise FieldError(note=TOO_LONG.format(n=300))
    outage = Outage.objects.create(system=system, note=note, declared_by=actor, declared_at=now)
    transaction.on_commit(partial(_check_later, now))
    return outage


def outage_restore(*, actor: User, outage_id: int, now: datetime) -> Outage:
    _require_writer(actor)
    with transaction.atomic():
        outage = (
            Outage.objects.select_for_update().filter(pk=outage_id, restored_at__isnull=True).first()
            if 0 < outage_id < 2**63
            else None
        )
        if outage is None:
            raise NotFound(NO_OUTAGE)
        outage.restored_at, outage.restored_by = now, actor
        outage.save(update_fields=["restored_at", "restored_by"])
    transaction.on_commit(partial(_check_later, now))
    return outage


OUTAGE_JOB = "plans.outage_check"


def _check_later(now: datetime) -> None:
    """A declaration is acted on at once, not at the next periodic check: a job checks the
    contingencies that watch for systems down."""
    jobs.enqueue(OUTAGE_JOB, now.isoformat())


# --- the check --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckSummary:
    checked: int
    started: int
    ended: int


def watched_plans(today: date) -> list[Plan]:
    """Active plans whose period covers ``today`` (owner and team loaded)."""
    return list(
        Plan.objects.filter(status=PlanStatus.ACTIVE, starts_on__lte=today, ends_on__gte=today).select_related(
            "owner", "team"
        )
    )


def observe(
    plan: Plan, *, now: datetime, figures: extensions.PlanningFigures | None, down: Sequence[str]
) -> rules.Observation:
    """What the triggers of ``plan`` are judged on at ``now`` (two queries: SLA and mail backlog)."""
    team_id = plan.team_id

    def cases(prefix: str) -> Q:
        return Q(**{f"{prefix}team_id": team_id}) if team_id is not None else Q()

    attainment = extensions.kpi(extensions.SLA_ATTAINMENT, extensions.KpiScope(cases, now - SLA_WINDOW, now))
    waiting = (
        Case.objects.filter(cases(""), is_active=True, channel=Channel.EMAIL, first_response_at__isnull=True)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return rules.Observation(
        planned_weekly_contacts=plan.planned_weekly_contacts,
        forecast_week_contacts=figures.forecast_week_contacts if figures else None,
        intervals=figures.today if figures and figures.today else None,
        sla_attainment=attainment,
        oldest_mail_hours=(now - waiting).total_seconds() / 3600 if waiting else None,
        systems_down=down,
    )


def contingencies_check(
    *, now: datetime, plan_ids: Sequence[int] | None = None, kinds: Sequence[str] | None = None
) -> CheckSummary:
    """Evaluate every watched contingency of the active plans; record and notify new episodes, close
    ended ones. Workforce figures are read once per team (they are the costly part)."""
    today = timezone.localtime(now).date()
    plans = [p for p in watched_plans(today) if plan_ids is None or p.pk in plan_ids]
    watched = Contingency.objects.filter(plan__in=plans, active=True)
    if kinds:
        watched = watched.filter(trigger__in=kinds)
    by_plan: dict[int, list[Contingency]] = {}
    for item in watched:
        by_plan.setdefault(item.plan_id, []).append(item)
    open_ids = set(
        Firing.objects.filter(contingency__in=watched, ended_at__isnull=True).values_list("contingency_id", flat=True)
    )
    down = list(Outage.objects.filter(restored_at__isnull=True).values_list("system", flat=True))
    needs_figures = not kinds or any(k != rules.TriggerKind.SYSTEM_DOWN for k in kinds)
    figures_by_team: dict[int | None, extensions.PlanningFigures | None] = {}
    started = ended = checked = 0
    for plan in plans:
        found = by_plan.get(plan.pk, [])
        if not found and kinds:
            continue
        figures = None
        if needs_figures:
            if plan.team_id not in figures_by_team:
                figures_by_team[plan.team_id] = _figures(plan.team_id, now)
            figures = figures_by_team[plan.team_id]
            _store_figures(plan, figures, now)
        seen = observe(plan, now=now, figures=figures, down=down)
        for contingency in found:
            checked += 1
            verdict = rules.evaluate(
                _trigger(contingency.trigger, contingency.threshold, contingency.intervals, contingency.system), seen
            )
            step = rules.episode(open_firing=contingency.pk in open_ids, verdict=verdict)
            if step == "start":
                started += _fire(plan, contingency, verdict, now)
            elif step == "end":
                ended += _end_firings(contingency, now=now, reason=verdict.reason)
            Contingency.objects.filter(pk=contingency.pk).update(last_checked_at=now, last_reason=verdict.reason[:300])
    transaction.on_commit(fired_publish)
    return CheckSummary(checked, started, ended)


def _figures(team_id: int | None, now: datetime) -> extensions.PlanningFigures | None:
    try:
        return extensions.planning_figures_for(team_id, now)
    except Exception:  # a failing provider must not stop the triggers that do not need it
        log.exception("plans: the planning figures for team %s could not be read", team_id)
        return None


def _store_figures(plan: Plan, figures: extensions.PlanningFigures | None, now: datetime) -> None:
    if figures is None:
        return
    stored = {
        "forecast_week_contacts": figures.forecast_week_contacts,
        "required_peak": figures.required_peak,
        "required_agent_hours": figures.required_agent_hours,
        "interval_minutes": figures.interval_minutes,
    }
    Plan.objects.filter(pk=plan.pk).update(figures=stored, figures_at=now)


def _fire(plan: Plan, contingency: Contingency, verdict: rules.Verdict, now: datetime) -> int:
    """Record the start of an episode and tell the owner, once: a second check racing this one
    fails on the open-firing constraint and tells nobody."""
    try:
        with transaction.atomic():
            Firing.objects.create(
                contingency=contingency,
                plan=plan,
                started_at=now,
                value=verdict.value,
                reason=verdict.reason[:300],
                notified=plan.owner if plan.owner.is_active else None,
            )
            if plan.owner.is_active and plan.owner.email:
                _email_owner(plan, contingency, verdict)
    except IntegrityError:
        return 0
    return 1


def _email_owner(plan: Plan, contingency: Contingency, verdict: rules.Verdict) -> None:
    link = settings.RAPPORT_BASE_URL.rstrip("/") + reverse("plans:detail", args=[plan.pk])
    planned = "; ".join(Response(r).label for r in contingency.responses if r in Response.values)
    outbox.email_send(
        to=[plan.owner.email],
        subject=f"Contingency fired: {contingency.name} ({plan.title})",
        text=(
            f"The contingency \u201c{contingency.name}\u201d on the service plan \u201c{plan.title}\u201d "
            "has fired.\n\n"
            f"{verdict.reason}\n\nPlanned response: {planned}.\n{contingency.response_detail}\n\n{link}\n"
        ),
    )


def fired_publish() -> None:
    """Put the open firings on active plans, by owner, in the shared cache for the header warning
    (one query; desk pages then read the cache only)."""
    rows = (
        Firing.objects.filter(ended_at__isnull=True, plan__status=PlanStatus.ACTIVE)
        .values("plan__owner_id")
        .annotate(fired=Count("id"))
    )
    cache.set(FIRED_KEY, {row["plan__owner_id"]: row["fired"] for row in rows}, FIRED_SECONDS)


def _end_firings(contingency: Contingency, *, now: datetime, reason: str) -> int:
    """Close the contingency's open firing (saved, so the header's copy of open firings clears)."""
    ended = 0
    for firing in Firing.objects.filter(contingency=contingency, ended_at__isnull=True):
        firing.ended_at, firing.end_reason = now, reason[:300]
        firing.save(update_fields=["ended_at", "end_reason"])
        ended += 1
    return ended
