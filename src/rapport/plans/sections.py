"""The sections of a service plan and the items each holds, checked the same way for the pages and
the API (seed 004: "a detailed customer service plan that includes clear objectives, resource
requirements, timelines, and methods for monitoring and evaluation").

Each section is a list of items (dicts of plain values). ``SECTIONS`` says, per section, which
fields an item has, which are required and which values a choice allows; ``item_clean`` turns what
a person or client sent into a stored item or a ``FieldError`` naming the field.

Customer types describe a segment the way the feedback module's audiences do (internal or external
customers, a loyalty tier), the channels they use and the reasonable adjustments to provide for in
advance: the Equality Act 2010 s.20 duty is anticipatory (EHRC, *Services, public functions and
associations: Statutory Code of Practice*, 2011, §7.20-7.24): a service provider must think ahead
about what disabled customers are likely to need, not wait for each one to ask.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from rapport import extensions
from rapport.domain.case_rules import Channel
from rapport.platform.errors import FieldError

FieldKind = Literal["text", "choice", "multi", "number", "date", "bool"]

REQUIRED = "This field is required."
TOO_LONG = "At most {n} characters."
NOT_A_CHOICE = "{value!r} is not one of the choices."
NOT_A_NUMBER = "Enter a number."
NOT_A_DATE = "Enter a date as YYYY-MM-DD."
NOT_A_LIST = "Send a list of choices."
NUMBER_RANGE = "A number from {low:g} to {high:g}."
UNKNOWN_FIELD = "No such field in this section."

Choices = Callable[[], Sequence[tuple[str, str]]]


def kpi_choices() -> list[tuple[str, str]]:
    """The KPI catalogue: every measure an installed app registers (``extensions.kpi_sources``)."""
    found = []
    for name in extensions.kpi_sources:
        source = extensions.kpi_sources.get(name)
        if source is not None:
            found.append((name, source.label))
    return found


def channel_choices() -> list[tuple[str, str]]:
    return [(str(c), str(c).replace("_", " ").capitalize()) for c in Channel]


# The adjustments the desk records (the privacy app's vocabulary); these when it is not installed.
_ADJUSTMENTS = {
    "large_print": "Large print",
    "plain_text": "Plain text only",
    "easy_read": "Easy read",
    "bsl_relay": "BSL video relay",
    "text_relay": "Text relay",
    "named_contact": "A named contact",
    "extra_time": "Extra time",
}


def adjustment_choices() -> list[tuple[str, str]]:
    known = extensions.label_vocabularies.get("adjustment_kind") or _ADJUSTMENTS
    return list(known.items())


def _fixed(*pairs: tuple[str, str]) -> Choices:
    return lambda: pairs


GROUPS = _fixed(("all", "All customers"), ("external", "External customers"), ("internal", "Internal customers"))
STAGES = _fixed(
    ("first_contact", "First contact"),
    ("assessment", "Assessment and triage"),
    ("resolution", "Resolution"),
    ("back_office", "Back-office work"),
    ("escalation", "Escalation"),
    ("follow_up", "Follow-up"),
)
WHO = _fixed(("front_line", "Front line"), ("back_office", "Back office"), ("management", "Management"))
RESOURCE_KINDS = _fixed(("staff", "Staff"), ("budget", "Budget"), ("system", "System"), ("training", "Training"))
FREQUENCIES = _fixed(("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly"), ("quarterly", "Quarterly"))
REVIEWERS = _fixed(("owner", "The plan's owner"), ("team_leader", "Team leader"), ("manager", "Manager"))


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: FieldKind = "text"
    required: bool = True
    choices: Choices | None = None
    help: str = ""
    max_length: int = 300
    low: float = 0
    high: float = 1_000_000_000


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    item: str  # what one item is called ("an objective")
    help: str
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)

    def spec(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


SECTIONS: dict[str, SectionSpec] = {
    s.key: s
    for s in (
        SectionSpec(
            "objectives",
            "Objectives",
            "an objective",
            "What the plan must achieve, each linked to a KPI from the catalogue with a target.",
            (
                FieldSpec("text", "Objective", max_length=200),
                FieldSpec("kpi", "KPI", "choice", choices=kpi_choices),
                FieldSpec("target", "Target", "number", help="In the KPI's unit (e.g. 85 for 85%).", high=1_000_000),
            ),
        ),
        SectionSpec(
            "customer_types",
            "Customer types and their needs",
            "a customer type",
            "Who the service is for, the channels they use and the reasonable adjustments to have ready "
            "before anyone asks (Equality Act 2010 s.20: the duty is anticipatory).",
            (
                FieldSpec("name", "Customer type", max_length=120),
                FieldSpec("group", "Segment", "choice", choices=GROUPS),
                FieldSpec("tier", "Loyalty tier (optional)", required=False, max_length=30),
                FieldSpec("needs", "Their needs", max_length=500),
                FieldSpec("channels", "Channels they use", "multi", choices=channel_choices),
                FieldSpec(
                    "adjustments", "Adjustments to provide for", "multi", required=False, choices=adjustment_choices
                ),
            ),
        ),
        SectionSpec(
            "workflow",
            "Workflow",
            "a stage",
            "The stages from first contact to follow-up, and who does each.",
            (
                FieldSpec("stage", "Stage", "choice", choices=STAGES),
                FieldSpec("who", "Who does it", "choice", choices=WHO),
                FieldSpec("description", "What happens", max_length=500),
                FieldSpec("target", "Time allowed (optional)", required=False, max_length=80),
            ),
        ),
        SectionSpec(
            "resources",
            "Resource requirements",
            "a resource",
            "Staff, budget, systems and training the plan needs, beside the staffing the forecast requires.",
            (
                FieldSpec("kind", "Kind", "choice", choices=RESOURCE_KINDS),
                FieldSpec("description", "What is needed", max_length=300),
                FieldSpec("quantity", "Quantity (optional)", required=False, max_length=80, help="e.g. 12 FTE, £4,500"),
            ),
        ),
        SectionSpec(
            "milestones",
            "Timeline and milestones",
            "a milestone",
            "Dated steps in the plan's period.",
            (
                FieldSpec("title", "Milestone", max_length=200),
                FieldSpec("due", "Due", "date"),
                FieldSpec("done", "Done", "bool", required=False),
            ),
        ),
        SectionSpec(
            "monitoring",
            "Monitoring and evaluation",
            "a measure to review",
            "Which KPIs are reviewed, how often and by whom.",
            (
                FieldSpec("kpi", "KPI", "choice", choices=kpi_choices),
                FieldSpec("frequency", "How often", "choice", choices=FREQUENCIES),
                FieldSpec("reviewer", "Who reviews", "choice", choices=REVIEWERS),
            ),
        ),
    )
}
MAX_ITEMS = 50
TOO_MANY = f"A section holds at most {MAX_ITEMS} items."
NO_SECTION = "No such section."


def _clean_value(spec: FieldSpec, raw: Any) -> Any:
    empty = raw is None or raw == "" or raw == []
    if spec.kind == "bool":
        return raw in (True, "true", "on", "1", 1)
    if empty:
        if spec.required:
            raise FieldError({spec.name: [REQUIRED]})
        return [] if spec.kind == "multi" else ""
    if spec.kind == "text":
        text = str(raw).strip()
        if len(text) > spec.max_length:
            raise FieldError({spec.name: [TOO_LONG.format(n=spec.max_length)]})
        if not text and spec.required:
            raise FieldError({spec.name: [REQUIRED]})
        return text
    if spec.kind == "number":
        try:
            number = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            raise FieldError({spec.name: [NOT_A_NUMBER]}) from None
        if not number.is_finite() or not spec.low <= number <= spec.high:
            raise FieldError({spec.name: [NUMBER_RANGE.format(low=spec.low, high=spec.high)]})
        return float(number)
    if spec.kind == "date":
        try:
            return date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise FieldError({spec.name: [NOT_A_DATE]}) from None
    allowed = {value for value, _ in (spec.choices() if spec.choices else ())}
    if spec.kind == "choice":
        if str(raw) not in allowed:
            raise FieldError({spec.name: [NOT_A_CHOICE.format(value=str(raw)[:40])]})
        return str(raw)
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list | tuple):
        raise FieldError({spec.name: [NOT_A_LIST]})
    for value in values:
        if str(value) not in allowed:
            raise FieldError({spec.name: [NOT_A_CHOICE.format(value=str(value)[:40])]})
    return sorted({str(v) for v in values})


def item_clean(section: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A stored item of ``section`` from what was sent; ``FieldError`` names the first bad field."""
    spec = SECTIONS.get(section)
    if spec is None:
        raise FieldError(section=NO_SECTION)
    unknown = sorted(set(raw) - {f.name for f in spec.fields})
    if unknown:
        raise FieldError({unknown[0]: [UNKNOWN_FIELD]})
    return {f.name: _clean_value(f, raw.get(f.name)) for f in spec.fields}


