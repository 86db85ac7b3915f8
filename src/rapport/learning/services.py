"""Every write in staff learning: importing units, questions, marked answers, overrides,
evidence and sign-offs. Keyword-only, time injected, permission checked here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from rapport import access as policy
from rapport.accounts.models import User
from rapport.cases.models import Case
from rapport.domain import marking
from rapport.domain.case_rules import CaseType
from rapport.domain.curriculum import CurriculumError, UnitDocument, parse_unit
from rapport.learning import access as learning_policy
from rapport.learning.models import (
    CASE_KINDS,
    Answer,
    AnswerCredit,
    AnswerFlag,
    Concept,
    Evidence,
    EvidenceKind,
    MarkingPoint,
    MarkOverride,
    Misconception,
    Question,
    SignOff,
    SignOffDecision,
    Tip,
    Unit,
    UnitItem,
)
from rapport.platform.errors import FieldError, Forbidden, NotFound

MAX_ANSWER = 20_000
MAX_CODE = 40
ONLY_LEADERS_WRITE = "Only team leaders, managers and admins write practice questions."
ONLY_STAFF_ANSWER = "Only staff answer practice questions."
ONLY_TEAM_LEADER = "Only the learner's team leader may override a mark."
ONLY_ASSESSORS = "Only an assessor other than the learner may sign evidence off."
NOT_YOUR_PORTFOLIO = "Only the learner or their team leader may add evidence to this portfolio."
REQUIRED = "Enter {what}."
TOO_LONG = "Keep this under {limit:,} characters."
POINT_NOT_IN_UNIT = "Choose a marking point of this answer's unit."
CHOOSE_POINTS = "Choose at least one marking point this evidence meets."
UNKNOWN_POINTS = "Choose marking points from the list."
CASE_NEEDED = "Give the reference of the case this evidence comes from."
NO_SUCH_CASE = "No case with that reference that you can see."
LINK_NEEDED = "Give the address in Rapport of the improvement work or feedback (it starts with /)."
UNKNOWN_KIND = "Choose a kind of evidence from the list."
WRONG_CASE_TYPE = "Case {reference} is not a {kind}; choose another kind of evidence or another case."
# Evidence of these kinds must come from a case of the matching type.
CASE_TYPE_FOR_KIND = {EvidenceKind.COMPLAINT: CaseType.COMPLAINT, EvidenceKind.DATA_REQUEST: CaseType.DATA_REQUEST}
UNKNOWN_DECISION = "Choose accept or refer back."
IMPORTED_AS = "{name}: this text is already imported as another unit ({unit})."
BAD_CODE = "A code is up to 40 letters, digits, dots, dashes or underscores."


# An address on this desk: a path, never another site ("//host", "/\\host") or a scheme.
_LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9/_.~%?=&#+-]{0,299}")


@dataclass(frozen=True)
class Imported:
    unit: Unit
    created: bool
    source_name: str


@dataclass(frozen=True)
class Document:
    """A unit's text and where it came from (a file name), before it is parsed."""

    source_name: str
    text: str
    code: str | None = None


def units_import(*, documents: Sequence[Document], now: datetime | None = None) -> list[Imported]:
    """Import every document or none: each is parsed first (a malformed one is refused with its
    name, line and what was expected), then all are written in one transaction. A unit already
    imported, by its code or its text's identity, is updated in place, never duplicated."""
    now = now or timezone.now()
    parsed: list[tuple[Document, UnitDocument]] = []
    for document in documents:
        if document.code is not None and not _valid_code(document.code):
            raise FieldError(code=BAD_CODE)
        try:
            parsed.append((document, parse_unit(document.text)))
        except CurriculumError as error:
            raise FieldError(document=f"{document.source_name}: {error}") from None
    with transaction.atomic():
        return [_unit_save(document, unit_doc, now) for document, unit_doc in parsed]


def _valid_code(code: str) -> bool:
    return 0 < len(code) <= MAX_CODE and all(c.isalnum() or c in "._-" for c in code)


