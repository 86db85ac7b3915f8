"""Reads: an agent's figures against targets with their team's, coaching history, appraisal
evidence, and the pulse's results within the small-numbers rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet

from rapport import extensions
from rapport.accounts.models import Team, User
from rapport.coaching import access as policy
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
from rapport.domain import disclosure

LONDON = ZoneInfo("Europe/London")
PERIOD_DAYS = 28
CORE_KPIS = (
    "first_response_hours",
    extensions.SLA_ATTAINMENT,
    "csat",
    "fcr",
    extensions.QA_SCORE,
    extensions.ROTA_ADHERENCE,
)
"""The KPIs issue #20 names for targets, shown in this order when registered; others follow."""


def local_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LONDON)


def kpi_catalogue() -> list[tuple[str, extensions.KpiSource]]:
    """Every KPI a target may be set on: the registered ones, the issue's first."""
    names = [n for n in CORE_KPIS if n in extensions.kpi_sources]
    names += [n for n in extensions.kpi_sources if n not in names]
    return [(n, s) for n in names if (s := extensions.kpi_sources.get(n)) is not None]


def kpi_choices() -> list[tuple[str, str]]:
    return [(name, source.label) for name, source in kpi_catalogue()]


def _scope(dimension: str, value: int, start: datetime, end: datetime) -> extensions.KpiScope:
    column = "owner_id" if dimension == "agent" else "team_id"

    def cases(prefix: str) -> Q:
        return Q(**{prefix + column: value})

    return extensions.KpiScope(cases=cases, start=start, end=end, dimension=dimension, value=str(value))


@dataclass(frozen=True)
class PerformanceRow:
    kpi: str
    label: str
    unit: str
    higher_is_better: bool
    figure: float | None
    team_figure: float | None
    target: Target | None
    state: rules.TargetState | None


@dataclass(frozen=True)
class Performance:
    agent: User
    team: Team | None
    start: date
    end: date  # inclusive
    rows: list[PerformanceRow]


def standing_targets(agent: User, team_ids: Sequence[int], day: date) -> list[Target]:
    """The targets standing on ``day`` for the agent or their teams (one query)."""
    return list(
        Target.objects.filter(Q(agent=agent) | Q(team_id__in=team_ids), starts_on__lte=day, ends_on__gte=day)
        .select_related("team", "set_by")
        .order_by("id")
    )


def performance(agent: User, *, today: date, days: int = PERIOD_DAYS) -> Performance:
    """The agent's figures over the last ``days`` days to ``today`` against the targets standing
    today, with their (first) team's figures for context. Two measures per KPI, each a fixed
    number of queries."""
    teams = list(agent.teams.order_by("name", "id"))
    team = teams[0] if teams else None
    start_day = today - timedelta(days=days - 1)
    start, end = day_start(start_day), day_start(today + timedelta(days=1))
    targets = standing_targets(agent, [t.pk for t in teams], today)
    choices = [rules.TargetChoice(t.pk, t.kpi, t.agent_id is not None, t.starts_on, t.ends_on, t.pk) for t in targets]
    by_id = {t.pk: t for t in targets}
    rows = []
    for name, source in kpi_catalogue():
        chosen = rules.applicable(choices, name, today)
        target = by_id[chosen.key] if chosen else None
        figure = source.measure(_scope("agent", agent.pk, start, end))
        team_figure = source.measure(_scope("team", team.pk, start, end)) if team else None
        rows.append(
            PerformanceRow(
                kpi=name,
                label=source.label,
                unit=source.unit,
                higher_is_better=source.higher_is_better,
                figure=figure,
                team_figure=team_figure,
                target=target,
                state=rules.target_state(figure, target.value, higher_is_better=source.higher_is_better)
                if target
                else None,
            )
        )
    return Performance(agent=agent, team=team, start=start_day, end=today, rows=rows)


def targets(actor: User) -> QuerySet[Target]:
    """Targets ``actor`` may see: their own and their teams', or those of the people they lead."""
    if policy.sees_everyone(actor):
        scope = Q()
    else:
        team_ids = User.teams.through.objects.filter(user_id=actor.pk).values("team_id")
        scope = Q(agent_id=actor.pk) | Q(team_id__in=team_ids)
        if policy.is_leader(actor):
            scope |= Q(agent__teams__in=team_ids)
    return (
        Target.objects.filter(scope)
        .select_related("agent", "team", "set_by")
        .distinct()
        .order_by("-starts_on", "kpi", "id")
    )


