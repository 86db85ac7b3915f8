"""Continuous improvement (domain.md §7): initiatives that go round Plan, Do, Check, Act on
evidence, the service standards that say what good is at each touchpoint, the rules that govern
service, and the suggestions front-line staff make."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from rapport.platform import settings_history


class Stage(models.TextChoices):
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    CHECK = "check", "Check"
    ACT = "act", "Act"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    STANDARDISED = "standardised", "Standardised"
    ADJUSTED = "adjusted", "Adjusted (new cycle)"
    ABANDONED = "abandoned", "Abandoned"


class ScopeDimension(models.TextChoices):
    SERVICE = "service", "Whole service"
    TEAM = "team", "Team"
    CHANNEL = "channel", "Channel"
    CASE_TYPE = "case_type", "Case type"
    SEGMENT = "segment", "Customer segment (tier)"
    AGENT = "agent", "Agent"


MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal(0)}


class Initiative(models.Model):
    """A change proposed from evidence, with its cost-benefit, carried out and checked.

    ``change_at`` is when the change went live (the change-point on the KPI charts): the baseline
    is the ``baseline_days`` before it, the Check compares it with the time from it to ``check_on``.
    An initiative adjusted at Act starts a new cycle: a new initiative whose ``parent`` it is."""

    title = models.CharField(max_length=200)
    problem = models.TextField(help_text="The problem statement: what is wrong, for whom, how we know.")
    proposal = models.TextField(blank=True, help_text="What will change.")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PLAN)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responsible = models.CharField(max_length=300, blank=True, help_text="Others responsible, by name or role.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    scope_dimension = models.CharField(max_length=12, choices=ScopeDimension.choices, default=ScopeDimension.SERVICE)
    scope_value = models.CharField(max_length=60, blank=True)
    baseline_days = models.PositiveSmallIntegerField(default=28)
    change_at = models.DateTimeField(null=True, blank=True)
    check_on = models.DateField()
    checked_at = models.DateTimeField(null=True, blank=True)
    # The gap it answers (a copy: the analysis is recomputed, the initiative keeps what it saw).
    gap_key = models.CharField(max_length=200, blank=True)
    gap_why = models.CharField(max_length=500, blank=True)
    # Resources and cost-benefit (rapport.domain.improvement.CostBenefit).
    one_off_cost = models.DecimalField(**MONEY)
    monthly_cost = models.DecimalField(**MONEY)
    monthly_saving = models.DecimalField(**MONEY)
    monthly_redress_avoided = models.DecimalField(**MONEY)
    monthly_hours_saved = models.DecimalField(max_digits=8, decimal_places=1, default=Decimal(0))
    hourly_cost = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("18.00"))
    monthly_value_retained = models.DecimalField(**MONEY)
    staff_hours = models.DecimalField(max_digits=8, decimal_places=1, default=Decimal(0))
    systems = models.CharField(max_length=300, blank=True)
    months = models.PositiveSmallIntegerField(default=24)
    annual_discount_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.0350"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycles")
    cycle = models.PositiveSmallIntegerField(default=1)
    outcome = models.CharField(max_length=15, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="initiative_updated"),
            models.Index(fields=["stage", "-updated_at", "-id"], name="initiative_stage_updated"),
            models.Index(fields=["stage", "check_on"], name="initiative_stage_check"),
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceKind(models.TextChoices):
    GAP = "gap", "Service gap"
    CASE = "case", "Case"
    REPORT = "report", "Report"
    SURVEY = "survey", "Survey answers"
    SUGGESTION = "suggestion", "Staff suggestion"


class Evidence(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=12, choices=EvidenceKind.choices)
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    case_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["initiative", "id"]

    def __str__(self) -> str:
        return self.title


class Origin(models.TextChoices):
    INTERNAL = "internal", "Internal"
    EXTERNAL = "external", "External"


class Obligation(models.TextChoices):
    MANDATORY = "mandatory", "Mandatory"
    BEST_PRACTICE = "best_practice", "Best practice"


class Requirement(models.Model):
    """What the initiative answers: internal (policy, procedure, resources, culture, training,
    budget) or external (legislation, citing Act and section; customer expectations; regulator;
    market), mandatory or best practice (``rapport.domain.improvement.requirement_problems``)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="requirements")
    text = models.CharField(max_length=500)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    category = models.CharField(max_length=25)
    obligation = models.CharField(max_length=15, choices=Obligation.choices)
    citation = models.CharField(max_length=200, blank=True, help_text="The Act and section, e.g. CRA 2015 s.49.")

    class Meta:
        ordering = ["initiative", "origin", "id"]

    def __str__(self) -> str:
        return self.text


