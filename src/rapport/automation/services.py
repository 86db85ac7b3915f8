"""Automation rules: saving them (checked, refused where the law or policy forbids, versioned),
evaluating them on journal events and on a schedule, firing their actions through the core's
services and other apps' registries, and recording every firing on the case.

Events reach ``events_received`` from the journal as a job (ADR 0009, at least once): a firing is
unique per (rule, event), so a second delivery never fires twice. Time rules are scanned by
``time_scan``: one SQL query per rule picks the cases that match what SQL can test (fields, and the
time since a moment against a cutoff in business time), and only those are checked in full.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet

from rapport import extensions
from rapport.accounts.models import Role, User
from rapport.automation import access as policy
from rapport.automation import events as automation_events
from rapport.automation.models import AutomationRule, AutomationRuleVersion, CausedEvent, RuleFiring, Trigger
from rapport.cases import journal
from rapport.cases import services as case_services
from rapport.cases.models import Case, CaseEvent, Message
from rapport.domain import automation as rules
from rapport.domain import placeholders
from rapport.domain.calendar import BusinessCalendar, business_time_between
from rapport.platform import caches, notify
from rapport.platform.errors import FieldError, Forbidden, NotFound, RapportError

log = logging.getLogger(__name__)

ACCOUNT_EMAIL = "automation@service.invalid"
KINDS_CACHE = "automation:kinds"
NO_RULE = "No automation rule with that id."
NOT_ALLOWED = "Only managers and admins may change automation rules."
NOT_INSTALLED = "{what} is not installed"
ACTION_FAILED = "it failed; the error is in the log"
SCAN_BATCH = 500
DRY_RUN_SCAN = 2000
ANCHOR_FIELDS = {
    "created": "created_at",
    "updated": "updated_at",
    "first_response": "first_response_at",
    "resolved": "resolved_at",
}
PRIORITY_LABELS = {v: k for k, v in rules.PRIORITIES.items()}
NO_CHAIN = rules.Chain()


# --- the account rules act as ------------------------------------------------------------------


def automation_account() -> User:
    """The service account every firing acts as (its events read "Automation" on the timeline). It
    cannot sign in (an unusable password) and sees every case (a manager), as the rules must."""
    found = User.objects.filter(email=ACCOUNT_EMAIL).first()
    if found is None:
        found = User.objects.create_user(ACCOUNT_EMAIL, None, name="Automation", role=Role.MANAGER)
    return found


# --- saving ------------------------------------------------------------------------------------


def _require(actor: User) -> None:
    if not policy.can_manage_rules(actor):
        raise Forbidden(NOT_ALLOWED)


def _clean(name: Any, definition: Any, position: Any) -> tuple[str, dict[str, Any], int]:
    errors: dict[str, list[str]] = {}
    clean_name = name.strip() if isinstance(name, str) else ""
    if not clean_name:
        errors["name"] = ["Give the rule a name."]
    elif len(clean_name) > 120:
        errors["name"] = ["Keep the name under 120 characters."]
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 100000:
        errors["position"] = ["Give a whole number from 0 to 100,000."]
    checked: dict[str, Any] = {}
    try:
        checked = rules.check(definition, working_day=working_day())
    except rules.DefinitionError as exc:
        errors.update({f"definition.{k}" if k != "definition" else k: v for k, v in exc.errors.items()})
    if not errors:
        refused = rules.refusals(checked)
        if refused:
            errors["definition"] = refused
    if errors:
        raise FieldError(errors)
    return clean_name, checked, int(position)


def _kinds_changed() -> None:
    cache.delete(KINDS_CACHE)
    transaction.on_commit(lambda: cache.delete(KINDS_CACHE))


def rule_create(
    *,
    actor: User,
    name: str,
    definition: Any,
    description: str = "",
    position: int = 100,
    active: bool = False,
    now: datetime,
) -> AutomationRule:
    """Save a new rule (version 1), off unless ``active``: try its dry run before switching it on."""
    _require(actor)
    clean_name, checked, clean_position = _clean(name, definition, position)
    with transaction.atomic():
        rule = AutomationRule.objects.create(
            name=clean_name,
            description=(description or "").strip()[:2000],
            trigger=checked["trigger"],
            events=checked["events"],
            definition=checked,
            position=clean_position,
            active=bool(active),
            created_at=now,
            updated_at=now,
        )
        AutomationRuleVersion.objects.create(
            rule=rule, version=1, name=clean_name, definition=checked, saved_by=actor, saved_at=now
        )
        _kinds_changed()
    return rule


def rule_get(*, actor: User, rule_id: int) -> AutomationRule:
    if not policy.can_read_rules(actor):
        raise NotFound(NO_RULE)
    found = AutomationRule.objects.filter(pk=rule_id).first()
    if found is None:
        raise NotFound(NO_RULE)
    return found


def rule_update(
    *,
    actor: User,
    rule_id: int,
    now: datetime,
    name: str | None = None,
    definition: Any = None,
    description: str | None = None,
    position: int | None = None,
    active: bool | None = None,
) -> AutomationRule:
    """Change a rule. A new name or definition is a new version (the old one is kept, and firings
    name the version they ran); the position and switching on or off are not."""
    _require(actor)
    with transaction.atomic():
        rule = AutomationRule.objects.select_for_update().filter(pk=rule_id).first()
        if rule is None:
            raise NotFound(NO_RULE)
        clean_name, checked, clean_position = _clean(
            rule.name if name is None else name,
            rule.definition if definition is None else definition,
            rule.position if position is None else position,
        )
        new_version = clean_name != rule.name or checked != rule.definition
        rule.name, rule.definition, rule.position = clean_name, checked, clean_position
        rule.trigger, rule.events = checked["trigger"], checked["events"]
        if description is not None:
            rule.description = description.strip()[:2000]
        if active is not None:
            rule.active = bool(active)
        if new_version:
            rule.version += 1
            AutomationRuleVersion.objects.create(
                rule=rule, version=rule.version, name=clean_name, definition=checked, saved_by=actor, saved_at=now
            )
        rule.updated_at = now
        rule.save()
        _kinds_changed()
    return rule


def rule_delete(*, actor: User, rule_id: int) -> None:
    """Delete a rule, its versions and its firings' rows (the case timelines keep the record)."""
    _require(actor)
    with transaction.atomic():
        deleted, _ = AutomationRule.objects.filter(pk=rule_id).delete()
        if not deleted:
            raise NotFound(NO_RULE)
        _kinds_changed()


