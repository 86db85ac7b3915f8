"""Every write of time tracking: timers, entries, and the case event each entry writes.

Keyword-only and typed; ``now`` is injected so the rules can be tested at any moment. The day an
entry counts on is the organisation's calendar date (``timezone.localdate``). Each entry added,
changed or removed is a case event (``events``), written through the journal in the same
transaction; customers never see them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from rapport import access as core_policy
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case
from rapport.domain import worktime
from rapport.domain.worktime import WorkTimeRefused
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound
from rapport.timetracking import access as policy
from rapport.timetracking.events import TIME_CHANGED, TIME_LOGGED, TIME_REMOVED
from rapport.timetracking.models import RunningTimer, Source, TimeCategory, TimeEntry

NO_ENTRY = "No time entry with that id."
NOT_YOURS = "You can change only your own time entries (team leaders: their teams')."
CHOOSE_CATEGORY = "Choose what the time was spent on."
NOTE_TOO_LONG = "Keep the note to 200 characters or fewer."
ENTRY_CHANGED = "Someone else changed this entry since you opened it. Review it and try again."
TIMER_ELSEWHERE = "Your timer is running on {reference}: stop it there first."
NO_TIMER = "You have no timer running."
ONLY_STAFF = "Only staff track time."
MAX_NOTE = 200


T = TypeVar("T")


def _checked(errors: dict[str, list[str]], check: Callable[[], T]) -> T | None:
    """``check()``, or None with its field errors added to ``errors``."""
    try:
        return check()
    except FieldError as error:
        for name, messages in error.errors.items():
            errors.setdefault(name, []).extend(messages)
        return None


def _refused(refused: WorkTimeRefused) -> FieldError:
    return FieldError(**{refused.field: refused.message})


MAX_ID = 2**63 - 1  # no row id is larger; a larger number cannot even be sent to the database


def _row_id(value: int | str | None) -> int | None:
    try:
        found = int(value or 0)
    except (TypeError, ValueError):
        return None
    return found if 1 <= found <= MAX_ID else None


def _category(category_id: int | str | None) -> TimeCategory:
    pk = _row_id(category_id)
    found = TimeCategory.objects.filter(pk=pk, active=True).first() if pk else None
    if found is None:
        raise FieldError(category=CHOOSE_CATEGORY)
    return found


def _note(note: str) -> str:
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise FieldError(note=NOTE_TOO_LONG)
    return note


def _minutes(minutes: int | str) -> int:
    try:
        if isinstance(minutes, str):
            return worktime.parse_duration(minutes)
        return worktime.check_minutes(minutes)
    except WorkTimeRefused as refused:
        raise _refused(refused) from None


def _day(worked_on: date, now: datetime) -> date:
    try:
        return worktime.check_day(worked_on, today=timezone.localdate(now))
    except WorkTimeRefused as refused:
        raise _refused(refused) from None


def describe(entry: TimeEntry) -> str:
    """The entry in words for the case's timeline (names as they are now, kept as text)."""
    words = f"{worktime.hours_minutes(entry.minutes)} {entry.category.name.lower()} on {entry.worked_on.isoformat()}"
    by = entry.agent.name or entry.agent.email
    return f"{words} by {by}" + (f" ({entry.note})" if entry.note else "")


def entry_current(entry: TimeEntry) -> dict[str, object]:
    """The entry as it is now, for a 409's ``current``."""
    return {
        "id": entry.pk,
        "version": entry.version,
        "minutes": entry.minutes,
        "worked_on": entry.worked_on.isoformat(),
        "category": entry.category_id,
        "note": entry.note,
    }


def _require_tracker(actor: User) -> None:
    if not policy.can_track(actor):
        raise Forbidden(ONLY_STAFF)


def entry_add(
    *,
    actor: User,
    case: Case,
    minutes: int | str,
    worked_on: date | None = None,
    category_id: int | str | None,
    note: str = "",
    now: datetime | None = None,
    source: Source = Source.MANUAL,
) -> TimeEntry:
    """Record time ``actor`` spent on ``case`` (loaded through the access gate by the caller)."""
    now = now or timezone.now()
    _require_tracker(actor)
    core_policy.require_work(actor, case)
    errors: dict[str, list[str]] = {}  # every field's problem at once
    counted = _checked(errors, lambda: _minutes(minutes))
    day = _checked(errors, lambda: _day(worked_on or timezone.localdate(now), now))
    category = _checked(errors, lambda: _category(category_id))
    said = _checked(errors, lambda: _note(note))
    if errors or counted is None or day is None or category is None or said is None:
        raise FieldError(errors)
    with transaction.atomic():
        entry = TimeEntry.objects.create(
            case=case,
            agent=actor,
            minutes=counted,
            worked_on=day,
            category=category,
            note=said,
            source=source,
            created_at=now,
            updated_at=now,
        )
        journal.record(case=case, kind=TIME_LOGGED, at=now, actor=actor, after=describe(entry))
    return entry


