"""Staff learning (domain.md §8): study units imported from their documents, practice questions
marked against the units' marking points, and a portfolio of evidence from real work."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Unit(models.Model):
    """A study unit. Found again on re-import by its explicit ``code`` or, without one, by the
    SHA-256 of its text (``identity``)."""

    code = models.CharField(max_length=40, unique=True, null=True, blank=True)
    identity = models.CharField(max_length=64, unique=True)
    source_name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=200)
    preview = models.TextField(blank=True)
    synopsis = models.TextField()
    imported_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["source_name", "id"]

    def __str__(self) -> str:
        return self.title


class UnitItem(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        abstract = True
        ordering = ["unit", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"


class Concept(UnitItem):
    name = models.CharField(max_length=200)

    class Meta(UnitItem.Meta):
        default_related_name = "concepts"
        constraints = [models.UniqueConstraint(fields=["unit", "position"], name="concept_unit_position")]


class Tip(UnitItem):
    class Meta(UnitItem.Meta):
        default_related_name = "tips"
        constraints = [models.UniqueConstraint(fields=["unit", "position"], name="tip_unit_position")]


class Misconception(UnitItem):
    # Worded from the misconception on import; an admin may write a better one.
    correction = models.TextField(blank=True)

    class Meta(UnitItem.Meta):
        default_related_name = "misconceptions"
        constraints = [models.UniqueConstraint(fields=["unit", "position"], name="misconception_unit_position")]


class MarkingPoint(UnitItem):
    class Meta(UnitItem.Meta):
        default_related_name = "marking_points"
        constraints = [models.UniqueConstraint(fields=["unit", "position"], name="point_unit_position")]

    @property
    def label(self) -> str:
        return f"{self.unit_id}.{self.position}"


class Question(models.Model):
    """A scenario a team leader writes against a unit: a customer situation and a task."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="questions")
    title = models.CharField(max_length=200)
    situation = models.TextField()
    task = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["unit", "-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "-created_at", "-id"], name="question_unit_created")]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_answers")
    text = models.TextField()
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["learner", "-submitted_at", "-id"], name="answer_learner_submitted"),
            models.Index(fields=["question", "-submitted_at", "-id"], name="answer_question_submitted"),
        ]

    def __str__(self) -> str:
        return f"Answer #{self.pk} to {self.question_id}"


class AnswerCredit(models.Model):
    """A marking point the marker credited, with the passage that earned it."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="credits")
    point = models.ForeignKey(MarkingPoint, on_delete=models.CASCADE, related_name="+")
    quote = models.TextField()
    matched = models.CharField(max_length=400, blank=True)
    coverage = models.FloatField()

    class Meta:
        ordering = ["answer", "point__position"]
        constraints = [models.UniqueConstraint(fields=["answer", "point"], name="credit_answer_point")]

    def __str__(self) -> str:
        return f"{self.point} credited on answer {self.answer_id}"


class AnswerFlag(models.Model):
    """A common misconception the answer repeats, with the sentence and the correction."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="flags")
    misconception = models.ForeignKey(Misconception, on_delete=models.CASCADE, related_name="+")
    quote = models.TextField()
    correction = models.TextField()

    class Meta:
        ordering = ["answer", "misconception__position"]

    def __str__(self) -> str:
        return f"{self.misconception} flagged on answer {self.answer_id}"


class MarkOverride(models.Model):
    """A team leader's decision on one marking point of one answer. Append-only: the latest
    decision for a point stands, and every earlier one stays on the record."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="overrides")
    point = models.ForeignKey(MarkingPoint, on_delete=models.CASCADE, related_name="+")
    credited = models.BooleanField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["answer", "at", "id"]
        indexes = [models.Index(fields=["answer", "at", "id"], name="override_answer_at")]

    def __str__(self) -> str:
        return f"{'Credit' if self.credited else 'No credit'} for {self.point} on answer {self.answer_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("mark overrides are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Assessor(models.Model):
    """Someone who may see every learner's portfolio and sign evidence off (set in admin)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_assessor")
    since = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.user)


class EvidenceKind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint taken through every HEAT stage"
    DATA_REQUEST = "data_request", "Data request answered in time"
    ADJUSTMENT = "adjustment", "Reasonable adjustment honoured"
    CASE = "case", "Other case work"
    IMPROVEMENT = "improvement", "Improvement work"
    FEEDBACK = "feedback", "Customer feedback"


CASE_KINDS = frozenset({EvidenceKind.COMPLAINT, EvidenceKind.DATA_REQUEST, EvidenceKind.ADJUSTMENT, EvidenceKind.CASE})


class Evidence(models.Model):
    """Real work a learner offers against marking points: a case (linked, never copied) or a
    link to improvement work or customer feedback elsewhere in the desk."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    link = models.CharField(max_length=300, blank=True)
    summary = models.TextField()
    points = models.ManyToManyField(MarkingPoint, related_name="evidence")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["-added_at", "-id"]
        indexes = [models.Index(fields=["learner", "-added_at", "-id"], name="evidence_learner_added")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.learner}"


class SignOffDecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    REFERRED = "referred", "Referred back"


class SignOff(models.Model):
    """An assessor's decision on a piece of evidence. Append-only; the latest decision stands."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="sign_offs")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(max_length=10, choices=SignOffDecision.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["evidence", "at", "id"]
        indexes = [models.Index(fields=["evidence", "at", "id"], name="signoff_evidence_at")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.assessor}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("sign-offs are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
