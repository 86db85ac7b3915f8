"""Writes for continuous improvement: initiatives through Plan, Do, Check and Act, their parts,
suggestions, standards, the brand promise and the register of rules.

Nothing here changes a case, so nothing here writes to the journal. Standards, the brand promise
and hand-added rules are settings: they are saved through the history of settings
(``platform.settings_history``), which keeps who, when and before → after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from rapport import extensions
from rapport.accounts.models import User
from rapport.domain import tone
from rapport.domain.improvement import (
    Change,
    Summary,
    Verdict,
    explain,
    mean_change_of,
    proportion_change,
    requirement_problems,
    verdict,
)
from rapport.improvement import access as policy
from rapport.improvement import catalogue, gaps
from rapport.improvement.models import (
    BrandPromise,
    Evidence,
    EvidenceKind,
    Initiative,
    InitiativeKpi,
    KpiAssumptions,
    KpiResult,
    Milestone,
    Outcome,
    Requirement,
    Risk,
    Rule,
    RuleCause,
    Stage,
    Stakeholder,
    Standard,
    Suggestion,
    SuggestionStatus,
    ToneAdvice,
    ToneEntry,
)
from rapport.platform import settings_history
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.platform.models import SettingChange

ONLY_MANAGERS = "Only team leaders and managers run initiatives."
NEXT_STAGE = {Stage.PLAN: Stage.DO, Stage.DO: Stage.CHECK, Stage.CHECK: Stage.ACT}
INITIATIVE_FIELDS = frozenset(
    {
        "title",
        "problem",
        "proposal",
        "owner",
        "responsible",
        "scope_dimension",
        "scope_value",
        "baseline_days",
        "check_on",
        "one_off_cost",
        "monthly_cost",
        "monthly_saving",
        "monthly_redress_avoided",
        "monthly_hours_saved",
        "hourly_cost",
        "monthly_value_retained",
        "staff_hours",
        "systems",
        "months",
        "annual_discount_rate",
    }
)


MAX_ID = 2**63 - 1  # no row id is larger; a larger number cannot even be sent to the database


def _require_manager(actor: User) -> None:
    if not policy.can_manage(actor):
        raise Forbidden(ONLY_MANAGERS)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def initiative_create(
    *,
    actor: User,
    now: datetime,
    fields: Mapping[str, Any],
    gap: gaps.Gap | None = None,
    suggestion_id: int | None = None,
) -> Initiative:
    """A new initiative at Plan, with the gap it answers (and its cases) attached as evidence."""
    _require_manager(actor)
    unknown = set(fields) - INITIATIVE_FIELDS
    if unknown:
        raise FieldError({name: ["Not a field of an initiative."] for name in sorted(unknown)})
    if not str(fields.get("title", "")).strip():
        raise FieldError(title="Give the initiative a title.")
    if not str(fields.get("problem", "")).strip():
        raise FieldError(problem="State the problem the initiative answers.")
    if fields.get("check_on") is None:
        raise FieldError(check_on="Give the date to check the KPIs on.")
    values = {"owner": actor, **fields}
    with transaction.atomic():
        initiative = Initiative.objects.create(created_by=actor, created_at=now, updated_at=now, **values)
        if gap is not None:
            initiative.gap_key = f"{gap.provider}/{gap.evidence.key}"
            initiative.gap_why = gap.why[:500]
            initiative.save(update_fields=["gap_key", "gap_why"])
            Evidence.objects.create(
                initiative=initiative,
                kind=EvidenceKind.GAP,
                title=gap.evidence.title[:300],
                detail=f"{gap.evidence.why} Ranked {gap.rank}: {gap.why}.",
                link=gap.evidence.link[:300],
                case_ids=list(gap.evidence.case_ids),
            )
        if suggestion_id is not None:
            suggestion = Suggestion.objects.filter(pk=suggestion_id).first()
            if suggestion is not None:
                suggestion.status, suggestion.initiative = SuggestionStatus.TAKEN_UP, initiative
                suggestion.save(update_fields=["status", "initiative"])
                Evidence.objects.create(
                    initiative=initiative,
                    kind=EvidenceKind.SUGGESTION,
                    title="Suggestion from the front line",
                    detail=suggestion.text[:2000],
                )
    return initiative


def _touch(initiative: Initiative, now: datetime) -> None:
    initiative.updated_at = now
    initiative.save(update_fields=["updated_at"])


def evidence_add(
    *,
    actor: User,
    initiative: Initiative,
    now: datetime,
    kind: str,
    title: str,
    detail: str = "",
    link: str = "",
    case_ids: list[int] | None = None,
) -> Evidence:
    _require_manager(actor)
    if kind not in EvidenceKind.values:
        raise FieldError(kind="Choose what kind of evidence this is.")
    if not title.strip():
        raise FieldError(title="Say what the evidence is.")
    found = Evidence.objects.create(
        initiative=initiative, kind=kind, title=title[:300], detail=detail, link=link[:300], case_ids=case_ids or []
    )
    _touch(initiative, now)
    return found


def requirement_add(
    *,
    actor: User,
    initiative: Initiative,
    now: datetime,
    text: str,
    origin: str,
    category: str,
    obligation: str,
    citation: str = "",
) -> Requirement:
    _require_manager(actor)
    problems = requirement_problems(origin=origin, category=category, obligation=obligation, citation=citation)
    if not text.strip():
        problems["text"] = "Say what the requirement is."
    if problems:
        raise FieldError({field: [message] for field, message in problems.items()})
    found = Requirement.objects.create(
        initiative=initiative, text=text, origin=origin, category=category, obligation=obligation, citation=citation
    )
    _touch(initiative, now)
    return found


def milestone_add(
    *, actor: User, initiative: Initiative, now: datetime, title: str, due_on: date, owner: User | None = None
) -> Milestone:
    _require_manager(actor)
    if not title.strip():
        raise FieldError(title="Say what the milestone is.")
    found = Milestone.objects.create(initiative=initiative, title=title, due_on=due_on, owner=owner)
    _touch(initiative, now)
    return found


def milestone_done(
    *, actor: User, milestone: Milestone, now: datetime, setting_change_id: int | None = None
) -> Milestone:
    """Mark a milestone done, linked to what it changed in Rapport (a change in the history of
    settings): that change's date becomes the initiative's change-point if it has none, and the
    change is recorded in the register as caused by the initiative."""
    _require_manager(actor)
    change = None
    if setting_change_id is not None:
        change = SettingChange.objects.filter(pk=setting_change_id).first()
        if change is None:
            raise FieldError(setting_change="No change to a setting with that id.")
    with transaction.atomic():
        milestone.done_at = now
        milestone.setting_change = change
        milestone.save(update_fields=["done_at", "setting_change"])
        initiative = milestone.initiative
        if change is not None:
            RuleCause.objects.get_or_create(change=change, defaults={"initiative": initiative})
            if initiative.change_at is None:
                initiative.change_at = change.at
                initiative.save(update_fields=["change_at"])
        _touch(initiative, now)
    return milestone


def stakeholder_add(*, actor: User, initiative: Initiative, now: datetime, group: str, how: str) -> Stakeholder:
    _require_manager(actor)
    if not how.strip():
        raise FieldError(how="Say how they are affected.")
    found = Stakeholder.objects.create(initiative=initiative, group=group, how=how)
    _touch(initiative, now)
    return found


def risk_add(*, actor: User, initiative: Initiative, now: datetime, text: str, mitigation: str = "") -> Risk:
    _require_manager(actor)
    if not text.strip():
        raise FieldError(text="Describe the risk.")
    found = Risk.objects.create(initiative=initiative, text=text, mitigation=mitigation)
    _touch(initiative, now)
    return found


def baseline_window(initiative: Initiative, now: datetime) -> tuple[datetime, datetime]:
    """The period before the change: ``baseline_days`` before the change-point (before now while
    there is none yet)."""
    end = initiative.change_at or now
    return end - timedelta(days=initiative.baseline_days), end


def after_window(initiative: Initiative, now: datetime) -> tuple[datetime, datetime] | None:
    """The period after the change: from the change-point to the end of the check date (or now,
    when checked on demand before it)."""
    if initiative.change_at is None:
        return None
    end = min(now, _start_of(initiative.check_on) + timedelta(days=1))
    return initiative.change_at, max(end, initiative.change_at)


def kpi_add(*, actor: User, initiative: Initiative, now: datetime, kpi: str, target: float) -> InitiativeKpi:
    """Measure the initiative by ``kpi`` from the catalogue, with its baseline computed now."""
    _require_manager(actor)
    source = extensions.kpi_sources.get(kpi)
    if source is None or source.sample is None:
        raise FieldError(kpi="Choose a KPI from the catalogue.")
    if InitiativeKpi.objects.filter(initiative=initiative, kpi=kpi).exists():
        raise FieldError(kpi="The initiative is already measured by this KPI.")
    start, end = baseline_window(initiative, now)
    scope = catalogue.scope(initiative.scope_dimension, initiative.scope_value, start, end)
    sample = source.sample(scope)
    found = InitiativeKpi.objects.create(
        initiative=initiative,
        kpi=kpi,
        target=target,
        baseline=source.measure(scope) if sample.n else None,
        baseline_n=sample.n,
    )
    _touch(initiative, now)
    return found


def stage_move(*, actor: User, initiative: Initiative, now: datetime, change_at: datetime | None = None) -> Initiative:
    """Move to the next stage: Plan → Do (the change goes live: ``change_at``, now by default),
    Do → Check, Check → Act. Act ends with ``act``."""
    _require_manager(actor)
    following = NEXT_STAGE.get(Stage(initiative.stage))
    if following is None:
        raise FieldError(stage="Record the decision at Act: standardise, adjust or abandon.")
    if following == Stage.DO and initiative.change_at is None:
        initiative.change_at = change_at or now
    if following == Stage.CHECK and not initiative.kpis.exists():
        raise FieldError(kpi="Add a KPI to check before moving to Check.")
    initiative.stage = following
    initiative.updated_at = now
    initiative.save(update_fields=["stage", "change_at", "updated_at"])
    return initiative


@dataclass(frozen=True)
class KpiCheck:
    kpi: InitiativeKpi
    change: Change
    verdict: Verdict


def _compare(source: extensions.KpiSource, before: extensions.KpiSample, after: extensions.KpiSample) -> Change:
    if source.kind == "proportion":
        return proportion_change(before=(int(before.total), before.n), after=(int(after.total), after.n))
    return mean_change_of(
        before=Summary.from_sums(n=before.n, total=before.total, squares=before.squares),
        after=Summary.from_sums(n=after.n, total=after.total, squares=after.squares),
    )


def _scaled(value: float | None, source: extensions.KpiSource) -> float | None:
    """A proportion's figures in percentage points, as the KPI reads."""
    return None if value is None else value * 100 if source.kind == "proportion" else value


