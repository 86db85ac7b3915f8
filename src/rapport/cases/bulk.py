"""Working many cases at once: one action on the cases a person ticked in the queue.

Each case is its own write, through the same service, gate and version check as an edit of one
case (``services.case_update``), so a case changed by a colleague since the queue was read, or one
the person may not touch, is refused on its own (409, 404, 403, 422) and the others still change.
The answer is one outcome per case, in the order asked.

What is the same for every case is done once: the action's parameters are checked and resolved
before the first case (an unknown owner refuses the request, not 500 cases one by one), and the
cases are loaded through the policy's scope in one query with their tags. The actions are the
``extensions.bulk_actions`` registry: the core's own are registered here, capabilities add theirs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import STAFF_ROLES, Team, User
from rapport.cases import merging, services
from rapport.cases.models import PRIORITY_CHOICES, STATUS_CHOICES, Case
from rapport.domain.case_rules import Priority, Status, tag_problem, tidy_tag
from rapport.domain.references import format_reference, parse_reference
from rapport.platform.errors import Conflict, FieldError, NotFound, RapportError

MAX_CASES = 500
CHOOSE_ACTION = "Choose an action."
UNKNOWN_ACTION = "Choose one of the actions offered."
CHOOSE_CASES = "Choose at least one case."
TOO_MANY_CASES = f"Choose at most {MAX_CASES} cases at a time."
BAD_VERSION = "Give the version of each case you read, as a whole number."
CHOOSE_OWNER = "Choose a member of staff."
CHOOSE_TEAM = "Choose a team."
GIVE_TAGS = "Give at least one tag."
MERGE_NEEDS_TWO = "Tick at least two cases of one customer to merge them."
MERGE_INTO_TICKED = "Merge into one of the ticked cases: give its reference, or leave it empty for the oldest."

CHANGED = 200


@dataclass(frozen=True)
class Outcome:
    """What happened to one case: ``status`` as HTTP says it (200 changed, or already as asked;
    404 not found or not the person's to see; 403 not theirs to change; 409 changed by someone
    else since it was read; 422 a rule refused it), and the reason when it was refused."""

    reference: str
    status: int
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.status == CHANGED


def cases_bulk(
    *,
    actor: User,
    action: str,
    params: Mapping[str, Any],
    cases: Mapping[str, int],
    now: datetime | None = None,
) -> list[Outcome]:
    """Do ``action`` with ``params`` to each of ``cases`` (reference to the version the actor read).
    A request that cannot be done at all (no such action, no cases, bad parameters) is one
    ``FieldError``; everything else is an outcome per case."""
    now = now or timezone.now()
    policy.require_staff(actor)
    chosen = _action(actor, action)
    versions = _versions(cases)
    prepared = chosen.prepare(actor, params) if chosen.prepare else dict(params)
    loaded = _load(actor, versions)
    outcomes: dict[str, Outcome] = {}
    ready: list[tuple[Case, int]] = []
    for reference, version in versions.items():
        case = loaded.get(reference)
        if case is None:
            outcomes[reference] = Outcome(reference, NotFound.status, policy.NO_CASE)
        elif case.version != version:
            # Known before any lock is taken; the service checks again under its lock.
            outcomes[reference] = Outcome(reference, Conflict.status, services.VERSION_CONFLICT)
        else:
            ready.append((case, version))
    if chosen.together is not None:
        for reference, refused in chosen.together(actor, ready, prepared, now).items():
            outcomes[reference] = _outcome(reference, refused)
    elif chosen.each is not None:
        for case, version in ready:
            try:
                chosen.each(actor, case, version, prepared, now)
            except RapportError as refused:
                outcomes[case.reference] = _outcome(case.reference, refused)
            else:
                outcomes[case.reference] = Outcome(case.reference, CHANGED)
    return [outcomes[reference] for reference in versions]


def actions_for(actor: User) -> list[tuple[str, extensions.BulkAction]]:
    """The actions ``actor`` may use, in the order the action bar lists them."""
    found = [(name, entry) for name in extensions.bulk_actions if (entry := _get(name)).allowed(actor)]
    return sorted(found, key=lambda pair: (pair[1].order, pair[1].label))


def _get(name: str) -> extensions.BulkAction:
    entry = extensions.bulk_actions.get(name)
    assert entry is not None
    return entry


def _action(actor: User, name: str) -> extensions.BulkAction:
    if not name:
        raise FieldError(action=CHOOSE_ACTION)
    entry = extensions.bulk_actions.get(name)
    if entry is None or not entry.allowed(actor):
        raise FieldError(action=UNKNOWN_ACTION)
    return entry


def _versions(cases: Mapping[str, int]) -> dict[str, int]:
    """The cases asked for, each by its reference as the desk writes it (``c-12`` is ``C-000012``)."""
    if not cases:
        raise FieldError(cases=CHOOSE_CASES)
    if len(cases) > MAX_CASES:
        raise FieldError(cases=TOO_MANY_CASES)
    versions: dict[str, int] = {}
    for reference, version in cases.items():
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise FieldError(cases=BAD_VERSION)
        number = parse_reference(reference)
        versions[format_reference(number) if number else reference] = version
    return versions


def _load(actor: User, versions: Mapping[str, int]) -> dict[str, Case]:
    """The cases the actor may see among those asked for, with their tags: two queries in all."""
    numbers = [n for reference in versions if (n := parse_reference(reference))]
    found = policy.visible_cases(actor).filter(pk__in=numbers).select_related("customer", "owner", "team")
    return {case.reference: case for case in found.prefetch_related("tags")}


def _outcome(reference: str, refused: Exception | None) -> Outcome:
    if refused is None:
        return Outcome(reference, CHANGED)
    if isinstance(refused, FieldError):
        return Outcome(reference, refused.status, " ".join(m for ms in refused.errors.values() for m in ms))
    if isinstance(refused, RapportError):
        return Outcome(reference, refused.status, getattr(refused, "message", str(refused)))
    raise refused


# --- the core's actions ------------------------------------------------------------------------------


def _update(field: str) -> extensions.BulkRowAction:
    """One field of the case set to the prepared value, as ``case_update`` sets it for one case."""

    def each(actor: User, case: Case, version: int, params: Mapping[str, Any], now: datetime) -> None:
        services.case_update(
            actor=actor, reference=case.reference, expected_version=version, changes={field: params[field]}, now=now
        )

    return each


def _staff_choices(actor: User) -> list[tuple[str, str]]:
    people = User.objects.filter(role__in=sorted(STAFF_ROLES), is_active=True).only("id", "name", "email")
    return [("", "Nobody (unassign)")] + [(str(p.pk), p.name or p.email) for p in people]


def _team_choices(actor: User) -> list[tuple[str, str]]:
    return [("", "No team")] + [(str(t.pk), t.name) for t in Team.objects.only("id", "name")]


def _id(value: Any, field: str, message: str) -> int | None:
    if value in (None, "", "none"):
        return None
    if isinstance(value, bool) or not (str(value).isascii() and str(value).isdigit()):
        raise FieldError(**{field: message})
    return int(value)


def _prepare_owner(actor: User, params: Mapping[str, Any]) -> Mapping[str, Any]:
    number = _id(params.get("owner"), "owner", CHOOSE_OWNER)
    if number is None:
        return {"owner": None}
    owner = User.objects.filter(pk=number, role__in=sorted(STAFF_ROLES), is_active=True).first()
    if owner is None:
        raise FieldError(owner=CHOOSE_OWNER)
    return {"owner": owner}


def _prepare_team(actor: User, params: Mapping[str, Any]) -> Mapping[str, Any]:
    number = _id(params.get("team"), "team", CHOOSE_TEAM)
    if number is None:
        return {"team": None}
    team = Team.objects.filter(pk=number).first()
    if team is None:
        raise FieldError(team=CHOOSE_TEAM)
    return {"team": team}


def _prepare_choice(field: str, allowed: Sequence[str]) -> Any:
    def prepare(actor: User, params: Mapping[str, Any]) -> Mapping[str, Any]:
        value = params.get(field)
        if value is None or str(value) not in allowed:
            raise FieldError(**{field: f"Choose one of: {', '.join(allowed)}."})
        return {field: str(value)}

    return prepare


def _prepare_tags(actor: User, params: Mapping[str, Any]) -> Mapping[str, Any]:
    value = params.get("tags")
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise FieldError(tags="Give tags as a list of words.")
    names = [n.strip() for n in names if n.strip()]
    if not names:
        raise FieldError(tags=GIVE_TAGS)
    problems = [p for n in names if (p := tag_problem(n))]
    if problems:
        raise FieldError({"tags": problems})
    return {"tags": sorted({tidy_tag(n) for n in names})}


def _tags_changed(adding: bool) -> extensions.BulkRowAction:
    def each(actor: User, case: Case, version: int, params: Mapping[str, Any], now: datetime) -> None:
        current = {tag.name for tag in case.tags.all()}  # prefetched with the list
        wanted = current | set(params["tags"]) if adding else current - set(params["tags"])
        if wanted != current:
            services.case_update(
                actor=actor,
                reference=case.reference,
                expected_version=version,
                changes={"tags": sorted(wanted)},
                now=now,
            )

    return each


STATUS_VALUES = [value for value, _ in STATUS_CHOICES]
PRIORITY_VALUES = [p.label for p in Priority]

CORE_ACTIONS: dict[str, extensions.BulkAction] = {
    "assign": extensions.BulkAction(
        "Assign to",
        policy.is_staff,
        param="owner",
        choices=_staff_choices,
        prepare=_prepare_owner,
        each=_update("owner"),
        order=10,
    ),
    "status": extensions.BulkAction(
        "Set status",
        policy.is_staff,
        param="status",
        choices=lambda actor: [(v, label) for v, label in STATUS_CHOICES if v != Status.NEW],
        prepare=_prepare_choice("status", STATUS_VALUES),
        each=_update("status"),
        order=20,
    ),
    "priority": extensions.BulkAction(
        "Set priority",
        policy.is_staff,
        param="priority",
        choices=lambda actor: [(Priority(v).label, label) for v, label in PRIORITY_CHOICES],
        prepare=_prepare_choice("priority", PRIORITY_VALUES),
        each=_update("priority"),
        order=30,
    ),
    "team": extensions.BulkAction(
        "Move to team",
        policy.is_staff,
        param="team",
        choices=_team_choices,
        prepare=_prepare_team,
        each=_update("team"),
        order=40,
    ),
    "tags_add": extensions.BulkAction(
        "Add tags", policy.is_staff, param="tags", prepare=_prepare_tags, each=_tags_changed(adding=True), order=50
    ),
    "tags_remove": extensions.BulkAction(
        "Remove tags", policy.is_staff, param="tags", prepare=_prepare_tags, each=_tags_changed(adding=False), order=51
    ),
}


def _prepare_into(actor: User, params: Mapping[str, Any]) -> Mapping[str, Any]:
    into = str(params.get("into") or "").strip()
    if not into:
        return {"into": ""}
    number = parse_reference(into)
    if number is None:
        raise FieldError(into=MERGE_INTO_TICKED)
    return {"into": format_reference(number)}


def _merge_ticked(
    actor: User, pairs: Sequence[tuple[Case, int]], params: Mapping[str, Any], now: datetime
) -> dict[str, RapportError | None]:
    """Merge the ticked cases into the one named (or the oldest): one merge, all or nothing, with
    the same rules as merging from a case's page (``merging.cases_merge``), so every ticked case
    gets the same outcome."""
    references = [case.reference for case, _ in pairs]
    refusal: RapportError | None = None
    if len(pairs) < 2:
        refusal = FieldError(cases=MERGE_NEEDS_TWO)
    elif params["into"] and params["into"] not in references:
        refusal = FieldError(into=MERGE_INTO_TICKED)
    else:
        target = params["into"] or min(pairs, key=lambda pair: (pair[0].created_at, pair[0].pk))[0].reference
        try:
            merging.cases_merge(
                actor=actor,
                target_reference=target,
                references=[r for r in references if r != target],
                versions={case.reference: version for case, version in pairs},
                now=now,
            )
        except RapportError as refused:
            refusal = refused
    return {reference: refusal for reference in references}


CORE_ACTIONS["merge"] = extensions.BulkAction(
    "Merge into one case (reference, or empty for the oldest)",
    policy.is_staff,
    param="into",
    prepare=_prepare_into,
    together=_merge_ticked,
    order=60,
)


def register() -> None:
    """Offer the core's actions (called from the cases app's ``ready()``)."""
    for name, entry in CORE_ACTIONS.items():
        extensions.bulk_actions.register(name, entry)