class Milestone(models.Model):
    """A milestone or action (Do): who, by when, done; and what it changed in Rapport (a setting's
    change in the history of settings), whose date is a change-point on the KPI charts."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    setting_change = models.ForeignKey(
        "platform.SettingChange", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["initiative", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class StakeholderGroup(models.TextChoices):
    CUSTOMERS = "customers", "Customers"
    FRONT_LINE = "front_line", "Front line"
    BACK_OFFICE = "back_office", "Back office"
    MANAGEMENT = "management", "Management"
    THIRD_PARTIES = "third_parties", "Third parties"


class Stakeholder(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="stakeholders")
    group = models.CharField(max_length=15, choices=StakeholderGroup.choices)
    how = models.CharField(max_length=500, help_text="How they are affected.")

    class Meta:
        ordering = ["initiative", "id"]

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.how}"


class Risk(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="risks")
    text = models.CharField(max_length=500)
    mitigation = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["initiative", "id"]

    def __str__(self) -> str:
        return self.text


class InitiativeKpi(models.Model):
    """A KPI the initiative is measured by: a name in the catalogue (``extensions.kpi_sources``),
    the baseline computed from the data when it was added, and the target."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="kpis")
    kpi = models.CharField(max_length=60)
    target = models.FloatField()
    baseline = models.FloatField(null=True, blank=True)
    baseline_n = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["initiative", "id"]
        constraints = [models.UniqueConstraint(fields=["initiative", "kpi"], name="initiative_kpi_once")]

    def __str__(self) -> str:
        return self.kpi


class KpiResult(models.Model):
    """One Check of one KPI: before and after, the difference with its interval and p-value, and
    the verdict in words."""

    kpi = models.ForeignKey(InitiativeKpi, on_delete=models.CASCADE, related_name="results")
    checked_at = models.DateTimeField()
    automatic = models.BooleanField(default=False)
    before = models.FloatField(null=True)
    after = models.FloatField(null=True)
    difference = models.FloatField(null=True)
    low = models.FloatField(null=True)
    high = models.FloatField(null=True)
    p_value = models.FloatField(null=True)
    before_n = models.PositiveIntegerField(default=0)
    after_n = models.PositiveIntegerField(default=0)
    verdict = models.CharField(max_length=30)
    explanation = models.CharField(max_length=500)

    class Meta:
        ordering = ["kpi", "-checked_at", "-id"]
        indexes = [models.Index(fields=["kpi", "-checked_at", "-id"], name="kpiresult_kpi_checked")]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.verdict}"


class SuggestionStatus(models.TextChoices):
    NEW = "new", "New"
    TAKEN_UP = "taken_up", "Taken up"
    DECLINED = "declined", "Declined"


