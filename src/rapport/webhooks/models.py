"""Webhook subscriptions, the deliveries owed to them, and each attempt to deliver one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from rapport.platform import settings_history


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


@settings_history.track(exclude=["secret_encrypted", "consecutive_failures", "updated_at"])
class Subscription(models.Model):
    """Where to send events of some kinds. ``account`` is its own service account: its role and
    teams decide, through the access gate, which events and what of them the payloads carry.
    ``secret_encrypted`` is the signing secret, encrypted at rest (``secrets``)."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    kinds = models.JSONField(default=list)
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    secret_encrypted = models.TextField()
    active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["active"], name="webhook_active")]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One event owed to one subscription. ``body`` is the JSON built when the event arrived (what
    every attempt, and a redelivery, sends); ``reason`` says why a skipped one was not sent."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("cases.CaseEvent", null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=40)
    case_reference = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    reason = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # The journal delivers at least once: one event is owed to a subscription once.
            models.UniqueConstraint(fields=["subscription", "event"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(fields=["subscription", "-created_at", "-id"], name="webhook_delivery_log"),
            models.Index(fields=["subscription", "status", "-created_at"], name="webhook_delivery_status"),
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.subscription_id} (#{self.pk})"


class Attempt(models.Model):
    """One try at a delivery: what the receiver answered (or the error), and how long it took."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_rows")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    manual = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["delivery", "number"]
        indexes = [models.Index(fields=["delivery", "number"], name="webhook_attempt")]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}"
