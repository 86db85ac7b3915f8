"""Demo data for merge, split and CC (``rapport demo``): a customer who wrote twice about one
problem, merged into one case; a son copied on his mother's emails; a second problem raised in a
reply, split off into its own case. Registered in ``extensions.demo_seeders`` by the cases app."""

from __future__ import annotations

from datetime import datetime, timedelta

from rapport.accounts.models import Role, User
from rapport.cases import cc, merging, splitting
from rapport.cases.models import Case, Message, MessageKind
from rapport.cases.services import case_create, message_add
from rapport.domain.case_rules import CaseType


def seed_demo(now: datetime) -> None:
    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk").first()
    if manager is None:
        return
    at = now - timedelta(hours=2)
    _merge_two(manager, at)
    _copy_and_split(manager, at)


def _open_enquiries():
    # Not the portal's demo customer: their cases are the portal's walk-through.
    return Case.objects.filter(
        is_active=True, merged_into__isnull=True, type=CaseType.ENQUIRY, channel="email", customer__user__isnull=True
    )


def _merge_two(manager: User, at: datetime) -> None:
    """A customer who wrote again instead of replying: the new case is merged into the first."""
    first = _open_enquiries().order_by("pk").first()
    if first is None:
        return
    again = case_create(
        actor=manager,
        customer=first.customer,
        subject=first.subject,
        body="I emailed about this last week and have not heard back. Please can someone reply?",
        channel="email",
        team=first.team,
        now=at - timedelta(hours=1),
    )
    merging.cases_merge(
        actor=manager,
        target_reference=first.reference,
        references=[again.reference],
        versions={first.reference: first.version, again.reference: again.version},
        now=at,
    )


def _copy_and_split(manager: User, at: datetime) -> None:
    """Another open email case: her son is copied, and she raises the problem again in a reply,
    which an agent splits off to follow up on its own (same subject)."""
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
        body="I have copied in Tom Evans, who helps me with this. Could this part be looked at separately, please?",
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
        now=at + timedelta(minutes=10),
    )
