"""Reads for the learning pages, API and exports, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Prefetch, QuerySet

from rapport.accounts.models import User
from rapport.domain.curriculum import PracticePlace, practice_places
from rapport.learning.models import (
    Answer,
    AnswerCredit,
    AnswerFlag,
    Concept,
    Evidence,
    MarkingPoint,
    MarkOverride,
    Question,
    SignOff,
    SignOffDecision,
    Unit,
)


def unit_list() -> QuerySet[Unit]:
    return Unit.objects.annotate(
        concept_count=Count("concepts", distinct=True),
        point_count=Count("marking_points", distinct=True),
        question_count=Count("questions", distinct=True),
    )


def unit_detail(unit_id: int) -> Unit | None:
    return (
        Unit.objects.prefetch_related(
            "concepts",
            "tips",
            "misconceptions",
            "marking_points",
            Prefetch("questions", queryset=Question.objects.select_related("author")),
        )
        .filter(pk=unit_id)
        .first()
    )


@dataclass(frozen=True)
class ConceptView:
    concept: Concept
    places: tuple[PracticePlace, ...]


def concepts_with_places(unit: Unit) -> list[ConceptView]:
    """Each key concept with the places in the desk where it is practised."""
    return [ConceptView(c, practice_places(f"{c.name} {c.text}")) for c in unit.concepts.all()]


@dataclass
class PointMark:
    """One marking point on one answer: what the marker decided, any override, what stands."""

    point: MarkingPoint
    credit: AnswerCredit | None = None
    overrides: list[MarkOverride] = field(default_factory=list)

    @property
    def override(self) -> MarkOverride | None:
        return self.overrides[-1] if self.overrides else None

    @property
    def credited(self) -> bool:
        return self.override.credited if self.override else self.credit is not None


@dataclass(frozen=True)
class MarkedAnswer:
    answer: Answer
    points: list[PointMark]
    flags: list[AnswerFlag]

    @property
    def score(self) -> int:
        return sum(1 for p in self.points if p.credited)


def marked_answer(answer: Answer) -> MarkedAnswer:
    points = list(MarkingPoint.objects.filter(unit_id=answer.question.unit_id))
    credits = {c.point_id: c for c in AnswerCredit.objects.filter(answer=answer)}
    marks = {p.pk: PointMark(p, credits.get(p.pk)) for p in points}
    for override in MarkOverride.objects.filter(answer=answer).select_related("by"):
        if override.point_id in marks:
            marks[override.point_id].overrides.append(override)
    flags = list(AnswerFlag.objects.filter(answer=answer).select_related("misconception"))
    return MarkedAnswer(answer, [marks[p.pk] for p in points], flags)


def learner_answers(learner: User, *, limit: int = 50) -> list[Answer]:
    return list(
        Answer.objects.filter(learner=learner)
        .select_related("question__unit")
        .annotate(credit_count=Count("credits", distinct=True), flag_count=Count("flags", distinct=True))[:limit]
    )


def question_answers(question: Question, learner: User) -> list[Answer]:
    return list(
        Answer.objects.filter(question=question, learner=learner).annotate(
            credit_count=Count("credits", distinct=True), flag_count=Count("flags", distinct=True)
        )
    )


def learner_evidence(learner: User) -> list[Evidence]:
    return list(
        Evidence.objects.filter(learner=learner)
        .select_related("case", "added_by")
        .prefetch_related(
            Prefetch("points", queryset=MarkingPoint.objects.select_related("unit")),
            Prefetch("sign_offs", queryset=SignOff.objects.select_related("assessor")),
        )
    )


class Progress(StrEnum):
    """How far a learner has come on one marking point, weakest first."""

    NONE = "none"
    PRACTISED = "practised"
    EVIDENCED = "evidenced"
    SIGNED_OFF = "signed_off"

    @property
    def label(self) -> str:
        return {
            "none": "Not yet",
            "practised": "Practised",
            "evidenced": "Evidence awaiting sign-off",
            "signed_off": "Signed off",
        }[self.value]

    @property
    def short(self) -> str:
        return {"none": "-", "practised": "P", "evidenced": "E", "signed_off": "S"}[self.value]


@dataclass(frozen=True)
class ProgressMatrix:
    learners: list[User]
    units: list[Unit]
    points: list[MarkingPoint]
    cells: dict[tuple[int, int], Progress]

    def status(self, learner: User, point: MarkingPoint) -> Progress:
        return self.cells.get((learner.pk, point.pk), Progress.NONE)

    def rows(self) -> list[tuple[User, list[tuple[MarkingPoint, Progress]]]]:
        return [(learner, [(p, self.status(learner, p)) for p in self.points]) for learner in self.learners]


def progress_matrix(learners: Sequence[User]) -> ProgressMatrix:
    """Learners by marking points: signed off, evidenced, practised (credited in an answer, after
    any override) or not yet. Five queries, whatever the number of learners and points."""
    ids = [learner.pk for learner in learners]
    units = list(Unit.objects.all())
    points = list(MarkingPoint.objects.select_related("unit").order_by("unit__source_name", "unit_id", "position"))
    cells: dict[tuple[int, int], Progress] = {}

    def raise_to(key: tuple[int, int], status: Progress) -> None:
        order = list(Progress)
        if order.index(status) > order.index(cells.get(key, Progress.NONE)):
            cells[key] = status

    credited = set(AnswerCredit.objects.filter(answer__learner_id__in=ids).values_list("answer_id", "point_id"))
    answer_learner = dict(Answer.objects.filter(learner_id__in=ids).values_list("id", "learner_id"))
    for answer_id, point_id, is_credit in MarkOverride.objects.filter(answer__learner_id__in=ids).values_list(
        "answer_id", "point_id", "credited"
    ):
        # Overrides come in time order, so the last one for a point stands.
        if is_credit:
            credited.add((answer_id, point_id))
        else:
            credited.discard((answer_id, point_id))
    for answer_id, point_id in credited:
        raise_to((answer_learner[answer_id], point_id), Progress.PRACTISED)
    # Sign-offs come in time order, so the last decision on each piece of evidence stands.
    latest = dict(SignOff.objects.filter(evidence__learner_id__in=ids).values_list("evidence_id", "decision"))
    for evidence_id, learner_id, point_id in Evidence.points.through.objects.filter(
        evidence__learner_id__in=ids
    ).values_list("evidence_id", "evidence__learner_id", "markingpoint_id"):
        accepted = latest.get(evidence_id) == SignOffDecision.ACCEPTED
        raise_to((learner_id, point_id), Progress.SIGNED_OFF if accepted else Progress.EVIDENCED)
    return ProgressMatrix(list(learners), units, points, cells)
