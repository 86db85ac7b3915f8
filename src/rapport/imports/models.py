"""Imports from other help desks: each run, and the source id of every row an import wrote."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rapport.cases.models import Case
from rapport.domain.imports import SOURCE_LABELS


class RunState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


SOURCE_CHOICES = list(SOURCE_LABELS.items())


class ImportRun(models.Model):
    """One import (or dry run), from the command line or the admin page, with its final report."""

    source = models.CharField(max_length=20, choices=SOURCE_CHOICES)
    label = models.CharField(max_length=255, help_text="The file or folder imported.")
    dry_run = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An upload from the admin page, kept in storage until the job has read it.
    upload = models.FileField(upload_to="imports/", max_length=255, blank=True)
    options = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(max_length=40, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="importrun_created")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} import #{self.pk}"


class ImportedRecord(models.Model):
    """A row an import wrote, by the source's own id: ``kind`` is organisation, person, staff,
    ticket, comment, attachment or rating; ``object_id`` the row it became (a customer, user, case,
    message, attachment or case's imported data). Unique per source, kind and id: importing again
    finds what is there and adds nothing, and an import stopped half-way resumes where it stopped."""

    source = models.CharField(max_length=20, choices=SOURCE_CHOICES)
    kind = models.CharField(max_length=20)
    source_id = models.CharField(max_length=100)
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "source_id"], name="importedrecord_unique"),
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="importedrecord_object")]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} → {self.object_id}"


class ImportedCaseData(models.Model):
    """What a source held about a case that Rapport has no column for: its custom fields as
    labelled pairs, its satisfaction rating, and the ticket it was merged into (until that ticket
    is imported too)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="imported")
    source = models.CharField(max_length=20, choices=SOURCE_CHOICES)
    source_id = models.CharField(max_length=100)
    fields = models.JSONField(default=list, blank=True)
    rating_score = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_label = models.CharField(max_length=100, blank=True)
    rating_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    merged_into_source = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], condition=~models.Q(merged_into_source=""), name="importedcase_merge_pending"),
            models.Index(
                fields=["rated_at"], condition=models.Q(rating_score__isnull=False), name="importedcase_rated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ticket {self.source_id}"
