"""Demo data for privacy: a few reasonable adjustments, consent answers and data requests, so the
badges, panels, reports and deadlines have something to show."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from rapport.accounts.models import Role, User
from rapport.cases.models import Case
from rapport.customers.models import Customer, CustomerKind
from rapport.domain.case_rules import CaseType
from rapport.platform.errors import RapportError
from rapport.privacy import rights, services
from rapport.privacy.models import DataRequest, RequestKind
from rapport.seeding.scenarios import request_kind_of

ADJUSTMENTS: tuple[dict[str, Any], ...] = (
    {"kind": "large_print", "detail": "16 pt minimum, Arial"},
    {"kind": "extra_time", "extra_minutes": 240, "detail": "Needs time to gather paperwork"},
    {"kind": "advocate", "contact_name": "Jordan Reeve", "detail": "Authorised advocate for all matters"},
    {"kind": "plain_text", "detail": "Screen reader user"},
)


def seed(now: datetime) -> None:
    manager = User.objects.filter(role__in=[Role.MANAGER, Role.ADMIN], is_active=True).order_by("id").first()
    people = list(Customer.objects.filter(kind=CustomerKind.PERSON, erased_at__isnull=True).order_by("id")[:6])
    if manager is None or len(people) < len(ADJUSTMENTS):
        return
    for person, adjustment in zip(people, ADJUSTMENTS, strict=False):
        services.adjustment_record(actor=manager, customer=person, now=now - timedelta(days=30), **adjustment)
    for person in people[:3]:
        services.consent_record(
            actor=manager,
            customer=person,
            purpose="marketing",
            channel="email",
            granted=person.pk % 2 == 0,
            method="portal form",
            wording="Can we email you about offers and new products? You can say no at any time.",
            now=now - timedelta(days=60),
        )
    # The demo's data-protection cases become data requests with their statutory facts: the right
    # each exercises is the one its words ask for.
    cases = Case.objects.filter(type=CaseType.DATA_REQUEST, data_request__isnull=True).order_by("id")
    DataRequest.objects.bulk_create(
        [
            DataRequest(
                case=case,
                kind=request_kind_of(case.subject) or RequestKind.ACCESS,
                received_on=timezone.localtime(case.created_at).date(),
            )
            for case in cases
        ]
    )
    # One restriction granted, so the banner (case and customer pages) and the lift form show.
    first = DataRequest.objects.filter(kind=RequestKind.RESTRICTION).select_related("case").order_by("id").first()
    if first is not None:
        with contextlib.suppress(RapportError):  # already restricted or erased: nothing to show
            rights.restriction_grant(
                actor=manager,
                reference=first.case.reference,
                ground="accuracy",
                reason="The customer says the address we hold is wrong; checking it",
                now=now - timedelta(days=2),
            )
