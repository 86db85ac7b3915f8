"""Marking a free-text practice answer against a unit's examiner marking points.

A passage earns a point only when it *says what the point asks* (issue #20, "A marker that cannot
be gamed"; seeds 000-004, "Examiner Marking Points": "assess the learner's ability to link …"):

1. The answer is split into sentences; each word is reduced to its dictionary form with the
   simplemma lemmatiser (data shipped in the package, no download) and folded to a concept group
   from a small table worded after the units themselves ("statute", "GDPR" and "the Consumer Rights
   Act" are all *the law*; "taste" and "preference" one idea).
2. A marking point's ideas are the groups its own words fall in, less the examiner's boilerplate
   ("award credit for demonstrating a clear understanding of …"); an acronym the unit's concepts
   define ("the HEAT model") stands for its steps. Its *subject* is the specific ideas in the first
   half of what it names ("legislation" in "legislation … and its impact on service delivery
   processes"); ideas many points share ("improve", "procedure") are never the subject.
3. A sentence, or two adjacent ones, earns the point when it
   - names the point's subject and at least one *other* of the point's ideas,
   - links them: a relational verb or phrase ("means", "affects", "so", "because", "shows",
     "guided", "leads to" …) stands in the sentence ("is", "has", "includes" do not count),
   - is grounded: at least ``MIN_GROUNDING`` of its content words are the learner's own, not the
     unit's vocabulary (scenario names and figures count neither way), and
   - is not a list of terms nor a chain of equations ("the refund is the Ombudsman and the
     goodwill is the constraint").
   The passage is quoted as the reason, with the learner's words that carried the ideas.
4. A common misconception is flagged when a whole sentence restates its claim in other words: it
   names two of the claim's ideas, or one that no marking point or other misconception of the unit
   names ("logo", "sale"), and carries the claim's stance — a dismissal ("did not really matter",
   "no need", "little to do with"), an absolute for "assuming all …" ("any complaint can be put
   right"), or an equation ("just a matter of", "the same thing", "part of the law"). A sentence
   that denies the claim ("not every complaint can be settled", "rules are not fixed") is never
   flagged, and a sentence that restates a misconception earns no point. Each flag carries the
   correction.

Limits: this is lexical reasoning over sentences, not understanding. A grammatical sentence that
uses two of a point's ideas, a linking verb and invented detail can still earn the point; a true
insight worded entirely outside the tables can be missed. See docs/learning.md for the measured
precision and recall. No randomness, no model weights, no I/O: the same answer and unit always give
the same marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import simplemma

MIN_GROUNDING = 0.3
APPLIED_GROUNDING = 0.5
CLAIM_MIN_TERMS = 2

_WORD = re.compile("[a-z0-9£%]+(?:['\u2019-][a-z0-9]+)*")
_SEPARATOR = re.compile(r",|\s[-\u2013\u2014]\s|:|/")
_EQUATION = re.compile(r"\b(?:is|are) (?:the |a |an )?[a-z0-9-]+(?: [a-z0-9-]+)?(?=,| and\b| which\b|\.|;|$)")
_NAME = re.compile(r"(?<=[a-z,;:&'] )[A-Z][a-z]+(?:['\u2019]s)?|(?<=[a-z,;:&'] )[A-Z]{2,}\b")
_WHOLE_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


STOPWORDS = frozenset(
    _words(
        """a an the and or of to in on for with by at as is are was were be been being it its this that these
    those their them they we our you your i me my he she his her him from into onto than then such e g eg
    etc can could should would will may might must do does did done have has had not no nor but if
    when where which who whom whose what how why all any each every both either more most other some same
    very also only just about over under up out between through during before after again further
    there here while within without via per like well one two three use used using whether ie rather
    us get got any much many own really"""
    )
)

# The examiner's framing, which says how to mark rather than what to look for.
_BOILERPLATE = frozenset(
    _words(
        """award credit give demonstrate clear clearly understand understanding look evidence assess learner
    ability able show detail detailed accurate accurately require identify identification explain
    explanation describe description provide relevant specific key aware awareness thorough analyse
    analysis ensure direct directly similar concept principle include consider consideration link method
    base line effective apply real simulate reference need set manage issue demonstrable way concept
    such like e.g. eg whether expect"""
    )
)

# Words that mean the same idea for marking, folded to one group (lemmas; the units' own wording
# first, then the everyday words learners use for it).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "law": _words(
        "legislation legislative law legal legally statute statutory regulation regulatory act lawful "
        "compliance compliant comply gdpr ombudsman entitle entitled duty duties oblige"
    ),
    "dataprotection": _words("privacy personal-data dataprotection"),
    "consumerrights": _words("consumerrights"),
    "equality": _words("equality disability disabled adjustment accessible inclusive"),
    "accessibility": _words("accessibility access reach"),
    "consistency": _words("consistency consistent consistently reliable reliability reliably"),
    "value": _words("value worth"),
    "empathy": _words("empathy empathise empathize empathetic sympathy care caring acknowledge"),
    "apologise": _words("apologise apologize apology sorry"),
    "patience": _words("patience patient"),
    "listen": _words("listen hear hearing interrupt activelistening"),
    "positive": _words("positive positively friendly polite courteous warm"),
    "language": _words("language wording phrase tone word"),
    "complaint": _words("complaint complain grievance"),
    "feedback": _words("feedback survey comment csat nps opinion panel"),
    "improve": _words("improve improvement enhance better pdca change reduce"),
    "measure": _words("measurable measure measurement kpi metric target track quantify benchmark figure"),
    "cost": _words("cost budget money expense spend financial price afford saving"),
    "benefit": _words("benefit return"),
    "staff": _words("staff colleague employee team people agent adviser advisor"),
    "plan": _words("plan planning"),
    "schedule": _words("schedule rota roster"),
    "resource": _words("resource resourcing staffing equipment headcount licence"),
    "timeline": _words("timeline timescale deadline milestone pilot launch"),
    "monitor": _words("monitor monitoring review evaluate evaluation check dashboard"),
    "reflect": _words("reflect reflective reflection evaluate evaluation"),
    "stakeholder": _words("stakeholder shareholder supplier partner resident tenant"),
    "loyalty": _words("loyalty loyal retention retain repeat lifetime trust"),
    "procedure": _words("procedure process policy rule protocol guideline workflow"),
    "solution": _words("solution resolve resolution remedy fix compensation goodwill settle"),
    "constraint": _words("constraint limit limitation authority cap ceiling authorise permit allow beyond"),
    "realistic": _words("realistic realistically reasonable"),
    "example": _words("example instance practical scenario"),
    "satisfaction": _words("satisfaction satisfy satisfied happy happier unhappy delight"),
    "communication": _words("communication communicate speak talk questioning"),
    "role": _words("role job responsibility responsible owner ownership oversee"),
    "frontline": _words("front-line frontline contact-centre"),
    "backoffice": _words("back-office backoffice warehouse logistics planner scheduling"),
    "management": _words("management manager leader supervisor leadership"),
    "organisation": _words("organisation organisational organization company business firm employer council"),
    "structure": _words("structure hub"),
    "expectation": _words("expectation expect standard promise"),
    "brand": _words("brand branding identity reputation image"),
    "contingency": _words("contingency backup back-up fallback overflow divert outage"),
    "objective": _words("objective goal aim purpose"),
    "diverse": _words("diverse diversity different individual vulnerable adapt tailor interpreter elderly older"),
    "delivery": _words("deliver delivery provision"),
    "organise": _words("organise organize arrange arrangement"),
    "timely": _words("timely promptly prompt quickly fast speed"),
    "professional": _words("professional professionally professionalism courtesy"),
    "data": _words("data log report statistic record"),
    "justify": _words("justify prove persuade reason"),
    "internal": _words("internal in-house"),
    "external": _words("external outside imposed"),
    "collaborate": _words("collaborate collaboration together share handoff pass"),
    "rationale": _words("rationale reason purpose exist"),
    "decision": _words("decision decide decision-making"),
    "project": _words("project initiative review"),
    "behaviour": _words("behaviour behave conduct"),
    "skill": _words("skill interpersonal"),
    "sla": _words("sla"),
    "preference": _words("preference prefer taste wish personal personally"),
    "sale": _words("sale sales sell selling discount upsell transactional warranty"),
    "nonverbal": _words("non-verbal nonverbal pace pause manner body"),
    "fixed": _words("fixed permanent"),
    "general": _words("general generally generalise generic vague"),
    "proactive": _words("proactive prevention preventive anticipate"),
    "reactive": _words("reactive react reacting"),
    "subjective": _words("subjective impression instinct seem feel gut"),
    "type": _words("type segment kind"),
    "differentiate": _words("differentiate distinguish undifferentiated"),
    "logo": _words("logo colour advertising"),
}

# Groups that are one idea when counting how many ideas a passage names: naming three laws is
# still naming the law (seed 000: "providing only a list of laws without explaining …").
_FAMILY = {"consumerrights": "law", "dataprotection": "law", "equality": "law"}

# Phrases folded before words are read, so "service level agreement" is one idea.
PHRASES: tuple[tuple[str, str], ...] = (
    ("consumer rights act", "consumerrights law"),
    ("consumer contracts regulations", "consumerrights law"),
    ("consumer protection", "consumerrights law"),
    ("consumer law", "consumerrights law"),
    ("data protection act", "dataprotection law"),
    ("data protection", "dataprotection"),
    ("personal data", "dataprotection"),
    ("gdpr", "dataprotection law"),
    ("equality act", "equality law"),
    ("reasonable adjustment", "equality"),
    ("health and safety", "law"),
    ("service level agreements", "sla"),
    ("service level agreement", "sla"),
    ("service-profit chain", "serviceprofitchain"),
    ("service profit chain", "serviceprofitchain"),
    ("cost-benefit", "cost benefit"),
    ("front line", "frontline"),
    ("contact centre", "contact-centre"),
    ("back office", "backoffice"),
    ("behind the scenes", "backoffice"),
    ("active listening", "activelistening"),
    ("key performance indicators", "measure"),
    ("customer satisfaction", "satisfaction"),
    ("put right", "resolve"),
    ("sort out", "resolve"),
    ("put it right", "resolve"),
    ("people skills", "interpersonal"),
    ("tone of voice", "nonverbal"),
    ("body language", "nonverbal"),
    ("best practice", "bestpractice"),
    ("best-practice", "bestpractice"),
    ("treated exactly the same", "undifferentiated"),
    ("treated the same", "undifferentiated"),
)

# Words and phrases that link two ideas: a claim about how one bears on another.
_RELATIONS = frozenset(
    _words(
        """because so therefore thus since hence mean lead result cause make help allow enable ensure require
    affect influence shape impact drive raise improve increase reduce cut build create strengthen damage
    show prove justify support guide determine depend come oblige give stop prevent protect keep
    whereas when if unless meet calm persuade fund trust feel sees see judge set expose underpin decide
    must mean feed inform change pass share book take owns own run handle deal work collect use review
    discuss act exist entitle update"""
    )
)
_RELATION_PHRASES = re.compile(
    r"\b(?:so that|which means|so the|in line with|as a result|in order to|due to|thanks to|"
    r"because of|under the|under uk|aligned (?:to|with)|in turn|paid for by|against)\b"
)
# Copulas and "have" glue words together without saying how they bear on each other.
_COPULAS = frozenset(_words("be have include link"))

# A sentence that denies what it mentions does not repeat a claimed misconception.
# The misconception's claim denied: "not every complaint", "the brand is not just the logo",
# "rules are not fixed", "as much as anyone", "proactive as well as reactive", "whereas …".
_DENIAL = re.compile(
    r"\b(?:not (?:just|only|all|every|everything|fixed|permanent|about|the same|simply|merely|promising)|"
    r"no (?:substitute|replacement)|never just|as much as|as well as|rather than (?:my|our|personal|treated|being)|"
    r"must not (?:present|treat|assume)|instead of (?:assuming|guessing|treating)|"
    r"reviewed|regularly|set against|built into|whereas|while (?:the|answering)|"
    r"is only our|indirectly|cannot pay|beyond what|not enough)\b"
)
# The stance of a misconception: waving something away ("did not really matter", "no need",
# "little to do with", "secondary"), an absolute ("any complaint can be", "should stay as it is",
# "comes down to", "the only law") or an equation ("just a matter of", "part of the law", "both
# rules", "the same thing", "is really about").
_DISMISSAL = re.compile(
    r"\b(?:(?:does|do|did) not(?: really)? (?:matter|need|touch)|not (?:really )?(?:matter|needed|necessary|important)|"
    r"no (?:need|point|real)|irrelevant|unimportant|unnecessary|(?:little|nothing|not .{0,20}much) to do with|"
    r"secondary|take care of (?:themselves|itself)|a matter for|(?:should|must|will) not stop|"
    r"in (?:a )?general(?: way)?|generally|enough|only need|(?:a|simply a) matter of|"
    r"(?:aim|purpose|point|goal|job) (?:of .{0,40})?is to|(?:can|could|should) never be changed|"
    r"should not (?:be )?review|the only|only (?:the )?(?:law|people|staff|words|thing|front)|"
    r"(?:once|after) (?:it|the \w+) (?:is|goes) live|(?:have|has) not (?:checked|costed|considered)|"
    r"feels? like it|seems? (?:happier|fine|better)|gut feeling|without (?:checking|figures|evidence|data)|"
    r"everyone knows|straight ahead|should stay|cannot be changed|(?:guarantee|promise)\w* .{0,40}every|"
    r"turn every|comes? down to|exactly the same|the same thing|same way|(?:is|are) (?:really |just |mainly |simply )"
    r"(?:about|down to)|just a matter|part of the (?:law|legislation)|both (?:legal|rules|required|the law)|"
    r"legal requirements? under|count as|personal to|simply wants?|i personally|most important|whatever|"
    r"(?:any|all|every) \w+ can be|better in general|more smoothly)\b"
)


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


_GROUP_OF: dict[str, str] = {}
for _group, _members in SYNONYMS.items():
    _GROUP_OF.setdefault(_group, _group)
    for _word in _members:
        _GROUP_OF.setdefault(_word, _group)


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """The word's dictionary form (simplemma's English table): "complaints" → "complaint",
    "listened" → "listen", "happier" → "happy"."""
    word = word.replace("\u2019", "'").removesuffix("'s").strip("'-")
    if not word or "-" in word or not word.isalpha():
        return word
    return simplemma.lemmatize(word, lang="en").lower()


_PHRASE = re.compile("|".join(re.escape(phrase) for phrase, _ in PHRASES))
_PHRASE_AS = dict(PHRASES)


def _fold(text: str) -> str:
    """Lower case, with each multi-word phrase replaced by the idea it names (earliest listed wins)."""
    return _PHRASE.sub(lambda match: _PHRASE_AS[match.group(0)], text.lower().replace("\u2019", "'"))


@dataclass(frozen=True)
class _Token:
    word: str  # the learner's word (after phrase folding)
    lemma: str
    group: str | None  # the concept group, if any
    relation: bool


def _tokens(text: str) -> list[_Token]:
    found = []
    for word in _WORD.findall(_fold(text)):
        lemma = stem(word)
        if word in STOPWORDS and word not in ("so", "if", "when", "must", "because", "while", "whereas"):
            continue
        group = _GROUP_OF.get(word) or _GROUP_OF.get(lemma)
        found.append(_Token(word, lemma, group, lemma in _RELATIONS or word in _RELATIONS))
    return found


def terms(text: str) -> list[str]:
    """The content words of ``text``, each folded to its concept group or lemma, in order."""
    return [t.group or t.lemma for t in _tokens(text) if t.word not in STOPWORDS and t.lemma not in STOPWORDS]


_EXAMINER_OPENING = re.compile(
    r"^(?:award credit for|credit should be given for|credit for|expect(?: evidence of| the)?|"
    r"look for(?: evidence(?: that| of)?)?|assess(?: whether| the)?|require)\s+",
    re.IGNORECASE,
)
_GENERIC = frozenset({"customer", "service", "staff"})


def key_terms(text: str) -> tuple[str, ...]:
    """What a marking point asks for, in the order it names them (the first is its subject)."""
    text = _EXAMINER_OPENING.sub("", text.strip())
    seen: list[str] = []
    for token in _tokens(text):
        term = token.group or token.lemma
        if token.group is None and (token.lemma in _BOILERPLATE or token.word in _BOILERPLATE):
            continue
        if (
            term in _GENERIC
            or term in STOPWORDS
            or term.isdigit()
            or len(term) <= 2
            or (token.relation and not token.group)
        ):
            continue
        term = _FAMILY.get(term, term)
        if term not in seen:
            seen.append(term)
    return tuple(seen)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def acronyms_in(concepts: Iterable[str]) -> dict[str, frozenset[str]]:
    """Acronyms the unit's concepts define, with the ideas they stand for:
    "Service Level Agreements (SLAs)" and "the HEAT model (Hear, Empathise, …)"."""
    found: dict[str, frozenset[str]] = {}
    for text in concepts:
        for match in re.finditer(r"((?:[A-Z][\w-]*\s+){1,6})\(([A-Z]{2,6})s?\)", text):
            found[match.group(2).lower()] = frozenset(terms(match.group(1)))
        for match in re.finditer(r"\b([A-Z]{3,6})\b[^(]{0,20}\(([^)]+)\)", text):
            found.setdefault(match.group(1).lower(), frozenset(terms(match.group(2))))
    return found


@dataclass(frozen=True)
class _Reading:
    text: str
    ideas: frozenset[str]  # concept groups and lemmas named, families folded
    relation: bool
    grounding: float  # share of content words that are the learner's own, not the unit's vocabulary
    listing: bool = False  # a list of terms ("Complaint: refund - £120 - policy - limits")


def _read(text: str, vocabulary: frozenset[str], acronyms: dict[str, frozenset[str]]) -> _Reading:
    tokens = _tokens(text)
    # Names and figures from the scenario ("Mrs Ahmed", "£120") can be sprinkled over a salad, so
    # they neither ground a sentence nor count against it.
    names = {word.lower() for word in _NAME.findall(text)}
    ideas: set[str] = set()
    own = content = 0
    relation = _RELATION_PHRASES.search(text.lower()) is not None
    for token in tokens:
        if token.word in STOPWORDS:
            if token.relation:
                relation = True
            continue
        term = token.group or token.lemma
        if token.word in acronyms:
            ideas |= acronyms[token.word]
        idea = _FAMILY.get(term, term)
        ideas.add(idea)
        if token.relation and token.lemma not in _COPULAS:
            relation = True
            continue
        if token.word in names or (not token.word.isalpha() and not token.group):
            continue
        content += 1
        if term not in vocabulary and idea not in vocabulary and term not in _GENERIC:
            own += 1
    separators = len(_SEPARATOR.findall(text))
    # "The refund is the Ombudsman and the goodwill is the constraint": terms equated in a row.
    equations = len(_EQUATION.findall(text.lower()))
    listing = content < 3 or (separators >= 2 and separators * 4 >= content) or equations >= 2
    return _Reading(text, frozenset(ideas), relation, own / content if content else 0.0, listing)


def mark(
    answer: str,
    marking_points: Sequence[Point],
    misconceptions: Sequence[Point] = (),
    *,
    concepts: Sequence[str] = (),
) -> Marking:
    """The marking points ``answer`` earns (with the passage that earned each) and the
    misconceptions it restates (with their corrections)."""
    acronyms = acronyms_in(concepts)
    wanted_by_point = {point.number: _spelt_out(key_terms(point.text), acronyms) for point in marking_points}
    vocabulary = _vocabulary(
        [*wanted_by_point.values()],
        [*concepts, *(p.text for p in marking_points), *(m.text for m in misconceptions)],
        acronyms,
    )
    parts = sentences(answer)
    read = [_read(part, vocabulary, acronyms) for part in parts]
    passages = list(read)
    for first, second in pairwise(read):
        passages.append(
            _Reading(
                f"{first.text} {second.text}",
                first.ideas | second.ideas,
                first.relation and second.relation,
                min(first.grounding, second.grounding),
                first.listing or second.listing,
            )
        )
    claims = {m.number: _claim_terms(m.text) for m in misconceptions}
    point_ideas = [_claim_terms(point.text) for point in marking_points]
    # A claim is read in its whole sentence: "Rules are not fixed; we review them every year."
    whole_sentences = [s.strip() for s in _WHOLE_SENTENCE.split(answer) if s.strip()]
    sentence_ideas = [frozenset(_CLAIM_FAMILY.get(t, t) for t in terms(s)) for s in whole_sentences]
    flags = []
    for m in misconceptions:
        elsewhere = frozenset().union(*point_ideas, *(c for n, c in claims.items() if n != m.number))
        if (flag := _restates(m, whole_sentences, sentence_ideas, elsewhere)) is not None:
            flags.append(flag)
    # A sentence that restates a misconception earns nothing, however well it links its words.
    mistaken = {flag.quote for flag in flags}
    passages = [p for p in passages if not any(quote in p.text or p.text in quote for quote in mistaken)]
    weights = _weights(wanted_by_point.values())
    credits = []
    for point in marking_points:
        wanted = wanted_by_point[point.number]
        credit = _best_passage(point.number, wanted, passages, weights)
        if credit is not None:
            credits.append(credit)
    return Marking(tuple(credits), tuple(flags))


# Ideas so general that naming one says nothing about which point a passage meets.
_WEAK = frozenset(_words("improve organisation delivery procedure communication plan satisfaction"))


def _spelt_out(wanted: tuple[str, ...], acronyms: dict[str, frozenset[str]]) -> tuple[str, ...]:
    """A point that names an acronym ("apply the HEAT model") asks for what it stands for (hear,
    empathise, apologise, take ownership): a learner shows the model by doing its steps."""
    found: list[str] = []
    for term in wanted:
        meaning = sorted(t for t in acronyms.get(term, ()) if t in SYNONYMS) or [term]
        found += [t for t in meaning if t not in found]
    return tuple(found)


def _subjects(wanted: tuple[str, ...], weights: dict[str, float]) -> frozenset[str]:
    """The point's subject: the specific ideas in the first half of what it names ("legislation"
    in "legislation … and its impact on service delivery processes"; "consistency, accessibility
    and value" in "principles such as … and how they set customer expectations")."""
    specific = [t for t in wanted if t not in _WEAK and weights.get(t, 0) > 0.34]
    if not specific:  # every idea is general ("organisational procedures … improvements")
        specific = [t for t in wanted if t != "organisation"][:1]
    head = [t for t in wanted[: (len(wanted) + 1) // 2] if t in specific]
    return frozenset(head or specific[:1])


def _best_passage(
    number: int, wanted: tuple[str, ...], passages: Sequence[_Reading], weights: dict[str, float]
) -> Credit | None:
    subjects = _subjects(wanted, weights)
    wanted_set = frozenset(wanted)
    total = sum(weights[t] for t in wanted_set)
    best: Credit | None = None
    for passage in passages:
        if not passage.relation or passage.grounding < MIN_GROUNDING or passage.listing:
            continue
        matched = wanted_set & passage.ideas
        if not matched & subjects:
            continue
        # A point that names one idea besides its subject ("legislation … applied in context") is
        # met by the subject applied to the learner's own case: a link and mostly their own words.
        if len(matched) < 2 and not (len(wanted) <= 2 and passage.grounding >= APPLIED_GROUNDING):
            continue
        coverage = sum(weights[t] for t in matched) / total
        if (
            best is None
            or coverage > best.coverage
            or (coverage == best.coverage and len(passage.text) < len(best.quote))
        ):
            best = Credit(number, passage.text, _words_for(passage.text, matched), round(coverage, 3))
    return best


def _vocabulary(
    wanted: Iterable[tuple[str, ...]], texts: Sequence[str], acronyms: dict[str, frozenset[str]]
) -> frozenset[str]:
    """The unit's own words (its points, misconceptions and concepts): what a salad is made of."""
    found: set[str] = set()
    for point_terms in wanted:
        found |= set(point_terms)
    for text in texts:
        found |= {_FAMILY.get(t, t) for t in terms(text)}
    found |= set(acronyms)
    return frozenset(found)


def _weights(wanted: Iterable[tuple[str, ...]]) -> dict[str, float]:
    """An idea many of the unit's points ask for says little about which one an answer meets."""
    counts: dict[str, int] = {}
    for point_terms in wanted:
        for term in set(point_terms):
            counts[term] = counts.get(term, 0) + 1
    return {term: 1 / count for term, count in counts.items()}


def _words_for(passage: str, matched: frozenset[str]) -> tuple[str, ...]:
    """The learner's own words in ``passage`` that carried the ``matched`` ideas, in order."""
    lowered = passage.lower().replace("\u2019", "'")
    found: list[str] = []
    for phrase, replacement in PHRASES:
        if phrase in lowered and {_FAMILY.get(r, r) for r in replacement.split()} & matched:
            found.append(phrase)
            lowered = lowered.replace(phrase, " ")
    for word in _WORD.findall(lowered):
        if word in found or word in STOPWORDS:
            continue
        lemma = stem(word)
        idea = _GROUP_OF.get(word) or _GROUP_OF.get(lemma) or lemma
        if _FAMILY.get(idea, idea) in matched:
            found.append(word)
    return tuple(found)


# How a misconception opens, and how its correction is worded.
_MISTAKE_VERBS: tuple[tuple[str, str, str], ...] = (
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


def correction_for(misconception: str) -> str:
    """The advice that answers a misconception, worded from its own opening verb."""
    text = _CONSEQUENCE.split(misconception.strip().rstrip("."))[0]
    lowered = text.lower()
    for opening, _kind, prefix in _MISTAKE_VERBS:
        if lowered.startswith(opening + " "):
            rest = text[len(opening) + 1 :]
            return f"{prefix} {rest}."
    return f"Avoid this common mistake: {text[0].lower()}{text[1:]}."


def _claim_terms(text: str) -> frozenset[str]:
    """What a misconception is about: every idea it names, its consequence clause included."""
    found = set()
    for token in _tokens(text):
        term = token.group or token.lemma
        if token.group is None and (token.lemma in _BOILERPLATE or token.lemma in _MISTAKE_WORDS):
            continue
        if term in _GENERIC or term in STOPWORDS or len(term) <= 2:
            continue
        found.add(term)
    return frozenset(_CLAIM_FAMILY.get(t, t) for t in found)


# Absolutes that say the same thing: "all complaints" is restated by "any complaint".
_ABSOLUTE_KINDS = (frozenset(_words("all every any always whatever")), frozenset(_words("alone solely only")))

# For a claim, money is a resource ("overlooking resource limitations (time, budget, staff)").
_CLAIM_FAMILY = {"cost": "resource", "timeline": "resource"}


_MISTAKE_WORDS = frozenset(
    _words("assume confuse mistake overlook neglect fail consider provide generalise often lead treat lack")
)


def _restates(
    misconception: Point, parts: Sequence[str], ideas: Sequence[frozenset[str]], elsewhere: frozenset[str]
) -> Flag | None:
    """The first sentence that restates ``misconception``'s claim, as a flag with its correction:
    it names two of the claim's ideas, or one idea no marking point or other misconception of the
    unit names ("logo", "sale", "non-verbal"), carries the claim's stance (an absolute, a dismissal
    or an equation) and does not deny it."""
    wanted = _claim_terms(misconception.text)
    distinctive = wanted - elsewhere - {"organisation"}
    claimed = set(_WORD.findall(misconception.text.lower()))
    absolutes = frozenset().union(*(kind for kind in _ABSOLUTE_KINDS if kind & claimed))
    if not misconception.text.lower().startswith("assuming"):
        absolutes = frozenset()
    for part, seen in zip(parts, ideas, strict=True):
        lowered = part.lower().replace("\u2019", "'").replace("n't", " not")
        matched = wanted & seen
        if len(matched - {"organisation"}) < CLAIM_MIN_TERMS and not matched & distinctive:
            continue
        # "Assuming an apology alone resolves a complaint" is restated by "an apology alone resolves
        # any complaint": the claim's absolute is the stance.
        absolute = bool(set(_WORD.findall(lowered)) & absolutes) and " not " not in f" {lowered} "
        if (not absolute and _DISMISSAL.search(lowered) is None) or _DENIAL.search(lowered) is not None:
            continue
        return Flag(misconception.number, part, correction_for(misconception.text))
    return None
