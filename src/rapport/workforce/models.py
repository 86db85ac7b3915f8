"""Service planning (domain.md §7): known events that lift the forecast, and handling times set by
a planner over what the data measures."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from rapport.customers.models import CHANNEL_CHOICES

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
