"""The gates: the one way to load a protected row. Each gives the same ``NotFound`` for a row that
is missing and one the actor may not see, and logs a member of staff's read of a person's data
(``rapport.access.log``) before the row is returned, so pages, API, exports and mail log alike.

Loading a case ``for_update`` is a write: the journal records who changed what, so the read before
it is not logged again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.access.log import accessed
from rapport.access.policy import can_see_internal, visible_cases, visible_customers
from rapport.cases.models import Attachment, Case, MessageKind
from rapport.customers.models import Customer
from rapport.domain.references import parse_reference
from rapport.platform.errors import NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rapport.accounts.models import User

NO_CASE = "No case with that reference."
NO_CUSTOMER = "No customer with that id."
NO_ATTACHMENT = "No attachment with that id."
CUSTOMER_RECORD = "customer record"
VIA_API = "API"  # the ``why`` of reads through the REST API


def access_case(actor: User | AnonymousUser, reference: str | int, *, for_update: bool = False, why: str = "") -> Case:
    """The case ``reference`` if ``actor`` may see it, else ``NotFound`` (missing or forbidden).
    A read (not ``for_update``) by staff is logged as access to the case's customer, ``why`` saying
    what for ("case page", "API")."""
    number = reference if isinstance(reference, int) else parse_reference(reference)
    if number is None:
        raise NotFound(NO_CASE)
    cases = visible_cases(actor).select_related("customer", "owner", "team")
    if for_update:
        cases = cases.select_for_update(of=("self",))
    try:
        case = cases.get(pk=number)
    except Case.DoesNotExist:
        raise NotFound(NO_CASE) from None
    if not for_update:
        accessed(actor, [case.customer_id], what=f"case {case.reference}", why=why)
    return case


def access_customer(
    actor: User | AnonymousUser,
    customer_id: int | str,
    *,
    what: str = CUSTOMER_RECORD,
    why: str = "",
    for_write: bool = False,
) -> Customer:
    """The customer ``customer_id`` if ``actor`` may see them, else ``NotFound``. A read by staff is
    logged as ``what`` ("customer record", "subject access export") for ``why``; a load
    ``for_write`` (a case raised for them) is not, since the journal records the write."""
    try:
        pk = int(customer_id)
    except (TypeError, ValueError):
        raise NotFound(NO_CUSTOMER) from None
    try:
        customer = visible_customers(actor).get(pk=pk)
    except Customer.DoesNotExist:
        raise NotFound(NO_CUSTOMER) from None
    if not for_write:
        accessed(actor, [customer.pk], what=what, why=why)
    return customer


def access_attachment(actor: User | AnonymousUser, attachment_id: int | str, *, why: str = "") -> Attachment:
    """An attachment is visible when its case is, and for customers only on public messages; a
    download by staff is logged as access to the case's customer."""
    try:
        pk = int(attachment_id)
    except (TypeError, ValueError):
        raise NotFound(NO_ATTACHMENT) from None
    attachments = Attachment.objects.select_related("message__case").filter(message__case__in=visible_cases(actor))
    if not can_see_internal(actor):
        attachments = attachments.exclude(message__kind=MessageKind.NOTE)
    try:
        attachment = attachments.get(pk=pk)
    except Attachment.DoesNotExist:
        raise NotFound(NO_ATTACHMENT) from None
    case = attachment.message.case
    accessed(actor, [case.customer_id], what=f"file {attachment.pk} on case {case.reference}", why=why)
    return attachment
