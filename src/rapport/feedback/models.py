"""Surveys and their answers, follow-ups, orders and loyalty tiers, staff measures and KPI rollups."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from rapport.domain.scoring import Dimension
from rapport.platform import settings_history


class SurveyKind(models.TextChoices):
    CSAT = "csat", "Customer satisfaction (CSAT)"
    CES = "ces", "Customer effort (CES)"
    NPS = "nps", "Net Promoter (NPS)"
    RATER = "rater", "Service quality (RATER)"


@settings_history.track()
class FeedbackSettings(models.Model):
    """The organisation's survey and customer-value settings, edited in Django admin (one row)."""

    send_csat = models.BooleanField(default=True, help_text="Ask for CSAT after a case is resolved.")
    send_ces = models.BooleanField(default=True, help_text="Ask for CES after a case is resolved.")
    delay_minutes = models.PositiveIntegerField(default=60, help_text="How long after resolution to send.")
    expiry_days = models.PositiveIntegerField(default=14, help_text="How long a survey link stays open.")
    reminder_days = models.PositiveIntegerField(
        default=3, help_text="Remind once this many days after sending, if unanswered (0: never)."
    )
    nps_interval_days = models.PositiveIntegerField(
        default=180, help_text="Ask each customer for NPS at most this often."
    )
    low_csat = models.PositiveSmallIntegerField(default=2, help_text="CSAT at or below this opens a follow-up.")
    low_ces = models.PositiveSmallIntegerField(default=3, help_text="CES at or below this opens a follow-up.")
    low_nps = models.PositiveSmallIntegerField(default=6, help_text="NPS at or below this opens a follow-up.")
    margin = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.300"))
    retention = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.750"))
    discount_rate = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.100"))
    rater_weights = models.JSONField(
        default=dict, blank=True, help_text='Importance of each RATER dimension, e.g. {"reliability": 32}.'
    )

    class Meta:
        verbose_name = "feedback settings"
        verbose_name_plural = "feedback settings"

    def __str__(self) -> str:
        return "Feedback settings"

    def clean(self) -> None:
        """Refuse weights the RATER scoring could not use, so the dashboards never fail on them."""
        weights = self.rater_weights or {}
        known = {d.value for d in Dimension}
        if not isinstance(weights, dict) or any(
            k not in known or isinstance(v, bool) or not isinstance(v, int | float) or v < 0 for k, v in weights.items()
        ):
            raise ValidationError(
                {"rater_weights": f"Give a weight of 0 or more for any of: {', '.join(sorted(known))}."}
            )
        for name in ("margin", "retention", "discount_rate"):
            if not Decimal(0) <= getattr(self, name) <= Decimal(1):
                raise ValidationError({name: "Give a rate between 0 and 1, e.g. 0.25."})

    @classmethod
    def current(cls) -> FeedbackSettings:
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls()

    @property
    def delay(self) -> timedelta:
        return timedelta(minutes=self.delay_minutes)

    def low_threshold(self, kind: str) -> int | None:
        return {SurveyKind.CSAT: self.low_csat, SurveyKind.CES: self.low_ces, SurveyKind.NPS: self.low_nps}.get(
            SurveyKind(kind)
        )


class InvitationStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    SENT = "sent", "Sent"
    ANSWERED = "answered", "Answered"
    EXPIRED = "expired", "Expired"
    SUPPRESSED = "suppressed", "Not sent (no consent or no address)"


class SkipReason(models.TextChoices):
    """Why a customer in a RATER audience was not asked, checked in this order (each counted once)."""

    ERASED = "erased", "Identity erased"
    NO_EMAIL = "no_email", "No email address"
    OPTED_OUT = "opted_out", "Opted out of surveys"
    NO_CONSENT = "no_consent", "No consent to surveys"
    RESTRICTED = "restricted", "Processing restricted"
    RECENTLY_ASKED = "recently_asked", "Already asked recently"


class RaterCampaign(models.Model):
    """One send of the RATER questionnaire to a chosen group: who sent it, when, to whom (the
    audience as chosen) and how many were asked or skipped, by reason."""

    name = models.CharField(max_length=120)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField()
    audience = models.JSONField(default=dict, help_text="The group as chosen: customers or a segment.")
    audience_label = models.CharField(max_length=300)
    within_days = models.PositiveIntegerField(help_text="Customers asked for RATER within this many days were skipped.")
    matched = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict, help_text="Customers not asked, by reason.")

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["-sent_at", "-id"], name="ratercampaign_sent")]

    def __str__(self) -> str:
        return self.name


