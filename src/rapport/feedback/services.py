"""Every write of the feedback app: survey invitations and answers, follow-ups, orders and tiers.

Surveys follow domain.md §6: CSAT and CES after resolution, NPS on a schedule, RATER on request.
A survey link is signed (django.core.signing) and names one invitation; it needs no sign-in and
takes one answer. Nothing is sent without ``contact_permitted(customer, "survey", "email")``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet, Sum, Value
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rapport import extensions
from rapport.accounts.models import Role, User
from rapport.cases import journal
from rapport.cases.models import Case, CaseEvent
from rapport.customers.models import Customer
from rapport.domain.case_rules import CaseType, Status
from rapport.domain.scoring import SCALES, TierRule, lifetime_value, tier_for
from rapport.feedback import access as policy
from rapport.feedback import audiences, rollup
from rapport.feedback.audiences import DEFAULT_WITHIN_DAYS, Audience, Preview
from rapport.feedback.models import (
    RATER_FIELDS,
    FeedbackSettings,
    FollowUp,
    InvitationStatus,
    LoyaltyTier,
    Order,
    RaterCampaign,
    SkipReason,
    StaffMeasure,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
)
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound
from rapport.platform.notify import email_send

SALT = "rapport.feedback.survey"
LINK_INVALID = _("This survey link is not valid. Check you copied the whole link from the email.")
ALREADY_ANSWERED = _("This survey has already been answered. Thank you for your feedback.")
EXPIRED = _("This survey has closed.")
SCORE_REQUIRED = _("Choose a score.")
SCORE_RANGE = _("Choose a score from {low} to {high}.")
COMMENT_TOO_LONG = _("Keep your comment to 5,000 characters or fewer.")
MAX_COMMENT = 5000
ONLY_MANAGERS = "Only managers can record customer value and staff measures."
RATER_NOT_ALLOWED = "Only team leaders and managers can send RATER questionnaires."
FOLLOW_UP_DONE = "This follow-up is already closed."
OUTCOME_REQUIRED = "Say what was done."

QUESTIONS = {
    SurveyKind.CSAT: _("How satisfied are you with how we handled your case? (1 very dissatisfied, 5 very satisfied)"),
    SurveyKind.CES: _("How easy was it to get your issue resolved? (1 very difficult, 7 very easy)"),
    SurveyKind.NPS: _("How likely are you to recommend us to a friend or colleague? (0 not at all, 10 extremely)"),
    SurveyKind.RATER: _("For each part of our service, tell us what you expected and what you got (1 low, 7 high)."),
}


# --- invitations ---------------------------------------------------------------------------


def survey_token(invitation: SurveyInvitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT, compress=False)


def survey_url(invitation: SurveyInvitation) -> str:
    return reverse("feedback:answer", args=[survey_token(invitation)])


def invitation_from_token(token: str) -> SurveyInvitation:
    """The invitation a link names, or ``NotFound`` for a forged, altered or unknown link."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise NotFound(LINK_INVALID) from None
    found = SurveyInvitation.objects.select_related("customer", "case").filter(pk=pk).first()
    if found is None:
        raise NotFound(LINK_INVALID)
    return found


def _invitation(
    kind: str, customer: Customer, case: Case | None, now: datetime, config: FeedbackSettings
) -> SurveyInvitation:
    send_after = now + config.delay if case is not None else now
    return SurveyInvitation(
        kind=kind,
        customer=customer,
        case=case,
        created_at=now,
        send_after=send_after,
        expires_at=send_after + timedelta(days=config.expiry_days),
    )


def invitations_after_resolution(*, case: Case, now: datetime) -> list[SurveyInvitation]:
    """Schedule the CSAT and CES surveys for a case just resolved (once per case and kind).

    Internal requests are surveyed like any other: internal customers are customers (seed 001)."""
    config = FeedbackSettings.current()
    kinds = [k for k, on in ((SurveyKind.CSAT, config.send_csat), (SurveyKind.CES, config.send_ces)) if on]
    if not kinds or case.type == CaseType.DATA_REQUEST:
        return []
    existing = set(SurveyInvitation.objects.filter(case=case).values_list("kind", flat=True))
    new = [_invitation(k, case.customer, case, now, config) for k in kinds if k not in existing]
    if not new:
        return []
    SurveyInvitation.objects.bulk_create(new, ignore_conflicts=True)
    return list(SurveyInvitation.objects.filter(case=case, kind__in=[i.kind for i in new], sent_at__isnull=True))


