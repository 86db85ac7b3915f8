"""Splitting a message (and, if chosen, every message after it) off into a new case of the same
customer (docs/merge.md, "Split").

The new case is opened as of the split message's time, takes the old case's type, priority, team,
owner and CC list, and both cases record the link (``split_to`` and ``split_from`` events), so each
page shows where the conversation went. Its SLA clocks start from that message's time: the SLA app
is told through ``extensions.case_split_handlers``.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import User
from rapport.cases import journal, search
from rapport.cases.models import Case, Message, SearchDocument
from rapport.cases.services import VERSION_CONFLICT, clean_subject, refuse_merged
from rapport.domain.case_rules import Status
from rapport.platform.errors import Conflict, FieldError

NO_MESSAGE = "Choose a message of this case to split off."
NOT_ALL = "Leave at least one message on this case: splitting everything would empty it."
ENDED = "This case is {status}: re-open it before splitting it."


def case_split(
    *,
    actor: User,
    reference: str,
    message_id: int | str,
    following: bool = False,
    expected_version: int | None,
    subject: str = "",
    now: datetime | None = None,
) -> Case:
    """Move ``message_id`` (and every later message when ``following``) to a new case; returns it."""
    now = now or timezone.now()
    policy.require_staff(actor)
    if expected_version is None:
        raise FieldError(version="Send the version of the case you are changing.")
    try:
        message_pk = int(message_id)
    except (TypeError, ValueError):
        raise FieldError(message=NO_MESSAGE) from None
    with transaction.atomic():
        case = policy.access_case(actor, reference, for_update=True)
        policy.require_work(actor, case)
        refuse_merged(case)
        if case.version != expected_version:
            raise Conflict(VERSION_CONFLICT, current=case)
        if case.status in {Status.RESOLVED, Status.CLOSED}:
            raise FieldError(message=ENDED.format(status=case.get_status_display().lower()))
        first = Message.objects.filter(case=case, pk=message_pk).first()
        if first is None:
            raise FieldError(message=NO_MESSAGE)
        ordered = list(Message.objects.filter(case=case).order_by("created_at", "id").values_list("pk", flat=True))
        position = ordered.index(first.pk)
        moving = ordered[position:] if following else [first.pk]
        if len(moving) == len(ordered):
            raise FieldError(message=NOT_ALL)
        title = clean_subject(subject or case.subject)
        new = Case.objects.create(
            type=case.type,
            status=Status.OPEN if case.owner_id else Status.NEW,
            priority=case.priority,
            channel=first.channel,
            subject=title,
            customer=case.customer,
            owner=case.owner,
            team=case.team,
            cc=case.cc,
            created_at=first.created_at,
            updated_at=now,
        )
        new.tags.set(case.tags.all())
        Message.objects.filter(pk__in=moving).update(case=new)
        SearchDocument.objects.filter(kind="message", object_id__in=moving).update(case=new, title=title[:200])
        what = f"message #{first.pk}" + (f" and {len(moving) - 1} after it" if len(moving) > 1 else "")
        journal.record_many(
            [
                journal.Entry(new, journal.CREATED.name, first.created_at, actor, after=new.reference),
                journal.Entry(new, journal.SPLIT_FROM.name, now, actor, before=what, after=case.reference),
                journal.Entry(case, journal.SPLIT_TO.name, now, actor, before=what, after=new.reference),
            ]
        )
        case.version += 1
        case.updated_at = now
        case.save(update_fields=["version", "updated_at"])
        search.index_new([search.case_document(new)])
        moved_first = Message.objects.get(pk=first.pk)
        for hook in extensions.case_split_handlers:
            hook(case, new, moved_first, now)
    return new
