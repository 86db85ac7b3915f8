"""Every write of macros and signatures, and applying a macro to a case.

Applying a macro is one ``macro_applied`` event plus the ordinary events of what it changes, all
written by the cases services (``case_update``, ``message_add``), which check the permission
policy; the version the agent read is checked first, under the case's row lock, so a macro never
lands on a case that moved on. A macro that would send what the policy forbids is refused whole,
with the reasons, before anything is written (``macro_preview`` gives the same reasons).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import Team, User
from rapport.cases import journal
from rapport.cases.models import Case, Message, MessageKind
from rapport.cases.services import VERSION_CONFLICT, case_update, message_add, reply_preview
from rapport.domain import languages, placeholders
from rapport.domain.calendar import BusinessCalendar
from rapport.domain.case_rules import Channel, Priority, Status, can_move, tag_problem, tidy_tag
from rapport.domain.promises import next_business_day, promise
from rapport.macros import access
from rapport.macros.events import MACRO_APPLIED
from rapport.macros.models import Macro, Scope, Signature
from rapport.macros.selectors import NO_MACRO, signature_of
from rapport.platform import promises as wording
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound, Refused
from rapport.platform.markdown import MARKDOWN

NAME_REQUIRED = "Give the macro a name."
NAME_TOO_LONG = "Keep the name to 100 characters or fewer."
SCOPE_NOT_YOURS = (
    "You cannot keep a macro there: agents keep personal macros, team leaders their teams', managers shared ones."
)
TEAM_REQUIRED = "Choose the team this macro belongs to."
EMPTY_MACRO = "A macro needs a reply, an internal note or at least one action."
TEXT_TOO_LONG = "Keep it to 20,000 characters or fewer."
STATUS_UNKNOWN = "Choose one of: {choices}."
OWNER_NOT_STAFF = "Choose an active member of staff."
TEAM_UNKNOWN = "Choose a team."
CONTACT_NOT_PERMITTED = "The customer may not be contacted at the moment, so this macro's reply cannot be sent."
MOVE_REFUSED = "A {current} case cannot move to {target}."
OWNER_GONE = "The owner this macro assigns ({name}) is no longer an active member of staff."
SIGNATURE_TOO_LONG = "Keep a signature to 2,000 characters or fewer."
NOT_YOUR_TEAM = "Only the team's leader or a manager sets a team's signature."
MAX_TEXT = 20_000
MAX_SIGNATURE = 2_000
OFFICE = BusinessCalendar(hours=dict.fromkeys(range(5), (("09:00", "17:30"),)), tz="Europe/London")
"""The calendar when no app says which one a case is measured in: Monday to Friday, 09:00-17:30."""


@dataclass(frozen=True)
class MacroData:
    """A macro as its author gives it; empty action values leave that field of the case alone."""

    name: str
    scope: str = Scope.PERSONAL
    team_id: int | None = None
    reply: str = ""
    note: str = ""
    set_status: str = ""
    set_priority: int | str | None = None
    add_tags: str | Sequence[str] = ""
    set_owner_id: int | None = None
    set_team_id: int | None = None
    reply_cy: str = ""  # the reply in Welsh, for customers served in Welsh


def macro_data(macro: Macro) -> MacroData:
    """A saved macro as data, for an edit that changes some of it."""
    return MacroData(
        name=macro.name,
        scope=macro.scope,
        team_id=macro.team_id,
        reply=macro.reply,
        reply_cy=macro.reply_cy,
        note=macro.note,
        set_status=macro.set_status,
        set_priority=macro.set_priority,
        add_tags=macro.add_tags,
        set_owner_id=macro.set_owner_id,
        set_team_id=macro.set_team_id,
    )


def _tag_list(value: str | Sequence[str]) -> list[str]:
    names = value.split(",") if isinstance(value, str) else list(value)
    return [n.strip() for n in names if isinstance(n, str) and n.strip()]


def _validated(actor: User, data: MacroData, *, owner_id: int | None) -> dict[str, Any]:
    """The macro's columns from ``data``, or every problem at once, each named by its field."""
    errors: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    name = " ".join((data.name or "").split())
    if not name:
        problem("name", NAME_REQUIRED)
    elif len(name) > 100:
        problem("name", NAME_TOO_LONG)
    team_id = data.team_id if data.scope == Scope.TEAM else None
    if data.scope not in Scope.values:
        problem("scope", STATUS_UNKNOWN.format(choices=", ".join(Scope.values)))
    elif data.scope == Scope.TEAM and team_id is None:
        problem("team", TEAM_REQUIRED)
    elif team_id is not None and not Team.objects.filter(pk=team_id).exists():
        problem("team", TEAM_UNKNOWN)
    elif not access.can_hold(actor, data.scope, owner_id=owner_id, team_id=team_id):
        problem("scope", SCOPE_NOT_YOURS)
    texts = {
        "reply": (data.reply or "").replace("\r\n", "\n").strip(),
        "reply_cy": (data.reply_cy or "").replace("\r\n", "\n").strip(),
        "note": (data.note or "").replace("\r\n", "\n").strip(),
    }
    for field, text in texts.items():
        if len(text) > MAX_TEXT:
            problem(field, TEXT_TOO_LONG)
        for found in placeholders.problems(text):
            problem(field, found.message)
    status = data.set_status or ""
    if status and status not in {s.value for s in Status}:
        problem("set_status", STATUS_UNKNOWN.format(choices=", ".join(s.value for s in Status)))
    priority: int | None = None
    if data.set_priority not in (None, ""):
        try:
            priority = int(Priority(int(data.set_priority)))
        except (TypeError, ValueError):
            try:
                priority = int(Priority.from_label(str(data.set_priority)))
            except KeyError:
                problem("set_priority", STATUS_UNKNOWN.format(choices=", ".join(p.label for p in Priority)))
    tags = _tag_list(data.add_tags)
    for tag in tags:
        if found_problem := tag_problem(tag):
            problem("add_tags", found_problem)
    if data.set_owner_id is not None:
        owner = User.objects.filter(pk=data.set_owner_id, is_active=True).first()
        if owner is None or not policy.is_staff(owner):
            problem("set_owner", OWNER_NOT_STAFF)
    if data.set_team_id is not None and not Team.objects.filter(pk=data.set_team_id).exists():
        problem("set_team", TEAM_UNKNOWN)
    actions = (
        texts["reply"],
        texts["reply_cy"],
        texts["note"],
        status,
        priority,
        tags,
        data.set_owner_id,
        data.set_team_id,
    )
    if not any(a not in (None, "", []) for a in actions):
        problem("reply", EMPTY_MACRO)
    if errors:
        raise FieldError(errors)
    return {
        "name": name,
        "scope": data.scope,
        "team_id": team_id,
        "owner_id": owner_id if data.scope == Scope.PERSONAL else None,
        "reply": texts["reply"],
        "reply_cy": texts["reply_cy"],
        "note": texts["note"],
        "set_status": status,
        "set_priority": priority,
        "add_tags": ", ".join(sorted({tidy_tag(t) for t in tags})),
        "set_owner_id": data.set_owner_id,
        "set_team_id": data.set_team_id,
    }


