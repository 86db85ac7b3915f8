"""Writes: targets, coaching sessions and actions, appraisals and their sign-off, the pulse, and
the daily reminders. Every change to a coaching record is written to the audit trail in the same
transaction; pulse answers are not (an audit row would name who answered)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from rapport import extensions
from rapport.accounts.models import STAFF_ROLES, Team, User
from rapport.coaching import access as policy
from rapport.coaching import selectors
from rapport.coaching.models import (
    Action,
    Appraisal,
    AuditEntry,
    PulseAnswered,
    PulseResponse,
    PulseRound,
    Reminder,
    Session,
    SessionLink,
    Target,
)
from rapport.domain import coaching as rules
from rapport.platform import notify
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound, Refused

MAX_ID = 2**31 - 1
NO_AGENT = "No member of staff with that id that you may coach."
NO_SESSION = "No coaching session with that id."
NO_ACTION = "No action with that id."
NO_APPRAISAL = "No appraisal with that id."
NO_ROUND = "No pulse round with that id."
LOCKED = "This appraisal has been signed by both and is locked."
MAX_VALUE = Decimal("1000000")


def _audit(*, agent_id: int, actor: User | None, subject: str, subject_id: int, what: str, at: datetime) -> None:
    AuditEntry.objects.create(
        agent_id=agent_id, actor=actor, subject=subject, subject_id=subject_id, what=what[:300], at=at
    )


def _staff(user_id: Any) -> User | None:
    if not isinstance(user_id, int) or not 0 < user_id <= MAX_ID:
        return None
    return User.objects.filter(pk=user_id, role__in=STAFF_ROLES, is_active=True).first()


def _coached(actor: User, agent_id: Any, field: str = "agent") -> User:
    agent = _staff(agent_id)
    if agent is None or not policy.leads(actor, agent):
        raise FieldError(**{field: NO_AGENT})
    return agent


def _text(value: Any, field: str, *, limit: int, required: bool = True) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if required and not text:
        raise FieldError(**{field: "This cannot be empty."})
    if len(text) > limit:
        raise FieldError(**{field: f"At most {limit} characters."})
    return text


# --- targets --------------------------------------------------------------------------------------


def target_set(
    *,
    actor: User,
    kpi: str,
    value: Any,
    starts_on: date,
    ends_on: date,
    reason: str,
    agent_id: int | None = None,
    team_id: int | None = None,
    now: datetime | None = None,
) -> Target:
    """Set a target on a catalogue KPI for an agent or a team, with its period and reason."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    source = extensions.kpi_sources.get(kpi) if isinstance(kpi, str) else None
    if source is None:
        errors["kpi"] = ["Choose a KPI from the catalogue."]
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
        if not amount.is_finite() or not -MAX_VALUE < amount < MAX_VALUE:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["value"] = ["Give the target as a number, e.g. 85 or 4.5."]
        amount = Decimal(0)
    if source is not None and source.unit == "%" and not Decimal(0) <= amount <= Decimal(100):
        errors.setdefault("value", []).append("A percentage target is from 0 to 100.")
    if (problem := rules.period_error(starts_on, ends_on)) is not None:
        errors["ends_on"] = [problem]
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = ["Say why this target is set (e.g. the service standard it supports)."]
    elif len(reason.strip()) > 300:
        errors["reason"] = ["At most 300 characters."]
    agent = team = None
    if (agent_id is None) == (team_id is None):
        errors["agent"] = ["Set the target for one agent or for one team."]
    elif agent_id is not None:
        agent = _staff(agent_id)
        if agent is None or not policy.leads(actor, agent):
            errors["agent"] = [NO_AGENT]
    else:
        team = Team.objects.filter(pk=team_id).first() if isinstance(team_id, int) and 0 < team_id <= MAX_ID else None
        if team is None or not policy.leads_team(actor, team.pk):
            errors["team"] = ["No team with that id that you lead."]
    if errors:
        raise FieldError(errors)
    with transaction.atomic():
        target = Target.objects.create(
            kpi=kpi,
            agent=agent,
            team=team,
            value=amount,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason.strip(),
            set_by=actor,
            set_at=now,
        )
        whom = agent.name if agent else f"team {team.name}"  # type: ignore[union-attr]
        _audit(
            agent_id=(agent or actor).pk,
            actor=actor,
            subject="target",
            subject_id=target.pk,
            at=now,
            what=f"Target set for {whom}: {source.label} {amount}{source.unit.strip()} from {starts_on} to {ends_on}",  # type: ignore[union-attr]
        )
    return target


# --- coaching sessions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionIn:
    text: str
    owner_id: int
    due_on: date | None = None


