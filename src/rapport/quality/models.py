"""Quality reviews: scorecards (versioned), reviews of a case by a reviewer who is not the agent,
their ratings and critical checks, replies and disputes, the review queue and calibration."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Scorecard(models.Model):
    """What reviews score against. Its behaviours and critical items live in versions: a change
    makes a new version, so a review keeps the scorecard it was made with."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ScorecardVersion(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=4)
    scale_labels = models.JSONField(default=list, help_text="The label of each point, lowest first.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["scorecard", "-number"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "number"], name="scorecard_version_number")]

    def __str__(self) -> str:
        return f"{self.scorecard} v{self.number}"

    def scale(self) -> list[tuple[int, str]]:
        points = range(self.scale_min, self.scale_max + 1)
        labels = list(self.scale_labels) + [""] * len(points)
        return [(value, labels[i] or str(value)) for i, value in enumerate(points)]


class Behaviour(models.Model):
    version = models.ForeignKey(ScorecardVersion, on_delete=models.CASCADE, related_name="behaviours")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(default=10)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="behaviour_version_code")]

    def __str__(self) -> str:
        return self.name


class CriticalItem(models.Model):
    """A failure that fails the whole review whatever the rest (personal data disclosed to the
    wrong person, a statutory right denied)."""

    version = models.ForeignKey(ScorecardVersion, on_delete=models.CASCADE, related_name="critical_items")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="critical_version_code")]

    def __str__(self) -> str:
        return self.name


class Calibration(models.Model):
    """Several reviewers score the same case blind; their reviews are compared once in."""

    title = models.CharField(max_length=200)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="+")
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="quality_calibrations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="calibration_created")]

    def __str__(self) -> str:
        return self.title


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    DISPUTED = "disputed", "Disputed"
    DECIDED = "decided", "Dispute decided"


class Review(models.Model):
    """A reviewer's review of an agent's work on a case: the whole case, or the messages chosen."""

    version = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="reviews")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    messages = models.ManyToManyField("cases.Message", blank=True, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quality_reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="quality_reviews_done"
    )
    calibration = models.ForeignKey(
        Calibration, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    summary = models.TextField(blank=True)
    score = models.FloatField(null=True, blank=True)
    failed = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Copied from the case when submitted, so the reports group without joining a million cases.
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=20, blank=True)
    case_type = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agent", "submitted_at"], name="review_agent_submitted"),
            models.Index(fields=["team", "submitted_at"], name="review_team_submitted"),
            models.Index(fields=["submitted_at", "id"], name="review_submitted"),
            models.Index(fields=["reviewer", "status"], name="review_reviewer_status"),
            models.Index(fields=["case"], name="review_case"),
            models.Index(fields=["-created_at", "-id"], name="review_created"),
        ]
        constraints = [
            # The same case is reviewed once outside calibration.
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(calibration__isnull=True), name="review_case_once"
            ),
            models.UniqueConstraint(fields=["calibration", "reviewer"], name="review_calibration_reviewer"),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} of case {self.case_id}"


class Rating(models.Model):
    """One behaviour's rating (None: not applicable), with a comment quoting the passage it is about."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    behaviour = models.ForeignKey(Behaviour, on_delete=models.PROTECT, related_name="ratings")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    quote = models.TextField(blank=True)
    message = models.ForeignKey("cases.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["review", "behaviour__position"]
        constraints = [models.UniqueConstraint(fields=["review", "behaviour"], name="rating_review_behaviour")]
        indexes = [models.Index(fields=["behaviour", "review"], name="rating_behaviour")]

    def __str__(self) -> str:
        return f"{self.behaviour}: {self.value}"


class CriticalCheck(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="critical_checks")
    item = models.ForeignKey(CriticalItem, on_delete=models.PROTECT, related_name="+")
    breached = models.BooleanField(default=False)
    quote = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "item__position"]
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="critical_review_item")]

    def __str__(self) -> str:
        return f"{self.item}: {'breached' if self.breached else 'clear'}"


class Dispute(models.Model):
    """An agent's dispute of a review, decided by another reviewer."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Review upheld"
        AMENDED = "amended", "Review amended"

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="dispute")
    reason = models.TextField()
    raised_at = models.DateTimeField()
    decider = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    decision = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["decider", "decided_at"], name="dispute_decider")]

    def __str__(self) -> str:
        return f"Dispute of {self.review}"


class ReviewEvent(models.Model):
    """The audit trail of a review: what changed, by whom and when (append-only)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "at", "id"]
        indexes = [models.Index(fields=["review", "at", "id"], name="review_event_at")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.review_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("review events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SampleReason(models.TextChoices):
    RANDOM = "random", "Weekly random sample"
    LOW_CSAT = "low_csat", "Low CSAT"
    COMPLAINT = "complaint", "Complaint"
    REOPENED = "reopened", "Reopened"
    BREACHED = "breached", "SLA breached"
    LONG_HANDLING = "long_handling", "Long handling time"
    CHOSEN = "chosen", "Chosen by a reviewer"


class QueueItem(models.Model):
    """A case waiting in a reviewer's queue. A case enters the queue once, ever."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=20, choices=SampleReason.choices)
    week = models.DateField()
    created_at = models.DateTimeField()
    review = models.OneToOneField(Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["week", "id"]
        indexes = [
            models.Index(fields=["reviewer", "review", "week", "id"], name="queue_reviewer_open"),
            models.Index(fields=["agent", "week"], name="queue_agent_week"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} for {self.agent_id}"