# --- compiling, once per version and process ----------------------------------------------------


def working_day() -> timedelta:
    """A business day in the default business calendar (its mean opening hours); without one, the
    clock runs all day, every day, and a business day is 24 hours."""
    return rules.working_day_of((_calendars().default or _ALWAYS).opening_hours())


@caches.memo("automation.compiled_rules", key="rule id, version, definition (as JSON), working day", maxsize=4096)
def _compiled(rule_id: int, version: int, name: str, definition_json: str, day_seconds: int) -> rules.CompiledRule:
    return rules.compile_rule(
        rule_id=rule_id,
        version=version,
        name=name,
        definition=json.loads(definition_json),
        working_day=timedelta(seconds=day_seconds),
    )


def compiled(rule: AutomationRule, day: timedelta) -> rules.CompiledRule:
    return _compiled(
        rule.pk, rule.version, rule.name, json.dumps(rule.definition, sort_keys=True), int(day.total_seconds())
    )


def active_rules(trigger: str) -> list[AutomationRule]:
    return list(AutomationRule.objects.filter(active=True, trigger=trigger).order_by("position", "id"))


def kind_wanted(kind: str) -> bool:
    """Whether an active event rule listens for ``kind`` (asked by the journal at each write, so a
    desk without rules writes no delivery rows): a shared-cache copy, rebuilt by one query."""
    found = cache.get(KINDS_CACHE)
    if found is None:
        found = sorted(
            {
                k
                for kinds in AutomationRule.objects.filter(active=True, trigger=Trigger.EVENT).values_list(
                    "events", flat=True
                )
                for k in kinds
            }
        )
        cache.set(KINDS_CACHE, found, 300)
    return kind in found


# --- facts --------------------------------------------------------------------------------------


class _NoCalendars:
    default: BusinessCalendar | None = None

    def for_cases(self, case_ids: Sequence[int]) -> Mapping[int, BusinessCalendar]:
        return {}


