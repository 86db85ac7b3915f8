"""What the core holds about people copied on a customer's emails (CC), for the customer's subject
access bundle (UK GDPR Art 15) and their erasure (Art 17). Registered by ``CasesConfig.ready()``
into the privacy app's registries, which the core reaches only through ``rapport.extensions``.

The addresses copied on a person's cases are part of their correspondence, so they are in that
person's bundle; erasing the person removes them, and removes the person's own address from the
CC lists of other customers' cases where they were copied."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rapport.cases.models import Case, Message
from rapport.customers.models import Customer
from rapport.domain.case_merge import cc_join, cc_split
from rapport.domain.references import format_reference
from rapport.extensions import Scrub

CC_SECTION = "Email copies (CC)"


def cc_section(customer: Customer) -> tuple[str, list[dict[str, Any]]]:
    """The CC lists of the person's cases and of each of their messages that had one."""
    records: list[dict[str, Any]] = [
        {"case": format_reference(pk), "copied": cc}
        for pk, cc in Case.objects.filter(customer=customer).exclude(cc="").order_by("pk").values_list("pk", "cc")
    ]
    records += [
        {"case": format_reference(case_id), "message": pk, "at": at.isoformat(), "copied": cc}
        for pk, case_id, at, cc in Message.objects.filter(case__customer=customer)
        .exclude(cc="")
        .order_by("created_at", "pk")
        .values_list("pk", "case_id", "created_at", "cc")
    ]
    return CC_SECTION, records


def cc_erase(customer: Customer, case_ids: Sequence[int], scrub: Scrub) -> Mapping[str, int]:
    """Blank the CC lists of the person's cases and messages, and take their own address out of the
    lists of other cases they were copied on."""
    cases = Case.objects.filter(pk__in=case_ids).exclude(cc="").update(cc="")
    messages = Message.objects.filter(case_id__in=case_ids).exclude(cc="").update(cc="")
    address = (customer.email or "").lower()
    elsewhere = 0
    if address:
        for model in (Case, Message):
            for pk, cc in model.objects.filter(cc__icontains=address).values_list("pk", "cc"):  # type: ignore[attr-defined]
                kept = [a for a in cc_split(cc) if a != address]
                if len(kept) != len(cc_split(cc)):
                    model.objects.filter(pk=pk).update(cc=cc_join(kept))  # type: ignore[attr-defined]
                    elsewhere += 1
    return {"CC lists cleared": cases + messages, "CC entries removed elsewhere": elsewhere}
