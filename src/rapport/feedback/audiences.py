"""Who a RATER questionnaire goes to: a group of customers chosen by id or by segment, and who in
it is skipped and why. Reads only; ``services.rater_campaign_send`` writes.

Everything here is a queryset or one grouped query, so previewing or sending costs the same number
of queries for ten customers or a hundred thousand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value, When

from rapport import extensions
from rapport.accounts.models import Team, User
from rapport.cases.models import Case
from rapport.customers.models import INTERNAL_KINDS, Customer
from rapport.domain.scoring import RaterGaps, rate, rater_gaps_from_totals
from rapport.feedback import access as policy
from rapport.feedback.models import (
    RATER_FIELDS,
    CaseFact,
    FeedbackSettings,
    InvitationStatus,
    LoyaltyTier,
    RaterCampaign,
    SkipReason,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
)
from rapport.platform.errors import FieldError

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class SkipReasonAnnotation(TypedDict):
    reason: str


MAX_PICKED = 5000
MAX_WITHIN_DAYS = 3650
DEFAULT_WITHIN_DAYS = 90
ASKED = "asked"
CHOOSE = "Choose customers or a segment (internal or external, loyalty tier, a case resolved in a period, a team)."
BOTH = "Choose customers or a segment, not both."
TOO_MANY = f"Pick at most {MAX_PICKED:,} customers by name; use a segment for a bigger group."
NO_SUCH_CUSTOMERS = "No customer with id {ids}."
NOT_YOUR_CUSTOMERS = "Customer {ids} has no case in your teams."
BAD_GROUP = "Choose internal or external customers."
BAD_TIER = "Choose one of the loyalty tiers."
BAD_TEAM = "Choose one of your teams."
BAD_PERIOD_END = "The end of the period must be on or after its start."
HALF_PERIOD = "Give both the first and the last day of the period."
LONG_PERIOD = "Choose a period of at most two years."
BAD_WITHIN = f"Give a number of days from 1 to {MAX_WITHIN_DAYS:,}."


@dataclass(frozen=True)
class Audience:
    """A group of customers: picked by id, or a segment (every criterion given must hold).
    ``resolved_to`` is the last day of the period, inclusive."""

    customer_ids: tuple[int, ...] = ()
    group: str = ""
    tier: str = ""
    team_id: int | None = None
    resolved_from: date | None = None
    resolved_to: date | None = None

    @property
    def is_segment(self) -> bool:
        return bool(self.group or self.tier or self.team_id or self.resolved_from or self.resolved_to)

    def as_json(self) -> dict[str, Any]:
        plain = asdict(self)
        plain["customer_ids"] = list(self.customer_ids)
        for name in ("resolved_from", "resolved_to"):
            plain[name] = plain[name].isoformat() if plain[name] else None
        return {k: v for k, v in plain.items() if v not in (None, "", [])}

    def label(self, team_name: str = "") -> str:
        if self.customer_ids:
            n = len(self.customer_ids)
            return f"{n} chosen customer{'s' if n != 1 else ''}"
        parts = []
        if self.group:
            parts.append(f"{self.group} customers")
        if self.tier:
            parts.append(f"loyalty tier {self.tier}")
        if self.resolved_from and self.resolved_to:
            parts.append(f"a case resolved {self.resolved_from:%d %b %Y} to {self.resolved_to:%d %b %Y}")
        if self.team_id:
            parts.append(f"customers of {team_name or f'team {self.team_id}'}")
        return "; ".join(parts)[:300]


def audience_check(actor: User, audience: Audience, within_days: int) -> str:
    """Refuse an audience that names nothing, or anything unknown or outside ``actor``'s reach,
    by field. Returns the chosen team's name (for the label). At most three small queries."""
    errors: dict[str, list[str]] = {}
    if audience.customer_ids and audience.is_segment:
        errors["customer_ids"] = [BOTH]
    elif not audience.customer_ids and not audience.is_segment:
        errors["customer_ids"] = [CHOOSE]
    elif len(set(audience.customer_ids)) > MAX_PICKED:
        errors["customer_ids"] = [TOO_MANY]
    if audience.group not in ("", "internal", "external"):
        errors["group"] = [BAD_GROUP]
    if audience.tier and not LoyaltyTier.objects.filter(name=audience.tier).exists():
        errors["tier"] = [BAD_TIER]
    if (audience.resolved_from is None) != (audience.resolved_to is None):
        errors["resolved_from" if audience.resolved_from is None else "resolved_to"] = [HALF_PERIOD]
    elif audience.resolved_from and audience.resolved_to:
        if audience.resolved_to < audience.resolved_from:
            errors["resolved_to"] = [BAD_PERIOD_END]
        elif (audience.resolved_to - audience.resolved_from).days > 731:
            errors["resolved_to"] = [LONG_PERIOD]
    if not 1 <= within_days <= MAX_WITHIN_DAYS:
        errors["within_days"] = [BAD_WITHIN]
    team_name = ""
    scope = policy.rater_team_ids(actor)
    if audience.team_id is not None:
        team = Team.objects.filter(pk=audience.team_id).first()
        if team is None or (scope is not None and team.pk not in scope):
            errors["team"] = [BAD_TEAM]
        else:
            team_name = team.name
    if audience.customer_ids and "customer_ids" not in errors:
        wanted = set(audience.customer_ids)
        # An id no row can have (a database integer is 64-bit) is simply unknown, never sent to it.
        storable = {pk for pk in wanted if 1 <= pk <= 2**63 - 1}
        known = set(Customer.objects.filter(pk__in=storable).values_list("pk", flat=True))
        if wanted - known:
            errors["customer_ids"] = [NO_SUCH_CUSTOMERS.format(ids=", ".join(map(str, sorted(wanted - known)[:10])))]
        elif scope is not None:
            reachable = set(_in_teams(Customer.objects.filter(pk__in=wanted), scope).values_list("pk", flat=True))
            if wanted - reachable:
                errors["customer_ids"] = [
                    NOT_YOUR_CUSTOMERS.format(ids=", ".join(map(str, sorted(wanted - reachable)[:10])))
                ]
    if errors:
        raise FieldError(errors)
    return team_name