def check_run(
    *, initiative: Initiative, now: datetime, actor: User | None = None, automatic: bool = False
) -> list[KpiCheck]:
    """The Check: each KPI recomputed for the same scope after the change and compared with the
    period before it (the baseline window), with the difference, its interval, the p-value and a
    plain verdict, kept as a ``KpiResult``."""
    if actor is not None:
        _require_manager(actor)
    after = after_window(initiative, now)
    if after is None:
        raise FieldError(change_at="The change has not gone live yet: move the initiative to Do first.")
    before = baseline_window(initiative, now)
    dimension, value = initiative.scope_dimension, initiative.scope_value
    found = []
    with transaction.atomic():
        for kpi in initiative.kpis.order_by("id"):
            source = extensions.kpi_sources.get(kpi.kpi)
            if source is None or source.sample is None:
                continue
            change = _compare(
                source,
                source.sample(catalogue.scope(dimension, value, *before)),
                source.sample(catalogue.scope(dimension, value, *after)),
            )
            decided = verdict(change, higher_is_better=source.higher_is_better)
            unit = " points" if source.kind == "proportion" else source.unit
            shown = Change(
                _scaled(change.before, source),
                _scaled(change.after, source),
                _scaled(change.difference, source),
                change.p_value,
                _scaled(change.low, source),
                _scaled(change.high, source),
                change.before_n,
                change.after_n,
                change.confidence,
                change.enough_data,
                change.reason,
            )
            KpiResult.objects.create(
                kpi=kpi,
                checked_at=now,
                automatic=automatic,
                before=shown.before,
                after=shown.after,
                difference=shown.difference,
                low=shown.low,
                high=shown.high,
                p_value=shown.p_value,
                before_n=shown.before_n,
                after_n=shown.after_n,
                verdict=decided.value,
                explanation=explain(shown, decided, unit=unit)[:500],
            )
            found.append(KpiCheck(kpi, shown, decided))
        initiative.checked_at = now
        if initiative.stage == Stage.DO and now.date() >= initiative.check_on:
            initiative.stage = Stage.CHECK
        initiative.updated_at = now
        initiative.save(update_fields=["checked_at", "stage", "updated_at"])
    return found


