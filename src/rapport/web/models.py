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