def nps_invitations_create(*, now: datetime, limit: int = 5000) -> int:
    """NPS on a schedule: customers served in the last interval and not asked within it."""
    config = FeedbackSettings.current()
    since = now - timedelta(days=config.nps_interval_days)
    asked = SurveyInvitation.objects.filter(customer=OuterRef("pk"), kind=SurveyKind.NPS, created_at__gte=since)
    served = Case.objects.filter(customer=OuterRef("pk"), resolved_at__gte=since)
    due = Customer.objects.filter(Exists(served)).exclude(Exists(asked)).exclude(email="")[:limit]
    created = SurveyInvitation.objects.bulk_create([_invitation(SurveyKind.NPS, c, None, now, config) for c in due])
    return len(created)


def rater_invite(*, actor: User, customer: Customer, now: datetime) -> SurveyInvitation:
    """Ask one customer for a RATER questionnaire (expectation and perception per dimension)."""
    if not policy.can_manage_value(actor):
        raise Forbidden("Only managers can send RATER questionnaires.")
    invitation = _invitation(SurveyKind.RATER, customer, None, now, FeedbackSettings.current())
    invitation.save()
    invitation_send(invitation_id=invitation.pk, now=now)
    invitation.refresh_from_db()
    return invitation


def rater_campaign_send(
    *, actor: User, audience: Audience, name: str = "", within_days: int = DEFAULT_WITHIN_DAYS, now: datetime
) -> tuple[RaterCampaign, Preview]:
    """Send the RATER questionnaire to a group: one invitation per customer who may be asked,
    inserted by one INSERT ... SELECT (the same few queries for ten customers or a hundred
    thousand), recorded as a campaign with its counts; the dispatch job then emails them, checking
    consent again at sending time. Customers skipped (erased, no email, opted out, asked within
    ``within_days``) are counted by reason. Nothing is saved if anything fails."""
    if not policy.can_send_rater(actor):
        raise Forbidden(RATER_NOT_ALLOWED)
    name = " ".join((name or "").split())
    if len(name) > 120:
        raise FieldError(name="Keep the name to 120 characters or fewer.")
    team_name = audiences.audience_check(actor, audience, within_days)
    config = FeedbackSettings.current()
    with transaction.atomic():
        customers = audiences.with_skip_reason(
            audiences.audience_customers(actor, audience), now=now, within_days=within_days
        )
        counts = audiences.preview(audiences.audience_customers(actor, audience), now=now, within_days=within_days)
        campaign = RaterCampaign.objects.create(
            name=name or f"RATER {now:%d %B %Y}",
            sent_by=actor,
            sent_at=now,
            audience=audience.as_json(),
            audience_label=audience.label(team_name),
            within_days=within_days,
            matched=counts.matched,
            skipped={reason: n for reason, _label, n in counts.skipped},
        )
        invited = _invitations_insert(
            customers.filter(reason=audiences.ASKED), campaign=campaign, now=now, expiry_days=config.expiry_days
        )
        if invited != counts.asked:  # someone was asked by another send meanwhile: keep the record true
            campaign.skipped[SkipReason.RECENTLY_ASKED.value] = (
                campaign.skipped.get(SkipReason.RECENTLY_ASKED.value, 0) + counts.asked - invited
            )
        campaign.invited = invited
        campaign.save(update_fields=["invited", "skipped"])
        transaction.on_commit(_dispatch_soon)
    return campaign, counts


def _invitations_insert(
    customers: QuerySet[Customer], *, campaign: RaterCampaign, now: datetime, expiry_days: int
) -> int:
    """One scheduled RATER invitation per customer, written by one INSERT ... SELECT; returns how
    many. (``bulk_create`` would take one statement per ~100 rows on SQLite's parameter limit.)"""
    columns = {
        "kind": Value(SurveyKind.RATER.value, output_field=models.CharField()),
        "customer_id": F("pk"),
        "status": Value(InvitationStatus.SCHEDULED.value, output_field=models.CharField()),
        "created_at": Value(now, output_field=models.DateTimeField()),
        "send_after": Value(now, output_field=models.DateTimeField()),
        "expires_at": Value(now + timedelta(days=expiry_days), output_field=models.DateTimeField()),
        "note": Value("", output_field=models.CharField()),
        "campaign_id": Value(campaign.pk, output_field=models.IntegerField()),
    }
    aliases = {f"v_{name}": expression for name, expression in columns.items()}
    select = customers.order_by().annotate(**aliases).values_list(*aliases)
    sql, params = select.query.get_compiler(connection=connection).as_sql()
    table = connection.ops.quote_name(SurveyInvitation._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)
        return int(cursor.rowcount)


def _dispatch_soon() -> None:
    from rapport.feedback import tasks

    tasks.surveys_dispatch_now()


