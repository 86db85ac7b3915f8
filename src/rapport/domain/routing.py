"""Routing as rules: who may take a case now, whom each method chooses, and how fair and how fast
the choices were (domain.md §9: "routing assigns fairly (round-robin, load, skills, availability, a
named contact)").

Everything here works on plain snapshots (``Agent``, ``Need``) that the routing app loads in a
fixed number of queries; nothing reads the clock or the database.

- **Presence.** Work goes only to someone present: their status is "available" (the workforce
  status; "busy", a break, training, away and off shift are not) and, when they have a rota
  around now, it has them on a work shift (not a break, training or leave). An agent with no rota
  at all is judged on their status alone.
- **Capacity.** An agent at or over their capacity (open cases they hold) takes no more.
- **Named contact.** A customer's named contact (a reasonable adjustment, Equality Act 2010 s.20
  and s.29: the duty to make reasonable adjustments for a service provider) is chosen first
  whatever the method, when they are present and below capacity; otherwise the reason says why
  not and the team's method chooses.
- **Skills.** What the case needs (Welsh for a Welsh-speaking customer, Welsh Language (Wales)
  Measure 2011 and the standards made under it; a BSL relay for a customer whose adjustment asks
  for one; complaints-trained for a complaint; data-protection trained for a data request (UK
  GDPR Art 39(1)(b), staff "involved in processing operations" trained); a product named by the
  case) must all be held: the skills method never sends a case to someone without them.
- **Load.** Open cases weighted by priority (``PRIORITY_WEIGHTS``): an urgent case counts as much
  as four low ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Method(StrEnum):
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    SKILLS = "skills"


METHOD_LABELS: Mapping[str, str] = {
    Method.ROUND_ROBIN: "Round-robin",
    Method.LEAST_LOADED: "Least-loaded",
    Method.SKILLS: "Skills-based",
}

NAMED_CONTACT = "named_contact"
NOBODY = "none"

AVAILABLE = "available"  # the workforce status that takes work

WELSH = "welsh"
BSL_RELAY = "bsl_relay"
COMPLAINTS = "complaints"
DATA_PROTECTION = "data_protection"
PRODUCT = "product"

SKILL_WORDS: Mapping[str, str] = {
    WELSH: "Welsh speaker",
    BSL_RELAY: "BSL relay user",
    COMPLAINTS: "complaints-trained agent",
    DATA_PROTECTION: "data-protection trained agent",
}

PRIORITY_WEIGHTS: Mapping[int, int] = {1: 1, 2: 2, 3: 3, 4: 4}
"""Weight of an open case by priority (low 1, normal 2, high 3, urgent 4), as the desk stores it."""

DEFAULT_CAPACITY = 20


def product_skill(name: str) -> str:
    """The skill that names a product: ``product:<name>`` (lower case, spaces as hyphens)."""
    return f"{PRODUCT}:{'-'.join(name.lower().split())}"


@dataclass(frozen=True)
class Agent:
    """What routing knows of one agent now: status (the workforce value), whether their rota has
    them working (None: no rota around now), skills (``welsh``, ``product:broadband`` …), the open
    cases they hold, their weighted load and their capacity (open cases)."""

    id: int
    name: str = ""
    status: str = AVAILABLE
    on_rota: bool | None = None
    skills: frozenset[str] = frozenset()
    open_cases: int = 0
    load: int = 0
    capacity: int = DEFAULT_CAPACITY


@dataclass(frozen=True)
class Need:
    """What a case asks of whoever takes it: skills, and the named contact's user id (None: none)."""

    skills: frozenset[str] = frozenset()
    named_contact: int | None = None


@dataclass(frozen=True)
class Choice:
    """Whom a method chose (None: nobody) and why, in words for the case's timeline; ``rule`` is the
    method that chose, ``named_contact`` or ``none``."""

    agent_id: int | None
    reason: str
    rule: str


def absence(agent: Agent) -> str:
    """Why ``agent`` may not take work now ("" when they may): not available, off their rota, or
    at capacity."""
    if agent.status != AVAILABLE:
        return agent.status.replace("_", " ")
    if agent.on_rota is False:
        return "not on a work shift"
    if agent.open_cases >= agent.capacity:
        return "at capacity"
    return ""


def needs_for(
    *, language: str, case_type: str, bsl_relay: bool, products: Iterable[str] = (), named_contact: int | None = None
) -> Need:
    """The skills a case needs: Welsh for a customer whose language is Welsh ("cy"), BSL relay for
    a customer with that adjustment, complaints or data-protection training for those case types,
    and each product the case names."""
    skills = {product_skill(p) for p in products if p.strip()}
    if language.lower().startswith("cy"):
        skills.add(WELSH)
    if bsl_relay:
        skills.add(BSL_RELAY)
    if case_type == "complaint":
        skills.add(COMPLAINTS)
    if case_type == "data_request":
        skills.add(DATA_PROTECTION)
    return Need(skills=frozenset(skills), named_contact=named_contact)