def _calendars() -> extensions.CaseCalendars:
    return extensions.case_calendars[0]() if extensions.case_calendars else _NoCalendars()


_ALWAYS = BusinessCalendar.always_open()


@dataclass
class _Loaded:
    """What a batch of evaluations reads about their cases, loaded in a fixed number of queries."""

    cases: dict[int, Case]
    tags: dict[int, frozenset[str]]
    adjustments: set[int]
    calendars: Mapping[int, BusinessCalendar]
    default: BusinessCalendar
    mailboxes: Mapping[int, Any]
    bodies: dict[int, str] = field(default_factory=dict)


def _load(case_ids: Iterable[int], events: Sequence[CaseEvent] = ()) -> _Loaded:
    ids = sorted(set(case_ids))
    cases = {c.pk: c for c in Case.objects.filter(pk__in=ids).select_related("customer")}
    tags: dict[int, set[str]] = {}
    for case_id, tag in Case.tags.through.objects.filter(case_id__in=ids).values_list("case_id", "tag__name"):
        tags.setdefault(case_id, set()).add(tag.lower())
    customer_ids = sorted({c.customer_id for c in cases.values()})
    preferences = extensions.preferences_for_many(customer_ids)
    adjustments = {cid for cid, p in preferences.items() if p != extensions.OutboundPreferences()}
    source = _calendars()
    message_ids = [_message_id(e) for e in events if e.kind in {"message", "note"}]
    bodies = dict(Message.objects.filter(pk__in=[m for m in message_ids if m]).values_list("pk", "body"))
    return _Loaded(
        cases=cases,
        tags={k: frozenset(v) for k, v in tags.items()},
        adjustments=adjustments,
        calendars=source.for_cases(ids) if ids else {},
        default=source.default or _ALWAYS,
        mailboxes=extensions.case_fact("mailbox", ids[0], ids[-1]) if ids else {},
        bodies=bodies,
    )


def _message_id(event: CaseEvent) -> int | None:
    tail = event.after.rpartition("#")[2]
    return int(tail) if tail.isdigit() else None


def _facts(loaded: _Loaded, case: Case, event: CaseEvent | None, now: datetime, *, kind: str = "") -> rules.Facts:
    """The facts of ``case`` for an ``event`` (or, in a dry run, an event of ``kind`` just now)."""
    calendar = loaded.calendars.get(case.pk, loaded.default)
    customer = case.customer
    text = case.subject
    event_facts: dict[str, str] = {"kind": kind, "field": "", "after": "", "before": ""} if kind else {}
    if event is not None:
        event_facts = {"kind": event.kind, "field": event.field, "after": event.after, "before": event.before}
        message_id = _message_id(event) if event.kind in {"message", "note"} else None
        if message_id is not None:
            text = f"{text}\n{loaded.bodies.get(message_id, '')}"
    return rules.Facts(
        case={
            "status": case.status,
            "priority": PRIORITY_LABELS.get(case.priority, str(case.priority)),
            "type": case.type,
            "channel": case.channel,
            "team": case.team_id,
            "owner": case.owner_id,
            "tags": loaded.tags.get(case.pk, frozenset()),
            "subject": case.subject.lower(),
        },
        customer={"kind": customer.kind, "tier": customer.tier, "preferred_channel": customer.preferred_channel},
        event=event_facts,
        text=text.lower(),
        moments={
            "created": case.created_at,
            "updated": case.updated_at,
            "first_response": case.first_response_at,
            "resolved": case.resolved_at,
        },
        now=now,
        business_hours=calendar.is_open(now),
        business_between=lambda a, b: business_time_between(calendar, a, b),
        adjustments=customer.pk in loaded.adjustments,
        mailbox=str(loaded.mailboxes.get(case.pk, "")),
    )


