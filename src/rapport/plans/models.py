"""Service plans: the plan as a versioned document, its contingencies, their firings and the
systems a manager has declared down (ADR 0020)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from rapport.domain.contingencies import TRIGGER_LABELS


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Response(models.TextChoices):
    """The planned responses a contingency can call for (seed 004: contingency arrangements)."""

    OVERTIME = "overtime", "Offer overtime"
    MOVE_SKILLED = "move_skilled", "Move skilled agents"
    HOLDING_MESSAGE = "holding_message", "Switch on a holding message"
    EXTEND_HOURS = "extend_hours", "Extend opening hours"
    NOTIFY_CUSTOMERS = "notify_customers", "Notify customers proactively"


class Plan(models.Model):
    """A service plan for one team (or the whole service) and a period.

    ``sections`` holds the plan's content (objectives, customer types, workflow, resources,
    milestones, monitoring) as lists of items checked by ``rapport.plans.sections``; every change
    saves a ``PlanVersion`` with the whole document, so the history shows what changed and who.
    ``figures`` is the last reading of the workforce figures for the plan's scope."""

    title = models.CharField(max_length=200)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    summary = models.TextField(blank=True)
    planned_weekly_contacts = models.PositiveIntegerField(null=True, blank=True)
    budget_pence = models.PositiveBigIntegerField(null=True, blank=True)
    sections = models.JSONField(default=dict)
    figures = models.JSONField(default=dict, blank=True)
    figures_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["status", "-starts_on", "-id"], name="plan_status_start"),
            models.Index(fields=["team", "-starts_on", "-id"], name="plan_team_start"),
            models.Index(fields=["-starts_on", "-id"], name="plan_start"),
        ]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="plan_period")]

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """The plan as it stood after one change: who, when, what changed, and the whole document."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    change = models.CharField(max_length=300)
    document = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class Contingency(models.Model):
    """A trigger Rapport watches for the plan and the response planned for when it fires."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="contingencies")
    name = models.CharField(max_length=120)
    trigger = models.CharField(max_length=20, choices=[(k.value, v) for k, v in TRIGGER_LABELS.items()])
    threshold = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    intervals = models.PositiveSmallIntegerField(null=True, blank=True)
    system = models.CharField(max_length=80, blank=True)
    responses = models.JSONField(default=list)
    response_detail = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["active", "plan"], name="contingency_active_plan")]

    def __str__(self) -> str:
        return self.name


class Firing(models.Model):
    """One episode of a contingency's trigger holding: recorded when it starts, the owner told once,
    closed when a later check measures that the condition has ended."""

    contingency = models.ForeignKey(Contingency, on_delete=models.CASCADE, related_name="firings")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="firings")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    end_reason = models.CharField(max_length=300, blank=True)
    notified = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            # one open episode per contingency, however many checks run at once
            models.UniqueConstraint(fields=["contingency"], condition=Q(ended_at__isnull=True), name="firing_open_once")
        ]
        indexes = [
            models.Index(fields=["plan", "-started_at", "-id"], name="firing_plan_started"),
            models.Index(fields=["-started_at", "-id"], name="firing_started"),
        ]

    def __str__(self) -> str:
        return f"{self.contingency_id} fired {self.started_at:%Y-%m-%d %H:%M}"


class Outage(models.Model):
    """A system a manager has declared down (the telephony platform, the website), until restored."""

    system = models.CharField(max_length=80)
    note = models.CharField(max_length=300, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField()
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["restored_at", "-declared_at"], name="outage_open")]

    def __str__(self) -> str:
        return self.system
