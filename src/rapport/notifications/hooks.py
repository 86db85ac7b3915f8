"""How notifications plug into the core: journal subscribers that tell staff what concerns them,
the follow panel on the case page, the unread count in the header, the demo data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.http import HttpRequest

from rapport import extensions
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case, CaseEvent
from rapport.notifications import access as policy

_registered = False


def notify(events: Sequence[CaseEvent]) -> None:
    from rapport.notifications.services import notify as tell

    tell(events)


def follow_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    """Who follows the case, and a button to follow or stop (one query)."""
    from rapport.notifications.selectors import followers

    if not policy.can_follow(request.user):
        return None
    people = followers(case)
    following = any(p.pk == request.user.pk for p in people)
    return extensions.Panel(
        "notifications/_follow_panel.html",
        place="side",
        order=30,
        context={"followers": people, "following": following, "reference": case.reference},
    )


def unread_link(user: User) -> extensions.HeaderLink | None:
    from rapport.notifications.selectors import unread_count

    if not policy.can_be_notified(user):
        return None
    return extensions.HeaderLink("Notifications", "notifications:index", unread_count(user))


def _demo(now: datetime) -> None:
    from rapport.notifications.demo import seed_notifications_demo

    seed_notifications_demo(now)


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.notifications.services import WATCHED

    for kind in WATCHED:
        journal.subscribe(kind, notify, delivery=journal.Delivery.JOB, name=f"notifications.{kind}")
    extensions.case_panels.append(follow_panel)
    extensions.header_links.append(unread_link)
    extensions.demo_seeders.append(_demo)
