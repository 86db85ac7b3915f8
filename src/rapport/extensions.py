"""Where one capability plugs into the core, and into another, without importing it.

The core (cases, customers, the desk) knows nothing of SLAs, complaints, privacy, feedback or mail,
and no capability imports another (ADR 0004, ADR 0010; import-linter checks both). Each app
registers what it adds here from its ``AppConfig.ready()``, and the core, or another app, asks the
registries when it renders a page, builds a queue, counts a KPI or seeds the demo. Registries are
plain lists of callables, or ``Registry`` when each entry has a name, so a test can see exactly
what is registered and an app that is not installed adds nothing (its answer is "not measured").

Registries between capabilities (wave 2 registers the same way): KPI sources (``kpi_sources``),
facts other apps hold about cases (``case_facts``: a complaint's root cause), the business
calendar a case is measured in (``case_calendars``), findings about how a case was handled
(``case_findings``: the evidence learning, quality reviews and improvement gaps read), sections of
a subject access bundle (``subject_access_sections``); automation actions and routing methods
will be ``Registry`` objects too.

Every hook receives the objects the core already loaded, and hooks that decorate lists (queue
badges) receive the whole page at once, so that each hook costs one query per page, never one per
row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from rapport.domain.contingencies import IntervalFigure

if TYPE_CHECKING:
    from django.db.models import Q, QuerySet
    from django.http import HttpRequest

    from rapport.accounts.models import User
    from rapport.cases.models import Case, Message
    from rapport.customers.models import Customer
    from rapport.domain.calendar import BusinessCalendar

V = TypeVar("V")


class Registry(Generic[V]):
    """Entries by name, each registered once (a second, different entry under a name is refused:
    two apps answering for one KPI would be a silent conflict)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._entries: dict[str, V] = {}

    def register(self, name: str, entry: V) -> None:
        if self._entries.get(name, entry) is not entry:
            raise ValueError(f"{self.what} {name!r} is already registered.")
        self._entries[name] = entry

    def get(self, name: str) -> V | None:
        return self._entries.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._entries))


PanelPlace = Literal["top", "reply", "work", "side", "header"]


@dataclass(frozen=True)
class Panel:
    """A block another app adds to a page: ``template`` is rendered with ``panel`` in its context.

    ``top`` sits above the timeline (alerts such as reasonable adjustments), ``reply`` inside the
    reply area above the reply box (the macro picker, the knowledge article finder), ``work`` below
    the reply forms (guided workflows), ``side`` in the side column (targets, value, consents),
    ``header`` in the desk's header (``header_controls``).
    ``order`` sorts panels within a place, lowest first.
    """

    template: str
    place: PanelPlace = "side"
    order: int = 50
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Badge:
    """A short marker on a queue row or case header, e.g. "Adjustments", "Breaches in 2h"."""

    text: str
    css: str = "tag"
    title: str = ""


@dataclass(frozen=True)
class NavItem:
    """A link in the desk's main navigation, shown to users ``visible`` admits."""

    label: str
    url_name: str
    section: str
    visible: Callable[[User], bool]
    order: int = 50


@dataclass(frozen=True)
class Alert:
    """A warning in the header of every desk page, e.g. "email is not being delivered". ``url_name``
    links to where to act, for those who may."""

    text: str
    url_name: str = ""
    link_text: str = ""


@dataclass(frozen=True)
class HeaderLink:
    """A link in the desk's header beside the person's name with a count, e.g. "Notifications (3)";
    ``label`` says what is counted, for screen readers as for everyone."""

    label: str
    url_name: str
    count: int = 0


@dataclass(frozen=True)
class Deadline:
    """A dated obligation on a case that the SLA views show beside its targets (a data request's
    statutory response date, a complaint's final-response date)."""

    name: str
    due: datetime
    basis: str = ""


@dataclass(frozen=True)
class OutboundPreferences:
    """How messages to a customer must be sent (reasonable adjustments, Equality Act 2010 s.20):
        ``plain_text_only`` drops the HTML part, ``large_print`` attaches a large-print PDF copy,
        ``contact_name`` is a named contact or authorised advocate to address as well; ``easy_read`` asks
    for the easy-read wording where a message has one, ``bsl_relay`` for an offer to talk it through in
    British Sign Language by video relay, ``preferred_channel`` the channel they asked to be contacted
    on (blank: no preference)."""

    plain_text_only: bool = False
    large_print: bool = False
    contact_name: str = ""
    notes: tuple[str, ...] = ()
    easy_read: bool = False
    bsl_relay: bool = False
    preferred_channel: str = ""


