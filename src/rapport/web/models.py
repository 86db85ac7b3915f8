"""What a member of staff keeps about how they work the desk: saved views of the queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedView(models.Model):
    """A named set of the queue's filters and sort, shown as a tab beside the fixed queues.

    Personal views are their owner's alone; shared ones (``shared``) are every member of staff's,
    and only team leaders, managers and admins share (``web.saved_views``). ``filters`` holds the
    queue's own query parameters (``cases.selectors.QueueFilter``), checked when saved."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=60)
    filters = models.JSONField(default=dict)
    shared = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["owner", "position", "id"], name="savedview_owner"),
            models.Index(fields=["shared", "position", "id"], name="savedview_shared"),
        ]

    def __str__(self) -> str:
        return self.name


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being written"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"


class ExportJob(models.Model):
    """A large export written by the worker (``web.exports``): who asked, for which list with which
    filters, and the file once it is written. Only the person who asked may download it, until
    ``expires_at``; its rows were logged in the access log as they were written."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=60)  # "cases", "customers" or "report:<name>"
    format = models.CharField(max_length=4)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at", "-id"], name="exportjob_requested"),
            models.Index(fields=["expires_at"], name="exportjob_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.what} ({self.format}): {self.status}"
