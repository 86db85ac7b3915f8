"""Marking a free-text practice answer against a unit's examiner marking points.

The marker is lexical and explainable, so a learner and their team leader can see why each mark
was given (domain.md §8; seeds 000-004, "Examiner Marking Points"):

1. Text is split into sentences and words; words are folded to a light stem (plural, tense and
   "-ation"/"-ment" endings dropped) and then to a concept group, so "legislation", "law" and
   "Consumer Rights Act" all count as the law, and "empathise" as "empathy". Acronyms the unit's
   key concepts define ("Service Level Agreements (SLAs)", "HEAT model (Hear, …)") count as the
   words they stand for.
2. A marking point's key terms are its words less the examiner's boilerplate ("award credit for
   demonstrating a clear understanding of …"); examples after "e.g." or "such as" count as terms
   too, because naming one is how a learner shows the point.
3. A point is credited when one sentence, or two adjacent sentences, cover enough of its key terms:
   at least ``MIN_TERMS`` distinct ideas (three named laws are one idea, the law) and
   ``MIN_COVERAGE`` of the point's terms, each weighed by how few of the unit's points ask for it
   ("procedure" says little, "contingency" a lot). The best such passage is quoted as the reason.
4. A common misconception is flagged when a sentence restates it without denying it: "assuming
   all complaints can be resolved …" is repeated by "all complaints can be resolved …", not by
   "not all complaints can be resolved …". Each flag carries the correction.

No randomness, no model weights, no I/O: the same answer and unit always give the same marks, in
well under a millisecond per point.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

MIN_TERMS = 3
MIN_COVERAGE = 0.4
CLAIM_MIN_TERMS = 2
CLAIM_MIN_COVERAGE = 0.5
OMISSION_MIN_TERMS = 2
OMISSION_MIN_COVERAGE = 0.15


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_WORD = re.compile("[a-z0-9]+(?:['\u2019-][a-z0-9]+)*")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")

STOPWORDS = frozenset(
    _words(
        """a an the and or of to in on for with by at as is are was were be been being it its this that these
    those their them they we our you your i me my he she his her from into onto than then so such e g eg
    etc can could should would will may might must do does did done have has had not no nor but if when
    where which who whom whose what how why all any each every both either more most other some same
    very also only just about over under up out between through during before after again further
    there here because while within without via per like well one two three make made using use used
    whether ie rather"""
    )
)

# The examiner's framing, which says how to mark rather than what to look for (folded like any
# other text below, so every form of these words is left out).
_BOILERPLATE_WORDS = """award awarding credit credited give given demonstrate demonstrating clear clearly understand
    understanding look looking evidence expect expected assess assessing learner learners ability able show
    showing detail detailed accurate accurately require requires required identify identifying
    identification identified explain explaining explanation describe description provide providing
    relevant specific key aware awareness thorough analyse analysis ensure direct directly similar concept
    concepts principle principles include including includes consider consideration considering link
    linking method methods based line effective apply applying applied real simulated meet meeting
    reference referencing need needs set sets manage managed issue issues"""


# Words that mean the same thing for marking purposes, folded to one group name.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "law": _words(
        "legislation legislative law laws legal legally statute statutory regulation regulations regulatory "
        "act acts lawful compliance compliant comply"
    ),
    "dataprotection": _words("gdpr privacy"),
    "consumerrights": _words("consumer consumers refund refunds repair replacement faulty"),
    "equality": _words("equality disability disabled adjustment adjustments accessible accessibility inclusive"),
    "empathy": _words("empathy empathise empathize empathetic empathising sympathy patience patient care caring"),
    "listen": _words("listen listening listened hear hearing"),
    "complaint": _words("complaint complaints complain complained complaining grievance"),
    "feedback": _words("feedback survey surveys comments csat nps opinions"),
    "improve": _words(
        "improve improvement improvements improving improved enhance enhanced better pdca change changes"
    ),
    "measure": _words(
        "measurable measure measured measuring measurement kpi kpis metric metrics target targets track "
        "tracking quantify benchmark"
    ),
    "cost": _words("cost costs costing budget budgets money expense spend financial price afford affordable"),
    "benefit": _words("benefit benefits saving savings return value"),
    "staff": _words("staff colleague colleagues employee employees team teams people agents advisers advisors"),
    "plan": _words("plan plans planning planned proposal propose proposed schedule schedules rota rotas"),
    "resource": _words("resource resources resourcing staffing equipment headcount"),
    "timeline": _words(
        "timeline timelines timescale timescales deadline deadlines milestone milestones dates weeks months"
    ),
    "monitor": _words(
        "monitor monitoring monitored review reviewed reviewing evaluate evaluating evaluation evaluated "
        "check checking reflect reflection reflective"
    ),
    "stakeholder": _words("stakeholder stakeholders shareholders suppliers partners"),
    "loyalty": _words("loyalty loyal retention retain retaining repeat return lifetime"),
    "procedure": _words(
        "procedure procedures process processes policy policies rule rules protocol protocols guideline "
        "guidelines workflow workflows"
    ),
    "solution": _words(
        "solution solutions resolve resolved resolving resolution remedy remedies fix compensation goodwill outcome"
    ),
    "constraint": _words(
        "constraint constraints limit limits limitation limitations authority cap ceiling escalate escalation "
        "approval sign-off"
    ),
    "example": _words("example examples instance practical scenario scenarios workplace"),
    "satisfaction": _words("satisfaction satisfied satisfy happy happier delight delighted"),
    "communication": _words(
        "communication communicate communicating language tone wording questioning questions phrasing speak talk"
    ),
    "positive": _words("positive positively friendly polite courteous"),
    "role": _words("role roles job jobs responsibility responsibilities responsible owner ownership"),
    "frontline": _words("front-line frontline front desk contact centre call"),
    "backoffice": _words("back-office backoffice back finance warehouse billing dispatch"),
    "management": _words("management manager managers leader leaders supervisor supervisors leadership"),
    "organisation": _words(
        "organisation organisational organization organizational company business firm employer structure structures"
    ),
    "expectation": _words("expectation expectations expect expected expecting standard standards promise promised"),
    "brand": _words("brand brands branding values identity reputation image"),
    "contingency": _words("contingency contingencies backup fallback outage sickness absence"),
    "objective": _words("objective objectives goal goals aim aims purpose"),
    "diverse": _words(
        "diverse diversity different varied individual vulnerable adapt adapting adapted tailor tailored "
        "adjust adjusted"
    ),
    "delivery": _words("deliver delivery delivering delivered provision"),
    "organise": _words("organise organised organize organized arrange arranged arrangement arrangements"),
    "timely": _words("timely promptly prompt quickly fast speed time"),
    "professional": _words("professional professionally professionalism courtesy"),
    "consistency": _words("consistency consistent consistently reliable reliability reliably"),
}

# Terms that are one idea when counting how many ideas a passage covers: naming three laws is
# still only naming the law (seed 000: "providing only a list of laws without explaining ...").
_FAMILY = {"consumerrights": "law", "dataprotection": "law", "equality": "law"}

# Phrases folded before words are read, so "service level agreement" and "data protection" count
# as one idea each.
PHRASES: tuple[tuple[str, str], ...] = (
    ("consumer rights act", "consumerrights law"),
    ("data protection act", "dataprotection law"),
    ("data protection", "dataprotection"),
    ("gdpr", "dataprotection law"),
    ("equality act", "equality law"),
    ("service level agreements", "sla"),
    ("service level agreement", "sla"),
    ("service-profit chain", "serviceprofitchain"),
    ("service profit chain", "serviceprofitchain"),
    ("cost-benefit", "cost benefit"),
    ("front line", "frontline"),
    ("back office", "backoffice"),
    ("active listening", "listen"),
    ("key performance indicators", "measure"),
    ("customer satisfaction", "satisfaction"),
)

_GROUP_OF: dict[str, str] = {}

# A sentence that denies or contrasts what it mentions does not repeat a claimed misconception.
NEGATIONS = frozenset(
    _words(
        """not no never nor don't doesn't isn't aren't shouldn't mustn't cannot can't wrong mistake
    mistaken myth false untrue avoid instead differ different difference distinguish distinguishing
    separate"""
    )
)
# Words that make a claim absolute: "all complaints can be resolved" is the mistake, "this
# complaint was resolved" is not.
ABSOLUTES = frozenset(_words("all every any always never whatever everything nothing entirely solely only alone"))
# How a sentence waves away what a misconception says must not be overlooked.
_DISMISSAL = re.compile(
    r"\b(?:(?:does|do|did)(?: not|n't) matter|not (?:matter|needed|necessary|important|relevant)|"
    r"no (?:need|point)|(?:do|does)(?: not|n't) need|irrelevant|unimportant|unnecessary|ignore|"
    r"nothing else|solely|enough)\b"
)
# Words that equate two things a misconception says must be kept apart.
_EQUATING = frozenset(_words("same identical equal basically just interchangeable"))
_CONTRASTING = frozenset(_words("not differ different difference distinguish separate never unlike"))

# How a misconception opens, and how its correction is worded.
_MISTAKE_VERBS: tuple[tuple[str, str, str], ...] = (
    # (opening, kind, correction prefix)
    ("assuming that", "claim", "Do not assume that"),
    ("assuming", "claim", "Do not assume"),
    ("confusing", "confusion", "Do not confuse"),
    ("mistaking", "confusion", "Do not mistake"),
    ("overlooking", "omission", "Remember"),
    ("neglecting to", "omission", "Remember to"),
    ("neglecting", "omission", "Remember"),
    ("failing to", "omission", "Remember to"),
    ("not considering", "omission", "Consider"),
    ("providing only", "omission", "Do not stop at"),
    ("providing generic", "omission", "Do not give generic"),
    ("generalising", "omission", "Avoid generalising"),
)


# Where a misconception stops stating the mistake and starts describing its consequence.
_CONSEQUENCE = re.compile(r";|, (?:learners|[a-z]+ing)\b|,? e\.g\.")


@dataclass(frozen=True)
class Point:
    """A marking point, or a misconception, as the marker sees it."""

    number: int
    text: str


@dataclass(frozen=True)
class Credit:
    number: int
    quote: str
    matched: tuple[str, ...]
    coverage: float


@dataclass(frozen=True)
class Flag:
    number: int
    quote: str
    correction: str


@dataclass(frozen=True)
class Marking:
    credits: tuple[Credit, ...]
    flags: tuple[Flag, ...]

    @property
    def credited(self) -> frozenset[int]:
        return frozenset(credit.number for credit in self.credits)


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A light stem: enough to make "complaints", "complaint" and "complaining" one word."""
    word = word.replace("\u2019", "'").removesuffix("'s").strip("'-")
    if len(word) <= 3:
        return word
    for suffix, replacement in (
        ("isation", "ise"),
        ("ization", "ise"),
        ("ational", "ate"),
        ("ations", "ate"),
        ("ation", "ate"),
        ("ments", ""),
        ("ment", ""),
        ("ies", "y"),
        ("ing", ""),
        ("ised", "ise"),
        ("ized", "ise"),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
        ("ly", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)] + replacement
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def terms(text: str) -> list[str]:
    """The content words of ``text``, each folded to its concept group or stem, in order."""
    lowered = text.lower().replace("\u2019", "'")
    for phrase, replacement in PHRASES:
        lowered = lowered.replace(phrase, replacement)
    found = []
    for whole in _WORD.findall(lowered):
        # "organisation-specific" is two words; "front-line" is one idea.
        for word in [whole] if whole in _GROUP_OF else whole.split("-"):
            if word in STOPWORDS:
                continue
            group = _GROUP_OF.get(word) or _GROUP_OF.get(stem(word), stem(word))
            if group not in STOPWORDS:
                found.append(group)
    return found


