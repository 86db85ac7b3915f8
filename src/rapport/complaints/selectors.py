"""Reads for the complaint pages, hooks and reports: one query per list, whatever its length."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases.models import Case
from rapport.complaints import access as complaint_policy
from rapport.complaints.models import ApprovalRequest, Award, AwardStatus, Complaint, ComplaintSettings, FollowUp
from rapport.customers.models import CHANNEL_CHOICES
from rapport.domain import complaint_rules as rules
from rapport.domain.case_rules import CaseType


def stages_done(complaint: Complaint) -> frozenset[rules.Stage]:
    done = {
        rules.Stage.HEAR: complaint.heard_at,
        rules.Stage.EMPATHISE: complaint.empathised_at,
        rules.Stage.APOLOGISE: complaint.apologised_at,
        rules.Stage.TAKE_OWNERSHIP: complaint.owned_at,
    }
    return frozenset(stage for stage, at in done.items() if at is not None)


def closing_facts(complaint: Complaint | None) -> rules.ClosingFacts:
    if complaint is None:
        return rules.ClosingFacts(frozenset(), None, None)
    return rules.ClosingFacts(
        stages_done=stages_done(complaint),
        customer_response=rules.CustomerResponse(complaint.customer_response) if complaint.customer_response else None,
        root_cause=str(complaint.root_cause_id) if complaint.root_cause_id else None,
        overridden=bool(complaint.override_at),
    )


def final_response_due(complaint: Complaint, config: ComplaintSettings) -> datetime:
    """The final-response deadline as a moment: receipt plus the configured calendar weeks."""
    return complaint.received_at + timedelta(weeks=config.final_response_weeks)


def deadline_state(complaint: Complaint, config: ComplaintSettings, now: datetime) -> rules.DeadlineState:
    due = timezone.localdate(final_response_due(complaint, config))
    responded = timezone.localdate(complaint.final_response_at) if complaint.final_response_at else None
    return rules.deadline_state(due, timezone.localdate(now), config.warn_days, responded=responded)


@dataclass(frozen=True)
class OpenComplaint:
    complaint: Complaint
    due: datetime
    state: rules.DeadlineState
    stages: int


def open_complaints(actor: User, now: datetime, *, limit: int = 200) -> list[OpenComplaint]:
    """Complaints still awaiting their final response on cases ``actor`` may see, soonest due first."""
    config = ComplaintSettings.current()
    rows = (
        Complaint.objects.filter(final_response_at__isnull=True, case__in=policy.visible_cases(actor))
        .select_related("case__customer", "case__owner", "handler", "root_cause")
        .order_by("received_at", "id")[:limit]
    )
    return [
        OpenComplaint(c, final_response_due(c, config), deadline_state(c, config, now), len(stages_done(c)))
        for c in rows
    ]


def approvals_for(actor: User) -> list[ApprovalRequest]:
    """Undecided approval requests ``actor`` may decide, oldest first."""
    ranks = complaint_policy.RANK
    roles = [role for role, value in ranks.items() if value <= complaint_policy.rank(actor.role)]
    return list(
        ApprovalRequest.objects.filter(
            decided_at__isnull=True,
            approver_role__in=roles,
            award__complaint__case__in=policy.visible_cases(actor),
        )
        .exclude(award__requested_by=actor)
        .select_related("award__complaint__case", "award__requested_by")
        .order_by("award__requested_at", "id")
    )


def follow_ups_due(actor: User, today: date) -> list[FollowUp]:
    """Follow-ups not yet made that fall due by ``today`` on cases ``actor`` may see, oldest first."""
    return list(
        FollowUp.objects.filter(done_at__isnull=True, due__lte=today, complaint__case__in=policy.visible_cases(actor))
        .select_related("complaint__case__customer")
        .order_by("due", "id")[:200]
    )


def complaints_of_cases(cases: Sequence[Case]) -> dict[int, Complaint]:
    ids = [c.pk for c in cases if c.type == CaseType.COMPLAINT]
    if not ids:
        return {}
    return {c.case_id: c for c in Complaint.objects.filter(case_id__in=ids)}


# --- reports ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    header: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    customer_ids: tuple[int, ...] = ()
    """Customers the report names (their data is shown or exported, so the access is recorded)."""


REPORTS = ("root_cause", "product", "channel", "time_to_resolve", "upheld", "remedies", "repeat", "trend")


def _period(start: date, end: date) -> QuerySet[Complaint]:
    return Complaint.objects.filter(received_at__date__gte=start, received_at__date__lte=end)


AWARD_KINDS = dict(Award._meta.get_field("kind").choices or [])


def _count_by(
    qs: QuerySet[Complaint], field: str, label: str, title: str, name: str, labels: dict[str, str] | None = None
) -> Report:
    """``labels``: what each stored code reads as, for a field that holds codes (a channel)."""
    rows = qs.values(field).annotate(n=Count("id")).order_by("-n", field)
    total = sum(r["n"] for r in rows)
    shown = labels or {}
    return Report(
        name,
        title,
        (label, "Complaints", "Share"),
        [
            (shown.get(r[field], str(r[field] or "Not recorded")), str(r["n"]), f"{100 * r['n'] / total:.1f}%")
            for r in rows
        ],
    )


def _month(value: datetime | date | None) -> str:
    return value.strftime("%Y-%m") if value else ""


def report(name: str, *, start: date, end: date) -> Report:
    """One complaint report over complaints received from ``start`` to ``end`` (both included)."""
    qs = _period(start, end)
    if name == "root_cause":
        return _count_by(qs, "root_cause__name", "Root cause", "Complaints by root cause", name)
    if name == "product":
        return _count_by(qs, "product", "Product", "Complaints by product", name)
    if name == "channel":
        return _count_by(qs, "case__channel", "Channel", "Complaints by channel", name, dict(CHANNEL_CHOICES))
    if name == "time_to_resolve":
        months: dict[str, list[float]] = {}
        for received, resolved in qs.filter(case__resolved_at__isnull=False).values_list(
            "received_at", "case__resolved_at"
        ):
            if resolved is not None:
                months.setdefault(_month(received), []).append((resolved - received).total_seconds() / 86400)
        rows = []
        for month in sorted(months):
            values = months[month]
            middle = rules.median(values)
            rows.append((month, str(len(values)), f"{middle:.1f}" if middle is not None else "", f"{max(values):.1f}"))
        return Report(
            name,
            "Time to resolve (days, by month received)",
            ("Month", "Resolved", "Median days", "Longest days"),
            rows,
        )
    if name == "upheld":
        grouped: dict[str, list[str]] = {}
        for received, outcome in qs.exclude(outcome="").values_list("received_at", "outcome"):
            grouped.setdefault(_month(received), []).append(outcome)
        rows = []
        for month in sorted(grouped):
            outcomes = grouped[month]
            rate = rules.upheld_rate(outcomes)
            upheld = sum(1 for o in outcomes if o != rules.Outcome.NOT_UPHELD)
            rows.append((month, str(len(outcomes)), str(upheld), f"{rate}%" if rate is not None else ""))
        return Report(
            name, "Upheld rate (upheld in full or in part)", ("Month", "Decided", "Upheld", "Upheld rate"), rows
        )
    if name == "remedies":
        awards = (
            Award.objects.filter(complaint__in=qs, status=AwardStatus.GRANTED)
            .values("basis", "kind")
            .annotate(n=Count("id"), total=Sum("amount_pence"))
            .order_by("basis", "kind")
        )
        rows = [
            (
                "Legal remedies" if a["basis"] == rules.Basis.LEGAL else "Goodwill",
                AWARD_KINDS.get(a["kind"], a["kind"]),
                str(a["n"]),
                f"{(a['total'] or 0) / 100:.2f}",
            )
            for a in awards
        ]
        return Report(
            name,
            "Remedies granted: legal entitlement and goodwill, kept apart",
            ("Basis", "Kind", "Granted", "Cost (£)"),
            rows,
        )
    if name == "repeat":
        repeats = (
            qs.values("case__customer_id", "case__customer__name")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .order_by("-n", "case__customer__name")
        )
        found = list(repeats)
        return Report(
            name,
            "Repeat complaints (customers with more than one)",
            ("Customer", "Complaints"),
            [(r["case__customer__name"], str(r["n"])) for r in found],
            tuple(r["case__customer_id"] for r in found),
        )
    if name == "trend":
        trend = (
            qs.annotate(month=TruncMonth("received_at"))
            .values("month")
            .annotate(
                n=Count("id"),
                upheld=Count("id", filter=Q(outcome__in=[rules.Outcome.UPHELD, rules.Outcome.PARTLY_UPHELD])),
            )
            .order_by("month")
        )
        return Report(
            name,
            "Trend: complaints received by month",
            ("Month", "Received", "Upheld"),
            [(_month(r["month"]), str(r["n"]), str(r["upheld"])) for r in trend],
        )
    raise KeyError(name)