def checks_due(*, now: datetime) -> int:
    """Run the Check of every initiative whose check date has come and that has not been checked
    since (the daily job)."""
    due = Initiative.objects.filter(
        stage__in=[Stage.DO, Stage.CHECK], check_on__lte=now.date(), change_at__isnull=False
    )
    done = 0
    for initiative in due.order_by("check_on", "id"):
        if initiative.checked_at is not None and initiative.checked_at.date() >= initiative.check_on:
            continue
        check_run(initiative=initiative, now=now, automatic=True)
        done += 1
    return done


def act(*, actor: User, initiative: Initiative, now: datetime, outcome: str, reason: str) -> Initiative:
    """Act on the Check: standardise (the change stays, and the register records what it changed
    as caused by the initiative), adjust (a new cycle, linked, with the same KPIs and a baseline
    from now) or abandon, with the reason. Returns the initiative that carries on: the new cycle
    when adjusted."""
    _require_manager(actor)
    if outcome not in Outcome.values:
        raise FieldError(outcome="Choose standardise, adjust or abandon.")
    if not reason.strip():
        raise FieldError(reason="Give the reason for the decision.")
    if initiative.stage == Stage.CLOSED:
        raise FieldError(outcome="This initiative has already been decided.")
    with transaction.atomic():
        initiative.stage, initiative.outcome = Stage.CLOSED, outcome
        initiative.outcome_reason, initiative.outcome_at, initiative.updated_at = reason, now, now
        initiative.save(update_fields=["stage", "outcome", "outcome_reason", "outcome_at", "updated_at"])
        if outcome == Outcome.STANDARDISED:
            for milestone in initiative.milestones.filter(setting_change__isnull=False):
                assert milestone.setting_change is not None
                RuleCause.objects.get_or_create(change=milestone.setting_change, defaults={"initiative": initiative})
        if outcome != Outcome.ADJUSTED:
            return initiative
        fields = {name: getattr(initiative, name) for name in INITIATIVE_FIELDS}
        fields["check_on"] = now.date() + (initiative.check_on - (initiative.change_at or now).date())
        following = Initiative.objects.create(
            **fields,
            created_by=actor,
            created_at=now,
            updated_at=now,
            parent=initiative,
            cycle=initiative.cycle + 1,
            gap_key=initiative.gap_key,
            gap_why=initiative.gap_why,
        )
        Evidence.objects.create(
            initiative=following,
            kind=EvidenceKind.REPORT,
            title=f"Cycle {initiative.cycle}: adjusted",
            detail=reason,
            link=f"/improvement/initiatives/{initiative.pk}/",
        )
        for kpi in initiative.kpis.order_by("id"):
            kpi_add(actor=actor, initiative=following, now=now, kpi=kpi.kpi, target=kpi.target)
    return following