def _email(invitation: SurveyInvitation, *, reminder: bool, base_url: str) -> None:
    link = base_url.rstrip("/") + survey_url(invitation)
    reference = invitation.case.reference if invitation.case else ""
    about_case = gettext("How did we do about case {reference}?").format(reference=reference)
    subject = about_case if reference else gettext("How did we do?")
    if reminder:
        subject = gettext("Reminder: {subject}").format(subject=subject)
        first = gettext("A reminder: we would value your answer to one short question")
    else:
        first = gettext("We would value your answer to one short question")
    about = gettext(" about case {reference}").format(reference=reference) if reference else ""
    email_send(
        to=[invitation.customer.email],
        subject=subject,
        text=gettext(
            "Dear {name},\n\n{first}{about}:\n{question}\n\nAnswer here (no sign-in needed): {link}\n\n"
            "The link works once and closes on {closes}. "
            "If you would rather not receive surveys, reply to tell us and we will stop.\n"
        ).format(
            name=invitation.customer.name,
            first=first,
            about=about,
            question=QUESTIONS[SurveyKind(invitation.kind)],
            link=link,
            closes=f"{invitation.expires_at:%d %B %Y}",
        ),
    )


def invitation_send(*, invitation_id: int, now: datetime, base_url: str = "") -> str:
    """Send one due invitation by email, unless consent or an address is missing. Returns its status."""
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("customer", "case")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.status != InvitationStatus.SCHEDULED or invitation.send_after > now:
            return invitation.status if invitation else ""
        customer = invitation.customer
        if not customer.email:
            invitation.status, invitation.note = InvitationStatus.SUPPRESSED, "no email address"
        elif not extensions.contact_permitted(customer, "survey", "email"):
            invitation.status, invitation.note = InvitationStatus.SUPPRESSED, "no consent to surveys by email"
        else:
            invitation.status, invitation.sent_at = InvitationStatus.SENT, now
            transaction.on_commit(lambda: _email(invitation, reminder=False, base_url=base_url or _base_url()))
        invitation.save(update_fields=["status", "note", "sent_at"])
        return invitation.status


def _base_url() -> str:
    return str(settings.RAPPORT_BASE_URL)


def invitations_dispatch(*, now: datetime) -> dict[str, int]:
    """The periodic sweep: send what is due, remind once, close what has expired."""
    config = FeedbackSettings.current()
    done = {"sent": 0, "reminded": 0, "expired": 0}
    expired = SurveyInvitation.objects.filter(
        status__in=[InvitationStatus.SCHEDULED, InvitationStatus.SENT], expires_at__lte=now
    ).update(status=InvitationStatus.EXPIRED)
    done["expired"] = expired
    due = SurveyInvitation.objects.filter(status=InvitationStatus.SCHEDULED, send_after__lte=now)
    for pk in due.values_list("pk", flat=True)[:2000]:
        done["sent"] += invitation_send(invitation_id=pk, now=now) == InvitationStatus.SENT
    if config.reminder_days:
        remind = SurveyInvitation.objects.select_related("customer", "case").filter(
            status=InvitationStatus.SENT,
            reminded_at__isnull=True,
            sent_at__lte=now - timedelta(days=config.reminder_days),
        )
        for invitation in remind[:2000]:
            # Consent may have been withdrawn since the first email: ask again before reminding.
            with transaction.atomic():
                claimed = SurveyInvitation.objects.filter(pk=invitation.pk, reminded_at__isnull=True).update(
                    reminded_at=now
                )
                if claimed and extensions.contact_permitted(invitation.customer, "survey", "email"):
                    transaction.on_commit(lambda i=invitation: _email(i, reminder=True, base_url=_base_url()))
                    done["reminded"] += 1
    return done


# --- answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaterScores:
    expected: Mapping[str, int]
    perceived: Mapping[str, int]


def _check_score(field: str, kind: str, value: object) -> int:
    low, high = SCALES[kind]
    if value in (None, ""):
        raise FieldError(**{field: SCORE_REQUIRED})
    try:
        number = int(str(value))
    except ValueError:
        raise FieldError(**{field: SCORE_RANGE.format(low=low, high=high)}) from None
    if not low <= number <= high:
        raise FieldError(**{field: SCORE_RANGE.format(low=low, high=high)})
    return number