# How marking points open: instructions to the examiner, not things to look for ("Expect …" is
# not about customer expectations).
_EXAMINER_OPENING = re.compile(
    r"^(?:award credit for|credit should be given for|credit for|expect(?: evidence of| the)?|"
    r"look for(?: evidence(?: that| of)?)?|assess(?: whether| the)?|require)\s+",
    re.IGNORECASE,
)


def key_terms(text: str) -> frozenset[str]:
    """What a marking point asks for: its terms less the examiner's boilerplate."""
    text = _EXAMINER_OPENING.sub("", text.strip())
    found = {t for t in terms(text) if t not in _BOILERPLATE and not t.isdigit() and len(t) > 2}
    return frozenset(found - _GENERIC)


for _group, _members in SYNONYMS.items():
    _GROUP_OF[_group] = _group
    for _word in _members:
        _GROUP_OF.setdefault(_word, _group)
        _GROUP_OF.setdefault(stem(_word), _group)

_GENERIC = frozenset({"customer", stem("service")})

# Words that belong to a concept group ("expected" is an expectation) are never boilerplate.
_BOILERPLATE = frozenset(stem(w) for w in _BOILERPLATE_WORDS.split() if w not in _GROUP_OF and stem(w) not in _GROUP_OF)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def acronyms_in(concepts: Iterable[str]) -> dict[str, frozenset[str]]:
    """Acronyms the unit's concepts define, with the terms they stand for:
    "Service Level Agreements (SLAs)" and "the HEAT model (Hear, Empathise, …)"."""
    found: dict[str, frozenset[str]] = {}
    for text in concepts:
        for match in re.finditer(r"((?:[A-Z][\w-]*\s+){1,6})\(([A-Z]{2,6})s?\)", text):
            found[match.group(2).lower()] = frozenset(terms(match.group(1)))
        for match in re.finditer(r"\b([A-Z]{3,6})\b[^(]{0,20}\(([^)]+)\)", text):
            found.setdefault(match.group(1).lower(), frozenset(terms(match.group(2))))
    return found


