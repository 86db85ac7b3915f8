"""Followers of cases, the notifications staff receive, and how each person wants them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from rapport.domain import notifications as rules


class Follow(models.Model):
    """A member of staff following a case: they hear of its customer replies and SLA alerts."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="follow_once")]
        indexes = [models.Index(fields=["user", "-created_at"], name="follow_user_created")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.case_id}"


class Notification(models.Model):
    """Something a member of staff is told in the app. ``text`` names no customer: the page shows
    the case's reference and subject beside it (and the case page only to those who may see it)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=list(rules.KINDS.items()))
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey("cases.CaseEvent", null=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # A journal job delivers at least once: the same event never notifies a person twice.
            models.UniqueConstraint(fields=["recipient", "event", "kind"], name="notification_once")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient"),
            models.Index(fields=["recipient", "case"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} (#{self.pk})"


class Preference(models.Model):
    """How one person wants one kind of notification (``rules.CHANNELS``); none stored: the default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=list(rules.KINDS.items()))
    channel = models.CharField(max_length=10, choices=list(rules.CHANNELS.items()))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"
