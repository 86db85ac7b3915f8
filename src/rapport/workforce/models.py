"""Service planning (domain.md §7): known events that lift the forecast, and handling times set by
a planner over what the data measures."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from rapport.customers.models import CHANNEL_CHOICES
from rapport.domain.shrinkage import LABELS, MAX_TOTAL

MIN_UPLIFT = -100  # a channel switched off for the event
MAX_UPLIFT = 1000


class KnownEvent(models.Model):
    """Something that will change demand, entered by hand: a price-rise letter, a product recall.
    Demand on ``channel`` (every channel when blank) from ``first_day`` to ``last_day`` is lifted by
    ``uplift_percent`` (25 for a quarter more, -50 for half as many)."""

    name = models.CharField(max_length=200)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, blank=True)
    first_day = models.DateField()
    last_day = models.DateField()
    uplift_percent = models.IntegerField(validators=[MinValueValidator(MIN_UPLIFT), MaxValueValidator(MAX_UPLIFT)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["first_day", "id"]
        indexes = [models.Index(fields=["last_day", "first_day"], name="known_event_days")]
        constraints = [
            models.CheckConstraint(condition=models.Q(last_day__gte=models.F("first_day")), name="known_event_order")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def factor(self) -> float:
        return 1 + self.uplift_percent / 100


class HandlingTime(models.Model):
    """A planner's average handling time for a channel (and case type, blank for every type),
    used instead of the measured one."""

    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES)
    case_type = models.CharField(max_length=30, blank=True)
    seconds = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(8 * 3600)])
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField()

    class Meta:
        ordering = ["channel", "case_type"]
        constraints = [models.UniqueConstraint(fields=["channel", "case_type"], name="handling_time_once")]

    def __str__(self) -> str:
        return f"{self.channel} {self.case_type or 'all'}: {self.seconds}s"


class Availability(models.TextChoices):
    """What an agent is doing now: routing sends work only to those available (domain.md §9)."""

    AVAILABLE = "available", "Available"
    BUSY = "busy", "Busy"
    ON_BREAK = "on_break", "On a break"
    TRAINING = "training", "In training"
    AWAY = "away", "Away"
    OFF_SHIFT = "off_shift", "Off shift"


class StatusSource(models.TextChoices):
    AGENT = "agent", "Set by the agent"
    ROTA = "rota", "Set by the rota"
    LEADER = "leader", "Set by a team leader"


class StatusChange(models.Model):
    """One change of an agent's status: the history staffed-vs-required and adherence read.
    The agent's status now is their latest change (off shift when there is none)."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Availability.choices)
    source = models.CharField(max_length=10, choices=StatusSource.choices)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["agent", "-at", "-id"]
        indexes = [
            models.Index(fields=["agent", "-at", "-id"], name="status_agent_at"),
            models.Index(fields=["at"], name="status_at"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.status} at {self.at:%Y-%m-%d %H:%M}"


class Activity(models.TextChoices):
    """What a stretch of an agent's rota is for; only ``work`` answers customers."""

    WORK = "work", "Work"
    BREAK = "break", "Break"
    TRAINING = "training", "Training"
    LEAVE = "leave", "Leave"


ACTIVITY_STATUS = {
    Activity.WORK: Availability.AVAILABLE,
    Activity.BREAK: Availability.ON_BREAK,
    Activity.TRAINING: Availability.TRAINING,
    Activity.LEAVE: Availability.OFF_SHIFT,
}


class Shift(models.Model):
    """A stretch of an agent's rota: work, a break inside it, training or leave."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    activity = models.CharField(max_length=10, choices=Activity.choices, default=Activity.WORK)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_at", "agent", "id"]
        indexes = [
            models.Index(fields=["ends_at", "starts_at"], name="shift_span"),
            models.Index(fields=["agent", "starts_at"], name="shift_agent_starts"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_order")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.activity} {self.starts_at:%Y-%m-%d %H:%M}"


class Skill(models.TextChoices):
    """What an agent can handle, for routing: languages, relay services, trained work, products."""

    WELSH = "welsh", "Welsh"
    BSL_RELAY = "bsl_relay", "BSL relay"
    COMPLAINTS = "complaints", "Complaints-trained"
    DATA_PROTECTION = "data_protection", "Data-protection trained"
    PRODUCT = "product", "Product"


class AgentSkill(models.Model):
    """One skill of an agent; a product skill names the product in ``detail`` (blank otherwise)."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    skill = models.CharField(max_length=20, choices=Skill.choices)
    detail = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["agent", "skill", "detail"]
        constraints = [models.UniqueConstraint(fields=["agent", "skill", "detail"], name="agent_skill_detail_once")]
        indexes = [models.Index(fields=["skill", "detail"], name="agent_skill_lookup")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.skill}{' ' + self.detail if self.detail else ''}"


SHRINKAGE_CHOICES = [(c.value, label) for c, label in LABELS.items()]


class ShrinkageShare(models.Model):
    """A category's share of paid time lost to it (0.12 for 12%), as a team leader entered it or a
    CSV imported it; staffing adds the categories up (``rapport.domain.shrinkage``)."""

    category = models.CharField(max_length=20, choices=SHRINKAGE_CHOICES, unique=True)
    share = models.DecimalField(
        max_digits=4, decimal_places=3, validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_TOTAL)]
    )
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField()

    class Meta:
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.category}: {self.share}"


class ShrinkageChange(models.Model):
    """The history of the shares: who set which, when, from the page or a CSV."""

    category = models.CharField(max_length=20, choices=SHRINKAGE_CHOICES)
    share = models.DecimalField(max_digits=4, decimal_places=3)
    source = models.CharField(max_length=10)  # "page", "csv" or "api"
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["-at", "-id"], name="shrinkage_change_at")]

    def __str__(self) -> str:
        return f"{self.category} {self.share} at {self.at:%Y-%m-%d %H:%M}"
