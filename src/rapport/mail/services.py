"""Writes of the email channel that staff make from the desk (filing and sending mail are in
``inbound`` and ``outbound``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases.models import Case
from rapport.mail import access as mail_policy
from rapport.mail.models import FlagClearance, FlaggedAddress, MailMessage
from rapport.platform.errors import FieldError, NotFound

NOTE_REQUIRED = "Say how the customer confirmed their email address."
NOTE_TOO_LONG = "Keep the note to 500 characters or fewer."
NOT_FLAGGED = "This customer's email address is not flagged."


def address_flag_clear(*, actor: User | AnonymousUser, customer_id: int, note: str, now: datetime) -> FlagClearance:
    """Clear the flag on a customer's email address after they confirmed it works. The clearance
    keeps who, when, why and the bounce history; the next bounce flags the address again."""
    user = mail_policy.require_clear_flag(actor)
    customer = policy.access_customer(user, customer_id)
    note = " ".join((note or "").split())
    if not note:
        raise FieldError(note=NOTE_REQUIRED)
    if len(note) > 500:
        raise FieldError(note=NOTE_TOO_LONG)
    with transaction.atomic():
        flag = FlaggedAddress.objects.select_for_update().filter(address=customer.email.lower()).first()
        if not customer.email or flag is None:
            raise NotFound(NOT_FLAGGED)
        clearance = FlagClearance.objects.create(
            address=flag.address,
            bounces=flag.bounces,
            flagged_at=flag.flagged_at,
            reason=flag.reason,
            cleared_at=now,
            cleared_by=user,
            note=note,
        )
        flag.delete()
    return clearance


def mail_threads_merge(target: Case, sources: Sequence[Case], actor: User, now: datetime) -> int:
    """Cases merged into ``target`` (``cases.merging``): the emails filed on them are filed on the
    target, so a reply to any of their Message-IDs threads into it. Returns how many moved."""
    return MailMessage.objects.filter(case_id__in=[s.pk for s in sources]).update(case=target)
