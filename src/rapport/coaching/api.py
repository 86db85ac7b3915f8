"""/api/v1/coaching: sessions with their actions and links, targets, appraisals (staff only).

Agents see their own, team leaders their teams', managers everyone's (``coaching.access``). Lists
are keyset-paginated (``next_cursor``); every refusal names its field.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from rapport import access as core_policy
from rapport.accounts.api import ERRORS, ErrorOut, actor
from rapport.coaching import selectors, services
from rapport.coaching.models import Appraisal, Session, Target
from rapport.platform.errors import NotFound
from rapport.platform.pagination import Keyset

router = Router(tags=["coaching"])
WITH_CONFLICT: dict[Any, Any] = {**ERRORS, 409: ErrorOut}
BY_ID = Keyset((("id", int, True),))


class CoachingPageQuery(Schema):
    cursor: str | None = Field(None, max_length=500, description="next_cursor from the previous page.")
    limit: int = Field(25, ge=1, le=100)
    agent: int | None = Field(None, ge=1, le=services.MAX_ID, description="Only this agent's.")


class CoachingLinkIn(Schema):
    kind: str = Field(max_length=30, description='"case", "learning_unit", "qa_review" (what is installed).')
    id: int = Field(ge=1, le=services.MAX_ID)


class CoachingLinkOut(Schema):
    kind: str
    id: int
    label: str
    url: str


class CoachingActionIn(Schema):
    text: str = Field(min_length=1, max_length=300)
    owner: int = Field(ge=1, le=services.MAX_ID, description="The agent or the leader coaching them.")
    due_on: date | None = None


class CoachingActionOut(Schema):
    id: int
    text: str
    owner: int
    owner_name: str
    due_on: date | None
    done_at: datetime | None


class CoachingSessionIn(Schema):
    agent: int = Field(ge=1, le=services.MAX_ID)
    held_on: date
    topic: str = Field(min_length=1, max_length=200)
    notes: str = Field("", max_length=10_000)
    follow_up_on: date | None = None
    links: list[CoachingLinkIn] = Field(default_factory=list, max_length=50)
    actions: list[CoachingActionIn] = Field(default_factory=list, max_length=20)


class CoachingSessionOut(Schema):
    id: int
    agent: int
    agent_name: str
    leader: int | None
    held_on: date
    topic: str
    notes: str
    follow_up_on: date | None
    links: list[CoachingLinkOut]
    actions: list[CoachingActionOut]


class CoachingSessionPage(Schema):
    items: list[CoachingSessionOut]
    next_cursor: str | None


class CoachingTargetIn(Schema):
    kpi: str = Field(max_length=40, description="A KPI name from the catalogue (GET /api/v1/improvement/kpis).")
    value: Decimal = Field(max_digits=8, decimal_places=2)
    starts_on: date
    ends_on: date
    reason: str = Field(min_length=1, max_length=300)
    agent: int | None = Field(None, ge=1, le=services.MAX_ID)
    team: int | None = Field(None, ge=1, le=services.MAX_ID)


class CoachingTargetOut(Schema):
    id: int
    kpi: str
    agent: int | None
    team: int | None
    value: Decimal
    starts_on: date
    ends_on: date
    reason: str
    set_by: int | None
    set_at: datetime


class CoachingTargetPage(Schema):
    items: list[CoachingTargetOut]
    next_cursor: str | None


class CoachingAppraisalOut(Schema):
    id: int
    agent: int
    leader: int | None
    starts_on: date
    ends_on: date
    evidence: dict[str, Any]
    leader_comment: str
    agent_comment: str
    leader_signed_at: datetime | None
    agent_signed_at: datetime | None
    locked: bool
    version: int


class CoachingAppraisalPage(Schema):
    items: list[CoachingAppraisalOut]
    next_cursor: str | None


class CoachingAppraisalIn(Schema):
    agent: int = Field(ge=1, le=services.MAX_ID)
    starts_on: date
    ends_on: date


class CoachingCommentIn(Schema):
    comment: str = Field("", max_length=10_000)
    version: int | None = Field(None, ge=0, le=services.MAX_ID)


class CoachingSignIn(Schema):
    version: int | None = Field(None, ge=0, le=services.MAX_ID)


def _staff(request: HttpRequest) -> Any:
    return core_policy.require_staff(actor(request))


def _session_out(user: Any, session: Session, links: dict[int, list[selectors.ShownLink]]) -> dict[str, Any]:
    return {
        "id": session.pk,
        "agent": session.agent_id,
        "agent_name": session.agent.name,
        "leader": session.leader_id,
        "held_on": session.held_on,
        "topic": session.topic,
        "notes": session.notes,
        "follow_up_on": session.follow_up_on,
        "links": [{"kind": x.kind, "id": x.ref, "label": x.label, "url": x.url} for x in links.get(session.pk, [])],
        "actions": [
            {
                "id": a.pk,
                "text": a.text,
                "owner": a.owner_id,
                "owner_name": a.owner.name,
                "due_on": a.due_on,
                "done_at": a.done_at,
            }
            for a in session.actions.all()
        ],
    }


def _sessions_out(user: Any, sessions: list[Session]) -> list[dict[str, Any]]:
    links = selectors.shown_links(user, [link for s in sessions for link in s.links.all()])
    return [_session_out(user, s, links) for s in sessions]


@router.get(
    "/sessions", response={200: CoachingSessionPage, **ERRORS}, summary="Coaching sessions you may see, latest first"
)
def coaching_sessions_list(request: HttpRequest, query: Query[CoachingPageQuery]) -> Any:
    """Agents see their own, team leaders their teams', managers everyone's; ``agent`` filters to one person."""
    user = _staff(request)
    rows = selectors.sessions(user)
    if query.agent is not None:
        rows = rows.filter(agent_id=query.agent)
    page = BY_ID.paginate(rows, cursor=query.cursor, size=query.limit)
    return {"items": _sessions_out(user, list(page.items)), "next_cursor": page.next_cursor}


@router.post("/sessions", response={201: CoachingSessionOut, **ERRORS}, summary="Record a coaching session (leaders)")
def coaching_sessions_create(request: HttpRequest, payload: CoachingSessionIn) -> Any:
    """With what it is about (links by kind and id) and the actions agreed."""
    user = _staff(request)
    created = services.session_create(
        actor=user,
        agent_id=payload.agent,
        held_on=payload.held_on,
        topic=payload.topic,
        notes=payload.notes,
        follow_up_on=payload.follow_up_on,
        links=[(link.kind, link.id) for link in payload.links],
        actions=[services.ActionIn(a.text, a.owner, a.due_on) for a in payload.actions],
        now=timezone.now(),
    )
    found = selectors.session(user, created.pk)
    return Status(201, _sessions_out(user, [found])[0])  # type: ignore[list-item]


@router.get("/sessions/{session_id}", response={200: CoachingSessionOut, **ERRORS}, summary="One coaching session")
def coaching_sessions_get(request: HttpRequest, session_id: int) -> Any:
    """One session with its links (as you may see them) and its agreed actions."""
    user = _staff(request)
    found = selectors.session(user, session_id) if 0 < session_id <= services.MAX_ID else None
    if found is None:
        raise NotFound(services.NO_SESSION)
    return _sessions_out(user, [found])[0]


@router.post(
    "/sessions/{session_id}/actions", response={201: CoachingActionOut, **ERRORS}, summary="Agree an action (leaders)"
)
def coaching_actions_create(request: HttpRequest, session_id: int, payload: CoachingActionIn) -> Any:
    """An action agreed in the session, owned by the agent or the leader, with an optional due date."""
    user = _staff(request)
    if not 0 < session_id <= services.MAX_ID:
        raise NotFound(services.NO_SESSION)
    action = services.action_add(
        actor=user, session_id=session_id, item=services.ActionIn(payload.text, payload.owner, payload.due_on)
    )
    return Status(
        201,
        {
            "id": action.pk,
            "text": action.text,
            "owner": action.owner_id,
            "owner_name": action.owner.name,
            "due_on": action.due_on,
            "done_at": action.done_at,
        },
    )


@router.post(
    "/actions/{action_id}/done", response={200: CoachingActionOut, **ERRORS}, summary="Mark an agreed action done"
)
def coaching_actions_done(request: HttpRequest, action_id: int) -> Any:
    """By the action's owner, the agent or their leader; marking it again changes nothing."""
    user = _staff(request)
    if not 0 < action_id <= services.MAX_ID:
        raise NotFound(services.NO_ACTION)
    action = services.action_done(actor=user, action_id=action_id, now=timezone.now())
    return {
        "id": action.pk,
        "text": action.text,
        "owner": action.owner_id,
        "owner_name": action.owner.name,
        "due_on": action.due_on,
        "done_at": action.done_at,
    }