CasePanelHook = Callable[["HttpRequest", "Case"], Panel | None]
CustomerPanelHook = Callable[["HttpRequest", "Customer"], Panel | None]
QueueBadgeHook = Callable[["User", Sequence["Case"]], Mapping[int, Sequence[Badge]]]
TargetAdjusterHook = Callable[["Case"], timedelta | None]
DeadlineHook = Callable[[Sequence["Case"]], Mapping[int, Sequence[Deadline]]]
LegalHoldHook = Callable[["Customer"], Sequence[str]]
ContactPermissionHook = Callable[["Customer", str, str], bool | None]
ContactRefusalHook = Callable[["QuerySet[Customer]", str, str], Mapping[str, "QuerySet[Any]"]]
DemoSeederHook = Callable[[datetime], None]
CloseGuardHook = Callable[["Case", "User", str], Sequence[str]]
OutboundPreferencesHook = Callable[["Customer"], OutboundPreferences | None]
RecordGuardHook = Callable[["Customer"], Sequence[str]]
Scrub = Callable[[str], str]
"""Removes an erased person's identity from a text (names, email addresses, phone numbers)."""
ErasureHook = Callable[["Customer", Sequence[int], Scrub], Mapping[str, int]]
SubjectAccessSection = Callable[["Customer"], tuple[str, list[dict[str, Any]]]]
CustomersChangedHook = Callable[[Sequence[int], str, datetime], None]
BreachingSoonHook = Callable[[], timedelta | None]
MessageBadgeHook = Callable[["Case", Sequence["Message"]], Mapping[int, Sequence[Badge]]]
HeaderAlertHook = Callable[["User"], Alert | None]
HeaderLinkHook = Callable[["User"], HeaderLink | None]
PortalPanelHook = Callable[["HttpRequest", str], Panel | None]
MergeGuardHook = Callable[["User", "Case", Sequence["Case"]], Sequence[str]]
CaseMergeHook = Callable[["Case", Sequence["Case"], "User", datetime], None]
CaseSplitHook = Callable[["Case", "Case", "Message", datetime], None]

case_panels: list[CasePanelHook] = []
"""Blocks on the case page, asked once per page view."""

customer_panels: list[CustomerPanelHook] = []
"""Blocks on the customer page."""

queue_badges: list[QueueBadgeHook] = []
"""Markers on queue rows: given a page of cases, the badges by case id (one query per hook)."""

nav_items: list[NavItem] = []
"""Links in the desk navigation after Queue, Customers and Search."""

sla_target_adjusters: list[TargetAdjusterHook] = []
"""Extra business time a case's SLA targets get (e.g. a reasonable adjustment of extra time,
Equality Act 2010 s.20); the SLA engine adds up what every hook returns."""

deadlines: list[DeadlineHook] = []
"""Statutory or policy deadlines other apps hold, shown by the SLA views like any other target."""

legal_holds: list[LegalHoldHook] = []
"""Reasons a customer's data must be kept for now (an open complaint, a legal hold). Erasure is
refused while any hook returns a reason."""

contact_permissions: list[ContactPermissionHook] = []
"""Whether a customer may be contacted for a purpose ("service", "survey", "marketing") on a
channel. Each hook answers True, False or None (no opinion); any False forbids."""

contact_refusals: list[ContactRefusalHook] = []
"""The bulk form of ``contact_permissions``, for sending to thousands at once: given customers (a
queryset), a purpose and a channel, each hook returns querysets of the ids of those it refuses, by
reason ("opted_out": the person said no; "no_consent": no consent recorded where one is needed;
"restricted": processing restricted). Hooks only build querysets, so the caller counts and excludes
them inside its own queries, whatever the number of customers. A hook registered in
``contact_permissions`` should register its bulk form here too."""

demo_seeders: list[DemoSeederHook] = []
"""Run by ``rapport demo`` after the core demo data exists, with the demo's clock."""


close_guards: list[CloseGuardHook] = []
"""Reasons a case may not move to a status yet: called with (case, actor, target status) before a
case is resolved or closed; any reason refuses the change with that message (e.g. a complaint
without its HEAT stages, customer response and root cause)."""

outbound_preferences: list[OutboundPreferencesHook] = []
"""How outbound messages to a customer must be shaped; the mail app follows the merged answer."""

record_guards: list[RecordGuardHook] = []
"""Reasons a customer's record may not be changed now (a restriction of processing, UK GDPR Art
18(2): the data is stored but not otherwise used). Edits to the record are refused while any hook
gives a reason."""

erasure_handlers: list[ErasureHook] = []
"""Called when a person is erased (UK GDPR Art 17), before their record is blanked: given the
customer, the ids of their cases and a function that scrubs their identity from a text, each app
removes what it holds about them (copies of their emails, survey comments, a complaint's account in
the person's own words) and returns counts of what it changed for the erasure's summary. The
privacy app then sweeps every text column for what is left."""


customer_changes: list[CustomersChangedHook] = []
"""Told, inside the write, when facts about customers that service levels are chosen by change (a
loyalty tier, internal or external): (customer ids, the change as people read it, e.g. "customer
tier gold", when). The SLA engine re-targets the clocks of their open cases."""

breaching_soon_windows: list[BreachingSoonHook] = []
"""How far ahead the "breaching soon" queue looks; the first hook with an answer wins, else
``BREACHING_SOON_DEFAULT``. The SLA app's answer is the window a service manager sets in admin."""

BREACHING_SOON_DEFAULT = timedelta(hours=4)