def _in_teams(customers: QuerySet[Customer], team_ids: list[int]) -> QuerySet[Customer]:
    # The case_team_active_updated index starts with the team: one range per team.
    return customers.filter(pk__in=Case.objects.filter(team_id__in=team_ids).values("customer_id"))


def audience_customers(actor: User, audience: Audience) -> QuerySet[Customer]:
    """The customers an (already checked) audience names, within ``actor``'s reach.

    "A case resolved in a period" counts office days as the dashboards do, from the case facts
    (``CaseFact.resolved_day``, indexed; refreshed hourly), so it agrees with the dashboard's
    "Cases resolved"."""
    customers = Customer.objects.all()
    if audience.customer_ids:
        customers = customers.filter(pk__in=sorted(set(audience.customer_ids)))
    if audience.group:
        internal = Q(kind__in=sorted(INTERNAL_KINDS))
        customers = customers.filter(internal if audience.group == "internal" else ~internal)
    if audience.tier:
        customers = customers.filter(tier=audience.tier)
    if audience.resolved_from and audience.resolved_to:
        facts = CaseFact.objects.filter(
            resolved_day__gte=audience.resolved_from, resolved_day__lte=audience.resolved_to
        )
        if audience.team_id is not None:
            facts = facts.filter(team_key=audience.team_id)
        customers = customers.filter(pk__in=Case.objects.filter(pk__in=facts.values("case_id")).values("customer_id"))
    elif audience.team_id is not None:
        customers = _in_teams(customers, [audience.team_id])
    scope = policy.rater_team_ids(actor)
    if scope is not None:
        customers = _in_teams(customers, scope)
    return customers


def with_skip_reason(
    customers: QuerySet[Customer], *, now: datetime, within_days: int
) -> QuerySet[WithAnnotations[Customer, SkipReasonAnnotation]]:
    """Each customer annotated ``reason``: the first reason to skip them (``SkipReason`` order) or
    ``ASKED``. Consent comes from the registered ``contact_refusals`` hooks (as subqueries)."""
    recent = SurveyInvitation.objects.filter(
        customer=OuterRef("pk"), kind=SurveyKind.RATER, created_at__gte=now - timedelta(days=within_days)
    ).exclude(status=InvitationStatus.SUPPRESSED)
    refused: dict[str, list[QuerySet[Any]]] = {}
    for hook in extensions.contact_refusals:
        for reason, ids in hook(customers, "survey", "email").items():
            refused.setdefault(reason, []).append(ids)
    whens = [
        When(erased_at__isnull=False, then=Value(SkipReason.ERASED.value)),
        When(email="", then=Value(SkipReason.NO_EMAIL.value)),
    ]
    for reason in (SkipReason.OPTED_OUT, SkipReason.NO_CONSENT, SkipReason.RESTRICTED):
        whens.extend(When(pk__in=ids, then=Value(reason.value)) for ids in refused.get(reason.value, []))
    whens.append(When(Exists(recent), then=Value(SkipReason.RECENTLY_ASKED.value)))
    reason = models.Case(*whens, default=Value(ASKED), output_field=models.CharField())
    return customers.annotate(reason=reason)


@dataclass(frozen=True)
class Preview:
    """How many of a group would be asked, and how many skipped, by reason (in ``SkipReason`` order)."""

    matched: int
    asked: int
    skipped: tuple[tuple[str, str, int], ...]  # (reason, label, count)

    @property
    def skipped_total(self) -> int:
        return sum(n for _r, _l, n in self.skipped)


def preview(customers: QuerySet[Customer], *, now: datetime, within_days: int) -> Preview:
    """Counts by reason in one grouped query."""
    rows = with_skip_reason(customers, now=now, within_days=within_days).values("reason").annotate(n=Count("pk"))
    counts = {r["reason"]: r["n"] for r in rows.order_by()}
    return Preview(
        matched=sum(counts.values()),
        asked=counts.get(ASKED, 0),
        skipped=tuple((r.value, str(r.label), counts[r.value]) for r in SkipReason if counts.get(r.value)),
    )