def mark(
    answer: str,
    marking_points: Sequence[Point],
    misconceptions: Sequence[Point] = (),
    *,
    concepts: Sequence[str] = (),
) -> Marking:
    """The marking points ``answer`` earns (with the passage that earned each) and the
    misconceptions it repeats (with their corrections)."""
    acronyms = acronyms_in(concepts)
    parts = sentences(answer)
    read = [_expand(set(terms(part)), acronyms) for part in parts]
    passages = [(parts[i], read[i]) for i in range(len(parts))]
    passages += [(f"{parts[i]} {parts[i + 1]}", read[i] | read[i + 1]) for i in range(len(parts) - 1)]
    wanted_by_point = {point.number: key_terms(point.text) for point in marking_points}
    weights = _weights(wanted_by_point.values())
    credits = []
    for point in marking_points:
        wanted = wanted_by_point[point.number]
        total = sum(weights[t] for t in wanted)
        best: Credit | None = None
        for quote, seen in passages:
            matched = wanted & seen
            if len({_FAMILY.get(t, t) for t in matched}) < MIN_TERMS:
                continue
            coverage = sum(weights[t] for t in matched) / total
            if coverage >= MIN_COVERAGE and (best is None or coverage > best.coverage):
                best = Credit(point.number, quote, _words_for(quote, matched), round(coverage, 3))
        if best is not None:
            credits.append(best)
    flags = [flag for m in misconceptions if (flag := _repeats(m, parts, read)) is not None]
    return Marking(tuple(credits), tuple(flags))


