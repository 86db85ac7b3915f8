"""Writes: following cases, telling staff what concerns them, reading and choosing.

``notify`` is a journal subscriber (delivered by a job, at least once): given events of the kinds
it follows, it works out who should hear of each (the rules below), keeps those who may still see
the case, and tells each as they chose (``rules.channel_for``): a row in the app, an email through
the outbox (``rapport.platform.notify``), both or neither. Emails name the case by reference and
subject only, never the customer or what they wrote. The same event never notifies one person
twice (a unique row, and the email is written in the same transaction as the delivery).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from rapport.access import access_case, visible_cases
from rapport.accounts.models import STAFF_ROLES, User
from rapport.cases import journal
from rapport.cases.models import Case, CaseEvent, Message, MessageKind
from rapport.domain import mentions
from rapport.domain import notifications as rules
from rapport.notifications import access as policy
from rapport.notifications.models import Follow, Notification, Preference
from rapport.notifications.selectors import unread_key
from rapport.platform import notify as outbox
from rapport.platform.errors import FieldError, NotFound

# The journal kinds that may concern someone: an owner change (assignment), a note (a mention), a
# message (the customer's reply), the complaint approvals and the SLA alerts. Subscribing to a
# kind names it only; the app that records it need not be installed.
WATCHED = (
    "changed", "note", "message", "approval_requested", "approval_decided", "sla_warning", "sla_breached",
)  # fmt: skip
NO_NOTIFICATION = "No notification with that id."
_MESSAGE_ID = re.compile(r"#(\d+)$")
_SENT_TO = re.compile(r"sent to (?P<role>[a-z_]+)$")
SLA_TARGETS = {"first_response": "first response", "next_response": "next response", "resolution": "resolution"}


@dataclass(frozen=True)
class Owed:
    """One person to tell about one event."""

    user_id: int
    kind: str
    event: CaseEvent
    text: str


# --- following ---------------------------------------------------------------------------------


def follow(*, actor: User, reference: str, now: datetime | None = None) -> Case:
    """Follow the case (recorded on it; following it again changes nothing)."""
    now = now or timezone.now()
    with transaction.atomic():
        case = access_case(actor, reference, for_update=True)
        _, created = Follow.objects.get_or_create(case=case, user=actor, defaults={"created_at": now})
        if created:
            journal.record(case=case, kind="followed", at=now, actor=actor)
    return case


def unfollow(*, actor: User, reference: str, now: datetime | None = None) -> Case:
    """Stop following the case (recorded on it; nothing happens when not following)."""
    now = now or timezone.now()
    with transaction.atomic():
        case = access_case(actor, reference, for_update=True)
        removed, _ = Follow.objects.filter(case=case, user=actor).delete()
        if removed:
            journal.record(case=case, kind="unfollowed", at=now, actor=actor)
    return case


# --- who hears of what -------------------------------------------------------------------------


def notify(events: Sequence[CaseEvent]) -> None:
    """The journal subscriber: tell everyone each event concerns (see the module's docstring)."""
    owed = list(_owed(events))
    if not owed:
        return
    cases = {c.pk: c for c in Case.objects.filter(pk__in={o.event.case_id for o in owed}).select_related("team")}
    people = {u.pk: u for u in User.objects.filter(pk__in={o.user_id for o in owed}, is_active=True)}
    chosen: dict[int, dict[str, str]] = {}
    for user_id, kind, channel in Preference.objects.filter(user_id__in=people).values_list(
        "user_id", "kind", "channel"
    ):
        chosen.setdefault(user_id, {})[kind] = channel
    rows: list[Notification] = []
    emails: list[tuple[User, Case, Owed]] = []
    allowed: dict[tuple[int, int], bool] = {}
    for item in owed:
        person, case = people.get(item.user_id), cases.get(item.event.case_id)
        if person is None or case is None or not policy.can_be_notified(person):
            continue
        key = (person.pk, case.pk)
        if key not in allowed:  # only about cases they may see (the core's rule, asked once a pair)
            allowed[key] = visible_cases(person).filter(pk=case.pk).exists()
        if not allowed[key]:
            continue
        channel = rules.channel_for(item.kind, chosen.get(person.pk, {}))
        if rules.shows_in_app(channel):
            rows.append(
                Notification(
                    recipient=person,
                    kind=item.kind,
                    case=case,
                    event=item.event,
                    actor_id=item.event.actor_id,
                    text=item.text[:300],
                    created_at=item.event.at,
                )
            )
        if rules.sends_email(channel) and person.email:
            emails.append((person, case, item))
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    for person, case, item in emails:
        _email(person, case, item)
    if rows:
        keys = sorted({unread_key(r.recipient_id) for r in rows})
        transaction.on_commit(partial(cache.delete_many, keys))


def _email(person: User, case: Case, item: Owed) -> None:
    """A staff email: the case's reference, subject and a link; nothing the customer said."""
    link = settings.RAPPORT_BASE_URL.rstrip("/") + reverse("cases:detail", args=[case.reference])
    outbox.email_send(
        to=[person.email],
        subject=f"[{case.reference}] {item.text}",
        text=(
            f"{item.text}\n\nCase {case.reference}: {case.subject}\n{link}\n\n"
            "You can choose which notifications you get by email on your notifications page."
        ),
    )


def _owed(events: Iterable[CaseEvent]) -> Iterable[Owed]:
    events = list(events)
    names = _names({e.actor_id for e in events if e.actor_id})
    notes = _message_ids(e for e in events if e.kind == journal.NOTE.name)
    replies = _replies(
        [e for e in events if e.kind == journal.MESSAGE.name and e.after.startswith(MessageKind.INBOUND)]
    )
    bodies = (
        dict(Message.objects.filter(pk__in=notes.values(), kind=MessageKind.NOTE).values_list("pk", "body"))
        if notes
        else {}
    )
    watchers = _watchers({e.case_id for e in events if e.kind in ("sla_warning", "sla_breached") or e.pk in replies})
    staff = _staff() if bodies else []
    for event in events:
        by = names.get(event.actor_id or 0, "")
        if event.kind == journal.CHANGED.name and event.field == "owner" and event.after.isdigit():
            owner = int(event.after)
            if owner != event.actor_id:
                yield Owed(owner, rules.ASSIGNED, event, f"Assigned to you by {by}" if by else "Assigned to you")
        elif event.pk in notes and notes[event.pk] in bodies:
            for person in mentions.mentioned(bodies[notes[event.pk]], staff):
                if person != event.actor_id:
                    yield Owed(
                        person, rules.MENTIONED, event, f"{by or 'A colleague'} mentioned you in an internal note"
                    )
        elif event.pk in replies:
            for person in watchers.get(event.case_id, ()):
                if person != event.actor_id:
                    yield Owed(person, rules.CUSTOMER_REPLY, event, "The customer replied")
        elif event.kind in ("sla_warning", "sla_breached"):
            kind = rules.SLA_WARNING if event.kind == "sla_warning" else rules.SLA_BREACHED
            target = SLA_TARGETS.get(event.field, journal.humanise(event.field).lower() or "a target")
            words = (
                f"SLA warning: the {target} target is near"
                if kind == rules.SLA_WARNING
                else f"SLA breached: the {target} target was missed"
            )
            for person in watchers.get(event.case_id, ()):
                yield Owed(person, kind, event, words)
        elif event.kind == "approval_requested" and (found := _SENT_TO.search(event.after)):
            for person in User.objects.filter(role=found["role"], is_active=True).values_list("pk", flat=True):
                if person != event.actor_id:
                    yield Owed(person, rules.APPROVAL_REQUESTED, event, f"Approval requested by {by or 'a colleague'}")
        elif event.kind == "approval_decided":
            asked = (
                CaseEvent.objects.filter(case_id=event.case_id, kind="approval_requested", id__lt=event.pk)
                .order_by("-id")
                .values_list("actor_id", flat=True)
                .first()
            )
            if asked and asked != event.actor_id:
                verdict = "approved" if ": approved." in event.after else "refused"
                yield Owed(
                    asked,
                    rules.APPROVAL_DECIDED,
                    event,
                    f"Your approval request was {verdict} by {by or 'a colleague'}",
                )


def _names(ids: set[int]) -> dict[int, str]:
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _message_ids(events: Iterable[CaseEvent]) -> dict[int, int]:
    """Event id → the id of the message it records ("note #12")."""
    return {e.pk: int(m[1]) for e in events if (m := _MESSAGE_ID.search(e.after))}


def _replies(events: Sequence[CaseEvent]) -> dict[int, int]:
    """The customer messages among ``events`` that answer something: every one but the message a
    case was opened with (one query for any number)."""
    found = _message_ids(events)
    if not found:
        return found
    firsts = set(
        Message.objects.filter(case_id__in={e.case_id for e in events})
        .values("case_id")
        .annotate(first=Min("id"))
        .values_list("first", flat=True)
    )
    return {event_id: message_id for event_id, message_id in found.items() if message_id not in firsts}


def _watchers(case_ids: set[int]) -> dict[int, set[int]]:
    """Each case's owner and followers (two queries for any number of cases)."""
    found: dict[int, set[int]] = {}
    if not case_ids:
        return found
    for case_id, owner_id in Case.objects.filter(pk__in=case_ids, owner__isnull=False).values_list("pk", "owner_id"):
        found.setdefault(case_id, set()).add(owner_id)
    for case_id, user_id in Follow.objects.filter(case_id__in=case_ids).values_list("case_id", "user_id"):
        found.setdefault(case_id, set()).add(user_id)
    return found


def _staff() -> list[mentions.Person]:
    """Everyone a note may mention: active staff, by name and handle."""
    rows = User.objects.filter(is_active=True, role__in=STAFF_ROLES).values_list("pk", "name", "email")
    return [mentions.Person(pk, name, mentions.handle_of(email)) for pk, name, email in rows]


# --- reading and choosing ----------------------------------------------------------------------


def mark_read(*, actor: User, notification_id: int | str, now: datetime | None = None) -> Notification:
    """Mark one of the actor's notifications read (reading it twice changes nothing)."""
    try:
        pk = int(notification_id)
    except (TypeError, ValueError):
        raise NotFound(NO_NOTIFICATION) from None
    found = policy.visible(actor).filter(pk=pk).select_related("case").first()
    if found is None:
        raise NotFound(NO_NOTIFICATION)
    if found.read_at is None:
        found.read_at = now or timezone.now()
        Notification.objects.filter(pk=found.pk, read_at__isnull=True).update(read_at=found.read_at)
        cache.delete(unread_key(actor.pk))
    return found


def mark_all_read(*, actor: User, now: datetime | None = None) -> int:
    """Mark every unread notification of the actor's read; how many were."""
    done = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=now or timezone.now())
    cache.delete(unread_key(actor.pk))
    return done


def preferences_set(*, actor: User, chosen: dict[str, str]) -> None:
    """Save how the actor wants each kind (unknown kinds or channels are refused, by name)."""
    problems = {kind: "Choose a kind of notification." for kind in chosen if kind not in rules.KINDS}
    problems |= {
        kind: "Choose in the app, by email, both or not at all."
        for kind, channel in chosen.items()
        if kind in rules.KINDS and channel not in rules.CHANNELS
    }
    if problems:
        raise FieldError(**problems)
    with transaction.atomic():
        for kind, channel in chosen.items():
            Preference.objects.update_or_create(user=actor, kind=kind, defaults={"channel": channel})
