"""Proactive service (domain.md §7): a planned outbound message to a group of customers, who it
reached and how, who was skipped and why, and what happened to the send."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rapport.customers.models import Customer
from rapport.domain.outreach import FORMAT_LABELS, SKIP_LABELS, Purpose


class OutreachState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


class Origin(models.TextChoices):
    PLANNED = "planned", "Planned by a person"
    CONTINGENCY = "contingency", "Started by a service plan's contingency"


PURPOSE_CHOICES = [(Purpose.SERVICE.value, "Service message"), (Purpose.MARKETING.value, "Marketing")]


class Outreach(models.Model):
    """A planned outbound message: what is said (with an easy-read version), to whom (``segment``:
    the criteria, kept as given), on what basis, and how far the send has got (``done`` of
    ``total`` customers dealt with, ``sent`` reached, ``skipped`` by reason)."""

    title = models.CharField(max_length=200)
    purpose = models.CharField(max_length=20, choices=PURPOSE_CHOICES, default=Purpose.SERVICE.value)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    easy_read_body = models.TextField(blank=True)
    segment = models.JSONField(default=dict)
    segment_label = models.CharField(max_length=400, blank=True)
    basis = models.TextField()
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.PLANNED)
    reason = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=OutreachState.choices, default=OutreachState.DRAFT)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    by_hand = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="outreach_created"),
            models.Index(fields=["state", "-created_at"], name="outreach_state"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def skipped_total(self) -> int:
        return sum((self.skipped or {}).values())


class RecipientState(models.TextChoices):
    QUEUED = "queued", "Emailed (through the outbox)"
    BY_HAND = "by_hand", "To call or post (their preferred channel)"
    SKIPPED = "skipped", "Skipped"


SKIP_CHOICES = [(k.value, v) for k, v in SKIP_LABELS.items()]


class Recipient(models.Model):
    """One customer's part in a send: reached (and how) or skipped (and why). Written once per
    customer per send (a resumed send never writes twice); the customer's page lists them."""

    outreach = models.ForeignKey(Outreach, on_delete=models.CASCADE, related_name="recipients")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=RecipientState.choices)
    skip_reason = models.CharField(max_length=20, choices=SKIP_CHOICES, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    formats = models.CharField(max_length=200, blank=True)  # comma-separated domain.outreach.Format
    at = models.DateTimeField()

    class Meta:
        ordering = ["outreach", "id"]
        indexes = [
            models.Index(fields=["outreach", "state", "id"], name="recipient_outreach_state"),
            models.Index(fields=["customer", "-at"], name="recipient_customer_at"),
            models.Index(fields=["at", "state"], name="recipient_at_state"),
        ]
        constraints = [models.UniqueConstraint(fields=["outreach", "customer"], name="recipient_once")]

    def __str__(self) -> str:
        return f"{self.outreach_id} → {self.customer_id}: {self.state}"

    @property
    def format_labels(self) -> list[str]:
        return [FORMAT_LABELS.get(f, f) for f in self.formats.split(",") if f]  # type: ignore[call-overload]


class OutreachEvent(models.Model):
    """The audit trail of a send: drafted, edited, previewed, sent, finished."""

    outreach = models.ForeignKey(Outreach, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    detail = models.CharField(max_length=400, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["outreach", "at", "id"]
        indexes = [models.Index(fields=["outreach", "at", "id"], name="outreach_event_at")]

    def __str__(self) -> str:
        return f"{self.outreach_id} {self.action}"