def correction_for(misconception: str) -> str:
    """The advice that answers a misconception, worded from its own opening verb."""
    text = _CONSEQUENCE.split(misconception.strip().rstrip("."))[0]
    lowered = text.lower()
    for opening, _kind, prefix in _MISTAKE_VERBS:
        if lowered.startswith(opening + " "):
            rest = text[len(opening) + 1 :]
            return f"{prefix} {rest}."
    return f"Avoid this common mistake: {text[0].lower()}{text[1:]}."


def _words_for(passage: str, matched: frozenset[str]) -> tuple[str, ...]:
    """The learner's own words in ``passage`` that carried the ``matched`` terms, in order, so the
    reason shown is "Consumer Rights Act, policy", never the marker's internal names."""
    lowered = passage.lower().replace("\u2019", "'")
    found: list[str] = []
    for phrase, replacement in PHRASES:
        if phrase in lowered and set(replacement.split()) & matched:
            found.append(phrase)
            lowered = lowered.replace(phrase, " ")
    for word in _WORD.findall(lowered):
        if word not in found and set(terms(word)) & matched:
            found.append(word)
    return tuple(found)


def _weights(wanted: Iterable[frozenset[str]]) -> dict[str, float]:
    """A term shared by many of the unit's marking points says little about which one an answer
    meets ("procedure"); a term only one point asks for says a lot ("contingency")."""
    counts: dict[str, int] = {}
    for point_terms in wanted:
        for term in point_terms:
            counts[term] = counts.get(term, 0) + 1
    return {term: 1 / count for term, count in counts.items()}


