"""Automation rules, every version of each, and every time one fired on a case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from rapport.cases.models import Case


class Trigger(models.TextChoices):
    EVENT = "event", "When something happens"
    TIME = "time", "On a schedule, over cases that match"


class AutomationRule(models.Model):
    """An automation rule (never "rule": the improvement register lists organisational and
    legislative rules too). ``position`` orders rules (lowest first); ``version`` goes up with each
    saved change and each version is kept (``AutomationRuleVersion``); ``definition`` is the
    checked JSON of ``rapport.domain.automation``. ``fired_count`` and ``last_fired_at`` are the
    rule's counters (updated with ``F()``)."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.EVENT)
    events = models.JSONField(default=list, blank=True)
    definition = models.JSONField(default=dict)
    position = models.PositiveIntegerField(default=100)
    active = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    fired_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    last_fired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(
                fields=["trigger", "position", "id"], name="automation_active_order", condition=Q(active=True)
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AutomationRuleVersion(models.Model):
    """A rule as it was saved: which version fired is recorded on every firing."""

    rule = models.ForeignKey(AutomationRule, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=120)
    definition = models.JSONField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["rule", "-version"]
        constraints = [models.UniqueConstraint(fields=["rule", "version"], name="automation_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class RuleFiring(models.Model):
    """One firing of a rule on a case: the version, what it changed (``changes``, in words) and
    what it skipped and why (``skipped``). ``event_id`` is the journal event it reacted to (event
    rules: unique per rule, so a redelivered event never fires twice); ``anchor`` the moment a time
    rule measured from (unique per rule and case: once per wait). ``depth`` is its place in a chain
    of firings (``domain.automation.MAX_CHAIN``)."""

    rule = models.ForeignKey(AutomationRule, on_delete=models.CASCADE, related_name="firings")
    version = models.PositiveIntegerField()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    event_id = models.BigIntegerField(null=True, blank=True)
    anchor = models.DateTimeField(null=True, blank=True)
    depth = models.PositiveSmallIntegerField(default=1)
    changes = models.JSONField(default=list)
    skipped = models.JSONField(default=list)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "event_id"], name="firing_once_per_event"),
            models.UniqueConstraint(fields=["rule", "case", "anchor"], name="firing_once_per_wait"),
        ]
        indexes = [
            models.Index(fields=["rule", "-at", "-id"], name="firing_rule_at"),
            models.Index(fields=["case", "-at"], name="firing_case_at"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} on {self.case_id}"


class CausedEvent(models.Model):
    """A journal event written by a firing's actions, with the chain it belongs to: rules that
    react to it are one further down (``depth``) and never one of ``rules`` (loop protection)."""

    event_id = models.BigIntegerField(primary_key=True)
    depth = models.PositiveSmallIntegerField()
    rules = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.event_id} at depth {self.depth}"