# --- suggestions ----------------------------------------------------------------------------------


def suggestion_create(*, actor: User, now: datetime, text: str, touchpoint: str = "") -> Suggestion:
    if not policy.can_suggest(actor):
        raise Forbidden("Only staff can make suggestions.")
    if not text.strip():
        raise FieldError(text="Say what could be better.")
    if touchpoint and touchpoint not in catalogue.TOUCHPOINT_BY_CODE:
        raise FieldError(touchpoint="Choose a touchpoint from the journey.")
    return Suggestion.objects.create(author=actor, text=text.strip(), touchpoint=touchpoint, created_at=now)


def suggestion_decline(*, actor: User, suggestion_id: int) -> Suggestion:
    _require_manager(actor)
    found = Suggestion.objects.filter(pk=suggestion_id).first()
    if found is None:
        raise NotFound("No suggestion with that id.")
    found.status = SuggestionStatus.DECLINED
    found.save(update_fields=["status"])
    return found


# --- standards, the brand promise and the register ------------------------------------------------


def standard_save(
    *,
    actor: User,
    now: datetime,
    touchpoint: str,
    expectation: str,
    behaviour: str,
    kpi: str,
    target: float,
    amber_within: float,
    reason: str = "",
) -> Standard:
    _require_manager(actor)
    if touchpoint not in catalogue.TOUCHPOINT_BY_CODE:
        raise FieldError(touchpoint="Choose a touchpoint from the journey.")
    if extensions.kpi_sources.get(kpi) is None:
        raise FieldError(kpi="Choose a KPI from the catalogue.")
    if not expectation.strip():
        raise FieldError(expectation="Say what the customer should experience.")
    if amber_within < 0:
        raise FieldError(amber_within="The amber margin cannot be negative.")
    standard = Standard.objects.filter(touchpoint=touchpoint).first() or Standard(touchpoint=touchpoint)
    standard.expectation, standard.behaviour, standard.kpi = expectation, behaviour, kpi
    standard.target, standard.amber_within = target, amber_within
    settings_history.setting_save(actor=actor, instance=standard, reason=reason, now=now)
    return standard


