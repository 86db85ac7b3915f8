"""Writes of the email channel that staff make from the desk (filing and sending mail are in
``inbound`` and ``outbound``)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from rapport import access as policy
from rapport.accounts.models import User
from rapport.mail import access as mail_policy
from rapport.mail.models import FlagClearance, FlaggedAddress
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