# --- the sends ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignRow:
    """A send with how it went: invitations emailed, answered, the response rate and RATER gaps."""

    campaign: RaterCampaign
    emailed: int
    answered: int
    response_rate: float | None
    gaps: RaterGaps

    @property
    def skipped(self) -> tuple[tuple[str, int], ...]:
        """(label, count) for each reason customers were skipped, in ``SkipReason`` order."""
        counts = self.campaign.skipped or {}
        return tuple((str(r.label), counts[r.value]) for r in SkipReason if counts.get(r.value))


def campaigns(actor: User) -> QuerySet[RaterCampaign]:
    found = RaterCampaign.objects.select_related("sent_by")
    return found if policy.sees_every_rater_send(actor) else found.filter(sent_by=actor)


def campaign_rows(page: list[RaterCampaign]) -> list[CampaignRow]:
    """Response rates and RATER gaps for a page of sends: two grouped queries whatever its size."""
    ids = [c.pk for c in page]
    sent = {
        r["campaign_id"]: r
        for r in SurveyInvitation.objects.filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(
            emailed=Count("pk", filter=Q(sent_at__isnull=False)),
            answered=Count("pk", filter=Q(status=InvitationStatus.ANSWERED)),
        )
        .order_by()
    }
    totals: dict[str, Any] = {}
    for _d, expected, perceived in RATER_FIELDS:
        for column in (expected, perceived):
            totals[f"{column}__sum"] = models.Sum(column)
            totals[f"{column}__n"] = Count(column)
    answers = {
        r["invitation__campaign_id"]: r
        for r in SurveyAnswer.objects.filter(invitation__campaign_id__in=ids)
        .values("invitation__campaign_id")
        .annotate(**totals)
        .order_by()
    }
    weights = FeedbackSettings.current().rater_weights or None
    rows = []
    for campaign in page:
        counts = sent.get(campaign.pk, {"emailed": 0, "answered": 0})
        sums = answers.get(campaign.pk, {})
        gaps = rater_gaps_from_totals(
            {d.value: (sums.get(f"{e}__sum") or 0, sums.get(f"{e}__n") or 0) for d, e, _p in RATER_FIELDS},
            {d.value: (sums.get(f"{p}__sum") or 0, sums.get(f"{p}__n") or 0) for d, _e, p in RATER_FIELDS},
            weights,
        )
        rows.append(
            CampaignRow(
                campaign=campaign,
                emailed=counts["emailed"],
                answered=counts["answered"],
                response_rate=rate(counts["answered"], counts["emailed"]),
                gaps=gaps,
            )
        )
    return rows


def customer_search(actor: User, text: str, limit: int = 20) -> list[Customer]:
    """Customers to pick by name or email, within ``actor``'s reach."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return []
    found = Customer.objects.filter(Q(name__icontains=text) | Q(email__icontains=text)).order_by("name", "id")
    scope = policy.rater_team_ids(actor)
    if scope is not None:
        found = _in_teams(found, scope)
    return list(found[:limit])


# --- the audience as other apps name it (rapport.extensions.audiences) ---------------------------

CRITERIA = ("customer_ids", "group", "tier", "team_id", "resolved_from", "resolved_to")
BAD_DAY = "Give a date like 2026-03-02."
BAD_IDS = "Give customer ids as whole numbers."


def from_criteria(criteria: Mapping[str, Any]) -> Audience:
    """An ``Audience`` from plain data (a form, the API, a stored send), by field."""
    errors: dict[str, list[str]] = {}
    days: dict[str, date | None] = {}
    for name in ("resolved_from", "resolved_to"):
        value = criteria.get(name)
        try:
            days[name] = value if isinstance(value, date) or not value else date.fromisoformat(str(value))
        except ValueError:
            errors[name] = [BAD_DAY]
            days[name] = None
    ids: tuple[int, ...] = ()
    try:
        ids = tuple(int(pk) for pk in criteria.get("customer_ids") or ())
    except (TypeError, ValueError):
        errors["customer_ids"] = [BAD_IDS]
    team = criteria.get("team_id")
    try:
        team_id = int(team) if team not in (None, "") else None
    except (TypeError, ValueError):
        errors["team"] = [BAD_TEAM]
        team_id = None
    if errors:
        raise FieldError(errors)
    return Audience(
        customer_ids=ids,
        group=str(criteria.get("group") or ""),
        tier=str(criteria.get("tier") or ""),
        team_id=team_id,
        resolved_from=days["resolved_from"],
        resolved_to=days["resolved_to"],
    )


def criteria_check(actor: User, criteria: Mapping[str, Any]) -> str:
    audience = from_criteria(criteria)
    return audience.label(audience_check(actor, audience, DEFAULT_WITHIN_DAYS))


def criteria_customers(actor: User, criteria: Mapping[str, Any]) -> QuerySet[Customer]:
    return audience_customers(actor, from_criteria(criteria))