def brand_promise_save(*, actor: User, now: datetime, promise: str, values: str) -> BrandPromise:
    _require_manager(actor)
    if not promise.strip():
        raise FieldError(promise="State the promise.")
    found = BrandPromise.objects.order_by("id").first() or BrandPromise()
    found.promise, found.values = promise.strip(), values.strip()
    settings_history.setting_save(actor=actor, instance=found, now=now)
    return found


def rule_save(
    *,
    actor: User,
    now: datetime,
    fields: Mapping[str, Any],
    rule: Rule | None = None,
    initiative: Initiative | None = None,
    reason: str = "",
) -> Rule:
    """Add or change a hand-kept rule; the change is kept in the history of settings, with the
    initiative that caused it when there is one."""
    _require_manager(actor)
    target = rule or Rule()
    for name, value in fields.items():
        setattr(target, name, value)
    if not str(target.title).strip():
        raise FieldError(title="Name the rule.")
    if not str(target.source).strip():
        raise FieldError(source="Say where the rule comes from.")
    if target.review_on is None:
        raise FieldError(review_on="Give the date the rule is next reviewed.")
    with transaction.atomic():
        change = settings_history.setting_save(actor=actor, instance=target, reason=reason, now=now)
        if change is not None and initiative is not None:
            RuleCause.objects.create(change=change, initiative=initiative)
    return target


# --- the tone of voice ----------------------------------------------------------------------------


def tone_entry_save(
    *,
    actor: User,
    now: datetime,
    phrase: str,
    advice: str,
    reason: str,
    instead: str = "",
    entry: ToneEntry | None = None,
) -> ToneEntry:
    """Add a word or phrase to the tone-of-voice guide (or change one); kept in the history of
    settings like any rule."""
    _require_manager(actor)
    phrase = " ".join(phrase.split())
    if problem := tone.phrase_problem(phrase):
        raise FieldError(phrase=problem)
    if advice not in ToneAdvice.values:
        raise FieldError(advice="Choose avoid or prefer.")
    if not reason.strip():
        raise FieldError(reason="Say why, in the brand's terms.")
    taken = ToneEntry.objects.filter(phrase__iexact=phrase)
    if entry is not None:
        taken = taken.exclude(pk=entry.pk)
    if taken.exists():
        raise FieldError(phrase="That phrase is in the guide already.")
    target = entry or ToneEntry()
    target.phrase, target.advice = phrase, advice
    target.reason, target.instead = reason.strip()[:300], instead.strip()[:200]
    settings_history.setting_save(actor=actor, instance=target, now=now)
    return target


def tone_entry_delete(*, actor: User, now: datetime, entry_id: int) -> None:
    _require_manager(actor)
    entry = ToneEntry.objects.filter(pk=entry_id).first() if 1 <= entry_id <= MAX_ID else None
    if entry is None:
        raise NotFound("No entry with that id in the guide.")
    settings_history.setting_delete(actor=actor, instance=entry, now=now)


def kpi_assumptions_save(*, actor: User, now: datetime, hourly_staff_cost: Decimal, reason: str = "") -> KpiAssumptions:
    """Change what the catalogue assumes (the hourly staff cost behind "cost per case"); kept in the
    history of settings."""
    _require_manager(actor)
    if hourly_staff_cost is None or hourly_staff_cost <= 0 or hourly_staff_cost >= Decimal("1000"):
        raise FieldError(hourly_staff_cost="Give an hourly cost in pounds above 0 and below 1,000.")
    found = KpiAssumptions.current()
    found.hourly_staff_cost = hourly_staff_cost
    settings_history.setting_save(actor=actor, instance=found, reason=reason, now=now)
    return found