subject_access_sections: list[SubjectAccessSection] = []
"""What each app holds about a person, for their subject access bundle (UK GDPR Art 15): given the
customer, a section title and JSON-ready records (survey answers, complaints, awards, letters)."""


# --- between capabilities -----------------------------------------------------------------------


@dataclass(frozen=True)
class KpiScope:
    """What a KPI is counted over: ``cases(prefix)`` is the filter on the cases in the slice, with
    ``prefix`` the path from the counted model to its case (``"case__"``); the period is
    [``start``, ``end``)."""

    cases: Callable[[str], Q]
    start: datetime
    end: datetime
    dimension: str = "service"
    value: str = ""
    """What the slice is, as in ``GapScope`` ("agent" and a user id, "team" and a team id …), for
    measures that are not about cases (adherence to the rota is about people)."""


@dataclass(frozen=True)
class KpiSample:
    """What a KPI is made of, for before/after tests: for a proportion, ``n`` counted and ``total``
    the successes among them; for a mean, ``n`` values, ``total`` their sum and ``squares`` the sum
    of their squares (what SQL's COUNT and SUM give, whatever the number of rows)."""

    n: int
    total: float
    squares: float = 0.0


@dataclass(frozen=True)
class KpiSource:
    """A measure another app holds: ``measure`` answers a percentage or figure for a scope, or
    None when nothing is decided yet ("not measured").

    For the improvement catalogue a source may say more: ``sample`` gives the counts a Check tests
    (``kind`` "proportion": ``measure`` is 100 x total / n; "mean": total / n), whether higher is
    better, the ``unit`` it is read in, its ``definition`` in words, and ``behind``: the ids of
    some cases that fall short in the scope (at most the number asked), for "the cases behind each
    figure"."""

    label: str
    measure: Callable[[KpiScope], float | None]
    sample: Callable[[KpiScope], KpiSample] | None = None
    kind: Literal["proportion", "mean"] = "proportion"
    higher_is_better: bool = True
    unit: str = "%"
    definition: str = ""
    behind: Callable[[KpiScope, int], Sequence[int]] | None = None
    formula: str = ""
    """How it is computed, as a formula a person can check ("100 x kept / (kept + missed)")."""
    source: str = ""
    """Where its figures come from (the records, the standard or guidance it follows)."""
    assumptions: tuple[str, ...] = ()
    """What it takes as given and a reader should know (an hourly staff cost)."""


kpi_sources: Registry[KpiSource] = Registry("KPI source")
"""Measures the dashboards show beside their own (``"sla_attainment"``: targets met among those
decided, from the SLA app's clocks)."""
SLA_ATTAINMENT = "sla_attainment"
PROMISES_KEPT = "promises_kept"
"""KPI: the share of promises to customers ("we will reply by 1pm on Friday") that were kept."""
ROTA_ADHERENCE = "rota_adherence"
"""The workforce app's share of rostered time an agent's status matched the rota."""


def kpi(name: str, scope: KpiScope) -> float | None:
    """The measure registered as ``name`` over ``scope``; None when no app measures it."""
    source = kpi_sources.get(name)
    return source.measure(scope) if source else None


CaseFactHook = Callable[[int, int], Mapping[int, Any]]

case_facts: Registry[CaseFactHook] = Registry("case fact")
"""Facts other apps hold about cases, for the KPI rollups: given the first and last case id of a
batch, the fact by case id for those that have one (``"root_cause"``: the id of the root cause a
complaint names)."""
ROOT_CAUSE = "root_cause"
HANDLING_TIME = "handling_time"
"""Minutes of work recorded on each case (time tracking), for handling-time figures."""
AVERAGE_HANDLING_TIME = "average_handling_time"
"""KPI: mean minutes recorded per case with time in the period (time tracking)."""
NPS = "nps"
"""KPI: Net Promoter Score from the feedback app's NPS answers."""
COST_PER_CASE = "cost_per_case"
"""KPI: staff cost per case, from time tracking's minutes at the hourly cost assumed."""
SLA_BREACHED = "sla_breached"
"""``"sla_breached"``: True for each case with a service-level target breached (the SLA app's
clocks), for the quality sample's targeted picks."""
CSAT = "csat"
"""``"csat"``: the customer's CSAT score for a case (the feedback app's survey answers), read by
the knowledge base to show the satisfaction of the cases an article answered."""


def case_fact(name: str, first_id: int, last_id: int) -> Mapping[int, Any]:
    hook = case_facts.get(name)
    return hook(first_id, last_id) if hook else {}


class CaseCalendars(Protocol):
    """The business calendars cases are measured in, for one batch job (it may remember what it
    loaded): ``default`` for cases with no calendar of their own."""

    default: BusinessCalendar | None

    def for_cases(self, case_ids: Sequence[int]) -> Mapping[int, BusinessCalendar]: ...


case_calendars: list[Callable[[], CaseCalendars]] = []
"""Where the business calendar of a case comes from (the SLA app: its policy's calendar); the first
registered answers. Reports count business time in it."""


@dataclass(frozen=True)
class Finding:
    """One fact the desk's records give about how a case was handled; ``met`` is None when it is
    neither (not decided yet)."""

    text: str
    met: bool | None