def sections_clean(raw: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A whole set of sections (the API's form); field errors are named ``section.index.field``."""
    cleaned: dict[str, list[dict[str, Any]]] = {}
    for key, items in raw.items():
        if key not in SECTIONS:
            raise FieldError({f"sections.{key}"[:80]: [NO_SECTION]})
        if not isinstance(items, list):
            raise FieldError({f"sections.{key}": [NOT_A_LIST]})
        if len(items) > MAX_ITEMS:
            raise FieldError({f"sections.{key}": [TOO_MANY]})
        out = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise FieldError({f"sections.{key}.{index}": ["Send an object."]})
            try:
                out.append(item_clean(key, item))
            except FieldError as error:
                raise FieldError(
                    {f"sections.{key}.{index}.{name}": messages for name, messages in error.errors.items()}
                ) from None
        cleaned[key] = out
    return cleaned


def label_of(spec: FieldSpec, value: Any) -> str:
    """How a stored value reads on the page and in the CSV."""
    if spec.kind == "bool":
        return "Yes" if value else "No"
    if spec.choices is not None:
        names = dict(spec.choices())
        if spec.kind == "multi":
            return ", ".join(names.get(v, v) for v in value or ()) or "—"
        return names.get(value, value) if value else "—"
    if spec.kind == "number" and isinstance(value, float):
        return f"{value:g}"
    return str(value) if value not in (None, "") else "—"
