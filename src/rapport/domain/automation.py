"""Automation rules: what they may say, what they are refused for, and how they are evaluated.

An **automation rule** (never just "rule": the improvement register lists organisational and
legislative rules too) encodes one of the organisation's procedures (seed 000/003: "escalation
procedures", domain.md §9): *when* something happens to a case (an event rule) or *while* a case
has been in a state for a time (a time rule), *if* its conditions hold, *do* its actions.

A rule's definition is plain data (JSON in the database and the API)::

    {"trigger": "event", "events": ["created"],
     "conditions": {"match": "all", "conditions": [
         {"field": "case.channel", "op": "is", "value": "email"},
         {"match": "any", "conditions": [
             {"field": "text", "op": "contains", "value": "refund"},
             {"field": "customer.tier", "op": "is", "value": "gold"}]}]},
     "actions": [{"type": "set_fields", "fields": {"priority": "high"}},
                 {"type": "add_tags", "tags": ["refund"]}]}

``check`` validates a definition and names every problem by its path (``conditions.1.value``);
``refusals`` says why a valid definition may not be saved (the law or the organisation's policy,
where the configuration alone shows it); ``compile_rule`` turns it into a predicate over a case's
facts once per version (the caller caches it per process, ADR 0007), so evaluating 200 rules on an
event is 200 calls of small closures. Nothing here reads a clock: ``now`` and the business time
between two instants are facts the caller gives.

Loop protection: an action's changes are events too, and rules may react to them, but a chain of
firings is bounded (``MAX_CHAIN``) and a rule never fires on events its own firing caused, however
far down the chain (``may_fire``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

MAX_CHAIN = 3
"""How many firings may follow one another from one original event: a rule reacting to a rule's
change is depth 2, a third reacting to that is depth 3, and nothing reacts beyond that."""

TRIGGERS = ("event", "time")
EVENT_KINDS: dict[str, str] = {
    "created": "a case is created",
    "message": "a message arrives or is sent",
    "note": "an internal note is added",
    "changed": "a field of the case changes",
    "first_response": "the first response is sent",
    "sla_warning": "an SLA warning is recorded",
    "sla_breached": "an SLA breach is recorded",
    "survey_answered": "a survey answer comes in",
    "heat_hear": "complaint stage done: Hear",
    "heat_empathise": "complaint stage done: Empathise",
    "heat_apologise": "complaint stage done: Apologise",
    "heat_take_ownership": "complaint stage done: Take ownership",
    "final_response_sent": "a complaint's final response is sent",
}
"""Journal event kinds an event rule may be triggered by, with what they mean to a person."""

FIELDS: dict[str, str] = {
    "case.status": "choice",
    "case.priority": "choice",
    "case.type": "choice",
    "case.channel": "choice",
    "case.team": "number",
    "case.owner": "number",
    "case.tags": "tags",
    "case.subject": "text",
    "customer.kind": "choice",
    "customer.tier": "choice",
    "customer.preferred_channel": "choice",
    "customer.adjustments": "flag",
    "mailbox": "choice",
    "business_hours": "flag",
    "text": "text",
    "event.kind": "choice",
    "event.field": "choice",
    "event.after": "choice",
    "since.created": "duration",
    "since.updated": "duration",
    "since.first_response": "duration",
    "since.resolved": "duration",
}
"""The facts a condition may test, by the kind of value they hold. ``text`` is the subject and the
body of the message the event is about; ``since.*`` the business time since a moment of the case;
``customer.adjustments`` whether reasonable adjustments are in force (Equality Act 2010 s.20)."""

OPS: dict[str, frozenset[str]] = {
    "choice": frozenset({"is", "is_not", "in", "not_in"}),
    "number": frozenset({"is", "is_not", "in", "not_in", "empty", "not_empty"}),
    "tags": frozenset({"has", "has_not"}),
    "text": frozenset({"contains", "not_contains"}),
    "flag": frozenset({"is"}),
    "duration": frozenset({"at_least", "less_than"}),
}

ACTIONS: dict[str, str] = {
    "set_fields": "set fields",
    "assign": "assign by a routing method",
    "add_tags": "add tags",
    "apply_macro": "apply a macro",
    "add_note": "add an internal note",
    "notify": "notify people",
    "send_reply": "send a templated reply",
    "start_complaint": "start a complaint",
    "call_webhook": "call a webhook",
}
SETTABLE = ("status", "priority", "type", "team", "owner")
ROUTING_METHODS = ("", "round_robin", "least_loaded", "skills")
TEAM_METHOD = '"" (the team\'s own)'
TIME_ANCHORS = {"since.created", "since.updated", "since.first_response", "since.resolved"}
CLOSING = frozenset({"resolved", "closed"})

PRIORITIES = {"low": 1, "normal": 2, "high": 3, "urgent": 4}

# Refusals (module constants, so tests assert the exact text).
CLOSES_COMPLAINTS = (
    "This rule could resolve or close complaints. A complaint is resolved by a person once its HEAT "
    "stages (Hear, Empathise, Apologise, Take ownership), the customer's response and the root cause "
    "are recorded (the organisation's complaint procedure; DISP 1.4 for regulated firms): add the "
    'condition "case type is not complaint".'
)
STARTS_AND_CLOSES = "A rule may not start a complaint and resolve or close the case in one firing."
REPLY_NOT_SERVICE = (
    "An automatic reply may only be a service message. Marketing needs the customer's consent "
    "(PECR 2003 reg. 22, UK GDPR Art 6(1)(a)): send it through proactive outreach, which checks consent."
)
REPLY_WITHOUT_CHECKS = (
    "An automatic reply cannot skip the customer's consent and restriction checks (UK GDPR Art 18, PECR 2003 reg. 22)."
)
TIME_RULE_NEEDS_TIME = "A time rule needs a condition on the time since something happened (since.…, at least)."
EVENT_RULE_NEEDS_EVENTS = "Choose at least one event."


class DefinitionError(ValueError):
    """A definition that cannot be evaluated: ``errors`` by path (``actions.0.fields.status``)."""

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = {k: list(v) for k, v in errors.items()}


# --- durations ---------------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|h|d)\s*$")


def parse_duration(value: object, *, working_day: timedelta = timedelta(hours=8)) -> timedelta:
    """Business time from "30m", "4h" or "5d"; a business day is ``working_day`` of business time
    (the calendar's opening hours on a normal day), so "5 business days" skips evenings, weekends
    and bank holidays as the SLA clock does (seed 000, domain.md §3)."""
    match = _DURATION.match(str(value)) if isinstance(value, str | int | float) else None
    if match is None:
        raise ValueError('Give a business time such as "30m", "4h" or "5d".')
    amount, unit = float(match.group(1)), match.group(2)
    if unit == "m":
        return timedelta(minutes=amount)
    if unit == "h":
        return timedelta(hours=amount)
    return working_day * amount


def business_cutoff(between: Callable[[datetime, datetime], timedelta], now: datetime, duration: timedelta) -> datetime:
    """The latest instant ``t`` with at least ``duration`` of business time in ``[t, now)``, found by
    bisection (business time is monotone in ``t``). Business time never exceeds wall time, so ``t``
    is at or before ``now - duration``; a case whose moment is at or before ``t`` has waited long
    enough. Exact to the second."""
    if duration <= timedelta(0):
        return now
    high = now - duration
    step = duration
    low = high - step
    while between(low, now) < duration:
        step *= 2
        low = high - step
        if step > timedelta(days=3660):  # a calendar that is never open: nothing has waited long enough
            return low
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if between(middle, now) >= duration:
            low = middle
        else:
            high = middle
    return low


# --- facts --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Facts:
    """What the conditions of one evaluation may read about a case, at ``now``.

    ``case`` and ``customer`` hold the plain values of their fields (priority as its label, team
    and owner as ids, tags as a frozenset); ``event`` the kind, field and after of the triggering
    event (empty for time rules); ``text`` the subject and the message the event is about, in lower
    case; ``moments`` the instants ``since.*`` measures from; ``business_between`` the business
    time between two instants in the case's calendar."""

    case: Mapping[str, Any]
    customer: Mapping[str, Any]
    event: Mapping[str, str]
    text: str
    moments: Mapping[str, datetime | None]
    now: datetime
    business_hours: bool
    business_between: Callable[[datetime, datetime], timedelta]
    adjustments: bool = False
    mailbox: str = ""


Predicate = Callable[[Facts], bool]


@dataclass(frozen=True)
class Action:
    type: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to evaluate: its id and version, trigger and events, the predicate, its actions,
    and the conditions on time (anchor, at least / less than, business time) for a time scan."""

    rule_id: int
    version: int
    name: str
    trigger: str
    events: frozenset[str]
    predicate: Predicate
    actions: tuple[Action, ...]
    time_conditions: tuple[tuple[str, str, timedelta], ...] = ()
    conditions: Mapping[str, Any] = field(default_factory=dict)


# --- checking -----------------------------------------------------------------------------------


def _check_value(kind: str, op: str, value: Any, path: str, errors: dict[str, list[str]], day: timedelta) -> None:
    if kind == "duration":
        try:
            parse_duration(value, working_day=day)
        except ValueError as exc:
            errors.setdefault(path, []).append(str(exc))
        return
    if kind == "flag":
        if not isinstance(value, bool):
            errors.setdefault(path, []).append("Give true or false.")
        return
    if op in {"empty", "not_empty"}:
        return
    if op in {"in", "not_in"}:
        if not isinstance(value, list) or not value or not all(isinstance(v, str | int) for v in value):
            errors.setdefault(path, []).append("Give a list of values.")
        return
    if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
        errors.setdefault(path, []).append("Give a value.")


def _check_group(group: Any, path: str, errors: dict[str, list[str]], day: timedelta, depth: int = 0) -> None:
    if not isinstance(group, dict):
        errors.setdefault(path or "conditions", []).append('Give a group: {"match": "all", "conditions": [...]}.')
        return
    prefix = f"{path}." if path else ""
    if group.get("match", "all") not in {"all", "any"}:
        errors.setdefault(f"{prefix}match", []).append('Choose "all" or "any".')
    items = group.get("conditions", [])
    if not isinstance(items, list):
        errors.setdefault(f"{prefix}conditions", []).append("Give a list of conditions.")
        return
    if depth > 3:
        errors.setdefault(path, []).append("Groups may be nested at most three deep.")
        return
    for i, item in enumerate(items):
        where = f"{prefix}conditions.{i}"
        if isinstance(item, dict) and "conditions" in item:
            _check_group(item, where, errors, day, depth + 1)
            continue
        if not isinstance(item, dict):
            errors.setdefault(where, []).append("Give a condition: field, op and value.")
            continue
        name = item.get("field")
        kind = FIELDS.get(name) if isinstance(name, str) else None
        if kind is None:
            errors.setdefault(f"{where}.field", []).append(f"Choose one of: {', '.join(FIELDS)}.")
            continue
        op = item.get("op")
        if op not in OPS[kind]:
            errors.setdefault(f"{where}.op", []).append(f"Choose one of: {', '.join(sorted(OPS[kind]))}.")
            continue
        _check_value(kind, op, item.get("value"), f"{where}.value", errors, day)


def _check_action(action: Any, path: str, errors: dict[str, list[str]]) -> None:
    def bad(where: str, message: str) -> None:
        errors.setdefault(f"{path}.{where}" if where else path, []).append(message)

    if not isinstance(action, dict) or action.get("type") not in ACTIONS:
        bad("type", f"Choose one of: {', '.join(ACTIONS)}.")
        return
    kind = action["type"]
    if kind == "set_fields":
        fields = action.get("fields")
        if not isinstance(fields, dict) or not fields:
            bad("fields", f"Give the fields to set, among: {', '.join(SETTABLE)}.")
            return
        for name, value in fields.items():
            if name not in SETTABLE:
                bad(f"fields.{name}", f"Choose among: {', '.join(SETTABLE)}.")
            elif name == "priority" and value not in PRIORITIES:
                bad("fields.priority", f"Choose one of: {', '.join(PRIORITIES)}.")
            elif name in {"team", "owner"} and not (value is None or (isinstance(value, int) and value > 0)):
                bad(f"fields.{name}", "Give an id, or null for nobody.")
            elif name in {"status", "type"} and (not isinstance(value, str) or not value):
                bad(f"fields.{name}", "Give a value.")
    elif kind == "assign":
        if action.get("method", "") not in ROUTING_METHODS:
            named = ", ".join(m or TEAM_METHOD for m in ROUTING_METHODS)
            bad("method", f"Choose one of: {named}.")
    elif kind == "add_tags":
        tags = action.get("tags")
        if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t.strip() for t in tags):
            bad("tags", "Give a list of tags.")
    elif kind in {"apply_macro", "call_webhook"}:
        key = "macro" if kind == "apply_macro" else "webhook"
        if not isinstance(action.get(key), int) or isinstance(action.get(key), bool) or action[key] < 1:
            bad(key, "Give its id.")
    elif kind in {"add_note", "send_reply"}:
        body = action.get("body")
        if not isinstance(body, str) or not body.strip():
            bad("body", "Write the text.")
        elif len(body) > 20000:
            bad("body", "Keep it under 20,000 characters.")
    elif kind == "notify":
        people = action.get("people")
        if not isinstance(people, list) or not people or not all(p == "owner" or _is_id(p) for p in people):
            bad("people", 'Give a list of people: "owner" or user ids.')
        message = action.get("message")
        if not isinstance(message, str) or not message.strip():
            bad("message", "Write the message.")


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def check(definition: Any, *, working_day: timedelta = timedelta(hours=8)) -> dict[str, Any]:
    """The definition, normalised, or ``DefinitionError`` naming every problem by its path."""
    errors: dict[str, list[str]] = {}
    if not isinstance(definition, dict):
        raise DefinitionError({"definition": ["Give the rule as an object."]})
    trigger = definition.get("trigger", "event")
    if trigger not in TRIGGERS:
        errors.setdefault("trigger", []).append('Choose "event" or "time".')
    events = definition.get("events", [])
    if trigger == "event":
        if not isinstance(events, list) or not events:
            errors.setdefault("events", []).append(EVENT_RULE_NEEDS_EVENTS)
        else:
            for i, kind in enumerate(events):
                if kind not in EVENT_KINDS:
                    errors.setdefault(f"events.{i}", []).append(f"Choose one of: {', '.join(EVENT_KINDS)}.")
    conditions = definition.get("conditions", {"match": "all", "conditions": []})
    _check_group(conditions, "conditions", errors, working_day)
    actions = definition.get("actions")
    if not isinstance(actions, list) or not actions:
        errors.setdefault("actions", []).append("Give at least one action.")
    else:
        for i, action in enumerate(actions):
            _check_action(action, f"actions.{i}", errors)
    if not errors and trigger == "time" and not _time_conditions(conditions, working_day):
        errors.setdefault("conditions", []).append(TIME_RULE_NEEDS_TIME)
    if errors:
        raise DefinitionError(errors)
    return {
        "trigger": trigger,
        "events": list(dict.fromkeys(events)) if trigger == "event" else [],
        "conditions": conditions,
        "actions": actions,
    }


def _top_level(conditions: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The conditions that must all hold (the top group when it matches "all")."""
    if conditions.get("match", "all") != "all":
        return []
    return [c for c in conditions.get("conditions", []) if "field" in c]


def _excludes_complaints(conditions: Mapping[str, Any]) -> bool:
    for item in _top_level(conditions):
        if item["field"] != "case.type":
            continue
        op, value = item["op"], item.get("value") or ()
        if (op == "is" and value != "complaint") or (op == "is_not" and value == "complaint"):
            return True
        if op == "in" and "complaint" not in value:
            return True
        if op == "not_in" and "complaint" in value:
            return True
    return False


def refusals(definition: Mapping[str, Any]) -> list[str]:
    """Why a checked definition may not be saved: what the law or the organisation's policy forbids
    and the configuration alone shows. What depends on the customer (restriction of processing,
    reasonable adjustments, consent) is decided when the rule runs (``skip_reason``)."""
    found: list[str] = []
    actions = definition["actions"]
    closes = any(a["type"] == "set_fields" and a["fields"].get("status") in CLOSING for a in actions)
    if closes and any(a["type"] == "start_complaint" for a in actions):
        found.append(STARTS_AND_CLOSES)
    sets_complaint = any(a["type"] == "set_fields" and a["fields"].get("type") == "complaint" for a in actions)
    if closes and (sets_complaint or not _excludes_complaints(definition["conditions"])):
        found.append(CLOSES_COMPLAINTS)
    for action in actions:
        if action["type"] == "send_reply":
            if action.get("purpose", "service") != "service":
                found.append(REPLY_NOT_SERVICE)
            if action.get("skip_consent") or action.get("skip_checks"):
                found.append(REPLY_WITHOUT_CHECKS)
    return list(dict.fromkeys(found))


# --- compiling ----------------------------------------------------------------------------------


def _read(name: str) -> Callable[[Facts], Any]:
    scope, _, key = name.partition(".")
    if scope == "case":
        return lambda f: f.case.get(key)
    if scope == "customer":
        if key == "adjustments":
            return lambda f: f.adjustments
        return lambda f: f.customer.get(key)
    if scope == "event":
        return lambda f: f.event.get(key, "")
    if name == "mailbox":
        return lambda f: f.mailbox
    if name == "business_hours":
        return lambda f: f.business_hours
    if name == "text":
        return lambda f: f.text
    raise DefinitionError({name: ["Unknown field."]})


def _norm(value: Any) -> str:
    return str(value).strip().lower()


def _condition(item: Mapping[str, Any], day: timedelta) -> Predicate:
    name, op, value = item["field"], item["op"], item.get("value")
    kind = FIELDS[name]
    if kind == "duration":
        limit = parse_duration(value, working_day=day)
        anchor = name.partition(".")[2]

        def elapsed(f: Facts) -> timedelta | None:
            moment = f.moments.get(anchor)
            return None if moment is None else f.business_between(moment, f.now)

        if op == "at_least":
            return lambda f: (e := elapsed(f)) is not None and e >= limit
        return lambda f: (e := elapsed(f)) is not None and e < limit
    read = _read(name)
    if kind == "flag":
        wanted = bool(value)
        return lambda f: bool(read(f)) is wanted
    if kind == "text":
        needle = _norm(value)
        if op == "contains":
            return lambda f: needle in (read(f) or "").lower()
        return lambda f: needle not in (read(f) or "").lower()
    if kind == "tags":
        tag = _norm(value)
        if op == "has":
            return lambda f: tag in (read(f) or ())
        return lambda f: tag not in (read(f) or ())
    if op == "empty":
        return lambda f: read(f) in (None, "")
    if op == "not_empty":
        return lambda f: read(f) not in (None, "")
    if op in {"in", "not_in"}:
        options = frozenset(_norm(v) for v in value or ())
        if op == "in":
            return lambda f: _norm(read(f)) in options
        return lambda f: _norm(read(f)) not in options
    one = _norm(value)
    if op == "is":
        return lambda f: _norm(read(f)) == one
    return lambda f: _norm(read(f)) != one


def _group(group: Mapping[str, Any], day: timedelta) -> Predicate:
    parts = tuple(
        _group(item, day) if "conditions" in item else _condition(item, day) for item in group.get("conditions", [])
    )
    if not parts:
        return lambda f: True
    if len(parts) == 1:
        return parts[0]
    if group.get("match", "all") == "any":
        return lambda f: any(p(f) for p in parts)
    return lambda f: all(p(f) for p in parts)


def _time_conditions(conditions: Mapping[str, Any], day: timedelta) -> tuple[tuple[str, str, timedelta], ...]:
    """The top-level conditions on time since a moment: what a time scan can put in SQL."""
    return tuple(
        (item["field"].partition(".")[2], item["op"], parse_duration(item.get("value"), working_day=day))
        for item in _top_level(conditions)
        if item["field"] in TIME_ANCHORS
    )


def compile_rule(
    *, rule_id: int, version: int, name: str, definition: Mapping[str, Any], working_day: timedelta = timedelta(hours=8)
) -> CompiledRule:
    """A checked definition as a predicate and its actions (call once per version and keep it)."""
    conditions = definition["conditions"]
    return CompiledRule(
        rule_id=rule_id,
        version=version,
        name=name,
        trigger=definition["trigger"],
        events=frozenset(definition.get("events", ())),
        predicate=_group(conditions, working_day),
        actions=tuple(Action(a["type"], {k: v for k, v in a.items() if k != "type"}) for a in definition["actions"]),
        time_conditions=_time_conditions(conditions, working_day),
        conditions=conditions,
    )


# --- firing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chain:
    """Where an event sits in a chain of firings: ``depth`` 0 for what a person or the system did,
    n for what the nth firing in a row caused; ``rules`` the ids of the rules that fired on the way."""

    depth: int = 0
    rules: frozenset[int] = frozenset()


def may_fire(rule_id: int, chain: Chain) -> bool:
    """A rule fires on an event only while the chain is shorter than ``MAX_CHAIN`` and the rule has
    not fired already in it (a rule never fires on its own changes, even through another rule)."""
    return chain.depth < MAX_CHAIN and rule_id not in chain.rules


def matching(rules: Sequence[CompiledRule], kind: str, facts: Facts, chain: Chain) -> list[CompiledRule]:
    """The event rules, in their order, that fire for an event of ``kind`` with ``facts``."""
    return [r for r in rules if kind in r.events and may_fire(r.rule_id, chain) and r.predicate(facts)]


def skip_reason(action: Action, *, restricted: bool, adjustments: bool, contact_allowed: bool) -> str:
    """Why an action must not be taken for this customer now (empty: take it).

    - Restriction of processing (UK GDPR Art 18(2)): the data is stored but not otherwise used, so
      no automated action is taken on the case at all.
    - Reasonable adjustments (Equality Act 2010 s.20): a person writes to the customer and decides
      when the case is finished, in the format and time agreed; an automatic reply or resolution is
      skipped.
    - A service reply the customer may not be sent on this channel (``contact_allowed`` False)."""
    if restricted:
        return "processing of this customer's data is restricted (UK GDPR Art 18): no automated action"
    sends = action.type == "send_reply"
    closes = action.type == "set_fields" and action.params.get("fields", {}).get("status") in CLOSING
    if adjustments and (sends or closes):
        return "reasonable adjustments are in force (Equality Act 2010 s.20): a person must do this"
    if sends and not contact_allowed:
        return "the customer may not be contacted on this channel"
    return ""


def describe(action: Action) -> str:
    """An action in words, for the record of a firing and the dry run."""
    p = action.params
    if action.type == "set_fields":
        return "set " + ", ".join(f"{k} to {v if v is not None else 'nobody'}" for k, v in p["fields"].items())
    if action.type == "assign":
        method = str(p.get("method") or "") or "the team's own method"
        return f"assign by {method.replace('_', ' ')}"
    if action.type == "add_tags":
        return "add tags " + ", ".join(p["tags"])
    if action.type == "apply_macro":
        return f"apply macro {p['macro']}"
    if action.type == "add_note":
        return "add an internal note"
    if action.type == "notify":
        return "notify " + ", ".join("the owner" if x == "owner" else f"person {x}" for x in p["people"])
    if action.type == "send_reply":
        return "send a templated reply"
    if action.type == "start_complaint":
        return "start a complaint"
    return f"call webhook {p.get('webhook')}"


def working_day_of(opening_hours: Mapping[int, Sequence[tuple[str, str]]]) -> timedelta:
    """A business day of a calendar: its mean opening time on the weekdays it opens (8 hours when
    it never opens, so that a definition still reads)."""
    totals: list[float] = []
    for spans in opening_hours.values():
        seconds = 0.0
        for start, end in spans:
            h1, m1 = (int(x) for x in start.split(":")[:2])
            h2, m2 = (int(x) for x in end.split(":")[:2]) if end not in {"24:00", "24:00:00"} else (24, 0)
            seconds += (h2 * 60 + m2 - h1 * 60 - m1) * 60
        if seconds > 0:
            totals.append(seconds)
    if not totals:
        return timedelta(hours=8)
    return timedelta(seconds=math.floor(sum(totals) / len(totals)))