def _target_out(t: Target) -> dict[str, Any]:
    return {
        "id": t.pk,
        "kpi": t.kpi,
        "agent": t.agent_id,
        "team": t.team_id,
        "value": t.value,
        "starts_on": t.starts_on,
        "ends_on": t.ends_on,
        "reason": t.reason,
        "set_by": t.set_by_id,
        "set_at": t.set_at,
    }


@router.get("/targets", response={200: CoachingTargetPage, **ERRORS}, summary="Targets you may see")
def coaching_targets_list(request: HttpRequest, query: Query[CoachingPageQuery]) -> Any:
    """Your own and your teams' targets; leaders also those of the people they lead."""
    user = _staff(request)
    rows = selectors.targets(user)
    if query.agent is not None:
        rows = rows.filter(agent_id=query.agent)
    page = BY_ID.paginate(rows, cursor=query.cursor, size=query.limit)
    return {"items": [_target_out(t) for t in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/targets", response={201: CoachingTargetOut, **ERRORS}, summary="Set a target for an agent or a team (leaders)"
)
def coaching_targets_create(request: HttpRequest, payload: CoachingTargetIn) -> Any:
    """On a catalogue KPI, for one agent or one team you lead, with the period (at most a year) and the reason."""
    user = _staff(request)
    target = services.target_set(
        actor=user,
        kpi=payload.kpi,
        value=payload.value,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        reason=payload.reason,
        agent_id=payload.agent,
        team_id=payload.team,
        now=timezone.now(),
    )
    return Status(201, _target_out(target))


def _appraisal_out(a: Appraisal) -> dict[str, Any]:
    return {
        "id": a.pk,
        "agent": a.agent_id,
        "leader": a.leader_id,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "evidence": a.evidence,
        "leader_comment": a.leader_comment,
        "agent_comment": a.agent_comment,
        "leader_signed_at": a.leader_signed_at,
        "agent_signed_at": a.agent_signed_at,
        "locked": a.locked,
        "version": a.version,
    }


@router.get("/appraisals", response={200: CoachingAppraisalPage, **ERRORS}, summary="Appraisals you may see")
def coaching_appraisals_list(request: HttpRequest, query: Query[CoachingPageQuery]) -> Any:
    """Agents see their own, team leaders their teams', managers everyone's."""
    user = _staff(request)
    rows = selectors.appraisals(user)
    if query.agent is not None:
        rows = rows.filter(agent_id=query.agent)
    page = BY_ID.paginate(rows, cursor=query.cursor, size=query.limit)
    return {"items": [_appraisal_out(a) for a in page.items], "next_cursor": page.next_cursor}


@router.post("/appraisals", response={201: CoachingAppraisalOut, **ERRORS}, summary="Start an appraisal (leaders)")
def coaching_appraisals_create(request: HttpRequest, payload: CoachingAppraisalIn) -> Any:
    """For a period that has ended, with the evidence Rapport holds gathered now and kept with it."""
    user = _staff(request)
    created = services.appraisal_create(
        actor=user, agent_id=payload.agent, starts_on=payload.starts_on, ends_on=payload.ends_on, now=timezone.now()
    )
    return Status(201, _appraisal_out(created))


def _appraisal_id(appraisal_id: int) -> int:
    if not 0 < appraisal_id <= services.MAX_ID:
        raise NotFound(services.NO_APPRAISAL)
    return appraisal_id


@router.post(
    "/appraisals/{appraisal_id}/comment",
    response={200: CoachingAppraisalOut, **WITH_CONFLICT},
    summary="Your comment, as the agent or their leader (withdraws signatures)",
)
def coaching_appraisals_comment(request: HttpRequest, appraisal_id: int, payload: CoachingCommentIn) -> Any:
    """A change withdraws any signature already given; refused (409) once both have signed."""
    user = _staff(request)
    found = services.appraisal_comment(
        actor=user, appraisal_id=_appraisal_id(appraisal_id), comment=payload.comment, version=payload.version
    )
    return _appraisal_out(found)


@router.post(
    "/appraisals/{appraisal_id}/sign",
    response={200: CoachingAppraisalOut, **WITH_CONFLICT},
    summary="Sign as the agent or their leader; locked once both have",
)
def coaching_appraisals_sign(request: HttpRequest, appraisal_id: int, payload: CoachingSignIn) -> Any:
    """With ``version`` as read; a stale version is a 409. Locked once both have signed."""
    user = _staff(request)
    return _appraisal_out(
        services.appraisal_sign(actor=user, appraisal_id=_appraisal_id(appraisal_id), version=payload.version)
    )
