"""Service-gap evidence from complaints, for the improvement gap analysis
(``extensions.gap_evidence``): root causes by volume and by what they cost in redress, legal and
goodwill apart."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from rapport import extensions
from rapport.complaints.models import Award, AwardStatus, Complaint
from rapport.domain.complaint_rules import Basis

CASES_SHOWN = 20


def root_causes(scope: extensions.GapScope) -> list[extensions.GapEvidence]:
    """Each root cause named by complaints received in the period: its share of the complaints with
    a cause (size) over the number of complaints (reach), and the redress granted for it, legal and
    goodwill apart. Two grouped queries, then one per cause for its cases (causes are few)."""
    received = Complaint.objects.filter(
        scope.cases("case__"), received_at__gte=scope.start, received_at__lt=scope.end, root_cause__isnull=False
    )
    rows = list(
        received.values("root_cause_id", "root_cause__name").annotate(n=Count("pk")).order_by("root_cause__name")
    )
    total = sum(row["n"] for row in rows)
    granted = Award.objects.filter(complaint__in=received, status=AwardStatus.GRANTED)
    cost: dict[int, tuple[int, int]] = {
        row["complaint__root_cause_id"]: (row["legal"] or 0, row["goodwill"] or 0)
        for row in granted.values("complaint__root_cause_id")
        .annotate(
            legal=Sum("amount_pence", filter=Q(basis=Basis.LEGAL)),
            goodwill=Sum("amount_pence", filter=Q(basis=Basis.GOODWILL)),
        )
        .order_by()
    }
    found = []
    for row in rows:
        legal_pence, goodwill_pence = cost.get(row["root_cause_id"], (0, 0))
        legal, goodwill = Decimal(legal_pence) / 100, Decimal(goodwill_pence) / 100
        cases = received.filter(root_cause_id=row["root_cause_id"]).order_by("-received_at")
        found.append(
            extensions.GapEvidence(
                key=f"root_cause:{row['root_cause_id']}",
                title=f"Complaints caused by {row['root_cause__name'].lower()}",
                size=row["n"] / total,
                reach=row["n"],
                why=f"{row['n']} of {total} complaints with a root cause; redress £{legal:,.2f} legal and "
                f"£{goodwill:,.2f} goodwill.",
                touchpoint="complaint",
                case_ids=tuple(cases.values_list("case_id", flat=True)[:CASES_SHOWN]),
                link="/complaints/",
                cost=legal + goodwill,
            )
        )
    return found