CaseFindingsHook = Callable[[Sequence["Case"]], Mapping[int, Sequence[Finding]]]

case_findings: Registry[CaseFindingsHook] = Registry("case finding")
"""What an app's records say about how cases were handled, by case id, for a batch of cases (a
fixed number of queries): ``"complaint_handling"`` (every HEAT stage recorded), ``"data_request_
timeliness"`` (answered by the statutory date), ``"adjustments_followed"`` (replies followed the
reasonable adjustments in force). Read by learning evidence, and by quality reviews and the gap
evidence of improvement initiatives."""
COMPLAINT_HANDLING = "complaint_handling"
DATA_REQUEST_TIMELINESS = "data_request_timeliness"
ADJUSTMENTS_FOLLOWED = "adjustments_followed"


def findings_for(name: str, cases: Sequence[Case]) -> Mapping[int, Sequence[Finding]]:
    hook = case_findings.get(name)
    return hook(cases) if hook and cases else {}


@dataclass(frozen=True)
class GapScope:
    """The slice a service gap analysis looks at: the period [``start``, ``end``) and the cases in
    it (``cases(prefix)`` as in ``KpiScope``). ``dimension`` and ``value`` say what the slice is
    ("service" and "", or "team" and a team id, "channel" and a channel code, "case_type",
    "segment"), for evidence that is not about cases (knowledge-base searches may keep only the
    channel, or ignore the slice and say so in ``GapEvidence.why``)."""

    start: datetime
    end: datetime
    cases: Callable[[str], Q]
    dimension: str = "service"
    value: str = ""


@dataclass(frozen=True)
class GapEvidence:
    """One service gap an app's records show, for the improvement gap analysis to rank.

    ``key`` is stable for the same gap from one period to the next ("search:refund timescales");
    ``size`` is the shortfall against what good looks like, as a fraction from 0 to 1 (0.3: three
    searches in ten found nothing; a RATER gap of 1.2 points on a 7-point scale is 1.2 / 6);
    ``reach`` is how many contacts, cases or people it touched in the period; ``why`` says both in
    one plain sentence with the figures. ``touchpoint`` names the journey touchpoint it sits at
    ("self_service", "first_reply", ... see ``rapport.improvement.catalogue``), ``case_ids`` are
    some cases behind it (at most 50), ``link`` is the page with the detail, ``cost`` the money it
    cost in the period when known. The gap analysis ranks by ``size x reach`` then ``key``, so
    the same records always give the same order."""

    key: str
    title: str
    size: float
    reach: int
    why: str
    touchpoint: str = ""
    case_ids: tuple[int, ...] = ()
    link: str = ""
    cost: Decimal | None = None


GapEvidenceHook = Callable[[GapScope], Sequence[GapEvidence]]

gap_evidence: Registry[GapEvidenceHook] = Registry("gap evidence")
"""Service gaps other capabilities see in their own records, by provider name
(``"kb_searches"``: knowledge-base searches that found nothing and articles marked unhelpful;
``"qa_findings"``: behaviours quality reviews found missing). Each provider answers for a scope in
a fixed number of queries; the improvement gap analysis ranks what every provider returns beside
its own evidence (SLA, RATER, complaints, repeat contacts)."""
KB_SEARCHES = "kb_searches"
QA_FINDINGS = "qa_findings"
QA_SCORE = "qa_score"
"""KPI: the mean QA score (0-100) of the reviews submitted in the period on the cases in the scope
(``KpiScope`` with the ``agent`` dimension: an agent's own reviews); the coaching app reads an
agent's figure against their target through it."""

PortfolioLinkHook = Callable[["User", "Case"], str | None]

portfolio_links: list[PortfolioLinkHook] = []
"""Where a reviewed case can be added to an agent's learning portfolio as evidence (the learning
app: its evidence form for that learner, with the case filled in), given (learner, case); the
first answer wins."""


def portfolio_link(learner: User, case: Case) -> str | None:
    for hook in portfolio_links:
        if found := hook(learner, case):
            return found
    return None


def gaps_from_providers(scope: GapScope) -> list[tuple[str, GapEvidence]]:
    """Every registered provider's evidence for ``scope``, as (provider name, evidence)."""
    found: list[tuple[str, GapEvidence]] = []
    for name in gap_evidence:
        hook = gap_evidence.get(name)
        if hook is not None:
            found.extend((name, item) for item in hook(scope))
    return found


label_vocabularies: Registry[Mapping[str, str]] = Registry("label vocabulary")
"""What an app's stored codes mean to a person, by vocabulary name (``"award_status"``,
``"lawful_basis"``): code to label. The desk's labels (``rapport.web.labels``) read them beside the
core's own, so pages, letters and exports show an app's labels without the core importing it."""


message_badges: list[MessageBadgeHook] = []
"""Markers on the messages of a case's timeline (e.g. an emailed reply's delivery state): given the
case and its messages, the badges by message id (one query per hook, none when nothing applies)."""

portal_panels: list[PortalPanelHook] = []
"""Blocks on the customer portal's pages, given the request and the page's name (``"home"``: the
customer's cases; ``"case_new"``: raising a case, e.g. suggested help articles while they type)."""