def sessions(actor: User, *, agent: User | None = None) -> QuerySet[Session]:
    """Coaching sessions ``actor`` may see (optionally one agent's), latest first, with their
    actions and links loaded (three queries for the page)."""
    rows = Session.objects.filter(policy.agent_scope(actor))
    if agent is not None:
        rows = rows.filter(agent=agent)
    return (
        rows.select_related("agent", "leader")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related("owner")), "links")
        .distinct()
        .order_by("-held_on", "-id")
    )


def session(actor: User, session_id: int) -> Session | None:
    return sessions(actor).filter(pk=session_id).first()


@dataclass(frozen=True)
class ShownLink:
    kind: str
    ref: int
    label: str
    url: str


KIND_LABELS = {
    extensions.CASE_LINK: "Case",
    extensions.LEARNING_UNIT_LINK: "Learning unit",
    extensions.QA_REVIEW_LINK: "Quality review",
}


def shown_links(actor: User, links: Sequence[SessionLink]) -> dict[int, list[ShownLink]]:
    """The links of some sessions as ``actor`` may see them, by session id: one registry call per
    kind; a link the person may not see (or whose app is not installed) is named, not linked."""
    ids: dict[str, set[int]] = {}
    for link in links:
        ids.setdefault(link.kind, set()).add(link.ref)
    resolved = {kind: extensions.work_links_for(actor, kind, sorted(refs)) for kind, refs in ids.items()}
    found: dict[int, list[ShownLink]] = {}
    for link in links:
        hit = resolved.get(link.kind, {}).get(link.ref)
        kind_label = KIND_LABELS.get(link.kind, link.kind)
        found.setdefault(link.session_id, []).append(
            ShownLink(
                link.kind,
                link.ref,
                hit.label if hit else f"{kind_label} #{link.ref} (not available)",
                hit.url if hit else "",
            )
        )
    return found


def open_actions(user: User) -> QuerySet[Action]:
    """Actions ``user`` owns and has not done yet, soonest due first."""
    return Action.objects.filter(owner=user, done_at__isnull=True).select_related("session").order_by("due_on", "id")


def appraisals(actor: User, *, agent: User | None = None) -> QuerySet[Appraisal]:
    rows = Appraisal.objects.filter(policy.agent_scope(actor))
    if agent is not None:
        rows = rows.filter(agent=agent)
    return rows.select_related("agent", "leader").distinct().order_by("-ends_on", "-id")


def appraisal(actor: User, appraisal_id: int) -> Appraisal | None:
    return appraisals(actor).filter(pk=appraisal_id).first()


def audit(subject: str, subject_id: int) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(subject=subject, subject_id=subject_id).select_related("actor").order_by("-at", "-id")
    )


def reminders(user: User) -> QuerySet[Reminder]:
    return Reminder.objects.filter(user=user).order_by("-sent_on", "-id")


def unread_reminders(user_id: int) -> int:
    return Reminder.objects.filter(user_id=user_id, read_at__isnull=True).count()


# --- appraisal evidence ---------------------------------------------------------------------------


def appraisal_evidence(agent: User, *, starts_on: date, ends_on: date) -> dict[str, Any]:
    """The evidence an appraisal is built from, as JSON kept with it: KPIs against the targets
    standing at the period's end, coaching actions agreed and done, and what every registered
    ``staff_evidence`` provider holds (QA trend, learning portfolio, compliments)."""
    days = (ends_on - starts_on).days + 1
    perf = performance(agent, today=ends_on, days=days)
    kpis = [
        {
            "kpi": row.kpi,
            "label": row.label,
            "unit": row.unit,
            "figure": None if row.figure is None else round(row.figure, 1),
            "team_figure": None if row.team_figure is None else round(row.team_figure, 1),
            "target": None if row.target is None else str(row.target.value),
            "state": row.state or "no target",
        }
        for row in perf.rows
    ]
    actions = Action.objects.filter(
        session__agent=agent, session__held_on__gte=starts_on, session__held_on__lte=ends_on
    )
    counted = actions.aggregate(agreed=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)))
    done = [a.text for a in actions.filter(done_at__isnull=False).order_by("done_at", "id")[:10]]
    sessions_held = Session.objects.filter(agent=agent, held_on__gte=starts_on, held_on__lte=ends_on).count()
    start, end = day_start(starts_on), day_start(ends_on + timedelta(days=1))
    sections = []
    for name in extensions.staff_evidence:
        hook = extensions.staff_evidence.get(name)
        found = hook(agent, start, end) if hook else None
        if found is not None:
            sections.append({"name": name, "title": found.title, "summary": found.summary, "items": list(found.items)})
    missing = [
        n
        for n in (extensions.QA_TREND, extensions.LEARNING_PORTFOLIO, extensions.COMPLIMENTS)
        if n not in extensions.staff_evidence
    ]
    return {
        "kpis": kpis,
        "team": perf.team.name if perf.team else "",
        "coaching": {
            "sessions": sessions_held,
            "actions_agreed": counted["agreed"],
            "actions_done": counted["done"],
            "done": done,
        },
        "sections": sections,
        "not_measured": missing,
    }


