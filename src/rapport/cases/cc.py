"""Who else is copied on a case's emails (CC): kept from the customer's emails, copied on replies,
edited by staff (docs/merge.md, "CC").

The case holds its CC list; each message holds the addresses it came with or went to. A reply
copies the case's list unless the agent drops it for that reply (``services.message_add``); an
internal note never has one. The addresses are personal data (UK GDPR Art 4(1)): they are in the
customer's subject access bundle and removed when the customer is erased (``personal_data``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case, Message, MessageKind
from rapport.cases.services import VERSION_CONFLICT, refuse_merged
from rapport.domain.case_merge import cc_clean, cc_join, cc_split
from rapport.platform.errors import Conflict, FieldError


def _leave_out(case: Case, extra: Iterable[str] = ()) -> list[str]:
    """Addresses never copied: the customer (the reply goes to them) and the desk itself."""
    return [case.customer.email, settings.DEFAULT_FROM_EMAIL, *extra]


def case_cc_set(
    *,
    actor: User,
    reference: str,
    expected_version: int | None,
    addresses: str | Sequence[str],
    now: datetime | None = None,
) -> Case:
    """Replace the case's CC list (staff). ``addresses``: a list, or text with commas or lines."""
    now = now or timezone.now()
    policy.require_staff(actor)
    values = cc_split(addresses) if isinstance(addresses, str) else list(addresses)
    if expected_version is None:
        raise FieldError(version="Send the version of the case you are changing.")
    with transaction.atomic():
        case = policy.access_case(actor, reference, for_update=True)
        policy.require_work(actor, case)
        refuse_merged(case)
        if case.version != expected_version:
            raise Conflict(VERSION_CONFLICT, current=case)
        kept, problems = cc_clean(values, leave_out=_leave_out(case))
        if problems:
            raise FieldError({"cc": problems})
        after = cc_join(kept)
        if after != case.cc:
            journal.record(
                case=case, kind=journal.CC_CHANGED.name, at=now, actor=actor, field="cc", before=case.cc, after=after
            )
            case.cc = after
            case.version += 1
            case.updated_at = now
            case.save(update_fields=["cc", "version", "updated_at"])
    return case


def cc_received(*, case: Case, message: Message, addresses: Sequence[str], ours: Iterable[str], now: datetime) -> str:
    """An email that arrived on ``case`` was copied to ``addresses``: the message keeps them and the
    case's list gains any new ones (our own addresses and the customer's left out). Returns the
    case's list. Addresses that are not addresses are dropped: nothing is refused on the way in."""
    if message.kind != MessageKind.INBOUND:
        return case.cc
    kept, _ = cc_clean(addresses, leave_out=_leave_out(case, ours))
    if not kept:
        return case.cc
    Message.objects.filter(pk=message.pk).update(cc=cc_join(kept))
    message.cc = cc_join(kept)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        current = cc_split(locked.cc)
        merged = cc_join([*current, *(a for a in kept if a not in current)])
        if merged != locked.cc:
            journal.record(
                case=locked, kind=journal.CC_CHANGED.name, at=now, field="cc", before=locked.cc, after=merged
            )
            Case.objects.filter(pk=case.pk).update(cc=merged, version=locked.version + 1)
            case.cc, case.version = merged, locked.version + 1
    return case.cc