def _expand(seen: set[str], acronyms: dict[str, frozenset[str]]) -> frozenset[str]:
    for acronym, meaning in acronyms.items():
        if acronym in seen:
            seen |= meaning
    return frozenset(seen)


def _kind(misconception: str) -> tuple[str, str]:
    lowered = misconception.lower()
    for opening, kind, _prefix in _MISTAKE_VERBS:
        if lowered.startswith(opening + " "):
            return kind, misconception[len(opening) + 1 :]
    return "claim", misconception


def _claim_terms(text: str, *, generic: bool = False) -> frozenset[str]:
    """What a misconception is about; "customer" and "service" only when ``generic`` (confusing
    customer service with sales), since every misconception mentions them."""
    found = {t for t in terms(text) if t not in _BOILERPLATE and not t.isdigit() and len(t) > 2}
    return frozenset(found if generic else found - _GENERIC)


def _repeats(misconception: Point, parts: Sequence[str], read: Sequence[frozenset[str]]) -> Flag | None:
    """The first sentence that repeats ``misconception``, as a flag with its correction."""
    kind, claim = _kind(misconception.text)
    core = _CONSEQUENCE.split(claim)[0]
    claim_words = set(_WORD.findall(claim.lower()))
    sides = re.split(r" (?:with|for) ", core, maxsplit=1)
    left: frozenset[str] = frozenset()
    right: frozenset[str] = frozenset()
    if kind == "confusion":
        if len(sides) == 1:  # not worded "X with Y": nothing to compare
            return None
        left, right = _claim_terms(sides[0], generic=True), _claim_terms(sides[1], generic=True)
    # The consequence clause ("treating brand as just a logo") describes an omission too.
    wanted = _claim_terms(claim if kind == "omission" else core)
    for part, seen in zip(parts, read, strict=True):
        lowered = part.lower().replace("\u2019", "'")
        words = set(_WORD.findall(lowered))
        matched = wanted & seen
        if kind == "confusion":
            # "Confusing X with Y": the sentence names both and says they are the same.
            repeated = bool(seen & left) and bool(seen & right)
            repeated = repeated and bool(words & _EQUATING) and not words & _CONTRASTING
        elif kind == "omission":
            # "Overlooking X": the sentence names X and waves it away.
            repeated = (
                len(matched) >= OMISSION_MIN_TERMS
                and len(matched) / len(wanted) >= OMISSION_MIN_COVERAGE
                and (_DISMISSAL.search(lowered) is not None or bool(words & ABSOLUTES & claim_words))
            )
        else:
            # "Assuming X": the sentence says X, as absolutely as the misconception does, without denying it.
            repeated = (
                len(matched) >= CLAIM_MIN_TERMS
                and len(matched) / len(wanted) >= CLAIM_MIN_COVERAGE
                and (not claim_words & ABSOLUTES or bool(words & ABSOLUTES))
                and (bool(claim_words & NEGATIONS) or not words & (NEGATIONS - ABSOLUTES))
            )
        if repeated:
            return Flag(misconception.number, part, correction_for(misconception.text))
    return None