def _links(actor: User, links: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """The links checked: a registered kind and an id the actor may see, each once."""
    wanted: dict[str, set[int]] = {}
    for kind, ref in links:
        if kind not in extensions.work_links:
            raise FieldError(links=f"Unknown kind of work {kind!r}: choose from {', '.join(extensions.work_links)}.")
        if not isinstance(ref, int) or not 0 < ref <= MAX_ID:
            raise FieldError(links=f"No {kind} with id {ref}.")
        wanted.setdefault(kind, set()).add(ref)
    for kind, refs in wanted.items():
        found = extensions.work_links_for(actor, kind, sorted(refs))
        missing = sorted(refs - set(found))
        if missing:
            raise FieldError(links=f"No {kind} you may see with id {missing[0]}.")
    return [(kind, ref) for kind, refs in sorted(wanted.items()) for ref in sorted(refs)]


def _action(actor: User, session: Session, item: ActionIn, index: int | None = None) -> Action:
    prefix = "actions" if index is None else f"actions[{index}]"
    text = _text(item.text, f"{prefix}.text", limit=300)
    if item.owner_id not in {session.agent_id, actor.pk, session.leader_id}:
        raise FieldError(**{f"{prefix}.owner": "An action is owned by the agent or the leader coaching them."})
    return Action(session=session, text=text, owner_id=item.owner_id, due_on=item.due_on)


def session_create(
    *,
    actor: User,
    agent_id: int,
    held_on: date,
    topic: str,
    notes: str = "",
    follow_up_on: date | None = None,
    links: Sequence[tuple[str, int]] = (),
    actions: Sequence[ActionIn] = (),
    now: datetime | None = None,
) -> Session:
    """Record a coaching session with an agent the actor leads: notes, what it was about, the
    actions agreed and the follow-up date."""
    now = now or timezone.now()
    agent = _coached(actor, agent_id)
    topic = _text(topic, "topic", limit=200)
    notes = _text(notes, "notes", limit=10_000, required=False)
    if held_on > selectors.local_day(now):
        raise FieldError(held_on="A session cannot be recorded before it is held.")
    if follow_up_on is not None and follow_up_on < held_on:
        raise FieldError(follow_up_on="The follow-up must be on or after the session.")
    checked = _links(actor, links)
    with transaction.atomic():
        session = Session.objects.create(
            agent=agent,
            leader=actor,
            held_on=held_on,
            topic=topic,
            notes=notes,
            follow_up_on=follow_up_on,
            created_at=now,
        )
        SessionLink.objects.bulk_create([SessionLink(session=session, kind=k, ref=r) for k, r in checked])
        Action.objects.bulk_create([_action(actor, session, item, i) for i, item in enumerate(actions)])
        _audit(
            agent_id=agent.pk,
            actor=actor,
            subject="session",
            subject_id=session.pk,
            at=now,
            what=f"Coaching session recorded: {topic} ({len(actions)} action{'s' if len(actions) != 1 else ''})",
        )
    return session


def _visible_session(actor: User, session_id: int) -> Session:
    found = selectors.session(actor, session_id) if 0 < session_id <= MAX_ID else None
    if found is None:
        raise NotFound(NO_SESSION)
    return found


def action_add(*, actor: User, session_id: int, item: ActionIn, now: datetime | None = None) -> Action:
    now = now or timezone.now()
    session = _visible_session(actor, session_id)
    if not policy.leads(actor, session.agent):
        raise Forbidden("Only a leader of the agent adds agreed actions.")
    with transaction.atomic():
        action = _action(actor, session, item)
        action.save()
        _audit(
            agent_id=session.agent_id,
            actor=actor,
            subject="session",
            subject_id=session.pk,
            at=now,
            what=f"Action agreed: {action.text}",
        )
    return action


def action_done(*, actor: User, action_id: int, now: datetime | None = None) -> Action:
    """Mark an agreed action done (its owner, the agent or a leader of the agent)."""
    now = now or timezone.now()
    action = (
        Action.objects.filter(pk=action_id, session__in=selectors.sessions(actor))
        .select_related("session__agent")
        .first()
        if 0 < action_id <= MAX_ID
        else None
    )
    if action is None:
        raise NotFound(NO_ACTION)
    if actor.pk not in {action.owner_id, action.session.agent_id} and not policy.leads(actor, action.session.agent):
        raise Forbidden("Only the action's owner, the agent or their leader marks it done.")
    if action.done_at is not None:
        return action
    with transaction.atomic():
        action.done_at, action.done_by = now, actor
        action.save(update_fields=["done_at", "done_by"])
        _audit(
            agent_id=action.session.agent_id,
            actor=actor,
            subject="session",
            subject_id=action.session_id,
            at=now,
            what=f"Action done: {action.text}",
        )
    return action


# --- appraisals -----------------------------------------------------------------------------------


def appraisal_create(
    *, actor: User, agent_id: int, starts_on: date, ends_on: date, now: datetime | None = None
) -> Appraisal:
    """Start an agent's appraisal for a period, with the evidence Rapport holds gathered now."""
    now = now or timezone.now()
    agent = _coached(actor, agent_id)
    if (problem := rules.period_error(starts_on, ends_on)) is not None:
        raise FieldError(ends_on=problem)
    if ends_on > selectors.local_day(now):
        raise FieldError(ends_on="An appraisal covers a period that has ended (or ends today).")
    evidence = selectors.appraisal_evidence(agent, starts_on=starts_on, ends_on=ends_on)
    with transaction.atomic():
        appraisal = Appraisal.objects.create(
            agent=agent, leader=actor, starts_on=starts_on, ends_on=ends_on, evidence=evidence, created_at=now
        )
        _audit(
            agent_id=agent.pk,
            actor=actor,
            subject="appraisal",
            subject_id=appraisal.pk,
            at=now,
            what=f"Appraisal started for {starts_on} to {ends_on}",
        )
    return appraisal


def _appraisal_for_update(actor: User, appraisal_id: int) -> Appraisal:
    visible = selectors.appraisals(actor).values("pk") if 0 < appraisal_id <= MAX_ID else None
    found = (
        Appraisal.objects.select_for_update().filter(pk=appraisal_id, pk__in=visible).select_related("agent").first()
        if visible is not None
        else None
    )
    if found is None:
        raise NotFound(NO_APPRAISAL)
    if found.locked:
        raise Refused(LOCKED)
    return found


def _side(actor: User, appraisal: Appraisal) -> str:
    if actor.pk == appraisal.agent_id:
        return "agent"
    if policy.leads(actor, appraisal.agent):
        return "leader"
    raise Forbidden("Only the agent and a leader of the agent comment on or sign an appraisal.")


def appraisal_comment(
    *, actor: User, appraisal_id: int, comment: str, version: int | None = None, now: datetime | None = None
) -> Appraisal:
    """The agent's or the leader's comment. A change withdraws any signature already given, since
    both sign the whole record as it stands."""
    now = now or timezone.now()
    text = _text(comment, "comment", limit=10_000, required=False)
    with transaction.atomic():
        appraisal = _appraisal_for_update(actor, appraisal_id)
        side = _side(actor, appraisal)
        if version is not None and version != appraisal.version:
            raise Conflict("The appraisal changed since you read it.", current={"version": appraisal.version})
        setattr(appraisal, f"{side}_comment", text)
        withdrawn = appraisal.leader_signed_at is not None or appraisal.agent_signed_at is not None
        appraisal.leader_signed_at = appraisal.agent_signed_at = None
        appraisal.version += 1
        appraisal.save()
        _audit(
            agent_id=appraisal.agent_id,
            actor=actor,
            subject="appraisal",
            subject_id=appraisal.pk,
            at=now,
            what=f"The {side}'s comment changed" + ("; signatures withdrawn" if withdrawn else ""),
        )
    return appraisal


def appraisal_sign(
    *, actor: User, appraisal_id: int, version: int | None = None, now: datetime | None = None
) -> Appraisal:
    """Sign as the agent or as their leader; once both have signed, the appraisal is locked."""
    now = now or timezone.now()
    with transaction.atomic():
        appraisal = _appraisal_for_update(actor, appraisal_id)
        side = _side(actor, appraisal)
        if version is not None and version != appraisal.version:
            raise Conflict("The appraisal changed since you read it.", current={"version": appraisal.version})
        if getattr(appraisal, f"{side}_signed_at") is None:
            setattr(appraisal, f"{side}_signed_at", now)
            if side == "leader":
                appraisal.leader = actor
            appraisal.version += 1
            appraisal.save()
            _audit(
                agent_id=appraisal.agent_id,
                actor=actor,
                subject="appraisal",
                subject_id=appraisal.pk,
                at=now,
                what=f"Signed by the {side}" + ("; now locked" if appraisal.locked else ""),
            )
    return appraisal


# --- the staff pulse ------------------------------------------------------------------------------


def pulse_round_open(
    *, actor: User, title: str, opens_on: date, closes_on: date, now: datetime | None = None
) -> PulseRound:
    now = now or timezone.now()
    if not policy.can_run_pulse(actor):
        raise Forbidden("Only managers open pulse rounds.")
    title = _text(title, "title", limit=100)
    if closes_on < opens_on:
        raise FieldError(closes_on="A round closes on or after the day it opens.")
    if (closes_on - opens_on).days > 31:
        raise FieldError(closes_on="A pulse round is open for at most a month.")
    with transaction.atomic():
        pulse = PulseRound.objects.create(
            title=title, opens_on=opens_on, closes_on=closes_on, created_by=actor, created_at=now
        )
        _audit(
            agent_id=actor.pk,
            actor=actor,
            subject="pulse",
            subject_id=pulse.pk,
            at=now,
            what=f"Pulse round opened: {title} ({opens_on} to {closes_on})",
        )
    return pulse


def pulse_answer(
    *, actor: User, round_id: int, recommend: Any, tools: Any, training: Any, workload: Any, now: datetime | None = None
) -> None:
    """Store one anonymous answer. The answer keeps the team it counts in and the scores; the
    separate ``PulseAnswered`` row keeps only that the person answered. Nothing is returned that
    would tie them together."""
    now = now or timezone.now()
    today = selectors.local_day(now)
    pulse = (
        selectors.open_rounds(today).filter(pk=round_id).first()
        if isinstance(round_id, int) and 0 < round_id <= MAX_ID
        else None
    )
    if pulse is None:
        raise NotFound("No open pulse round with that id.")
    scores = {"recommend": recommend, "tools": tools, "training": training, "workload": workload}
    bad = {k: "Choose one of the answers." for k, v in scores.items() if not isinstance(v, int) or isinstance(v, bool)}
    if bad:
        raise FieldError({k: [v] for k, v in bad.items()})
    errors = rules.check_answer(recommend, {"tools": tools, "training": training, "workload": workload})
    if errors:
        raise FieldError({k: [v] for k, v in errors.items()})
    team_id = actor.teams.order_by("id").values_list("id", flat=True).first()
    try:
        with transaction.atomic():
            PulseAnswered.objects.create(round=pulse, user=actor)
            PulseResponse.objects.create(round=pulse, team_id=team_id, **scores)
    except IntegrityError:
        raise Refused(
            "You have already answered this round: answers cannot be changed, as nobody knows which is yours."
        ) from None


# --- reminders ------------------------------------------------------------------------------------

PULSE_REMIND_DAYS = 2


def _send(
    user: User,
    *,
    kind: str,
    about: str,
    text: str,
    url: str,
    today: date,
    session: Session | None = None,
    action: Action | None = None,
    pulse: PulseRound | None = None,
) -> bool:
    """One reminder to one person, at most once a day for the same thing: a row they see in the
    desk (counted in the header) and an email, both in the same transaction."""
    try:
        with transaction.atomic():
            Reminder.objects.create(
                user=user,
                kind=kind,
                about=about,
                text=text[:300],
                sent_on=today,
                session=session,
                action=action,
                round=pulse,
            )
            notify.email_send(to=[user.email], subject=f"Reminder: {text[:120]}", text=f"{text}\n\n{url}\n")
    except IntegrityError:
        return False
    return True


def reminders_send(*, now: datetime | None = None, base_url: str = "") -> int:
    """The daily sweep: agreed actions due soon or overdue (to their owner), follow-ups due today
    (to the agent and the leader), pulse rounds closing soon (to staff who have not answered).
    Returns the reminders sent; running it twice in a day sends nothing more."""
    now = now or timezone.now()
    today = selectors.local_day(now)
    sent = 0
    horizon = today + rules.REMIND_BEFORE
    for action in Action.objects.filter(
        done_at__isnull=True, due_on__lte=horizon, owner__is_active=True
    ).select_related("owner", "session"):
        kind = rules.action_reminder(action.due_on, False, today)
        if kind is None:
            continue
        when = "was due" if kind == "action_overdue" else "is due"
        text = f"Coaching action {when} on {action.due_on:%d %B %Y}: {action.text}"
        url = base_url + reverse("coaching:session", args=[action.session_id])
        sent += _send(
            action.owner,
            kind=kind,
            about=f"action:{action.pk}",
            text=text,
            url=url,
            today=today,
            session=action.session,
            action=action,
        )
    for session in Session.objects.filter(follow_up_on=today).select_related("agent", "leader"):
        url = base_url + reverse("coaching:session", args=[session.pk])
        for person in {p for p in (session.agent, session.leader) if p is not None}:
            sent += _send(
                person,
                kind="follow_up",
                about=f"session:{session.pk}",
                today=today,
                session=session,
                text=f"Coaching follow-up today: {session.topic}",
                url=url,
            )
    for pulse in selectors.open_rounds(today).filter(closes_on__lte=today + timedelta(days=PULSE_REMIND_DAYS)):
        done = PulseAnswered.objects.filter(round=pulse).values("user_id")
        url = base_url + reverse("coaching:pulse")
        for person in User.objects.filter(role__in=STAFF_ROLES, is_active=True).exclude(pk__in=done):
            sent += _send(
                person,
                kind="pulse",
                about=f"pulse:{pulse.pk}",
                today=today,
                pulse=pulse,
                url=url,
                text=f"The staff pulse closes on {pulse.closes_on:%d %B %Y}: two minutes, anonymous by design",
            )
    return sent


def reminders_read(*, actor: User, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return Reminder.objects.filter(user=actor, read_at__isnull=True).update(read_at=now)