header_alerts: list[HeaderAlertHook] = []

SignatureHook = Callable[["User"], str]

reply_signatures: list[SignatureHook] = []
"""The signature a member of staff signs replies with (Markdown): the first hook with a non-empty
answer wins (the macros app: their own, else their team's). ``message_add`` adds it to every reply
it stores, so the customer reads the same words in the portal and in the email."""

"""Warnings in the desk's header for a member of staff, asked on every desk page: a hook must cost
no query most of the time (a short-lived copy, ADR 0007)."""


header_links: list[HeaderLinkHook] = []
"""Links with a count in the desk's header for a member of staff (the notifications app: unread
notifications), asked on every desk page: a hook must cost at most one indexed query, and none
most of the time (a cached copy)."""


def header_links_for(user: User) -> list[HeaderLink]:
    return [link for hook in header_links if (link := hook(user)) is not None]


merge_guards: list[MergeGuardHook] = []
"""Reasons ``sources`` may not be merged into ``target`` by ``actor`` (actor, target, sources), each
naming the rule: merging two complaints, or a data request into a case that is not one, needs a
manager. Any reason refuses the whole merge; asked before anything is written."""

case_merge_handlers: list[CaseMergeHook] = []
"""Told inside the merge's transaction (target, sources, actor, when), after the messages moved and
before the sources become pointers: each app moves or reconciles what it holds about the cases
(SLA clocks: the earliest start wins, recorded breaches stay; a complaint or data request record
moves to the target, keeping the earliest statutory deadline)."""

case_split_handlers: list[CaseSplitHook] = []
"""Told inside a split's transaction (the case split from, the new case, the first message moved,
when): the SLA app starts the new case's clocks from that message's time."""


def merge_refusals(actor: User, target: Case, sources: Sequence[Case]) -> list[str]:
    """Every reason a registered guard gives for not merging ``sources`` into ``target`` now."""
    return [reason for hook in merge_guards for reason in hook(actor, target, sources)]


HeaderControlHook = Callable[["User"], Panel | None]

header_controls: list[HeaderControlHook] = []
"""Controls in the desk's header for a member of staff (the agent's status): a template and its
context, asked on every desk page, so a hook must cost no query most of the time (a short-lived
copy, ADR 0007)."""


def header_controls_for(user: User) -> list[Panel]:
    return [panel for hook in header_controls if (panel := hook(user)) is not None]


def customers_changed(customer_ids: Sequence[int], change: str, now: datetime) -> None:
    """Tell every registered hook that ``change`` happened to ``customer_ids``."""
    if customer_ids:
        for hook in customer_changes:
            hook(customer_ids, change, now)


def breaching_soon_window() -> timedelta:
    """The window of the "breaching soon" queue: active cases whose next target passes within it."""
    for hook in breaching_soon_windows:
        if (found := hook()) is not None:
            return found
    return BREACHING_SOON_DEFAULT


def close_refusals(case: Case, actor: User, target: str) -> list[str]:
    """Every reason a registered guard gives for not moving ``case`` to ``target`` now."""
    return [reason for hook in close_guards for reason in hook(case, actor, target)]


def preferences_for(customer: Customer) -> OutboundPreferences:
    """The merged outbound preferences every hook gives ``customer`` (any hook may tighten them)."""
    merged = OutboundPreferences()
    for hook in outbound_preferences:
        found = hook(customer)
        if found is not None:
            merged = merge_preferences(merged, found)
    return merged


def merge_preferences(one: OutboundPreferences, other: OutboundPreferences) -> OutboundPreferences:
    """Both sets of preferences at once: any tightening wins, the first named contact and channel."""
    return OutboundPreferences(
        plain_text_only=one.plain_text_only or other.plain_text_only,
        large_print=one.large_print or other.large_print,
        contact_name=one.contact_name or other.contact_name,
        notes=one.notes + other.notes,
        easy_read=one.easy_read or other.easy_read,
        bsl_relay=one.bsl_relay or other.bsl_relay,
        preferred_channel=one.preferred_channel or other.preferred_channel,
    )


def contact_permitted(customer: Customer, purpose: str, channel: str) -> bool:
    """Whether every registered hook allows contacting ``customer`` for ``purpose`` on ``channel``."""
    return all(hook(customer, purpose, channel) is not False for hook in contact_permissions)


def record_refusals(customer: Customer) -> list[str]:
    """Every reason a registered guard gives for not changing ``customer``'s record now."""
    return [reason for hook in record_guards for reason in hook(customer)]


def hold_reasons(customer: Customer) -> list[str]:
    """Every reason a registered hook gives to keep ``customer``'s data for now."""
    return [reason for hook in legal_holds for reason in hook(customer)]


def extra_target_time(case: Case) -> timedelta:
    """The extra business time every registered adjuster grants ``case``'s targets."""
    return sum((extra for hook in sla_target_adjusters if (extra := hook(case))), timedelta())


