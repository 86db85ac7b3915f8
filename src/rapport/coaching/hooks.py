"""How coaching plugs into the desk: its navigation link, case links for sessions, the staff's
voice for the service-profit chain, and its demo data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.urls import reverse

from rapport import extensions
from rapport.coaching import access as policy

if TYPE_CHECKING:
    from rapport.accounts.models import User

_registered = False


def case_links(actor: User, ids: Sequence[int]) -> Mapping[int, extensions.WorkLink]:
    """Cases named by id, those ``actor`` may see (the core's scope): one query."""
    from rapport.access import visible_cases
    from rapport.domain.references import format_reference

    return {
        pk: extensions.WorkLink(
            f"{format_reference(pk)}: {subject}", reverse("cases:detail", args=[format_reference(pk)])
        )
        for pk, subject in visible_cases(actor).filter(pk__in=ids).values_list("pk", "subject")
    }


def staff_voice(start: date, end: date) -> Mapping[int, extensions.StaffVoice]:
    from rapport.coaching.selectors import staff_voice as voice

    return voice(start, end)


def seed_demo(now: datetime) -> None:
    from rapport.coaching.demo import seed

    seed(now=now)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.coaching import tasks  # noqa: F401  (the daily reminders)

    extensions.work_links.register(extensions.CASE_LINK, case_links)
    extensions.staff_voice.append(staff_voice)
    extensions.demo_seeders.append(seed_demo)
    extensions.nav_items.append(
        extensions.NavItem(
            label="Coaching", url_name="coaching:me", section="coaching", visible=policy.can_use, order=88
        )
    )
