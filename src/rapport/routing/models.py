"""Routing (domain.md §9): each team's method and capacity, agents' own capacity, the turn of
round-robin, and every decision routing made, for fairness and speed (ADR 0028)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from rapport.domain.routing import DEFAULT_CAPACITY, METHOD_LABELS, Method
from rapport.platform import settings_history

METHOD_CHOICES = [(m.value, METHOD_LABELS[m]) for m in Method]
MAX_CAPACITY = 500


@settings_history.track(exclude=("last_agent", "turns"))
class TeamRouting(models.Model):
    """How a team's cases are given out: the method, whether new cases are routed as they arrive,
    and the capacity (open cases) of each member unless their own is set. ``last_agent`` and
    ``turns`` are round-robin's turn: written only under the row's lock (``services``)."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=20, choices=METHOD_CHOICES, default=Method.ROUND_ROBIN)
    route_on_arrival = models.BooleanField(default=False)
    capacity = models.PositiveSmallIntegerField(
        default=DEFAULT_CAPACITY, validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    last_agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    turns = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["team__name"]
        verbose_name = "team routing"

    def __str__(self) -> str:
        return f"routing of team {self.team_id}: {self.method}"


@settings_history.track()
class AgentCapacity(models.Model):
    """An agent's own capacity (open cases), over their teams' setting."""

    agent = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(MAX_CAPACITY)])

    class Meta:
        ordering = ["agent"]
        verbose_name_plural = "agent capacities"

    def __str__(self) -> str:
        return f"{self.agent_id}: {self.capacity}"


class Trigger(models.TextChoices):
    ARRIVAL = "arrival", "On arrival"
    REQUEST = "request", "Asked for"  # a person on the page or the API
    HOOK = "hook", "Another part of Rapport"  # automation rules, live chat


class Decision(models.Model):
    """One routing decision: the case, its team, whom it went to (None: nobody), the rule that chose
    (the method, ``named_contact`` or ``none``), the method asked for, why in words, when the case
    arrived and when it was decided, whether it was the case's first owner (time to assignment
    counts only those), and who asked (None: the system)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("accounts.Team", null=True, on_delete=models.SET_NULL, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(max_length=20)
    rule = models.CharField(max_length=20)
    reason = models.CharField(max_length=300)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    first = models.BooleanField(default=False)
    arrived_at = models.DateTimeField()
    decided_at = models.DateTimeField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["team", "-decided_at", "-id"], name="routing_decision_team"),
            models.Index(fields=["agent", "-decided_at", "-id"], name="routing_decision_agent"),
            models.Index(fields=["-decided_at", "-id"], name="routing_decision_at"),
            models.Index(fields=["case", "-decided_at"], name="routing_decision_case"),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} → {self.agent_id} ({self.rule})"