class SurveyInvitation(models.Model):
    """One request for one answer. Its signed link is single-use: one answer per invitation."""

    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="survey_invitations")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    status = models.CharField(max_length=12, choices=InvitationStatus.choices, default=InvitationStatus.SCHEDULED)
    created_at = models.DateTimeField()
    send_after = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    campaign = models.ForeignKey(
        RaterCampaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "send_after"], name="invitation_status_due"),
            models.Index(fields=["customer", "kind", "-created_at"], name="invitation_customer_kind"),
        ]
        constraints = [
            # A resolved case is surveyed once per kind, however often it is resolved.
            models.UniqueConstraint(fields=["case", "kind"], name="invitation_once_per_case_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} survey #{self.pk}"


RATER_FIELDS = [(d, f"{d.value}_expected", f"{d.value}_perceived") for d in Dimension]


class SurveyAnswer(models.Model):
    """An answer, with the case's dimensions copied at answer time so KPIs filter without joins."""

    invitation = models.OneToOneField(SurveyInvitation, on_delete=models.CASCADE, related_name="answer")
    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    score = models.SmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField()
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="survey_answers")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=20, blank=True)
    case_type = models.CharField(max_length=20, blank=True)
    internal = models.BooleanField(default=False)
    reliability_expected = models.PositiveSmallIntegerField(null=True, blank=True)
    reliability_perceived = models.PositiveSmallIntegerField(null=True, blank=True)
    assurance_expected = models.PositiveSmallIntegerField(null=True, blank=True)
    assurance_perceived = models.PositiveSmallIntegerField(null=True, blank=True)
    tangibles_expected = models.PositiveSmallIntegerField(null=True, blank=True)
    tangibles_perceived = models.PositiveSmallIntegerField(null=True, blank=True)
    empathy_expected = models.PositiveSmallIntegerField(null=True, blank=True)
    empathy_perceived = models.PositiveSmallIntegerField(null=True, blank=True)
    responsiveness_expected = models.PositiveSmallIntegerField(null=True, blank=True)
    responsiveness_perceived = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-answered_at", "-id"]
        indexes = [
            # Covering: the period's score counts are read from the index alone.
            models.Index(fields=["answered_at", "kind", "score"], name="answer_at_kind_score"),
            # Covering too, whichever of the two the planner picks for a period's scores.
            models.Index(fields=["kind", "answered_at", "score"], name="answer_kind_at_score"),
            models.Index(fields=["team", "answered_at"], name="answer_team_at"),
            models.Index(fields=["agent", "answered_at"], name="answer_agent_at"),
            # The customer's latest score of a kind, on the case and customer pages.
            models.Index(fields=["customer", "kind", "-answered_at", "-id"], name="answer_customer_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.score} (#{self.pk})"


class FollowUp(models.Model):
    """A low score the team leader must look into: who answered what, on which case."""

    answer = models.OneToOneField(SurveyAnswer, on_delete=models.CASCADE, related_name="follow_up")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["done_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["team", "done_at", "-created_at"], name="followup_team_open")]

    def __str__(self) -> str:
        return self.reason


class Order(models.Model):
    """A purchase by a customer: amounts in integer pence (architecture: no float money)."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="orders")
    reference = models.CharField(max_length=60)
    placed_at = models.DateTimeField()
    amount_pence = models.BigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["customer", "placed_at"], name="order_customer_placed")]
        constraints = [models.UniqueConstraint(fields=["customer", "reference"], name="order_reference_unique")]

    def __str__(self) -> str:
        return self.reference

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_pence) / 100


@settings_history.track()
class LoyaltyTier(models.Model):
    """A loyalty tier: customers whose lifetime value reaches the threshold get its name as their
    ``Customer.tier``, which SLA policies may match (e.g. a priority policy for "gold")."""

    name = models.SlugField(max_length=30, unique=True)
    label = models.CharField(max_length=60)
    threshold_pence = models.BigIntegerField(help_text="Lifetime value in pence from which a customer is in the tier.")
    benefits = models.TextField(blank=True, help_text="What the tier gives, e.g. 'Priority SLA: 4 business hours'.")

    class Meta:
        ordering = ["threshold_pence"]

    def __str__(self) -> str:
        return self.label


class StaffMeasure(models.Model):
    """Internal service measures per team and month (service-profit chain, seed 001)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month measured.")
    staff_survey_score = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, help_text="Employee satisfaction, 0-100."
    )
    training_hours = models.DecimalField(max_digits=7, decimal_places=1, default=Decimal(0))
    headcount = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-month", "team"]
        constraints = [models.UniqueConstraint(fields=["team", "month"], name="staffmeasure_team_month")]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%B %Y}"


class DailyRollup(models.Model):
    """Exact daily counts by team, channel, case type and internal/external customer.

    Counts only, so they add up across days and dimensions without loss. Rebuilt from ``CaseFact``
    by ``rollup_rebuild`` (a periodic job and ``rapport feedback rollup``). Team 0 means none.
    ``created`` counts cases by the day they were raised; the others by the day they were resolved.
    """

    day = models.DateField()
    team_key = models.IntegerField(default=0)
    channel = models.CharField(max_length=20)
    case_type = models.CharField(max_length=20)
    internal = models.BooleanField()
    created = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    first_contact_resolved = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="rollup_day")]
        constraints = [
            models.UniqueConstraint(fields=["day", "team_key", "channel", "case_type", "internal"], name="rollup_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} team {self.team_key} {self.channel} {self.case_type}"


class TimingRollup(models.Model):
    """Exact counts of cases per office day and ten-minute band of a business-time measure:
    ``response`` by the day the case was raised, ``resolution`` by the day it was resolved.

    Counts add up across days, so the bands of any period come from a few hundred rows a day
    instead of every case; the band holding a percentile's rank then names the one exact value to
    read from ``CaseFact`` (see ``selectors._exact_distribution``). Rebuilt with ``DailyRollup``.
    """

    measure = models.CharField(max_length=10)
    day = models.DateField()
    bucket = models.IntegerField(help_text="Seconds of business time // 600.")
    n = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "day", "bucket"], name="timing_key")]
        # Covering: a period's bands are summed from the index alone.
        indexes = [models.Index(fields=["measure", "day", "bucket", "n"], name="timing_day_bucket")]

    def __str__(self) -> str:
        return f"{self.measure} {self.day} band {self.bucket}: {self.n}"