def survey_answer(
    *,
    token: str,
    score: object = None,
    comment: str = "",
    rater: Mapping[str, object] | None = None,
    now: datetime,
) -> SurveyAnswer:
    """Record the one answer an invitation takes. A second answer, an expired link or a forged one
    is refused and changes nothing; a low score opens a follow-up for the case's team leader."""
    comment = (comment or "").strip()
    invitation = invitation_from_token(token)
    errors: dict[str, list[str]] = {}
    values: dict[str, int] = {}
    if invitation.kind == SurveyKind.RATER:
        for _dimension, expected, perceived in RATER_FIELDS:
            for name in (expected, perceived):
                try:
                    values[name] = _check_score(name, "rater", (rater or {}).get(name))
                except FieldError as exc:
                    errors.update(exc.errors)
    else:
        try:
            values["score"] = _check_score("score", invitation.kind, score)
        except FieldError as exc:
            errors.update(exc.errors)
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [COMMENT_TOO_LONG]
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("customer", "case")
            .get(pk=invitation.pk)
        )
        if invitation.status == InvitationStatus.ANSWERED:
            raise Conflict(ALREADY_ANSWERED)
        if invitation.status == InvitationStatus.EXPIRED or invitation.expires_at <= now:
            raise Conflict(EXPIRED)
        if errors:
            raise FieldError(errors)
        case = invitation.case
        answer = SurveyAnswer(
            invitation=invitation,
            kind=invitation.kind,
            score=values.pop("score", None),
            comment=comment,
            answered_at=now,
            customer=invitation.customer,
            case=case,
            team_id=case.team_id if case else None,
            agent_id=case.owner_id if case else None,
            channel=case.channel if case else "",
            case_type=case.type if case else "",
            internal=invitation.customer.is_internal,
            **values,
        )
        try:
            with transaction.atomic():
                answer.save()
        except IntegrityError:
            raise Conflict(ALREADY_ANSWERED) from None
        invitation.status, invitation.answered_at = InvitationStatus.ANSWERED, now
        invitation.save(update_fields=["status", "answered_at"])
        rollup.score_count_up(answer)
        if case is not None:
            journal.record(
                case=case, actor=None, at=now, kind="survey_answered", field=answer.kind, after=str(answer.score)
            )
        _follow_up_if_low(answer, now)
    return answer


def _follow_up_if_low(answer: SurveyAnswer, now: datetime) -> FollowUp | None:
    threshold = FeedbackSettings.current().low_threshold(answer.kind)
    if answer.score is None or threshold is None or answer.score > threshold:
        return None
    scale_high = SCALES[answer.kind][1]
    reason = f"Low {answer.kind.upper()} score: {answer.score} out of {scale_high}"
    follow_up = FollowUp.objects.create(
        answer=answer, case=answer.case, team_id=answer.team_id, reason=reason, created_at=now
    )
    if answer.case is not None:
        journal.record(
            case=answer.case, actor=None, at=now, kind="follow_up_opened", after=f"{reason} (#{follow_up.pk})"
        )
    leaders = User.objects.filter(role=Role.TEAM_LEADER, is_active=True)
    leaders = leaders.filter(teams=answer.team_id) if answer.team_id else leaders.none()
    emails = sorted(set(leaders.values_list("email", flat=True)))
    if emails:
        about = f" on case {answer.case.reference}" if answer.case else ""
        transaction.on_commit(
            lambda: email_send(
                to=emails,
                subject=f"Follow-up needed: {reason}{about}",
                text=f"{answer.customer.name} answered {reason}{about}.\n\nComment: {answer.comment or '(none)'}\n",
            )
        )
    return follow_up


def follow_up_close(*, actor: User, follow_up_id: int, outcome: str, now: datetime) -> FollowUp:
    """Close a follow-up with what was done; recorded on the case's timeline."""
    if not policy.can_follow_up(actor):
        raise NotFound()
    outcome = (outcome or "").strip()
    if not outcome:
        raise FieldError(outcome=OUTCOME_REQUIRED)
    with transaction.atomic():
        team_ids = policy.follow_up_team_ids(actor)
        found = FollowUp.objects.select_for_update(of=("self",)).select_related("case")
        if team_ids is not None:
            found = found.filter(team_id__in=team_ids)
        follow_up = found.filter(pk=follow_up_id).first()
        if follow_up is None:
            raise NotFound("No follow-up with that id.")
        if follow_up.done_at is not None:
            raise Conflict(FOLLOW_UP_DONE)
        follow_up.done_at, follow_up.done_by, follow_up.outcome = now, actor, outcome[:5000]
        follow_up.save(update_fields=["done_at", "done_by", "outcome"])
        if follow_up.case is not None:
            journal.record(case=follow_up.case, actor=actor, at=now, kind="follow_up_closed", after=outcome[:500])
    return follow_up


# --- customer value ------------------------------------------------------------------------

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


def resolved_now(events: Iterable[CaseEvent]) -> bool:
    """Whether a set of case events moved the case to resolved or closed."""
    return any(e.field == "status" and e.after in {Status.RESOLVED, Status.CLOSED} for e in events)
