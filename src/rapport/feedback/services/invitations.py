"""Survey invitations: CSAT and CES after resolution, NPS on a schedule, RATER on request or to a
group (domain.md §6)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Value

from rapport.accounts.models import User
from rapport.cases.models import Case, CaseEvent
from rapport.customers.models import Customer
from rapport.domain.case_rules import CaseType, Status
from rapport.feedback import access as policy
from rapport.feedback import audiences
from rapport.feedback.audiences import DEFAULT_WITHIN_DAYS, Audience, Preview
from rapport.feedback.models import (
    FeedbackSettings,
    InvitationStatus,
    RaterCampaign,
    SkipReason,
    SurveyInvitation,
    SurveyKind,
)
from rapport.feedback.services.sending import dispatch_soon, invitation_send
from rapport.platform.errors import FieldError, Forbidden

RATER_NOT_ALLOWED = "Only team leaders and managers can send RATER questionnaires."


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
        transaction.on_commit(dispatch_soon)
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


def resolved_now(events: Iterable[CaseEvent]) -> bool:
    """Whether a set of case events moved the case to resolved or closed."""
    return any(e.field == "status" and e.after in {Status.RESOLVED, Status.CLOSED} for e in events)