def access_entry(actor: User, entry_id: int | str, *, for_update: bool = False) -> TimeEntry:
    """An entry on a case ``actor`` may see, else ``NotFound`` (missing or forbidden alike)."""
    pk = _row_id(entry_id)
    if pk is None or not policy.can_track(actor):
        raise NotFound(NO_ENTRY)
    entries = TimeEntry.objects.select_related("case", "agent", "category").filter(
        case__in=core_policy.visible_cases(actor)
    )
    if for_update:
        entries = entries.select_for_update(of=("self",))
    try:
        return entries.get(pk=pk)
    except TimeEntry.DoesNotExist:
        raise NotFound(NO_ENTRY) from None


def _require_change(actor: User, entry: TimeEntry) -> None:
    teams = list(entry.agent.teams.values_list("id", flat=True)) if entry.agent_id != actor.pk else []
    if not policy.can_change_entry(actor, entry, teams):
        raise Forbidden(NOT_YOURS)


def _check_version(entry: TimeEntry, version: int | None) -> None:
    if version is not None and version != entry.version:
        raise Conflict(ENTRY_CHANGED, current=entry_current(entry))


def entry_change(
    *,
    actor: User,
    entry_id: int | str,
    version: int | None = None,
    minutes: int | str | None = None,
    worked_on: date | None = None,
    category_id: int | str | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> TimeEntry:
    """Change what an entry records (only what is given); its case gets a ``time_changed`` event."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = access_entry(actor, entry_id, for_update=True)
        _require_change(actor, entry)
        _check_version(entry, version)
        before = describe(entry)
        errors: dict[str, list[str]] = {}
        if minutes is not None and (counted := _checked(errors, lambda: _minutes(minutes))) is not None:
            entry.minutes = counted
        if worked_on is not None and (day := _checked(errors, lambda: _day(worked_on, now))) is not None:
            entry.worked_on = day
        if category_id is not None and (category := _checked(errors, lambda: _category(category_id))) is not None:
            entry.category = category
        if note is not None and (said := _checked(errors, lambda: _note(note))) is not None:
            entry.note = said
        if errors:
            raise FieldError(errors)
        after = describe(entry)
        if after == before:
            return entry
        entry.version += 1
        entry.updated_at = now
        entry.save()
        journal.record(case=entry.case, kind=TIME_CHANGED, at=now, actor=actor, before=before, after=after)
    return entry


def entry_delete(*, actor: User, entry_id: int | str, version: int | None = None, now: datetime | None = None) -> None:
    """Remove an entry; its case gets a ``time_removed`` event saying what it recorded."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = access_entry(actor, entry_id, for_update=True)
        _require_change(actor, entry)
        _check_version(entry, version)
        before = describe(entry)
        case = entry.case
        entry.delete()
        journal.record(case=case, kind=TIME_REMOVED, at=now, actor=actor, before=before)


def timer_start(*, actor: User, case: Case, now: datetime | None = None) -> RunningTimer:
    """Start ``actor``'s timer on ``case``; starting it again there is harmless, but one timer runs
    at a time (a timer on another case must be stopped first)."""
    now = now or timezone.now()
    _require_tracker(actor)
    core_policy.require_work(actor, case)
    try:
        with transaction.atomic():
            timer, _created = RunningTimer.objects.select_related("case").get_or_create(
                agent=actor, defaults={"case": case, "started_at": now}
            )
    except IntegrityError:  # started at the same instant in another tab
        timer = RunningTimer.objects.select_related("case").get(agent=actor)
    if timer.case_id != case.pk:
        raise FieldError(timer=TIMER_ELSEWHERE.format(reference=timer.case.reference))
    return timer


def timer_stop(*, actor: User, category_id: int | str | None, note: str = "", now: datetime | None = None) -> TimeEntry:
    """Stop ``actor``'s timer and record what it counted (on the day it started)."""
    now = now or timezone.now()
    with transaction.atomic():
        timer = RunningTimer.objects.select_for_update().select_related("case").filter(agent=actor).first()
        if timer is None:
            raise FieldError(timer=NO_TIMER)
        try:
            minutes = worktime.timer_minutes(timer.started_at, now)
        except WorkTimeRefused as refused:
            raise _refused(refused) from None
        entry = entry_add(
            actor=actor,
            case=timer.case,
            minutes=minutes,
            worked_on=timezone.localdate(timer.started_at),
            category_id=category_id,
            note=note,
            now=now,
            source=Source.TIMER,
        )
        timer.delete()
    return entry


def timer_discard(*, actor: User) -> bool:
    """Throw ``actor``'s running timer away without recording it (it was left running)."""
    return RunningTimer.objects.filter(agent=actor).delete()[0] > 0