def panels_for(
    hooks: Sequence[Callable[[Any, Any], Panel | None]], request: HttpRequest, obj: Any
) -> dict[str, list[Panel]]:
    """The panels ``hooks`` add for ``obj``, grouped by place and sorted."""
    placed: dict[str, list[Panel]] = {"top": [], "reply": [], "work": [], "side": []}
    for hook in hooks:
        panel = hook(request, obj)
        if panel is not None:
            placed[panel.place].append(panel)
    for panels in placed.values():
        panels.sort(key=lambda p: p.order)
    return placed


def badges_for(actor: User, cases: Sequence[Case]) -> dict[int, list[Badge]]:
    """Every badge the registered hooks give the cases on one queue page, by case id."""
    found: dict[int, list[Badge]] = {}
    if not cases:
        return found
    for hook in queue_badges:
        for case_id, badges in hook(actor, cases).items():
            found.setdefault(case_id, []).extend(badges)
    return found


def message_badges_for(case: Case, messages: Sequence[Message]) -> dict[int, list[Badge]]:
    """Every badge the registered hooks give the messages on a case's timeline, by message id."""
    found: dict[int, list[Badge]] = {}
    if not messages:
        return found
    for hook in message_badges:
        for message_id, badges in hook(case, messages).items():
            found.setdefault(message_id, []).extend(badges)
    return found


def signature_for(user: User) -> str:
    """The signature ``user`` signs replies with; empty when no hook gives one."""
    for hook in reply_signatures:
        if found := hook(user):
            return found
    return ""


def header_alerts_for(user: User) -> list[Alert]:
    return [alert for hook in header_alerts if (alert := hook(user)) is not None]


def deadlines_for(cases: Sequence[Case]) -> dict[int, list[Deadline]]:
    """Every deadline the registered hooks hold for ``cases``, by case id, soonest first."""
    found: dict[int, list[Deadline]] = {}
    if not cases:
        return found
    for hook in deadlines:
        for case_id, items in hook(cases).items():
            found.setdefault(case_id, []).extend(items)
    for items in found.values():
        items.sort(key=lambda d: d.due)
    return found


# --- working many cases at once -------------------------------------------------------------------

BulkRowAction = Callable[["User", "Case", int, Mapping[str, Any], datetime], None]
"""Does the action to one case: (actor, the case as loaded for the list, the version the actor
read, the action's parameters, now). It checks the version again under its own lock and raises a
``RapportError`` to refuse that case (``Conflict`` for a version that moved on, ``FieldError`` or
``Forbidden`` for a rule); it returns nothing when the case was changed."""

BulkGroupAction = Callable[
    ["User", Sequence[tuple["Case", int]], Mapping[str, Any], datetime], Mapping[str, "Exception | None"]
]
"""Does the action to all the chosen cases at once (merging them into one): given (case, version
read) pairs, the outcome by reference, ``None`` for a case changed or the ``RapportError`` that
refused it."""


@dataclass(frozen=True)
class BulkAction:
    """An action the queue offers on the cases a person has ticked.

    ``param`` names its one parameter (``"owner"``, ``"status"``, ``"macro"``; ``""`` for none);
    ``choices`` lists the values a person may pick on the page, by (value, label), or is None for
    free text; ``allowed`` says who may use it; ``prepare`` checks the parameters once for the
    whole request (a ``FieldError`` refuses the request, not each case) and returns them as the
    action uses them (an owner's id as the person). Exactly one of ``each`` (case by case, each in
    its own transaction, one refusal never stopping the others) and ``together`` (the whole group)."""

    label: str
    allowed: Callable[[User], bool]
    param: str = ""
    choices: Callable[[User], Sequence[tuple[str, str]]] | None = None
    prepare: Callable[[User, Mapping[str, Any]], Mapping[str, Any]] | None = None
    each: BulkRowAction | None = None
    together: BulkGroupAction | None = None
    order: int = 50


ReplyPlaceholdersHook = Callable[["Case", "User", datetime], Mapping[str, str]]

reply_placeholders: list[ReplyPlaceholdersHook] = []
"""What the reply placeholders (``{{ customer.name }}``, ``{{ sla.promise }}`` …) become on a case for
a person at an instant: the macros app's filler, with the customer's reasonable adjustments (a
named contact addressed with them) and the SLA promise in words. Anything else that puts text in a
reply (a knowledge article inserted by an agent) asks here, so a placeholder means the same
everywhere."""


def reply_placeholder_values(case: Case, actor: User, now: datetime) -> dict[str, str]:
    """Every registered filler's values, later ones winning."""
    values: dict[str, str] = {}
    for hook in reply_placeholders:
        values.update(hook(case, actor, now))
    return values


@dataclass(frozen=True)
class CasePromise:
    """What a customer was told to expect on a case: ``text`` is one whole sentence in the active
    language ("We will reply by 1pm on Friday 11 December."), ``due`` the promised instant, and
    ``late`` True once it passed with no reply."""

    due: datetime
    text: str
    late: bool = False


CasePromisesHook = Callable[[Sequence["Case"], datetime], Mapping[int, CasePromise]]

