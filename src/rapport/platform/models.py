"""Rows the platform keeps for every app: which period of a periodic job has been claimed, and
each change to a setting (who, when, before → after)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PeriodicRun(models.Model):
    """One period of one periodic job, claimed before its work starts (ADR 0011).

    The unique constraint is the whole mechanism: whichever worker inserts the row first does the
    work for that period; any other worker (a second scheduler, a retried delivery) finds the row
    and does nothing."""

    job = models.CharField(max_length=200)
    period_start = models.DateTimeField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "period_start"], name="periodic_run_once_per_period")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.period_start:%Y-%m-%d %H:%M}"


class Via(models.TextChoices):
    ADMIN = "admin", "Configuration (admin)"
    SERVICE = "service", "Desk or API"
    COMMAND = "command", "Command line"


class Action(models.TextChoices):
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"


class SettingChange(models.Model):
    """One change to a setting or rule (an authority limit, an SLA policy, a retention schedule …):
    the values of its fields before and after, as JSON, so the history survives later schema
    changes and the row it describes being deleted."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)  # kept when the account is removed
    via = models.CharField(max_length=10, choices=Via.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    model = models.CharField(max_length=100)  # "app_label.modelname"
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    fields = models.JSONField(default=list)  # the names of the fields whose value changed
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id", "at"], name="setting_change_object")]

    def __str__(self) -> str:
        return f"{self.object_repr}: {self.get_action_display().lower()} {self.at:%Y-%m-%d %H:%M}"