def _unit_save(document: Document, parsed: UnitDocument, now: datetime) -> Imported:
    unit = _unit_for(document, parsed)
    created = unit is None
    if unit is None:
        unit = Unit(code=document.code or None, imported_at=now, title=parsed.title)
    elif document.code and not unit.code:
        unit.code = document.code  # a unit first imported without a code takes the one given now
    unit.identity = parsed.identity
    unit.source_name = document.source_name
    unit.preview = parsed.preview
    unit.synopsis = parsed.synopsis
    unit.updated_at = now
    unit.save()
    _sync(Concept, unit, [{"name": c.name, "text": c.text} for c in parsed.concepts])
    _sync(Tip, unit, [{"text": t} for t in parsed.tips])
    # A correction an admin wrote by hand stays; one worded on import follows the new text.
    edited = {
        m.position: m.correction
        for m in Misconception.objects.filter(unit=unit)
        if m.correction and m.correction != marking.correction_for(m.text)
    }
    _sync(
        Misconception,
        unit,
        [
            {"text": m, "correction": edited.get(n) or marking.correction_for(m)}
            for n, m in enumerate(parsed.misconceptions, start=1)
        ],
    )
    _sync(MarkingPoint, unit, [{"text": p} for p in parsed.marking_points])
    return Imported(unit, created, document.source_name)


def _unit_for(document: Document, parsed: UnitDocument) -> Unit | None:
    """The unit this document updates: by its code when it has one, else by its text. A text
    already imported as a different unit is refused rather than merged (that would orphan or
    delete learners' marks and evidence)."""
    units = Unit.objects.select_for_update()
    same_text = units.filter(identity=parsed.identity).first()
    if not document.code:
        return same_text
    by_code = units.filter(code=document.code).first()
    if same_text is None or same_text == by_code:
        return by_code
    if by_code is None and not same_text.code:
        return same_text  # first imported without a code: it takes this one
    raise FieldError(document=IMPORTED_AS.format(name=document.source_name, unit=same_text.code or same_text.title))


Item = TypeVar("Item", bound=UnitItem)


def _sync(model: type[Item], unit: Unit, rows: list[dict[str, str]]) -> None:
    """Make ``unit``'s items of ``model`` exactly ``rows``, by position: rows already there are
    updated in place (marks and evidence that point at them stay valid), extra rows go, new ones
    arrive in one insert."""
    items = model._default_manager  # the concrete model's manager (UnitItem itself is abstract)
    existing = {item.position: item for item in items.filter(unit=unit)}
    fresh: list[Item] = []
    changed: list[Item] = []
    for position, values in enumerate(rows, start=1):
        item = existing.pop(position, None)
        if item is None:
            fresh.append(model(unit=unit, position=position, **values))
            continue
        for name, value in values.items():
            setattr(item, name, value)
        changed.append(item)
    if existing:
        items.filter(pk__in=[item.pk for item in existing.values()]).delete()
    if changed and rows:
        items.bulk_update(changed, fields=list(rows[0]))
    if fresh:
        items.bulk_create(fresh)


def question_create(
    *, actor: User, unit: Unit, title: str, situation: str, task: str, now: datetime | None = None
) -> Question:
    if not learning_policy.can_write_questions(actor):
        raise Forbidden(ONLY_LEADERS_WRITE)
    errors: dict[str, list[str]] = {}
    for field, value, what, limit in (
        ("title", title, "a short title", 200),
        ("situation", situation, "the customer's situation", 5000),
        ("task", task, "the learner's task", 5000),
    ):
        if not value.strip():
            errors.setdefault(field, []).append(REQUIRED.format(what=what))
        elif len(value) > limit:
            errors.setdefault(field, []).append(TOO_LONG.format(limit=limit))
    if errors:
        raise FieldError(errors)
    return Question.objects.create(
        unit=unit,
        title=title.strip(),
        situation=situation.strip(),
        task=task.strip(),
        author=actor,
        created_at=now or timezone.now(),
    )


def answer_submit(*, actor: User, question: Question, text: str, now: datetime | None = None) -> Answer:
    """Keep the learner's answer and its marks: each marking point it covers, with the passage
    that earned it, and each common misconception it repeats, with the correction."""
    if not learning_policy.can_study(actor):
        raise Forbidden(ONLY_STAFF_ANSWER)
    if not text.strip():
        raise FieldError(text=REQUIRED.format(what="your answer"))
    if len(text) > MAX_ANSWER:
        raise FieldError(text=TOO_LONG.format(limit=MAX_ANSWER))
    unit = question.unit
    points = list(unit.marking_points.all())
    misconceptions = list(unit.misconceptions.all())
    concepts = [f"{c.name}: {c.text}" for c in unit.concepts.all()]
    result = marking.mark(
        text,
        [marking.Point(p.position, p.text) for p in points],
        [marking.Point(m.position, m.text) for m in misconceptions],
        concepts=concepts,
    )
    point_at = {p.position: p for p in points}
    misconception_at = {m.position: m for m in misconceptions}
    with transaction.atomic():
        answer = Answer.objects.create(question=question, learner=actor, text=text, submitted_at=now or timezone.now())
        AnswerCredit.objects.bulk_create(
            AnswerCredit(
                answer=answer,
                point=point_at[c.number],
                quote=c.quote,
                matched=", ".join(c.matched)[:400],
                coverage=c.coverage,
            )
            for c in result.credits
        )
        AnswerFlag.objects.bulk_create(
            AnswerFlag(
                answer=answer,
                misconception=misconception_at[f.number],
                quote=f.quote,
                correction=misconception_at[f.number].correction or f.correction,
            )
            for f in result.flags
        )
    return answer


