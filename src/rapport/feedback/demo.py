"""Demo data for feedback: tiers, orders, staff measures and survey answers on resolved cases."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from rapport.accounts.models import Team
from rapport.cases.models import Case
from rapport.customers.models import Customer
from rapport.domain.scoring import Dimension
from rapport.feedback import rollup, services
from rapport.feedback.models import (
    InvitationStatus,
    LoyaltyTier,
    StaffMeasure,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
)

TIERS = [
    ("silver", "Silver", 30_000, "Named contact for orders over £500"),
    ("gold", "Gold", 150_000, "Priority SLA: first response within 4 business hours"),
]


def seed_feedback_demo(now: datetime) -> None:
    rng = random.Random(f"feedback:{now.date()}")  # noqa: S311 - demo data
    for name, label, threshold, benefits in TIERS:
        LoyaltyTier.objects.get_or_create(
            name=name, defaults={"label": label, "threshold_pence": threshold, "benefits": benefits}
        )
    customers = list(Customer.objects.exclude(email="").order_by("id").values_list("email", flat=True)[:200])
    rows = [
        {
            "customer_email": email,
            "reference": f"ORD-{i:05d}-{n}",
            "placed_at": (now - timedelta(days=rng.randint(1, 700))).date().isoformat(),
            "amount": str(Decimal(rng.randint(500, 90_000)) / 100),
        }
        for i, email in enumerate(customers)
        for n in range(rng.randint(0, 6))
    ]
    services.orders_import(actor=None, rows=rows, now=now)
    month = now.date().replace(day=1)
    for team in Team.objects.all():
        for back in range(3):
            start = (month - timedelta(days=28 * back)).replace(day=1)
            StaffMeasure.objects.get_or_create(
                team=team,
                month=start,
                defaults={
                    "staff_survey_score": Decimal(rng.randint(55, 90)),
                    "training_hours": Decimal(rng.randint(4, 40)),
                    "headcount": rng.randint(3, 12),
                },
            )
    resolved = Case.objects.filter(resolved_at__isnull=False, survey_invitations__isnull=True).select_related(
        "customer"
    )
    for case in resolved.order_by("id")[:400]:
        for kind, low, high in ((SurveyKind.CSAT, 1, 5), (SurveyKind.CES, 1, 7)):
            if rng.random() < 0.4:
                continue
            at = case.resolved_at + timedelta(hours=rng.randint(2, 48))
            invitation = SurveyInvitation.objects.create(
                kind=kind,
                customer=case.customer,
                case=case,
                status=InvitationStatus.ANSWERED,
                created_at=at,
                send_after=at,
                sent_at=at,
                expires_at=at + timedelta(days=14),
                answered_at=at,
            )
            SurveyAnswer.objects.create(
                invitation=invitation,
                kind=kind,
                score=min(high, max(low, round(rng.triangular(low, high, high)))),
                answered_at=at,
                customer=case.customer,
                case=case,
                team_id=case.team_id,
                agent_id=case.owner_id,
                channel=case.channel,
                case_type=case.type,
                internal=case.customer.is_internal,
            )
    for customer in Customer.objects.exclude(email="").order_by("id")[:150]:
        at = now - timedelta(days=rng.randint(1, 60))
        invitation = SurveyInvitation.objects.create(
            kind=SurveyKind.NPS,
            customer=customer,
            status=InvitationStatus.ANSWERED,
            created_at=at,
            send_after=at,
            sent_at=at,
            expires_at=at + timedelta(days=14),
            answered_at=at,
        )
        SurveyAnswer.objects.create(
            invitation=invitation,
            kind=SurveyKind.NPS,
            score=min(10, round(rng.triangular(0, 10, 9))),
            answered_at=at,
            customer=customer,
            internal=customer.is_internal,
        )
    for customer in Customer.objects.exclude(email="").order_by("-id")[:30]:
        at = now - timedelta(days=rng.randint(1, 60))
        invitation = SurveyInvitation.objects.create(
            kind=SurveyKind.RATER,
            customer=customer,
            status=InvitationStatus.ANSWERED,
            created_at=at,
            send_after=at,
            sent_at=at,
            expires_at=at + timedelta(days=14),
            answered_at=at,
        )
        scores = {}
        for dimension in Dimension:
            expected = rng.randint(5, 7)
            scores[f"{dimension.value}_expected"] = expected
            scores[f"{dimension.value}_perceived"] = max(1, min(7, expected + rng.randint(-3, 1)))
        SurveyAnswer.objects.create(
            invitation=invitation,
            kind=SurveyKind.RATER,
            answered_at=at,
            customer=customer,
            internal=customer.is_internal,
            **scores,
        )
    rollup.rollup_rebuild(now=now)