def _skill_words(skills: Iterable[str]) -> str:
    words = [SKILL_WORDS.get(s, s.split(":", 1)[-1] + " specialist") for s in sorted(skills)]
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def _after(order: Sequence[int], last: int | None) -> list[int]:
    """``order`` rotated to start just after ``last`` (from the start when ``last`` is not in it;
    ids are compared, so an agent who left the team does not reset the turn)."""
    if last is None:
        return list(order)
    later = [a for a in order if a > last]
    return later + [a for a in order if a <= last]


def choose(
    *, method: str, agents: Sequence[Agent], need: Need, last: int | None, team: str, contact: Agent | None = None
) -> Choice:
    """Whom ``method`` gives the case to, among ``agents`` (the team's members) and ``contact``
    (the customer's named contact, who may be outside the team).

    Round-robin: the next present agent after ``last`` (the team's last choice) in id order.
    Least-loaded: the present agent with the lowest load, then fewest open cases, then the next in
    turn. Skills: the least-loaded present agent holding every skill the case needs; nobody when
    none does. Round-robin and least-loaded do not look at skills."""
    words = METHOD_LABELS.get(method, method).lower()
    note = ""
    if need.named_contact is not None:
        if contact is None:
            note = "named contact is not on the desk; "
        elif why := absence(contact):
            note = f"named contact {contact.name} is {why}; "
        else:
            return Choice(contact.id, f"named contact {contact.name}".strip(), NAMED_CONTACT)
    present = [a for a in agents if not absence(a)]
    if method == Method.SKILLS and need.skills:
        present = [a for a in present if need.skills <= a.skills]
        if not present:
            return Choice(None, f"{note}no {_skill_words(need.skills)} available in {team}", NOBODY)
    if not present:
        return Choice(None, f"{note}nobody available in {team}", NOBODY)
    turn = {agent_id: i for i, agent_id in enumerate(_after(sorted(a.id for a in present), last))}
    if method == Method.ROUND_ROBIN:
        chosen = min(present, key=lambda a: turn[a.id])
    else:
        chosen = min(present, key=lambda a: (a.load, a.open_cases, turn[a.id]))
    if method == Method.SKILLS and need.skills:
        words = f"skills ({_skill_words(need.skills)})"
    return Choice(chosen.id, f"{note}{words} in {team}", method)


# --- fairness and speed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fairness:
    """How evenly assignments were shared: the Gini coefficient (0 equal, towards 1 one agent took
    everything), the largest and smallest share, and their ratio (None when someone got none)."""

    total: int
    agents: int
    gini: float | None
    max_share: float | None
    min_share: float | None
    max_min_ratio: float | None
    shares: Mapping[int, float] = field(default_factory=dict)


def gini(counts: Sequence[int]) -> float | None:
    """The Gini coefficient of ``counts`` (Gini 1912; the mean absolute difference over twice the
    mean): G = sum_i sum_j |x_i - x_j| / (2 n^2 mean), computed in O(n log n) from the sorted
    values as G = (2 sum_i i x_(i)) / (n sum x) - (n + 1) / n, i from 1. None for no agents or no
    assignments."""
    n = len(counts)
    total = sum(counts)
    if n == 0 or total == 0:
        return None
    ordered = sorted(counts)
    weighted = sum(i * x for i, x in enumerate(ordered, start=1))
    return max(0.0, (2 * weighted) / (n * total) - (n + 1) / n)


def fairness(counts: Mapping[int, int]) -> Fairness:
    """Fairness of a distribution of assignments by agent (agents who got none included as 0)."""
    total = sum(counts.values())
    if not counts or total == 0:
        return Fairness(total, len(counts), None, None, None, None, {})
    shares = {agent: count / total for agent, count in counts.items()}
    high, low = max(shares.values()), min(shares.values())
    return Fairness(
        total=total,
        agents=len(counts),
        gini=gini(list(counts.values())),
        max_share=high,
        min_share=low,
        max_min_ratio=(high / low) if low > 0 else None,
        shares=shares,
    )


def percentile(values: Sequence[float], p: float) -> float | None:
    """The ``p``-th percentile (0-100) by linear interpolation between closest ranks (Hyndman and
    Fan 1996, definition 7; the default of R and NumPy): h = (n - 1) p / 100, then
    x_(floor h) + (h - floor h)(x_(floor h + 1) - x_(floor h)). None for no values."""
    if not values:
        return None
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    ordered = sorted(values)
    h = (len(ordered) - 1) * p / 100
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


@dataclass(frozen=True)
class Speed:
    """Time from arrival to first assignment, in business seconds: how many, median and 90th
    percentile (None when there were none)."""

    n: int
    median: float | None
    p90: float | None


def speed(waits: Sequence[float]) -> Speed:
    return Speed(len(waits), percentile(waits, 50), percentile(waits, 90))