# --- the staff pulse ------------------------------------------------------------------------------


def open_rounds(today: date) -> QuerySet[PulseRound]:
    return PulseRound.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "id")


def answered(user: User, rounds: Sequence[PulseRound]) -> set[int]:
    return set(PulseAnswered.objects.filter(user=user, round__in=rounds).values_list("round_id", flat=True))


@dataclass(frozen=True)
class PulseCell:
    """One group's results, or why they are not shown."""

    group: str
    team_id: int | None
    summary: rules.PulseSummary | None
    note: str = ""


@dataclass(frozen=True)
class PulseResults:
    round: PulseRound
    respondents: int
    total: PulseCell
    teams: list[PulseCell] = field(default_factory=list)


SUPPRESSED = f"Not shown: fewer than {disclosure.MINIMUM_GROUP} answers, or it would reveal a smaller group."


def _answers_by_team(rounds: QuerySet[PulseRound]) -> dict[int | None, list[tuple[int, int, int, int]]]:
    by_team: dict[int | None, list[tuple[int, int, int, int]]] = {}
    for team_id, *scores in PulseResponse.objects.filter(round__in=rounds).values_list(
        "team_id", "recommend", "tools", "training", "workload"
    ):
        by_team.setdefault(team_id, []).append(tuple(scores))  # type: ignore[arg-type]
    return by_team


def _summary(answers: Sequence[tuple[int, int, int, int]]) -> rules.PulseSummary:
    return rules.summarise(
        [a[0] for a in answers],
        {"tools": [a[1] for a in answers], "training": [a[2] for a in answers], "workload": [a[3] for a in answers]},
    )


def pulse_results(actor: User, pulse: PulseRound) -> PulseResults:
    """The round's results as ``actor`` may see them: the whole service, and each team they may
    see, with cells hidden by the small-numbers rule computed over the whole table (so a leader's
    view of one team can never be differenced against another view). Two queries."""
    by_team = _answers_by_team(PulseRound.objects.filter(pk=pulse.pk))
    teams = list(Team.objects.order_by("name", "id"))
    counts = {str(t.pk): len(by_team.get(t.pk, [])) for t in teams}
    total_n = sum(len(v) for v in by_team.values())
    decided = disclosure.disclosed(counts, total=total_n)
    everyone = [a for v in by_team.values() for a in v]
    total = PulseCell(
        "Whole service",
        None,
        _summary(everyone) if decided.total_shown else None,
        "" if decided.total_shown else SUPPRESSED,
    )
    allowed = policy.pulse_teams(actor)
    cells = [
        PulseCell(
            t.name,
            t.pk,
            _summary(by_team.get(t.pk, [])) if decided.shows(str(t.pk)) else None,
            "" if decided.shows(str(t.pk)) else ("No answers." if counts[str(t.pk)] == 0 else SUPPRESSED),
        )
        for t in teams
        if allowed is None or t.pk in allowed
    ]
    return PulseResults(round=pulse, respondents=total_n, total=total, teams=cells)


def staff_voice(start: date, end: date) -> dict[int, extensions.StaffVoice]:
    """eNPS by team from the latest pulse round that closed in [start, end), for the
    service-profit chain: a team's figure only when the small-numbers rule shows it. One round,
    not several pooled: pooled answers would count a person once per round, and five answers
    could then be fewer than five people. Three queries."""
    latest = PulseRound.objects.filter(closes_on__gte=start, closes_on__lt=end).order_by("-closes_on", "-id")[:1]
    rounds = PulseRound.objects.filter(pk__in=list(latest.values_list("pk", flat=True)))
    by_team = _answers_by_team(rounds)
    team_ids = list(Team.objects.values_list("pk", flat=True))
    counts = {str(t): len(by_team.get(t, [])) for t in team_ids}
    decided = disclosure.disclosed(counts, total=sum(len(v) for v in by_team.values()))
    found: dict[int, extensions.StaffVoice] = {}
    for team_id in team_ids:
        n = counts[str(team_id)]
        if decided.shows(str(team_id)):
            value = _summary(by_team[team_id]).enps.value
            found[team_id] = extensions.StaffVoice(enps=value, respondents=n)
        else:
            found[team_id] = extensions.StaffVoice(
                enps=None, respondents=None, note="no pulse answers" if n == 0 else "fewer than 5 answers: not shown"
            )
    return found


def round_rows() -> QuerySet[PulseRound]:
    return PulseRound.objects.annotate(answers=Count("responses")).order_by("-closes_on", "-id")


def as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 1)))
