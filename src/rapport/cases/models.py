"""Cases, their messages, attachments and the append-only timeline (domain.md §2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.expressions import RawSQL

from rapport.customers.models import CHANNEL_CHOICES, Customer
from rapport.domain.case_rules import ACTIVE_STATUSES, CaseType, Priority, Status
from rapport.domain.previews import PreviewState
from rapport.domain.references import format_reference

ACTIVE = models.Q(is_active=True)

TYPE_CHOICES = [(t.value, t.value.replace("_", " ").capitalize()) for t in CaseType]
STATUS_CHOICES = [(s.value, s.value.replace("_", " ").capitalize()) for s in Status]
PRIORITY_CHOICES = [(p.value, p.label.capitalize()) for p in Priority]


class Tag(models.Model):
    name = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A customer contact that needs handling. Its reference is derived from its number (id)."""

    type = models.CharField(max_length=20, choices=TYPE_CHOICES, default=CaseType.ENQUIRY)
    status = models.CharField(max_length=30, choices=STATUS_CHOICES, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(choices=PRIORITY_CHOICES, default=Priority.NORMAL)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES)
    subject = models.CharField(max_length=200)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_cases"
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    tags = models.ManyToManyField(Tag, blank=True, related_name="cases")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The soonest due instant of the case's running SLA clocks (kept by the sla app), so queues
    # sort by time to next breach with an index; None when no clock runs (paused, met or no SLA).
    next_breach_at = models.DateTimeField(null=True, blank=True)
    # A case merged into another is a closed pointer to it (``cases.merging``): its reference, links
    # and email thread lead to the case that holds its messages now.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases"
    )
    # The people copied on the customer's emails, kept to copy on replies (``cases.cc``):
    # comma-separated addresses, personal data like the customer's own address.
    cc = models.TextField("CC", blank=True)
    # Optimistic concurrency: every edit must name the version it read (services.case_update).
    version = models.PositiveIntegerField(default=1)
    # Whether the case is in the backlog, kept by the database itself: queues filter on equality
    # here and walk the (is_active, updated_at, id) index in order instead of sorting every match.
    is_active = models.GeneratedField(
        expression=models.Case(
            models.When(status__in=sorted(ACTIVE_STATUSES), then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # One index per queue shape: filter columns first, then the keyset sort (updated, id).
            models.Index(fields=["-updated_at", "-id"], name="case_updated"),
            models.Index(fields=["status", "-updated_at", "-id"], name="case_status_updated"),
            # The active queues (every default tab) read partial indexes of active cases only: a
            # filter on ``is_active=True`` is written ``WHERE "is_active"``, which a partial index's
            # condition matches but a leading index column does not (SQLite then scans every case,
            # closed ones included, to fill an "oldest first" page).
            models.Index(fields=["-updated_at", "-id"], name="case_active_updated", condition=ACTIVE),
            models.Index(fields=["team", "-updated_at", "-id"], name="case_team_active_updated", condition=ACTIVE),
            models.Index(fields=["owner", "-updated_at", "-id"], name="case_owner_active_updated", condition=ACTIVE),
            models.Index(fields=["-priority", "-updated_at", "-id"], name="case_active_priority", condition=ACTIVE),
            models.Index(fields=["-created_at", "-id"], name="case_active_created", condition=ACTIVE),
            models.Index(fields=["next_breach_at", "id"], name="case_active_breach", condition=ACTIVE),
            models.Index(fields=["type", "-updated_at", "-id"], name="case_active_type", condition=ACTIVE),
            models.Index(fields=["channel", "-updated_at", "-id"], name="case_active_channel", condition=ACTIVE),
            models.Index(fields=["customer", "-created_at"], name="case_customer_created"),
            models.Index(fields=["customer", "-updated_at", "-id"], name="case_customer_updated"),
            models.Index(fields=["-created_at", "-id"], name="case_created"),
            models.Index(fields=["-priority", "-updated_at", "-id"], name="case_priority_updated"),
            models.Index(fields=["type", "-updated_at", "-id"], name="case_type_updated"),
            models.Index(fields=["channel", "-updated_at", "-id"], name="case_channel_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        return format_reference(self.pk)

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label


class MessageKind(models.TextChoices):
    INBOUND = "inbound", "From the customer"
    OUTBOUND = "outbound", "To the customer"
    NOTE = "note", "Internal note"


BODY_FORMATS = [("text", "Plain text"), ("markdown", "Markdown")]


class Message(models.Model):
    """One interaction on a case. Notes (``kind=note``) never leave the building."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Text as the author wrote it; HTML only after nh3 sanitising (services), never raw. A reply
    # written in Markdown keeps its source here (``body_format``) and its rendering in body_html.
    body = models.TextField()
    body_html = models.TextField(blank=True)
    body_format = models.CharField(max_length=10, choices=BODY_FORMATS, default="text")
    # Who else the email was copied to: on an inbound email, its Cc header; on a reply, the
    # addresses it was copied to. Never set on a note.
    cc = models.TextField("CC", blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at", "id"], name="message_case_created")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} on case {self.case_id}"

    @property
    def is_internal(self) -> bool:
        return self.kind == MessageKind.NOTE


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random: the customer's file name is kept as data, never as a path.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


def preview_path(instance: Attachment, filename: str) -> str:
    # Content-addressed like the file it shows: the same file twice has one preview.
    return f"previews/{instance.sha256[:2]}/{instance.sha256}.webp"


PREVIEW_STATE_CHOICES = [(s.value, s.value.capitalize()) for s in PreviewState]


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    # A small picture drawn by the worker (``cases.previews``), on the row itself so the timeline
    # shows it without another query; width and height reserve its space while it loads.
    preview = models.FileField(upload_to=preview_path, max_length=255, blank=True)
    preview_state = models.CharField(max_length=10, choices=PREVIEW_STATE_CHOICES, default=PreviewState.PENDING)
    preview_width = models.PositiveSmallIntegerField(null=True, blank=True)
    preview_height = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # the worker's sweep of previews still to draw
            models.Index(
                fields=["id"], condition=models.Q(preview_state=PreviewState.PENDING), name="attachment_preview_due"
            )
        ]

    def __str__(self) -> str:
        return self.filename


_ENDED = (Status.RESOLVED.value, Status.CLOSED.value)
REOPENING = models.Q(kind="changed", field="status", before__in=_ENDED) & ~models.Q(after__in=_ENDED)
"""The case events that reopen a case: its status changed from ended (resolved or closed) to not."""

_ended_sql = ", ".join(f"'{status}'" for status in _ENDED)
REOPENING_SQL = (
    f'("before" IN ({_ended_sql}) AND "field" = \'status\' AND "kind" = \'changed\''
    f' AND NOT ("after" IN ({_ended_sql})))'
)
"""``REOPENING`` with its values written in: SQLite uses a partial index only for a query whose terms
match the index's condition as written, which a query with bound parameters never does."""


def reopening() -> RawSQL:
    """The filter of case events that reopen a case, in the terms of the partial index
    ``event_case_reopened``: ``CaseEvent.objects.filter(reopening())`` reads that small index."""
    return RawSQL(REOPENING_SQL, (), output_field=models.BooleanField())  # noqa: S611 (our constants only)


def reopened_case_ids() -> models.QuerySet[CaseEvent]:
    """The ids of the cases ever reopened, for ``…filter(case_id__in=reopened_case_ids())``.

    Used as an uncorrelated ``IN (…)``, it is read once from the small partial index, rather than
    looked up case by case: with a term on the case the planner may prefer the index of every event
    of the case."""
    return CaseEvent.objects.filter(reopening()).values("case_id")


def reopened() -> models.Q:
    """Cases that were ever reopened: ``Case.objects.filter(reopened())``."""
    return models.Q(pk__in=reopened_case_ids())


class CaseEvent(models.Model):
    """Append-only: who changed what on a case, when, from what to what."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    kind = models.CharField(max_length=40)
    field = models.CharField(max_length=40, blank=True)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at", "id"], name="event_case_at"),
            # reopenings are rare: the reopen rate and first contact resolution over a million cases
            # look each case up in this small index instead of reading every case's events
            models.Index(fields=["case"], name="event_case_reopened", condition=REOPENING),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.field} on case {self.case_id}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("case events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class JournalDelivery(models.Model):
    """An event a job subscriber is owed (``cases.journal``): written with the event, deleted when
    the subscriber has handled it, so delivery survives a lost job or a failing subscriber."""

    subscriber = models.CharField(max_length=100)
    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["subscriber", "event"], name="journal_delivery_owed")]

    def __str__(self) -> str:
        return f"event {self.event_id} for {self.subscriber}"


class SearchDocument(models.Model):
    """Text that search finds: one row per case subject, message and customer.

    The full-text index lives beside it: an FTS5 table on SQLite, a GIN index on PostgreSQL
    (migration 0002). Rows carry the ids the permission policy filters on.
    """

    kind = models.CharField(max_length=10)  # case | message | customer
    object_id = models.BigIntegerField()
    case = models.ForeignKey(Case, null=True, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, null=True, on_delete=models.CASCADE, related_name="+")
    internal = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="searchdoc_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
