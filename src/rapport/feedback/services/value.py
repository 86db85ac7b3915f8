"""Customer value: orders (one by one or imported in bulk), lifetime value and loyalty tiers, and
the staff measures the service-profit chain is read against."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Min, Q, Sum

from rapport import extensions
from rapport.accounts.models import User
from rapport.customers.models import Customer
from rapport.domain.scoring import TierRule, lifetime_value, tier_for
from rapport.feedback import access as policy
from rapport.feedback.models import FeedbackSettings, LoyaltyTier, Order, StaffMeasure
from rapport.platform.errors import FieldError, Forbidden

ONLY_MANAGERS = "Only managers can record customer value and staff measures."

CSV_COLUMNS = ("customer_email", "reference", "placed_at", "amount")


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int
    errors: tuple[str, ...]


def _pence(text: str) -> int:
    amount = Decimal(text.strip().lstrip("£").replace(",", ""))
    if not amount.is_finite() or amount < 0 or amount > Decimal("10000000"):
        raise InvalidOperation
    return int((amount * 100).to_integral_value())


def _when(text: str) -> datetime:
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def orders_import(*, actor: User | None, rows: Iterable[Mapping[str, str]], now: datetime) -> ImportResult:
    """Import orders (customer_email, reference, placed_at ISO date, amount in pounds) in bulk.

    Bad rows are reported by line and skipped; orders already recorded (same customer and
    reference) are skipped, so an import can be run again safely. ``actor`` None is the CLI.
    """
    if actor is not None and not policy.can_manage_value(actor):
        raise Forbidden(ONLY_MANAGERS)
    errors: list[str] = []
    parsed: list[tuple[str, str, datetime, int]] = []
    for line, row in enumerate(rows, start=2):
        missing = [c for c in CSV_COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            errors.append(f"line {line}: missing {', '.join(missing)}")
            continue
        try:
            placed = _when(row["placed_at"])
        except ValueError:
            errors.append(f"line {line}: placed_at {row['placed_at']!r} is not a date (use YYYY-MM-DD)")
            continue
        try:
            pence = _pence(row["amount"])
        except (InvalidOperation, ValueError):
            errors.append(f"line {line}: amount {row['amount']!r} is not an amount in pounds")
            continue
        parsed.append((row["customer_email"].strip().lower(), row["reference"].strip()[:60], placed, pence))
    emails = {p[0] for p in parsed}
    customers: dict[str, int] = {}
    for chunk_start in range(0, len(emails), 500):
        chunk = sorted(emails)[chunk_start : chunk_start + 500]
        q = Q()
        for email in chunk:
            q |= Q(email__iexact=email)
        for pk, email in Customer.objects.filter(q).order_by("id").values_list("pk", "email"):
            customers.setdefault(email.lower(), pk)
    orders = []
    for email, reference, placed, pence in parsed:
        if email not in customers:
            errors.append(f"order {reference}: no customer with email {email}")
            continue
        orders.append(
            Order(
                customer_id=customers[email], reference=reference, placed_at=placed, amount_pence=pence, created_at=now
            )
        )
    before = Order.objects.count()
    with transaction.atomic():
        Order.objects.bulk_create(orders, batch_size=2000, ignore_conflicts=True)
        created = Order.objects.count() - before
        tiers_apply(customer_ids=sorted({o.customer_id for o in orders}), now=now)
    return ImportResult(created=created, skipped=len(orders) - created, errors=tuple(errors))


def orders_import_csv(*, actor: User | None, text: str, now: datetime) -> ImportResult:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise FieldError(file=f"The CSV needs the columns {', '.join(CSV_COLUMNS)}; missing {', '.join(missing)}.")
    return orders_import(actor=actor, rows=reader, now=now)


def order_record(
    *, actor: User, customer: Customer, reference: str, placed_at: datetime, amount: str, now: datetime
) -> Order:
    if not policy.can_manage_value(actor):
        raise Forbidden(ONLY_MANAGERS)
    reference = (reference or "").strip()
    errors: dict[str, list[str]] = {}
    if not reference:
        errors["reference"] = ["Give the order reference."]
    try:
        pence = _pence(str(amount))
    except (InvalidOperation, ValueError):
        errors["amount"] = ["Give the amount in pounds, e.g. 49.99."]
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        if Order.objects.filter(customer=customer, reference=reference).exists():
            raise FieldError(reference="This customer already has an order with that reference.")
        order = Order.objects.create(
            customer=customer, reference=reference[:60], placed_at=placed_at, amount_pence=pence, created_at=now
        )
        tiers_apply(customer_ids=[customer.pk], now=now)
    return order


def customer_lifetime_values(customer_ids: list[int], now: datetime) -> dict[int, Decimal | None]:
    """Lifetime value by customer, from their orders and the organisation's settings (one query)."""
    config = FeedbackSettings.current()
    found: dict[int, Decimal | None] = dict.fromkeys(customer_ids)
    rows = (
        Order.objects.filter(customer_id__in=customer_ids)
        .values("customer_id")
        .annotate(total=Sum("amount_pence"), first=Min("placed_at"))
    )
    for row in rows:
        years = Decimal((now - row["first"]).days) / Decimal("365.25")
        value = lifetime_value(
            orders=[Decimal(row["total"]) / 100],
            years_observed=years,
            margin=config.margin,
            retention=config.retention,
            discount_rate=config.discount_rate,
        )
        found[row["customer_id"]] = value.value
    return found


def tiers_apply(*, customer_ids: list[int] | None = None, now: datetime) -> int:
    """Set ``Customer.tier`` from lifetime value and the loyalty tiers; returns customers changed."""
    rules = [TierRule(t.name, Decimal(t.threshold_pence) / 100) for t in LoyaltyTier.objects.all()]
    if customer_ids is None:
        customer_ids = list(Order.objects.values_list("customer_id", flat=True).distinct())
    changed = 0
    for start in range(0, len(customer_ids), 1000):
        chunk = customer_ids[start : start + 1000]
        values = customer_lifetime_values(chunk, now)
        current = dict(Customer.objects.filter(pk__in=chunk).values_list("pk", "tier"))
        by_tier: dict[str, list[int]] = {}
        for pk, value in values.items():
            tier = tier_for(value, rules)
            if pk in current and current[pk] != tier:
                by_tier.setdefault(tier, []).append(pk)
        for tier, pks in by_tier.items():
            with transaction.atomic():
                changed += Customer.objects.filter(pk__in=pks).update(tier=tier, updated_at=now)
                # Service levels may be chosen by tier: their open cases' clocks are re-targeted.
                extensions.customers_changed(pks, f"customer tier {tier or 'none'}", now)
    return changed


def staff_measure_record(
    *,
    actor: User,
    team_id: int,
    month: datetime,
    staff_survey_score: Decimal | None,
    training_hours: Decimal,
    headcount: int,
) -> StaffMeasure:
    if not policy.can_manage_value(actor):
        raise Forbidden(ONLY_MANAGERS)
    errors: dict[str, list[str]] = {}
    if staff_survey_score is not None and not Decimal(0) <= staff_survey_score <= Decimal(100):
        errors["staff_survey_score"] = ["Give a score from 0 to 100."]
    if training_hours < 0:
        errors["training_hours"] = ["Training hours cannot be negative."]
    if headcount < 1:
        errors["headcount"] = ["Headcount is at least 1."]
    if errors:
        raise FieldError(errors)
    measure, _ = StaffMeasure.objects.update_or_create(
        team_id=team_id,
        month=month.date().replace(day=1),
        defaults={"staff_survey_score": staff_survey_score, "training_hours": training_hours, "headcount": headcount},
    )
    return measure
