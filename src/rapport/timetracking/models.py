"""Time spent on cases: entries (per case, per agent, per day, with a reason), the reasons
(a managed list), and the one timer each agent may have running (domain.worktime has the rules)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rapport.cases.models import Case
from rapport.platform import settings_history


@settings_history.track()
class TimeCategory(models.Model):
    """Why time was spent (investigation, customer contact, admin, complaint handling). Managed in
    admin; retired reasons stay on past entries but are no longer offered."""

    name = models.CharField(max_length=60, unique=True)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=50)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "time categories"

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    TIMER = "timer", "Timer"
    MANUAL = "manual", "Entered by hand"


class TimeEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField()
    worked_on = models.DateField()
    category = models.ForeignKey(TimeCategory, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-worked_on", "-id"]
        verbose_name_plural = "time entries"
        indexes = [
            models.Index(fields=["case", "-worked_on", "-id"], name="time_case_day"),
            models.Index(fields=["agent", "worked_on"], name="time_agent_day"),
            models.Index(fields=["worked_on", "case"], name="time_day_case"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gt=0, minutes__lte=24 * 60), name="time_minutes_in_day")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min on case {self.case_id}"


class RunningTimer(models.Model):
    """An agent's running timer: one per agent (the primary key), kept in the database so it
    survives a reload, another tab or another device."""

    agent = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"timer of {self.agent_id} on case {self.case_id}"