case_promises: list[CasePromisesHook] = []
"""The open promise of each case on a page (the SLA app: made from the first-response target in
business time), for the acknowledgement of a new case and the portal; one query per hook."""


def promises_for(cases: Sequence[Case], now: datetime) -> dict[int, CasePromise]:
    """The open promise of each of ``cases`` that has one, by case id."""
    found: dict[int, CasePromise] = {}
    if cases:
        for hook in case_promises:
            found.update(hook(cases, now))
    return found


@dataclass(frozen=True)
class ToneFinding:
    """A word or phrase in a text that the organisation's tone of voice prefers or avoids:
    ``start``/``end`` locate it, ``advice`` is "avoid" or "prefer", ``instead`` what to say
    instead (when avoided), ``reason`` why, in the guide's own words."""

    phrase: str
    start: int
    end: int
    advice: Literal["avoid", "prefer"]
    reason: str
    instead: str = ""


ToneCheckHook = Callable[[str], Sequence[ToneFinding]]

tone_checks: list[ToneCheckHook] = []
"""Checkers of a text against the brand's tone of voice (the improvement app's guide), for the
macro and knowledge article edit pages and replies; the first registered answers. A hook must cost
at most one query (the guide is small)."""


def tone_findings(text: str) -> list[ToneFinding]:
    """What the registered tone-of-voice guide finds in ``text``; empty when no guide is installed."""
    for hook in tone_checks:
        return list(hook(text))
    return []


bulk_actions: Registry[BulkAction] = Registry("bulk action")
"""Actions on many cases at once (``rapport.cases.bulk``): the core's own (assign, status,
priority, tags, team) and those capabilities add ("apply a macro", "merge into…"). The queue's
action bar and ``POST /api/v1/cases/bulk`` offer exactly what is registered here."""


# --- people: coaching, appraisals and the staff's voice ---------------------------------------------


@dataclass(frozen=True)
class WorkLink:
    """A piece of work a coaching session is about, as the person looking may see it."""

    label: str
    url: str


WorkLinkHook = Callable[["User", Sequence[int]], Mapping[int, WorkLink]]

work_links: Registry[WorkLinkHook] = Registry("work link")
"""What a generic link (kind, id) names, by kind: given the person looking and the ids, the link
of each id they may see (one query per kind and page; an id missing from the answer is unknown or
not theirs to see). ``"case"`` (the coaching app answers it from the core), ``"learning_unit"``
(the learning app), ``"qa_review"`` (the quality app). Coaching sessions link to work this way, so
no capability imports another."""
CASE_LINK = "case"
LEARNING_UNIT_LINK = "learning_unit"
QA_REVIEW_LINK = "qa_review"


def work_links_for(actor: User, kind: str, ids: Sequence[int]) -> Mapping[int, WorkLink]:
    hook = work_links.get(kind)
    return hook(actor, ids) if hook and ids else {}


@dataclass(frozen=True)
class StaffEvidence:
    """What an app's records say about one member of staff over a period, for their appraisal:
    a title, a one-line summary with the figures, and a few items (at most ten) to read."""

    title: str
    summary: str
    items: tuple[str, ...] = ()


StaffEvidenceHook = Callable[["User", datetime, datetime], StaffEvidence | None]

staff_evidence: Registry[StaffEvidenceHook] = Registry("staff evidence")
"""Evidence about an agent's work over [start, end) that an appraisal is built from, by provider
name: ``"learning_portfolio"`` (the learning app: evidence added and signed off),
``"compliments"`` (the feedback app: top-score survey answers with a comment on the agent's cases),
``"qa_trend"`` (the quality app: the agent's review scores by month). A fixed number of queries
each; None when the app holds nothing for the period."""
LEARNING_PORTFOLIO = "learning_portfolio"
COMPLIMENTS = "compliments"
QA_TREND = "qa_trend"


@dataclass(frozen=True)
class StaffVoice:
    """A team's answer to the staff pulse for a period: ``enps`` (-100 to 100) only when it may be
    shown (``rapport.domain.disclosure``), else None with ``note`` saying why."""

    enps: float | None
    respondents: int | None
    note: str = ""


StaffVoiceHook = Callable[[date, date], Mapping[int, StaffVoice]]

staff_voice: list[StaffVoiceHook] = []
"""The staff's own measures for the service-profit chain, by team id, from the latest pulse round
that closed in [start, end) (the coaching app's anonymous pulse). When a hook is registered the chain
reads these instead of hand-entered staff survey figures."""


def staff_voice_for(start: date, end: date) -> dict[int, StaffVoice] | None:
    """Every registered hook's answer by team; None when no app measures the staff's voice."""
    if not staff_voice:
        return None
    found: dict[int, StaffVoice] = {}
    for hook in staff_voice:
        found.update(hook(start, end))
    return found


# --- proactive service ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AudienceSource:
    """A way to name a group of customers from criteria given as plain data (a segment): ``check``
    refuses criteria that name nothing, anything unknown or anything outside the actor's reach,
    raising a ``FieldError`` by field, and returns the group's label as people read it;
    ``customers`` builds the (checked) group as a queryset, so that a caller counts, excludes and
    sends inside its own queries whatever the number of customers."""

    check: Callable[[User, Mapping[str, Any]], str]
    customers: Callable[[User, Mapping[str, Any]], QuerySet[Customer]]
    fields: tuple[str, ...] = ()


