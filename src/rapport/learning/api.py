"""/api/v1/learning: study units, practice questions and marked answers (staff only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from rapport.access import require_staff
from rapport.accounts.api import ERRORS, actor
from rapport.learning import access as policy
from rapport.learning import selectors, services
from rapport.learning.models import Question, Unit
from rapport.platform.errors import NotFound

router = Router(tags=["learning"])

NO_UNIT = "No unit with that id."
NO_QUESTION = "No question with that id."


class PlaceOut(Schema):
    label: str
    path: str


class ConceptOut(Schema):
    position: int
    name: str
    text: str
    practised_at: list[PlaceOut]


class ItemOut(Schema):
    position: int
    text: str


class UnitSummaryOut(Schema):
    id: int
    code: str | None
    title: str
    source_name: str


class UnitOut(UnitSummaryOut):
    synopsis: str
    concepts: list[ConceptOut]
    tips: list[ItemOut]
    misconceptions: list[ItemOut]
    marking_points: list[ItemOut]
    questions: list[int]


class PracticeAnswerIn(Schema):
    text: str = Field(max_length=services.MAX_ANSWER)


class PointMarkOut(Schema):
    position: int
    text: str
    credited: bool
    quote: str | None
    overridden: bool
    override_reason: str | None


class FlagOut(Schema):
    misconception: str
    quote: str
    correction: str


class MarkedAnswerOut(Schema):
    id: int
    question: int
    learner: int
    text: str
    score: int
    points: list[PointMarkOut]
    misconceptions: list[FlagOut]


def _unit_out(unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "code": unit.code,
        "title": unit.title,
        "source_name": unit.source_name,
        "synopsis": unit.synopsis,
        "concepts": [
            {
                "position": view.concept.position,
                "name": view.concept.name,
                "text": view.concept.text,
                "practised_at": [{"label": p.label, "path": p.path} for p in view.places],
            }
            for view in selectors.concepts_with_places(unit)
        ],
        "tips": list(unit.tips.all()),
        "misconceptions": list(unit.misconceptions.all()),
        "marking_points": list(unit.marking_points.all()),
        "questions": [q.pk for q in unit.questions.all()],
    }


def _marked_out(marked: selectors.MarkedAnswer) -> dict[str, Any]:
    answer = marked.answer
    return {
        "id": answer.pk,
        "question": answer.question_id,
        "learner": answer.learner_id,
        "text": answer.text,
        "score": marked.score,
        "points": [
            {
                "position": m.point.position,
                "text": m.point.text,
                "credited": m.credited,
                "quote": m.credit.quote if m.credit else None,
                "overridden": m.override is not None,
                "override_reason": m.override.reason if m.override else None,
            }
            for m in marked.points
        ],
        "misconceptions": [
            {"misconception": f.misconception.text, "quote": f.quote, "correction": f.correction} for f in marked.flags
        ],
    }


@router.get("/units", response={200: list[UnitSummaryOut], **ERRORS}, summary="Study units")
def list_units(request: HttpRequest) -> Any:
    """Every study unit: code, title and source."""
    require_staff(actor(request))
    return list(selectors.unit_list())


@router.get(
    "/units/{unit_id}",
    response={200: UnitOut, **ERRORS},
    summary="One study unit, in full",
)
def get_unit(request: HttpRequest, unit_id: int) -> Any:
    """A study unit with its concepts (and where each is practised), tips, misconceptions,
    marking points and questions."""
    require_staff(actor(request))
    unit = selectors.unit_detail(unit_id)
    if unit is None:
        raise NotFound(NO_UNIT)
    return _unit_out(unit)


@router.post(
    "/questions/{question_id}/answers",
    response={201: MarkedAnswerOut, **ERRORS},
    summary="Answer a practice question; the answer comes back marked",
)
def answer_question(request: HttpRequest, question_id: int, payload: PracticeAnswerIn, response: HttpResponse) -> Any:
    """Submit an answer to a practice question; it comes back marked against the unit's marking
    points, with any misconceptions flagged."""
    me = require_staff(actor(request))
    question = Question.objects.select_related("unit").filter(pk=question_id).first()
    if question is None:
        raise NotFound(NO_QUESTION)
    answer = services.answer_submit(actor=me, question=question, text=payload.text)
    response["Location"] = f"/api/v1/learning/answers/{answer.pk}"
    return Status(201, _marked_out(selectors.marked_answer(answer)))


@router.get(
    "/answers/{answer_id}",
    response={200: MarkedAnswerOut, **ERRORS},
    summary="A marked answer",
)
def get_answer(request: HttpRequest, answer_id: int) -> Any:
    """A marked answer: the caller's own, or any for a team leader or manager."""
    answer = policy.access_answer(actor(request), answer_id)
    return _marked_out(selectors.marked_answer(answer))
