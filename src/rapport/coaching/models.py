"""Targets, coaching sessions and their agreed actions, appraisals, and the staff pulse.

The pulse keeps answers WITHOUT the person who gave them: ``PulseResponse`` has no user, no time
and a random key, and ``PulseAnswered`` says only that a person has answered a round (for
reminders and to answer once). Nothing joins the two.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Target(models.Model):
    """A target on one KPI of the catalogue (``extensions.kpi_sources``) for an agent or a team."""

    kpi = models.CharField(max_length=40, help_text="The KPI's name in the catalogue, e.g. csat.")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=8, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_on", "kpi", "id"]
        indexes = [
            models.Index(fields=["agent", "ends_on"], name="target_agent_ends"),
            models.Index(fields=["team", "ends_on"], name="target_team_ends"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(agent__isnull=False) & Q(team__isnull=True))
                | (Q(agent__isnull=True) & Q(team__isnull=False)),
                name="target_agent_or_team",
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="target_period_order"),
        ]

    def __str__(self) -> str:
        whom = f"agent {self.agent_id}" if self.agent_id else f"team {self.team_id}"
        return f"{self.kpi} {self.value} for {whom}"


class Session(models.Model):
    """A coaching conversation between a leader and an agent."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    held_on = models.DateField()
    topic = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["agent", "-held_on", "-id"], name="session_agent_held"),
            models.Index(fields=["-held_on", "-id"], name="session_held"),
            models.Index(fields=["follow_up_on"], name="session_follow_up"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on})"


class SessionLink(models.Model):
    """What a session is about: a piece of work named by kind and id (``extensions.work_links``)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=30)
    ref = models.BigIntegerField()

    class Meta:
        ordering = ["session", "kind", "ref"]
        constraints = [models.UniqueConstraint(fields=["session", "kind", "ref"], name="session_link_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref}"


class Action(models.Model):
    """Something agreed in a session: who does it, by when, and when it was done."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session", "id"]
        indexes = [models.Index(fields=["due_on"], condition=Q(done_at__isnull=True), name="action_open_due")]

    def __str__(self) -> str:
        return self.text


class Reminder(models.Model):
    """A reminder sent to someone about an action or a follow-up, once per subject, kind and day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey("PulseRound", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    about = models.CharField(max_length=40, help_text='What it is about, e.g. "action:12", for sending it once.')
    text = models.CharField(max_length=300)
    sent_on = models.DateField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["user", "-sent_on"], name="reminder_user_sent")]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "about", "sent_on"], name="reminder_once_a_day")]

    def __str__(self) -> str:
        return self.text


class Appraisal(models.Model):
    """A periodic record per agent, built from the evidence in Rapport and signed by both."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    evidence = models.JSONField(default=dict, help_text="The evidence as gathered, kept as signed.")
    leader_comment = models.TextField(blank=True)
    agent_comment = models.TextField(blank=True)
    leader_signed_at = models.DateTimeField(null=True, blank=True)
    agent_signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-ends_on", "-id"]
        indexes = [models.Index(fields=["agent", "-ends_on"], name="appraisal_agent_ends")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="appraisal_period_order")
        ]

    def __str__(self) -> str:
        return f"Appraisal {self.starts_on} to {self.ends_on}"

    @property
    def locked(self) -> bool:
        return self.leader_signed_at is not None and self.agent_signed_at is not None


class AuditEntry(models.Model):
    """What changed in coaching records, by whom and when (append-only)."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=20)  # target, session, action, appraisal, pulse
    subject_id = models.BigIntegerField()
    what = models.CharField(max_length=300)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject", "subject_id", "-at"], name="coaching_audit_subject")]

    def __str__(self) -> str:
        return self.what

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("the coaching audit trail is append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PulseRound(models.Model):
    """One round of the staff pulse survey, open from ``opens_on`` to ``closes_on`` inclusive."""

    title = models.CharField(max_length=100)
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-closes_on", "-id"]
        indexes = [models.Index(fields=["closes_on"], name="pulse_round_closes")]

    def __str__(self) -> str:
        return self.title


class PulseResponse(models.Model):
    """One anonymous answer: the group (team) it counts in, and the scores; never who, never when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recommend = models.PositiveSmallIntegerField()
    tools = models.PositiveSmallIntegerField()
    training = models.PositiveSmallIntegerField()
    workload = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["round", "team"], name="pulse_response_round_team")]

    def __str__(self) -> str:
        return f"answer to {self.round_id}"


class PulseAnswered(models.Model):
    """That a person has answered a round (for reminders, and to answer once): nothing else."""

    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="pulse_answered_once")]

    def __str__(self) -> str:
        return f"{self.user_id} answered {self.round_id}"