audiences: Registry[AudienceSource] = Registry("audience source")
"""Groups of customers other apps build sends on, by source name (``"feedback"``: customers picked
by id, or a segment by internal/external group, loyalty tier, team and cases resolved in a period;
the questionnaire sends use it, and proactive outreach narrows it further). ``fields`` lists the
criteria a source reads, for forms and the API."""
FEEDBACK_AUDIENCE = "feedback"

RestrictedHook = Callable[["QuerySet[Customer]"], "QuerySet[Any]"]

processing_restrictions: list[RestrictedHook] = []
"""Customers whose processing is restricted now (UK GDPR Art 18(2): the data is stored, not
otherwise used), for sends of any purpose, service messages included: given customers (a
queryset), a queryset of the ids of those restricted. ``contact_refusals`` answers only for
purposes that need consent."""


def restricted_ids(customers: QuerySet[Customer]) -> list[QuerySet[Any]]:
    return [hook(customers) for hook in processing_restrictions]


BulkPreferencesHook = Callable[[Sequence[int]], Mapping[int, "OutboundPreferences"]]

outbound_preferences_bulk: list[BulkPreferencesHook] = []
"""``outbound_preferences`` for a batch of customers at once (one query per hook): the
preferences by customer id, for those that have any. Sends to thousands read it per batch."""


def preferences_for_many(customer_ids: Sequence[int]) -> dict[int, OutboundPreferences]:
    """The merged outbound preferences of each customer in ``customer_ids`` that has any."""
    found: dict[int, OutboundPreferences] = {}
    if not customer_ids:
        return found
    for hook in outbound_preferences_bulk:
        for customer_id, more in hook(customer_ids).items():
            found[customer_id] = merge_preferences(found.get(customer_id, OutboundPreferences()), more)
    return found


@dataclass(frozen=True)
class ContingencyRequest:
    """What a service plan's contingency asks for when its trigger fires: ``title`` and the message
    (``subject``, ``body``) to send, the ``segment`` (criteria of an ``audiences`` source and the
    responder's own), and ``reason`` (the trigger, for the record)."""

    title: str
    subject: str
    body: str
    segment: Mapping[str, Any]
    reason: str = ""


@dataclass(frozen=True)
class ContingencyStarted:
    """What a responder started: a description and the page to review it on."""

    text: str
    link: str = ""


ContingencyResponse = Callable[["User", ContingencyRequest, datetime], ContingencyStarted]

contingency_responses: Registry[ContingencyResponse] = Registry("contingency response")
"""Planned responses a service plan's contingency can start when its trigger fires, by name
(``"notify_customers"``: the outreach app drafts a proactive message to the segment; a person
previews it, with who is skipped and why, before it is sent)."""
NOTIFY_CUSTOMERS = "notify_customers"
PROACTIVE_CONTACTS = "proactive_contacts"
"""KPI: proactive messages sent in the period (outbound, not demand: never counted as contacts
received, ADR 0021)."""

# --- service plans ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanningFigures:
    """What the workforce figures say for a service plan's scope at one instant: contacts forecast
    for the next 7 days, the most staff required in any interval of them and the agent-hours they
    need (after shrinkage), and today's intervals already over (forecast and actual contacts, staff
    required and on duty). None or empty: not measured."""

    forecast_week_contacts: float | None = None
    required_peak: int | None = None
    required_agent_hours: float | None = None
    interval_minutes: int = 60
    today: tuple[IntervalFigure, ...] = ()


PlanningFiguresHook = Callable[[int | None, datetime], PlanningFigures]

planning_figures: list[PlanningFiguresHook] = []
"""Where a service plan reads demand and staffing (the workforce app: its forecast, staffing and
actuals), given a team id (None: the whole service) and now; the first registered answers. Service
plans watch these for their contingency triggers and show them as resource requirements."""


def planning_figures_for(team_id: int | None, now: datetime) -> PlanningFigures | None:
    return planning_figures[0](team_id, now) if planning_figures else None


# --- routing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoutingOutcome:
    """What routing did with a case: the agent it was assigned to (None: nobody suitable was
    available, and the case stays with its team) and why, in words an agent can read on the case
    ("round-robin in Billing", "named contact", "no Welsh speaker available")."""

    user_id: int | None
    reason: str


RouteHook = Callable[["Case", str, datetime], RoutingOutcome]

routers: list[RouteHook] = []
"""Where cases are routed (the routing app): given a case, a method name ("" for the case's team's
own method; else "round_robin", "least_loaded" or "skills") and now, choose an available agent,
assign the case to them through the core's case services and say who and why. Automation rules'
"assign" action and live chat call it; the first registered answers."""


def route(case: Case, method: str, now: datetime) -> RoutingOutcome | None:
    """Route ``case`` by ``method``; None when no routing is installed."""
    return routers[0](case, method, now) if routers else None
