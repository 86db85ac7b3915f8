"""Who a proactive message goes to: a segment of customers, and who in it is skipped and why.

A segment is plain data, kept on the send as given. Its own criteria are about open cases
(``open_case_tag``: everyone with an open case tagged, say, ``delayed-order`` or
``outage-2026-12-04``; ``open_case_type``); the rest (``customer_ids``, ``group``, ``tier``,
``team_id``, ``resolved_from``/``resolved_to``) are the feedback app's audiences, reached through
``rapport.extensions.audiences`` and intersected with ours. Everything is a queryset, so previewing
or sending costs the same number of queries for ten customers or a hundred thousand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet, Value, When

from rapport import extensions
from rapport.access import visible_cases
from rapport.accounts.models import User
from rapport.cases.models import Tag
from rapport.customers.models import Customer
from rapport.domain.case_rules import CaseType
from rapport.domain.outreach import BY_HAND, Purpose, Skip
from rapport.platform.errors import FieldError

OWN = ("open_case_tag", "open_case_type")
SEND = "send"
CHOOSE = (
    "Choose who to write to: customers with an open case tagged or of a type, or a segment "
    "(internal or external, loyalty tier, team, a case resolved in a period), or customers by id."
)
NO_TAG = "No tag with that name."
BAD_TYPE = "Choose one of the case types."
NO_AUDIENCES = "Segments by group, tier, team or period need the feedback app, which is not installed."
UNKNOWN = "Not a segment criterion: {names}."


def criteria_names() -> tuple[str, ...]:
    source = extensions.audiences.get(extensions.FEEDBACK_AUDIENCE)
    return OWN + (source.fields if source else ())


def _split(segment: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    given = {k: v for k, v in segment.items() if v not in (None, "", [], ())}
    own = {k: str(v).strip() for k, v in given.items() if k in OWN}
    return own, {k: v for k, v in given.items() if k not in OWN}


def segment_check(actor: User, segment: Mapping[str, Any]) -> str:
    """Refuse a segment that names nothing or anything unknown, by field; returns its label."""
    own, others = _split(segment)
    source = extensions.audiences.get(extensions.FEEDBACK_AUDIENCE)
    unknown = sorted(set(others) - set(source.fields if source else ()))
    if unknown:
        if source is None:
            raise FieldError({unknown[0]: [NO_AUDIENCES]})
        raise FieldError({unknown[0]: [UNKNOWN.format(names=", ".join(unknown))]})
    if not own and not others:
        raise FieldError(open_case_tag=CHOOSE)
    errors: dict[str, list[str]] = {}
    if own.get("open_case_tag") and not Tag.objects.filter(name=own["open_case_tag"]).exists():
        errors["open_case_tag"] = [NO_TAG]
    if own.get("open_case_type") and own["open_case_type"] not in set(CaseType):
        errors["open_case_type"] = [BAD_TYPE]
    parts = []
    if own.get("open_case_tag"):
        parts.append(f"an open case tagged {own['open_case_tag']}")
    if own.get("open_case_type"):
        parts.append(f"an open {own['open_case_type'].replace('_', ' ')} case")
    if others and source is not None:
        try:
            parts.append(source.check(actor, others))
        except FieldError as error:
            errors.update(error.errors)
    if errors:
        raise FieldError(errors)
    return ("Customers with " + " and ".join(parts) if own else "; ".join(parts))[:400]


def segment_customers(actor: User, segment: Mapping[str, Any]) -> QuerySet[Customer]:
    """The customers a (checked) segment names, within ``actor``'s reach."""
    own, others = _split(segment)
    customers = Customer.objects.all()
    if own:
        cases = visible_cases(actor).filter(is_active=True)
        if own.get("open_case_tag"):
            cases = cases.filter(tags__name=own["open_case_tag"])
        if own.get("open_case_type"):
            cases = cases.filter(type=own["open_case_type"])
        customers = customers.filter(pk__in=cases.values("customer_id"))
    source = extensions.audiences.get(extensions.FEEDBACK_AUDIENCE)
    if others and source is not None:
        customers = customers.filter(pk__in=source.customers(actor, others).values("pk"))
    return customers


def with_reason(customers: QuerySet[Customer], *, purpose: str) -> QuerySet[Any]:
    """Each customer annotated ``reason``: the first reason to skip them (``domain.outreach.Skip``
    order) or ``SEND``. Restrictions and consent come from the registered hooks, as subqueries."""
    whens = [When(erased_at__isnull=False, then=Value(Skip.ERASED.value))]
    whens += [When(pk__in=ids, then=Value(Skip.RESTRICTED.value)) for ids in extensions.restricted_ids(customers)]
    if purpose == Purpose.MARKETING:
        refused: dict[str, list[QuerySet[Any]]] = {}
        for hook in extensions.contact_refusals:
            for reason, ids in hook(customers, Purpose.MARKETING.value, "email").items():
                refused.setdefault(reason, []).append(ids)
        for reason in (Skip.RESTRICTED, Skip.OPTED_OUT, Skip.NO_CONSENT):
            whens += [When(pk__in=ids, then=Value(reason.value)) for ids in refused.get(reason.value, [])]
    whens.append(When(Q(email="") & ~Q(preferred_channel__in=sorted(BY_HAND)), then=Value(Skip.NO_ADDRESS.value)))
    first_reason = models.Case(*whens, default=Value(SEND), output_field=models.CharField())
    annotated: QuerySet[Any] = customers.annotate(reason=first_reason)
    return annotated


def open_cases_of(actor: User, segment: Mapping[str, Any], customer_ids: list[int]) -> list[tuple[int, int]]:
    """(case id, customer id) of the open cases that put these customers in the segment (its open
    case criteria), for their timelines: one query; none when the segment names no open case."""
    own, _others = _split(segment)
    if not own or not customer_ids:
        return []
    cases = visible_cases(actor).filter(is_active=True, customer_id__in=customer_ids)
    if own.get("open_case_tag"):
        cases = cases.filter(tags__name=own["open_case_tag"])
    if own.get("open_case_type"):
        cases = cases.filter(type=own["open_case_type"])
    return list(cases.order_by("id").values_list("id", "customer_id"))