class Suggestion(models.Model):
    """The suggestion box: front-line staff see problems first. Suggestions feed the gap analysis."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    touchpoint = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW)
    initiative = models.ForeignKey(Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="suggestion_status_created")]

    def __str__(self) -> str:
        return self.text[:60]


@settings_history.track()
class BrandPromise(models.Model):
    """What the organisation promises its customers, and its values ("we put it right first time",
    "plain speaking"). One row."""

    promise = models.CharField(max_length=300)
    values = models.TextField(help_text="One value a line.")

    def __str__(self) -> str:
        return self.promise

    def value_list(self) -> list[str]:
        return [line.strip() for line in self.values.splitlines() if line.strip()]


@settings_history.track()
class Standard(models.Model):
    """The service standard at one touchpoint: what the customer should experience, the behaviour
    expected of staff, and the KPI that measures it with its target (green when met, amber within
    ``amber_within`` of it, red beyond)."""

    touchpoint = models.CharField(max_length=30, unique=True)
    expectation = models.CharField(max_length=300)
    behaviour = models.CharField(max_length=300, blank=True)
    kpi = models.CharField(max_length=60)
    target = models.FloatField()
    amber_within = models.FloatField(default=5.0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.touchpoint}: {self.expectation}"


class RuleKind(models.TextChoices):
    LEGISLATION = "legislation", "Legislation"
    REGULATOR = "regulator", "Regulator or sector rule"
    GUIDANCE = "guidance", "Guidance"
    POLICY = "policy", "Written policy"


@settings_history.track()
class Rule(models.Model):
    """A rule that governs service and lives outside Rapport (written policies, legislation,
    guidance), added by hand with its source; its changes are kept in the history of settings."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=RuleKind.choices)
    source = models.CharField(max_length=300, help_text="Where it comes from: the Act and section, or the document.")
    summary = models.TextField(blank=True)
    mandatory = models.BooleanField(default=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    review_on = models.DateField()

    class Meta:
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["review_on", "id"], name="rule_review")]

    def __str__(self) -> str:
        return self.title


class RuleCause(models.Model):
    """The initiative that caused a change to a rule (a change in the history of settings)."""

    change = models.OneToOneField("platform.SettingChange", on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="rule_changes")

    def __str__(self) -> str:
        return f"change {self.change_id} by initiative {self.initiative_id}"


class ToneAdvice(models.TextChoices):
    AVOID = "avoid", "Avoid"
    PREFER = "prefer", "Prefer"


@settings_history.track()
class ToneEntry(models.Model):
    """One line of the tone-of-voice guide that the brand promise and values lead to: a word or
    phrase to avoid (with what to say instead) or to prefer, and why
    (``rapport.domain.tone``)."""

    phrase = models.CharField(max_length=80, unique=True, help_text="A word or phrase; end it with * for any ending.")
    advice = models.CharField(max_length=6, choices=ToneAdvice.choices)
    instead = models.CharField("say instead", max_length=200, blank=True)
    reason = models.CharField(max_length=300, help_text="Why, in the brand's terms (the value it serves).")

    class Meta:
        ordering = ["advice", "phrase"]
        verbose_name = "tone-of-voice entry"
        verbose_name_plural = "tone-of-voice guide"

    def __str__(self) -> str:
        return f"{self.get_advice_display()}: {self.phrase}"


DEFAULT_HOURLY_COST = Decimal("18.00")


@settings_history.track()
class KpiAssumptions(models.Model):
    """What the KPI catalogue takes as given, stated where the figures are shown: one row (id 1).

    ``hourly_staff_cost`` turns minutes of recorded work into money for "cost per case": the loaded
    cost of an hour of front-line time (pay plus employer's National Insurance, pension and
    overheads). The default £18.00 is an assumption to replace with the organisation's own figure.
    """

    hourly_staff_cost = models.DecimalField(
        "hourly staff cost",
        max_digits=8,
        decimal_places=2,
        default=DEFAULT_HOURLY_COST,
        help_text="Loaded cost of an hour of staff time in pounds: pay, employer's National Insurance, pension "
        "and overheads.",
    )

    class Meta:
        verbose_name = "KPI assumptions"
        verbose_name_plural = "KPI assumptions"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="kpi_assumptions_one_row")]

    def __str__(self) -> str:
        return "KPI assumptions"

    @classmethod
    def current(cls) -> KpiAssumptions:
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)