# --- firing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one firing did (or, in a dry run, would do): the actions taken in words and those
    skipped, each with its reason."""

    changes: tuple[str, ...]
    skipped: tuple[str, ...]


def _restricted(case: Case) -> bool:
    return bool(extensions.record_refusals(case.customer))


def _reasons(case: Case, action: rules.Action, adjustments: bool, restricted: bool) -> str:
    allowed = True
    if action.type == "send_reply":
        allowed = extensions.contact_permitted(case.customer, "service", case.channel)
    return rules.skip_reason(action, restricted=restricted, adjustments=adjustments, contact_allowed=allowed)


def _fresh(case_id: int) -> Case:
    return Case.objects.select_related("customer").get(pk=case_id)


def _update(account: User, case_id: int, changes: dict[str, Any], now: datetime) -> None:
    case = _fresh(case_id)
    case_services.case_update(
        actor=account, reference=case.reference, expected_version=case.version, changes=changes, now=now
    )


def _perform(account: User, case_id: int, rule: rules.CompiledRule, action: rules.Action, now: datetime) -> str:
    """Take one action on the case, through the core's services or another app's registry; what
    was done in words. A ``RapportError`` refuses it (the caller records why)."""
    p = action.params
    if action.type == "set_fields":
        changes = dict(p["fields"])
        if "priority" in changes:
            changes["priority"] = rules.PRIORITIES[changes["priority"]]
        _update(account, case_id, changes, now)
        return rules.describe(action)
    if action.type == "add_tags":
        case = _fresh(case_id)
        held = list(case.tags.values_list("name", flat=True))
        _update(account, case_id, {"tags": held + [t for t in p["tags"] if t not in held]}, now)
        return rules.describe(action)
    if action.type == "start_complaint":
        case = _fresh(case_id)
        if case.type == "complaint":
            return "already a complaint"
        _update(account, case_id, {"type": "complaint"}, now)
        return rules.describe(action)
    if action.type == "assign":
        outcome = extensions.route(_fresh(case_id), str(p.get("method", "")), now)
        if outcome is None:
            raise RapportError(NOT_INSTALLED.format(what="Routing"))
        who = "nobody available" if outcome.user_id is None else f"person {outcome.user_id}"
        return f"routed to {who} ({outcome.reason})"
    if action.type == "apply_macro":
        bulk = extensions.bulk_actions.get("apply_macro")
        if bulk is None or bulk.each is None:
            raise RapportError(NOT_INSTALLED.format(what="Macros"))
        params = bulk.prepare(account, {"macro": str(p["macro"])}) if bulk.prepare else {"macro": p["macro"]}
        case = _fresh(case_id)
        bulk.each(account, case, case.version, params, now)
        return rules.describe(action)
    if action.type in {"add_note", "send_reply"}:
        case = _fresh(case_id)
        body = placeholders.fill(p["body"], extensions.reply_placeholder_values(case, account, now))
        case_services.message_add(
            actor=account,
            reference=case.reference,
            kind="note" if action.type == "add_note" else "outbound",
            body=body,
            now=now,
        )
        return rules.describe(action)
    if action.type == "notify":
        case = _fresh(case_id)
        ids = [case.owner_id if x == "owner" else x for x in p["people"]]
        emails = sorted(
            User.objects.filter(pk__in=[i for i in ids if i], is_active=True)
            .exclude(email__endswith="@service.invalid")
            .values_list("email", flat=True)
        )
        if not emails:
            return "nobody to notify"
        notify.email_send(
            to=emails,
            subject=f"{case.reference}: {rule.name}",
            text=f"{p['message']}\n\nCase {case.reference}: {case.subject}",
        )
        return f"notified {len(emails)} {'person' if len(emails) == 1 else 'people'}"
    hook = extensions.automation_actions.get(extensions.CALL_WEBHOOK)
    if hook is None:
        raise RapportError(NOT_INSTALLED.format(what="Webhooks"))
    return hook(_fresh(case_id), p, now)


def _refused_text(exc: RapportError) -> str:
    if isinstance(exc, FieldError):
        return " ".join(m for messages in exc.errors.values() for m in messages)
    return str(exc)


def _summary(outcome: Outcome) -> str:
    text = "; ".join(outcome.changes)
    if outcome.skipped:
        text = f"{text}. Skipped: {'; '.join(outcome.skipped)}" if text else f"Skipped: {'; '.join(outcome.skipped)}"
    return text


def fire(
    *,
    rule: rules.CompiledRule,
    case_id: int,
    now: datetime,
    chain: rules.Chain = NO_CHAIN,
    event_id: int | None = None,
    anchor: datetime | None = None,
    account: User | None = None,
) -> Outcome | None:
    """Fire ``rule`` on a case: take each action in order (skipping, with the reason, what the
    customer's rights or a refusal stop), record the firing on the case and in ``RuleFiring``, and
    mark the events the actions wrote with their place in the chain. None when the rule has fired
    for this event (or this wait) already."""
    account = account or automation_account()
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("customer").get(pk=case_id)
        try:
            with transaction.atomic():
                firing = RuleFiring.objects.create(
                    rule_id=rule.rule_id,
                    version=rule.version,
                    case=case,
                    event_id=event_id,
                    anchor=anchor,
                    depth=chain.depth + 1,
                    at=now,
                )
        except IntegrityError:
            return None
        marker = CaseEvent.objects.filter(case_id=case_id).aggregate(m=Max("id"))["m"] or 0
        restricted = _restricted(case)
        adjustments = bool(extensions.preferences_for(case.customer) != extensions.OutboundPreferences())
        changes: list[str] = []
        skipped: list[str] = []
        for action in rule.actions:
            reason = _reasons(case, action, adjustments, restricted)
            if reason:
                skipped.append(f"{rules.describe(action)} ({reason})")
                continue
            try:
                with transaction.atomic():
                    changes.append(_perform(account, case_id, rule, action, now))
            except RapportError as exc:
                skipped.append(f"{rules.describe(action)} ({_refused_text(exc)})")
            except Exception:  # one failing action must not hold every later event back (retried forever)
                log.exception("Automation rule %s: %s failed on case %s", rule.rule_id, action.type, case_id)
                skipped.append(f"{rules.describe(action)} ({ACTION_FAILED})")
        outcome = Outcome(tuple(changes), tuple(skipped))
        caused = list(
            CaseEvent.objects.filter(case_id=case_id, id__gt=marker)
            .exclude(kind=automation_events.FIRED)
            .values_list("id", flat=True)
        )
        if caused:
            chain_rules = sorted(chain.rules | {rule.rule_id})
            CausedEvent.objects.bulk_create(
                [CausedEvent(event_id=i, depth=chain.depth + 1, rules=chain_rules) for i in caused],
                ignore_conflicts=True,
            )
        journal.record(
            case=case_id,
            kind=automation_events.FIRED,
            at=now,
            actor=account,
            before=f"“{rule.name}” (version {rule.version})",
            after=_summary(outcome),
        )
        firing.changes, firing.skipped = list(changes), list(skipped)
        firing.save(update_fields=["changes", "skipped"])
        AutomationRule.objects.filter(pk=rule.rule_id).update(
            fired_count=F("fired_count") + 1,
            skipped_count=F("skipped_count") + (1 if skipped and not changes else 0),
            last_fired_at=now,
        )
    return outcome


def events_received(events: Sequence[CaseEvent], *, now: datetime | None = None) -> int:
    """The journal's job subscriber: evaluate the active event rules, in order, on each event, and
    fire those that match. Events a firing caused carry their chain (``CausedEvent``): nothing
    fires beyond ``MAX_CHAIN`` and no rule fires on its own changes. Returns the number of firings."""
    from django.utils import timezone

    now = now or timezone.now()
    stored = active_rules(Trigger.EVENT)
    if not stored or not events:
        return 0
    day = working_day()
    compiled_rules = [compiled(r, day) for r in stored]
    ids = [e.pk for e in events]
    chains = {
        c.event_id: rules.Chain(c.depth, frozenset(c.rules)) for c in CausedEvent.objects.filter(event_id__in=ids)
    }
    loaded = _load({e.case_id for e in events}, events)
    account = automation_account()
    fired = 0
    for event in events:
        case = loaded.cases.get(event.case_id)
        if case is None or case.merged_into_id is not None:
            continue
        chain = chains.get(event.pk, rules.Chain())
        facts = _facts(loaded, case, event, now)
        for rule in compiled_rules:
            if event.kind not in rule.events or not rules.may_fire(rule.rule_id, chain) or not rule.predicate(facts):
                continue
            if fire(rule=rule, case_id=case.pk, now=now, chain=chain, event_id=event.pk, account=account):
                fired += 1
                loaded = _reload(loaded, case.pk, event)
                case = loaded.cases[case.pk]
                facts = _facts(loaded, case, event, now)
    CausedEvent.objects.filter(event_id__in=ids).delete()
    return fired


def _reload(loaded: _Loaded, case_id: int, event: CaseEvent) -> _Loaded:
    """``loaded`` with one case read again after a firing changed it (later rules see the change)."""
    fresh = _load([case_id], [event])
    loaded.cases[case_id] = fresh.cases[case_id]
    loaded.tags[case_id] = fresh.tags.get(case_id, frozenset())
    loaded.bodies.update(fresh.bodies)
    return loaded


# --- time rules ---------------------------------------------------------------------------------


def _choice_q(path: str, op: str, value: Any) -> Q | None:
    """A top-level condition as SQL, where SQL can test it exactly (else None: checked in Python)."""
    if path == "case.tags" and isinstance(value, str):
        tagged = Exists(Case.tags.through.objects.filter(case_id=OuterRef("pk"), tag__name=value.strip().lower()))
        return Q(tagged) if op == "has" else ~Q(tagged)
    column = {"case.status": "status", "case.type": "type", "case.channel": "channel", "case.priority": "priority"}
    column |= {"case.team": "team_id", "case.owner": "owner_id", "customer.tier": "customer__tier"}
    column |= {"customer.kind": "customer__kind"}
    name = column.get(path)
    if name is None:
        return None

    def stored(v: Any) -> Any:
        return rules.PRIORITIES.get(str(v).lower(), v) if name == "priority" else v

    if op == "is":
        return Q(**{name: stored(value)})
    if op == "is_not":
        return ~Q(**{name: stored(value)}) | Q(**{f"{name}__isnull": True})
    if op == "in":
        return Q(**{f"{name}__in": [stored(v) for v in value]})
    if op == "not_in":
        return ~Q(**{f"{name}__in": [stored(v) for v in value]}) | Q(**{f"{name}__isnull": True})
    if op == "empty":
        return Q(**{f"{name}__isnull": True})
    if op == "not_empty":
        return Q(**{f"{name}__isnull": False})
    return None


def _cutoff(calendar: BusinessCalendar, now: datetime, duration: timedelta) -> datetime:
    return rules.business_cutoff(lambda a, b: business_time_between(calendar, a, b), now, duration)


def default_calendar() -> BusinessCalendar:
    """The calendar time rules count in: the SLA app's default, else always open (one lookup)."""
    return _calendars().default or _ALWAYS


def candidates(
    rule: rules.CompiledRule, now: datetime, *, calendar: BusinessCalendar, rule_pk: int | None = None
) -> QuerySet[Case]:
    """The cases a time rule may match, in one query: the top-level conditions SQL can test, the
    time since each moment against its cutoff in the default business calendar, and (for a saved
    rule) not fired already for this wait. The rest of the conditions are checked on what it finds."""
    query = Q(merged_into__isnull=True)
    for item in rules._top_level(rule.conditions):
        found = _choice_q(item["field"], item["op"], item.get("value"))
        if found is not None:
            query &= found
    for anchor, op, duration in rule.time_conditions:
        column = ANCHOR_FIELDS[anchor]
        if op == "at_least":
            query &= Q(**{f"{column}__lte": _cutoff(calendar, now, duration)})
    cases = Case.objects.filter(query)
    anchor_column = _anchor_column(rule)
    if rule_pk is not None and anchor_column:
        cases = cases.filter(
            ~Exists(RuleFiring.objects.filter(rule_id=rule_pk, case_id=OuterRef("pk"), anchor=OuterRef(anchor_column)))
        )
    return cases.order_by("id")


def _anchor_column(rule: rules.CompiledRule) -> str:
    for anchor, op, _ in rule.time_conditions:
        if op == "at_least":
            return ANCHOR_FIELDS[anchor]
    return ""


def time_scan(*, now: datetime, batch: int = SCAN_BATCH) -> int:
    """Run every active time rule, in order, over the cases that match now: at most ``batch``
    firings a rule per run (the next run carries on). Returns the number of firings."""
    stored_rules = active_rules(Trigger.TIME)
    if not stored_rules:
        return 0
    calendar = default_calendar()
    day = rules.working_day_of(calendar.opening_hours())
    account = automation_account()
    fired = 0
    for stored in stored_rules:
        rule = compiled(stored, day)
        column = _anchor_column(rule)
        found = list(
            candidates(rule, now, calendar=calendar, rule_pk=stored.pk).values_list("pk", flat=True)[: batch * 2]
        )
        if not found:
            continue
        loaded = _load(found)
        done = 0
        for case_id in found:
            case = loaded.cases[case_id]
            if not rule.predicate(_facts(loaded, case, None, now)):
                continue
            if fire(rule=rule, case_id=case_id, now=now, anchor=getattr(case, column), account=account):
                fired += 1
                done += 1
            if done >= batch:
                break
    return fired


# --- dry run ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DryRunMatch:
    case: Case
    actions: tuple[str, ...]
    skipped: tuple[str, ...]


@dataclass(frozen=True)
class DryRun:
    """Which existing cases a rule would match now and what it would do to each: ``scanned`` cases
    were looked at (the most recently updated that SQL could not rule out), ``matched`` of them
    match, ``matches`` the first ``limit`` of those."""

    scanned: int
    matched: int
    matches: tuple[DryRunMatch, ...]
    event: str = ""


def dry_run(
    *, actor: User, rule_id: int | None = None, definition: Any = None, now: datetime, limit: int = 50
) -> DryRun:
    """What a saved rule (``rule_id``) or a draft (``definition``) would do to existing cases now,
    without changing anything. An event rule is tried on each case as if its first event had just
    happened to it; a time rule as the scan would run it."""
    if not policy.can_read_rules(actor):
        raise NotFound(NO_RULE)
    day = working_day()
    if rule_id is not None:
        stored = rule_get(actor=actor, rule_id=rule_id)
        rule = compiled(stored, day)
        pk: int | None = stored.pk
    else:
        try:
            checked = rules.check(definition, working_day=day)
        except rules.DefinitionError as exc:
            raise FieldError({f"definition.{k}": v for k, v in exc.errors.items()}) from None
        rule = rules.compile_rule(rule_id=0, version=0, name="draft", definition=checked, working_day=day)
        pk = None
    if rule.trigger == Trigger.TIME:
        ids = list(
            candidates(rule, now, calendar=default_calendar(), rule_pk=pk).values_list("pk", flat=True)[:DRY_RUN_SCAN]
        )
        kind = ""
    else:
        query = Q(merged_into__isnull=True, is_active=True)
        for item in rules._top_level(rule.conditions):
            found = _choice_q(item["field"], item["op"], item.get("value"))
            if found is not None:
                query &= found
        ids = list(
            Case.objects.filter(query).order_by("-updated_at", "-id").values_list("pk", flat=True)[:DRY_RUN_SCAN]
        )
        kind = sorted(rule.events)[0]
    loaded = _load(ids)
    restricted = _restricted_ids([loaded.cases[i] for i in ids])
    matches: list[DryRunMatch] = []
    matched = 0
    for case_id in ids:
        case = loaded.cases[case_id]
        facts = _facts(loaded, case, None, now, kind=kind)
        if not rule.predicate(facts):
            continue
        matched += 1
        if len(matches) < limit:
            actions: list[str] = []
            skipped: list[str] = []
            for action in rule.actions:
                reason = rules.skip_reason(
                    action,
                    restricted=case.customer_id in restricted,
                    adjustments=facts.adjustments,
                    contact_allowed=True,
                )
                (skipped if reason else actions).append(
                    f"{rules.describe(action)} ({reason})" if reason else rules.describe(action)
                )
            matches.append(DryRunMatch(case, tuple(actions), tuple(skipped)))
    return DryRun(scanned=len(ids), matched=matched, matches=tuple(matches), event=kind)


def _restricted_ids(cases: Sequence[Case]) -> set[int]:
    """The customers among ``cases``' whose processing is restricted, one query per hook."""
    from rapport.customers.models import Customer

    customer_ids = sorted({c.customer_id for c in cases})
    if not customer_ids:
        return set()
    found: set[int] = set()
    for rows in extensions.restricted_ids(Customer.objects.filter(pk__in=customer_ids)):
        found.update(next(iter(row.values())) if isinstance(row, dict) else row for row in rows)
    return found