class ScoreRollup(models.Model):
    """Exact counts of CSAT, CES and NPS answers per office day and score, so a period's scores add
    up a few dozen rows a day. Counted up as each answer is recorded (in the same transaction), and
    recounted from the answers with the other rollups."""

    day = models.DateField()
    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    score = models.SmallIntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "kind", "score"], name="score_key")]
        indexes = [models.Index(fields=["day", "kind", "score", "n"], name="scorerollup_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.score}: {self.n}"


class CauseRollup(models.Model):
    """Exact counts of complaints raised per office day, dimensions and root cause (as recorded on
    the complaint at the last rebuild), so "complaints by root cause" adds up a few rows a day."""

    day = models.DateField()
    team_key = models.IntegerField(default=0)
    channel = models.CharField(max_length=20)
    internal = models.BooleanField()
    root_cause = models.ForeignKey(
        "complaints.RootCause", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="causerollup_day")]

    def __str__(self) -> str:
        return f"{self.day} cause {self.root_cause_id}: {self.n}"


class CaseFact(models.Model):
    """One row per case with its measures, for exact medians and percentiles.

    ``response_s`` and ``resolution_s`` are seconds of business time (the office-hours calendar)
    from creation to the first response and to resolution; null until that moment comes.
    ``first_contact`` is a resolved case the customer wrote to once and that never reopened.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+")
    created_day = models.DateField()
    resolved_day = models.DateField(null=True)
    team_key = models.IntegerField(default=0)
    owner_key = models.IntegerField(default=0)
    channel = models.CharField(max_length=20)
    case_type = models.CharField(max_length=20)
    internal = models.BooleanField()
    response_s = models.IntegerField(null=True)
    resolution_s = models.IntegerField(null=True)
    first_contact = models.BooleanField(default=False)
    reopened = models.BooleanField(default=False)
    # A complaint's root cause as recorded at the last rebuild (recording one touches the case).
    root_cause = models.ForeignKey(
        "complaints.RootCause", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        indexes = [
            models.Index(fields=["created_day"], name="fact_created_day"),
            models.Index(fields=["resolved_day"], name="fact_resolved_day"),
            models.Index(fields=["owner_key", "created_day"], name="fact_owner_created"),
            models.Index(fields=["owner_key", "resolved_day"], name="fact_owner_resolved"),
            # The one exact value at a percentile's rank, found inside its ten-minute band.
            models.Index(fields=["response_s", "created_day"], name="fact_response_day"),
            models.Index(fields=["resolution_s", "resolved_day"], name="fact_resolution_day"),
        ]

    def __str__(self) -> str:
        return f"facts of case {self.case_id}"
