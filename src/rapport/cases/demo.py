"""Demo data for merge, split and CC (``rapport demo``): a customer who wrote twice about one
problem, merged into one case; a son copied on his mother's emails; a second problem raised in a
reply, split off into its own case. Registered in ``extensions.demo_seeders`` by the cases app."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count

from rapport.accounts.models import Role, User
from rapport.cases import cc, merging, splitting
from rapport.cases.models import Case, Message, MessageKind
from rapport.cases.services import message_add
from rapport.domain.case_rules import CaseType


def seed_demo(now: datetime) -> None:
    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk").first()
    if manager is None:
        return
    at = now - timedelta(hours=2)
    _merge_two(manager, at)
    _copy_and_split(manager, at)


def _open_enquiries():
    return Case.objects.filter(is_active=True, merged_into__isnull=True, type=CaseType.ENQUIRY, channel="email")


def _merge_two(manager: User, at: datetime) -> None:
    """The first customer with two open email enquiries: the newer is merged into the older."""
    customer_id = (
        _open_enquiries().values("customer").annotate(n=Count("pk")).filter(n__gte=2).order_by("customer")
        .values_list("customer", flat=True).first()
    )  # fmt: skip
    if customer_id is None:
        return
    older, newer = list(_open_enquiries().filter(customer_id=customer_id).order_by("created_at", "pk")[:2])
    merging.cases_merge(
        actor=manager,
        target_reference=older.reference,
        references=[newer.reference],
        versions={older.reference: older.version, newer.reference: newer.version},
        now=at,
    )


def _copy_and_split(manager: User, at: datetime) -> None:
    """Another open email case: her son is copied, and she raises a second problem in a reply."""
    case = _open_enquiries().exclude(customer__email="").order_by("pk").last()
    if case is None:
        return
    case = cc.case_cc_set(
        actor=manager,
        reference=case.reference,
        expected_version=case.version,
        addresses=["tom.evans@example.co.uk"],
        now=at,
    )
    message_add(
        actor=manager,
        reference=case.reference,
        kind=MessageKind.INBOUND,
        channel="email",
        body="While I have you: the boiler engineer never came on Tuesday either. Can someone rebook him?",
        now=at + timedelta(minutes=5),
    )
    case.refresh_from_db()
    last = Message.objects.filter(case=case).order_by("-created_at", "-pk").first()
    if last is None or Message.objects.filter(case=case).count() < 2:
        return
    splitting.case_split(
        actor=manager,
        reference=case.reference,
        message_id=last.pk,
        expected_version=case.version,
        subject="Boiler engineer did not attend",
        now=at + timedelta(minutes=10),
    )