def macro_create(*, actor: User, data: MacroData, now: datetime) -> Macro:
    """A new macro held by ``actor`` (personal), a team they lead, or everyone (managers)."""
    policy.require_staff(actor)
    values = _validated(actor, data, owner_id=actor.pk)
    return Macro.objects.create(**values, created_by=actor, created_at=now, updated_at=now)


def _editable(actor: User, macro: Macro) -> None:
    if not access.can_use(actor, macro):
        raise NotFound(NO_MACRO)
    if not access.can_edit(actor, macro):
        raise Forbidden(SCOPE_NOT_YOURS)


def macro_update(*, actor: User, macro: Macro, data: MacroData, now: datetime) -> Macro:
    """Save ``data`` over ``macro``; its usage counts stay."""
    _editable(actor, macro)
    owner_id = macro.owner_id if macro.owner_id is not None else actor.pk
    values = _validated(actor, data, owner_id=owner_id)
    with transaction.atomic():
        for name, value in values.items():
            setattr(macro, name, value)
        macro.updated_at = now
        macro.save()
    return macro


def macro_delete(*, actor: User, macro: Macro) -> None:
    _editable(actor, macro)
    macro.delete()


# --- applying a macro ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field a macro changes, as the preview lists it."""

    field: str
    label: str
    before: str
    after: str

    @property
    def changes(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Preview:
    """What applying ``macro`` to ``case`` would do now: the reply as the customer would read it
    (``reply_html``, or ``reply_text`` alone for a customer who asked for plain text), the filled
    source that would be stored, the internal note, the field changes, and every reason the policy
    refuses it (applying is refused while there is one)."""

    macro: Macro
    reply_source: str
    reply_html: str
    reply_text: str
    plain_text_only: bool
    note: str
    changes: tuple[Change, ...]
    refusals: tuple[str, ...]
    adjustments: tuple[str, ...]

    @property
    def changed(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.changes)


def _calendar(case: Case) -> BusinessCalendar:
    """The calendar ``case`` is measured in (the SLA app's, through ``extensions.case_calendars``)."""
    if extensions.case_calendars:
        source = extensions.case_calendars[0]()
        found = source.for_cases([case.pk]).get(case.pk) or source.default
        if found is not None:
            return found
    return OFFICE


def placeholder_values(*, actor: User, case: Case, now: datetime) -> dict[str, str]:
    """What each placeholder becomes on ``case`` for ``actor`` at ``now``. The customer's named
    contact or advocate (a reasonable adjustment) is addressed with them."""
    customer = case.customer
    contact = extensions.preferences_for(customer).contact_name
    name = customer.name
    if contact:
        name = gettext("%(customer)s and %(contact)s") % {"customer": customer.name, "contact": contact}
    calendar = _calendar(case)
    due = case.next_breach_at
    return {
        "customer.name": name,
        "case.reference": case.reference,
        "case.subject": case.subject,
        "agent.name": actor.name,
        "agent.signature": signature_of(actor),
        "sla.promise": wording.promise_words(promise(due, now, calendar.zone)) if due else gettext("as soon as we can"),
        "next_business_day": wording.business_day_words(next_business_day(calendar, now)),
    }


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize() if value else ""


def _changes(case: Case, macro: Macro) -> list[Change]:
    changes: list[Change] = []
    if macro.set_status:
        changes.append(Change("status", "Status", _label(case.status), _label(macro.set_status)))
    if macro.set_priority is not None:
        before = Priority(case.priority).label.capitalize()
        changes.append(Change("priority", "Priority", before, Priority(macro.set_priority).label.capitalize()))
    if macro.add_tags:
        current = sorted(t.name for t in case.tags.all())
        after = sorted(set(current) | set(_tag_list(macro.add_tags)))
        changes.append(Change("tags", "Tags", ", ".join(current), ", ".join(after)))
    if macro.set_owner_id is not None:
        before = case.owner.name if case.owner else ""
        changes.append(Change("owner", "Owner", before, macro.set_owner.name if macro.set_owner else ""))
    if macro.set_team_id is not None:
        before = case.team.name if case.team else ""
        changes.append(Change("team", "Team", before, macro.set_team.name if macro.set_team else ""))
    return changes


def _refusals(actor: User, case: Case, macro: Macro) -> list[str]:
    """Every reason the policy gives for not applying ``macro`` to ``case`` now."""
    found: list[str] = []
    if macro.reply or macro.reply_cy:
        channel = Channel.EMAIL if case.channel == Channel.EMAIL else case.channel
        if not extensions.contact_permitted(case.customer, "service", channel):
            found.append(CONTACT_NOT_PERMITTED)
        # A restriction of processing (UK GDPR Art 18(2)): the data is stored, not used to write.
        found.extend(extensions.record_refusals(case.customer))
    target = macro.set_status
    if target and target != case.status:
        if not can_move(Status(case.status), Status(target)):
            found.append(MOVE_REFUSED.format(current=_label(case.status).lower(), target=_label(target).lower()))
        elif target in {Status.RESOLVED, Status.CLOSED}:
            found.extend(extensions.close_refusals(case, actor, target))
    owner = macro.set_owner
    if macro.set_owner_id is not None and (owner is None or not policy.is_staff(owner)):
        found.append(OWNER_GONE.format(name=owner.name if owner else "?"))
    return found


def reply_for(macro: Macro, language: str) -> str:
    """The macro's reply in the customer's language: its Welsh version for a Welsh speaker when it
    has one, else the reply as written."""
    return macro.reply_cy if language == languages.WELSH and macro.reply_cy else macro.reply


def macro_preview(*, actor: User, case: Case, macro: Macro, now: datetime) -> Preview:
    """What applying ``macro`` to ``case`` would do (nothing is written)."""
    policy.require_work(actor, case)
    if not access.can_use(actor, macro):
        raise NotFound(NO_MACRO)
    values = placeholder_values(actor=actor, case=case, now=now)
    source = placeholders.fill(reply_for(macro, case.customer.language), values)
    shown = reply_preview(actor=actor, case=case, body=source) if source else None
    return Preview(
        macro=macro,
        reply_source=source,
        reply_html=shown.html if shown else "",
        reply_text=shown.text if shown else "",
        plain_text_only=bool(shown and shown.plain_text_only),
        note=placeholders.fill(macro.note, values),
        changes=tuple(_changes(case, macro)),
        refusals=tuple(_refusals(actor, case, macro)),
        adjustments=extensions.preferences_for(case.customer).notes if source else (),
    )


@dataclass(frozen=True)
class Applied:
    """A macro applied: the case as it is now, the reply sent (if any), what changed."""

    case: Case
    reply: Message | None
    preview: Preview


def apply_macro(*, actor: User, case: Case, macro: Macro, version: int | None, now: datetime) -> Applied:
    """Apply ``macro`` to ``case``, read by ``actor`` at ``version``.

    Returns what changed, or raises with the reason it was refused: ``Conflict`` (the case moved
    on since ``version``), ``Refused`` (the policy forbids what it would send or do, every reason
    given), ``FieldError`` (a change the cases services refuse) or ``NotFound``. Nothing is written
    when it is refused. The same service backs the case page, the API and the queue's bulk action.
    """
    if version is None:
        raise FieldError(version="Send the version of the case you are changing.")
    with transaction.atomic():
        locked = policy.access_case(actor, case.reference, for_update=True)
        policy.require_work(actor, locked)
        if locked.version != version:
            raise Conflict(VERSION_CONFLICT, current=locked)
        preview = macro_preview(actor=actor, case=locked, macro=macro, now=now)
        if preview.refusals:
            raise Refused(" ".join(preview.refusals))
        # The one event of the macro itself (by name, as it was called then); what it changes
        # follows as the ordinary events of those fields and messages.
        journal.record(case=locked, kind=MACRO_APPLIED, at=now, actor=actor, field="macro", after=macro.name)
        changes: dict[str, Any] = {}
        for change in preview.changed:
            if change.field == "status" and preview.reply_source:
                continue  # the reply moves the status (``status_after``), as the reply box does
            changes[change.field] = {
                "status": macro.set_status,
                "priority": macro.set_priority,
                "tags": change.after.split(", ") if change.after else [],
                "owner": macro.set_owner,
                "team": macro.set_team,
            }[change.field]
        if changes:
            locked = case_update(
                actor=actor, reference=locked.reference, expected_version=locked.version, changes=changes, now=now
            )
        reply = None
        if preview.reply_source:
            reply = message_add(
                actor=actor,
                reference=locked.reference,
                kind=MessageKind.OUTBOUND,
                body=preview.reply_source,
                body_format=MARKDOWN,
                status_after=macro.set_status or None,
                now=now,
            )
        if preview.note:
            message_add(actor=actor, reference=locked.reference, kind=MessageKind.NOTE, body=preview.note, now=now)
        Macro.objects.filter(pk=macro.pk).update(uses=F("uses") + 1, last_used_at=now)
        current = Case.objects.get(pk=locked.pk)
    return Applied(case=current, reply=reply, preview=preview)


# --- signatures ----------------------------------------------------------------------------------


def signature_set(*, actor: User, body: str, team: Team | None = None, now: datetime) -> Signature | None:
    """Set ``actor``'s own signature, or ``team``'s (its leader, or a manager). An empty body
    removes it (a person without one signs with their team's)."""
    policy.require_staff(actor)
    if team is not None and not access.can_sign_for_team(actor, team.pk):
        raise Forbidden(NOT_YOUR_TEAM)
    body = (body or "").replace("\r\n", "\n").strip()
    if len(body) > MAX_SIGNATURE:
        raise FieldError(body=SIGNATURE_TOO_LONG)
    holder: dict[str, Any] = {"team": team} if team is not None else {"user": actor}
    if not body:
        Signature.objects.filter(**holder).delete()
        return None
    found, _ = Signature.objects.update_or_create(**holder, defaults={"body": body, "updated_at": now})
    return found
