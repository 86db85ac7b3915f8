"""Merging two records of one person (the same customer entered twice) into one (ADR 0031).

The record kept keeps its id; the duplicate's cases move to it, each with a ``customer_merged``
event in its journal (who, when, from which record), and the duplicate becomes a pointer
(``merged_into``) that lists leave out and the API still answers for. What capabilities hold about
the duplicate (consents, reasonable adjustments, legal holds, restrictions) is moved by their own
``extensions.customer_merge_handlers`` inside the same transaction. Nothing is deleted, so nothing
a legal hold protects can be lost.

Care with the person's own sign-in: when only the duplicate has a portal account it moves to the
record kept; when both do, the messages the duplicate's account wrote are credited to the kept
account, and the duplicate's account is closed and its API tokens revoked (one person, one way in).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import ApiToken, User
from rapport.cases import journal, search
from rapport.cases.models import Case, Message, SearchDocument
from rapport.customers.models import Customer
from rapport.platform.errors import FieldError, Forbidden, NotFound, Refused

ONLY_STAFF = "Only staff who manage customer records can merge them."
SAME_RECORD = "Choose a different customer record to merge into this one."
ALREADY_MERGED = "Customer record {pk} was already merged into record {into}."
ERASED = "Customer record {pk} has been erased; an erased record cannot be merged."
KIND_DIFFERS = "A {kept} and a {duplicate} are not the same person: change one record's kind first."
BLANKS_FILLED = ("organisation", "email", "phone", "address")


@dataclass(frozen=True)
class CustomerMerge:
    kept: Customer
    duplicate: Customer
    cases: int
    messages_recredited: int
    moved: dict[str, int] = field(default_factory=dict)


def customer_merge(*, actor: User, keep_id: int, duplicate_id: int, now: datetime | None = None) -> CustomerMerge:
    """Merge record ``duplicate_id`` into ``keep_id``: all or nothing, audited on every case moved."""
    if not policy.can_manage_customers(actor):
        raise Forbidden(ONLY_STAFF)
    if keep_id == duplicate_id:
        raise FieldError(duplicate=SAME_RECORD)
    now = now or timezone.now()
    with transaction.atomic():
        # Both rows through the gate, locked in id order (two merges of the same pair cannot deadlock).
        kept = policy.access_customer(actor, keep_id, for_write=True)
        try:
            duplicate = policy.access_customer(actor, duplicate_id, for_write=True)
        except NotFound:
            raise FieldError(duplicate=policy.NO_CUSTOMER) from None
        locked = {
            c.pk: c
            for c in Customer.objects.select_for_update().filter(pk__in=sorted([kept.pk, duplicate.pk])).order_by("pk")
        }
        kept, duplicate = locked[kept.pk], locked[duplicate.pk]
        _check(kept, duplicate)

        case_ids = list(Case.objects.filter(customer=duplicate).values_list("pk", flat=True))
        Case.objects.filter(pk__in=case_ids).update(customer=kept, version=F("version") + 1, updated_at=now)
        recredited = _move_sign_in(kept, duplicate, now)
        _fill_blanks(kept, duplicate)
        kept.updated_at = now
        kept.save()
        duplicate.merged_into = kept
        duplicate.updated_at = now
        duplicate.save(update_fields=["merged_into", "updated_at"])

        SearchDocument.objects.filter(customer=duplicate).exclude(kind="customer").update(customer=kept)
        SearchDocument.objects.filter(kind="customer", object_id=duplicate.pk).delete()
        search.index([search.customer_document(kept)])

        moved: dict[str, int] = {}
        for hook in extensions.customer_merge_handlers:
            for name, count in hook(kept, duplicate, actor, now).items():
                moved[name] = moved.get(name, 0) + count
        journal.record_many(
            journal.Entry(pk, journal.CUSTOMER_MERGED.name, now, actor, "customer", duplicate.pk, kept.pk)
            for pk in case_ids
        )
        if kept.is_internal != duplicate.is_internal or kept.tier != duplicate.tier:
            extensions.customers_changed([kept.pk], "customer merged", now)
    return CustomerMerge(kept, duplicate, len(case_ids), recredited, moved)


def _check(kept: Customer, duplicate: Customer) -> None:
    for record in (kept, duplicate):
        if record.merged_into_id is not None:
            raise Refused(ALREADY_MERGED.format(pk=record.pk, into=record.merged_into_id))
        if record.erased_at is not None:
            raise Refused(ERASED.format(pk=record.pk))
    if kept.is_internal != duplicate.is_internal:
        raise Refused(
            KIND_DIFFERS.format(kept=kept.get_kind_display().lower(), duplicate=duplicate.get_kind_display().lower())
        )
    refusals = extensions.record_refusals(kept) + extensions.record_refusals(duplicate)
    if refusals:
        raise Refused(" ".join(dict.fromkeys(refusals)))


def _move_sign_in(kept: Customer, duplicate: Customer, now: datetime) -> int:
    if duplicate.user_id is None:
        return 0
    if kept.user_id is None:
        user_id = duplicate.user_id
        duplicate.user = None
        duplicate.save(update_fields=["user"])
        kept.user_id = user_id
        return 0
    moved = Message.objects.filter(author_id=duplicate.user_id).update(author_id=kept.user_id)
    User.objects.filter(pk=duplicate.user_id).update(is_active=False, updated_at=now)
    ApiToken.objects.filter(user_id=duplicate.user_id, revoked_at__isnull=True).update(revoked_at=now)
    return moved


def _fill_blanks(kept: Customer, duplicate: Customer) -> None:
    """The kept record's own details win; only what it lacks is taken from the duplicate."""
    for name in BLANKS_FILLED:
        if not getattr(kept, name) and getattr(duplicate, name):
            setattr(kept, name, getattr(duplicate, name))
    if duplicate.notes and duplicate.notes not in kept.notes:
        kept.notes = "\n\n".join(filter(None, [kept.notes, duplicate.notes]))[:10000]