def mark_override(
    *, actor: User, answer: Answer, point: MarkingPoint, credited: bool, reason: str, now: datetime | None = None
) -> MarkOverride:
    if not learning_policy.can_override(actor, answer.learner):
        raise Forbidden(ONLY_TEAM_LEADER)
    errors: dict[str, list[str]] = {}
    if point.unit_id != answer.question.unit_id:
        errors["point"] = [POINT_NOT_IN_UNIT]
    if not reason.strip():
        errors["reason"] = [REQUIRED.format(what="the reason for the override")]
    elif len(reason) > 2000:
        errors["reason"] = [TOO_LONG.format(limit=2000)]
    if errors:
        raise FieldError(errors)
    return MarkOverride.objects.create(
        answer=answer, point=point, credited=credited, reason=reason.strip(), by=actor, at=now or timezone.now()
    )


def evidence_add(
    *,
    actor: User,
    learner: User,
    kind: str,
    summary: str,
    point_ids: Sequence[int],
    case_reference: str = "",
    link: str = "",
    now: datetime | None = None,
) -> Evidence:
    """Link real work to marking points. A case is linked by reference (and must be one the
    actor can see); improvement work and feedback by their address in the desk."""
    if not learning_policy.can_add_evidence(actor, learner):
        raise Forbidden(NOT_YOUR_PORTFOLIO)
    errors: dict[str, list[str]] = {}
    case: Case | None = None
    if kind not in EvidenceKind.values:
        errors["kind"] = [UNKNOWN_KIND]
    elif kind in CASE_KINDS:
        if not case_reference.strip():
            errors["case_reference"] = [CASE_NEEDED]
        else:
            try:
                case = policy.access_case(actor, case_reference.strip())
            except NotFound:
                errors["case_reference"] = [NO_SUCH_CASE]
            else:
                wanted = CASE_TYPE_FOR_KIND.get(EvidenceKind(kind))
                if wanted is not None and case.type != wanted:
                    label = wanted.value.replace("_", " ")
                    errors["case_reference"] = [WRONG_CASE_TYPE.format(reference=case.reference, kind=label)]
    elif not _LOCAL_PATH.fullmatch(link.strip()):
        errors["link"] = [LINK_NEEDED]
    if not summary.strip():
        errors["summary"] = [REQUIRED.format(what="what this evidence shows")]
    elif len(summary) > 5000:
        errors["summary"] = [TOO_LONG.format(limit=5000)]
    points = list(MarkingPoint.objects.filter(pk__in=list(point_ids)))
    if not point_ids:
        errors["points"] = [CHOOSE_POINTS]
    elif len(points) != len(set(point_ids)):
        errors["points"] = [UNKNOWN_POINTS]
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        evidence = Evidence.objects.create(
            learner=learner,
            kind=kind,
            case=case,
            link=link.strip() if case is None else "",
            summary=summary.strip(),
            added_by=actor,
            added_at=now or timezone.now(),
        )
        evidence.points.set(points)
    return evidence


def evidence_sign_off(
    *, actor: User, evidence: Evidence, decision: str, comment: str = "", now: datetime | None = None
) -> SignOff:
    if not learning_policy.can_sign_off(actor, evidence):
        raise Forbidden(ONLY_ASSESSORS)
    if decision not in SignOffDecision.values:
        raise FieldError(decision=UNKNOWN_DECISION)
    if decision == SignOffDecision.REFERRED and not comment.strip():
        raise FieldError(comment=REQUIRED.format(what="what the learner should add or change"))
    return SignOff.objects.create(
        evidence=evidence, assessor=actor, decision=decision, comment=comment.strip(), at=now or timezone.now()
    )
