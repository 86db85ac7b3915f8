"""Writes for service planning: known events and handling times (planners only)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from rapport.accounts.models import User
from rapport.domain.case_rules import CaseType, Channel
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.workforce import access as policy
from rapport.workforce.models import MAX_UPLIFT, MIN_UPLIFT, HandlingTime, KnownEvent

NOT_A_PLANNER = "Only team leaders and managers plan the service."
NAME_NEEDED = "Give the event a name, such as 'Price rise letters'."
DAYS_ORDER = "The last day must be on or after the first day."
UPLIFT_RANGE = f"Give a change from {MIN_UPLIFT}% to {MAX_UPLIFT}%."
BAD_CHANNEL = "Choose one of the channels, or none for every channel."
BAD_TYPE = "Choose one of the case types, or none for every type."
SECONDS_RANGE = "Give a handling time from 1 second to 8 hours."
NO_EVENT = "No known event with that id."


def _planner(actor: User) -> None:
    if not policy.can_plan(actor):
        raise Forbidden(NOT_A_PLANNER)


def known_event_add(
    *, actor: User, name: str, first_day: date, last_day: date, uplift_percent: int, channel: str = "", now: datetime
) -> KnownEvent:
    """Enter an event that changes demand; the forecast applies it from the next reading."""
    _planner(actor)
    name = name.strip()
    if not name:
        raise FieldError(name=NAME_NEEDED)
    if last_day < first_day:
        raise FieldError(last_day=DAYS_ORDER)
    if not MIN_UPLIFT <= uplift_percent <= MAX_UPLIFT:
        raise FieldError(uplift_percent=UPLIFT_RANGE)
    if channel and channel not in set(Channel):
        raise FieldError(channel=BAD_CHANNEL)
    return KnownEvent.objects.create(
        name=name[:200],
        channel=channel,
        first_day=first_day,
        last_day=last_day,
        uplift_percent=uplift_percent,
        created_by=actor,
        created_at=now,
    )


def known_event_remove(*, actor: User, event_id: int) -> None:
    _planner(actor)
    deleted, _ = KnownEvent.objects.filter(pk=event_id).delete()
    if not deleted:
        raise NotFound(NO_EVENT)


def handling_time_set(
    *, actor: User, channel: str, case_type: str = "", seconds: int | None, now: datetime
) -> HandlingTime | None:
    """Set a planner's handling time for a channel (and type), or clear it (``seconds`` None) so
    the measured figure is used again."""
    _planner(actor)
    if channel not in set(Channel):
        raise FieldError(channel=BAD_CHANNEL)
    if case_type and case_type not in set(CaseType):
        raise FieldError(case_type=BAD_TYPE)
    with transaction.atomic():
        if seconds is None:
            HandlingTime.objects.filter(channel=channel, case_type=case_type).delete()
            return None
        if not 1 <= seconds <= 8 * 3600:
            raise FieldError(seconds=SECONDS_RANGE)
        row, _ = HandlingTime.objects.update_or_create(
            channel=channel, case_type=case_type, defaults={"seconds": seconds, "edited_by": actor, "edited_at": now}
        )
        return row
