"""The language assistant: hints on the wording of a reply to a customer, before it is sent.

``review(text, complaint=...)`` returns ``Finding`` s, each with a code, the span of the text it is
about, a plain explanation and, where one is clear, a suggested rewording. The codes are the
behaviours the documents teach team leaders to coach (domain.md §8):

- ``negative_phrasing``: telling the customer what cannot be done instead of what can ("we
  can't", "unfortunately there's nothing", "you'll have to", "that's not our policy"). Seed 000
  asks for "positive language" linked to satisfaction; seed 004 for turning "negative experiences
  into positive outcomes".
- ``blame``: blaming the customer ("you should have read the terms") or a colleague or department
  ("the warehouse messed up"). HEAT's last step is "Take ownership" (seeds 002, 003): the
  organisation answers for itself as one.
- ``jargon``: internal codes and terms a customer would not know ("your SR is in the L2 queue",
  "RMA", "BAU", ticket-status words), plus an organisation's own list; terms customers do know
  (BSL, VAT, the Consumer Rights Act …) are allowed. GOV.UK style guide, "Plain English" and "Use
  of acronyms": "do not use an abbreviation if you can use the full term"; "avoid jargon".
- ``no_ownership``: a passive promise with nobody behind it ("it will be looked into", "someone
  will get back to you"): HEAT's "Take ownership" (seeds 002, 003) wants a named person or an "I
  will".
- ``no_next_step``: a vague "in due course" or "we'll be in touch" with no time, where the
  customer needs to know what happens next and when (seed 000: "responsiveness"; seed 004:
  "a step-by-step approach").
- ``no_empathy``: complaint replies only: nothing acknowledges what the customer went through
  (HEAT's "Empathise" and "Apologise", seeds 002-004).

It is rules, not a model: phrase patterns read in their sentence, with negation ("it was not your
fault" is not blame) and quotation handled: words inside quotation marks, lines quoted with ">"
and an earlier message below "… wrote:" are the customer's, not the agent's, and are never
flagged. Pure: no I/O, no clock, no randomness; a 2,000-character reply takes well under 5 ms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

NEGATIVE_PHRASING = "negative_phrasing"
BLAME = "blame"
JARGON = "jargon"
NO_OWNERSHIP = "no_ownership"
NO_NEXT_STEP = "no_next_step"
NO_EMPATHY = "no_empathy"
CODES = (NEGATIVE_PHRASING, BLAME, JARGON, NO_OWNERSHIP, NO_NEXT_STEP, NO_EMPATHY)

LABELS = {
    NEGATIVE_PHRASING: "Negative phrasing",
    BLAME: "Blame",
    JARGON: "Jargon",
    NO_OWNERSHIP: "No ownership",
    NO_NEXT_STEP: "No clear next step",
    NO_EMPATHY: "No empathy",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One hint: ``text[start:end]`` is the passage it is about."""

    code: str
    start: int
    end: int
    explanation: str
    suggestion: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.code]


@dataclass(frozen=True, slots=True)
class _Rule:
    code: str
    pattern: re.Pattern[str]
    explanation: str
    suggestion: str = ""
    # A match is dropped when the words just before it negate it ("not your fault").
    negatable: bool = False
    # A match is dropped when the rest of its sentence matches this ("we can't wait to …").
    unless_after: re.Pattern[str] | None = None
    # A match is dropped when its sentence matches this anywhere (a time in the same sentence).
    unless_sentence: re.Pattern[str] | None = None
    # A match is dropped when the text before it in its sentence matches this (reported speech).
    unless_before: re.Pattern[str] | None = None
    # The span runs on to the end of the clause ("we can't offer compensation"), as people quote it.
    to_clause_end: bool = False
    # The span starts at its clause ("Your claim will be reviewed"), where the match is its verb.
    from_clause_start: bool = False
    # A refusal with an alternative offered at once ("but I can …", "What I can do is …") is fine.
    unless_alternative: bool = False


def _rx(pattern: str) -> re.Pattern[str]:
    # Every rule reads the lower-cased text (``_lower``): matching without IGNORECASE is faster.
    return re.compile(pattern)


def _rule_rx(pattern: str) -> re.Pattern[str]:
    # Every phrase starts at a word: testing the boundary once, before the alternatives, spares
    # trying each alternative at every character (most of the time a review takes).
    # Rules read the lower-cased text: matching without IGNORECASE is several times faster.
    return re.compile(rf"(?=\b)(?:{pattern})")


_APOS = "['\u2019]"
NT = f"(?:n{_APOS}t|not)"

# --- negative phrasing ---------------------------------------------------------------------------

# "We can't" that is good news: "we can't wait", "I can't thank you enough", "we can't see any
# reason to refuse", "I cannot apologise enough".
_POSITIVE_AFTER_CANT = _rx(
    r"^\W*(?:wait|thank|apologi[sz]e|stress|praise|recommend|fault|argue|see|find|spot|locate)\b"
    r"|^\W*(?:see|find)\s+(?:any|a)\s+(?:reason|grounds)\b"
    r"|^[^.!?]{0,40}\benough\b"
)
_CANT = (
    rf"\b(?:we|i)\s*(?:{_APOS}re|{_APOS}m|\s+are|\s+am)?\s*"
    rf"(?:can{_APOS}t|cannot|can\s+not|are\s+unable\s+to|am\s+unable\s+to|unable\s+to|"
    rf"(?:are|am)\s+not\s+able\s+to|won{_APOS}t\s+be\s+able\s+to|will\s+not\s+be\s+able\s+to|"
    rf"(?:{_APOS}re|{_APOS}m)\s+not\s+able\s+to|(?:are|am|{_APOS}re|{_APOS}m)\s+not\s+in\s+a\s+position\s+to)"
)
_REPORTED = _rx(r"\b(?:asked|wondered|wanted\s+to\s+know|queried)\s+(?:us\s+|me\s+)?(?:whether|if)\b[^.!?]*$")
_NEGATIVE = (
    _Rule(
        NEGATIVE_PHRASING,
        _rule_rx(_CANT),
        "This tells the customer what you cannot do. Lead with what you can do for them.",
        'Start with what you can do: "What I can do is …".',
        unless_after=_POSITIVE_AFTER_CANT,
        unless_before=_REPORTED,
        to_clause_end=True,
        unless_alternative=True,
    ),
    _Rule(
        NEGATIVE_PHRASING,
        _rule_rx(
            rf"\b(?:unfortunately,?\s+)?there{_APOS}?s?\s*(?:is\s+)?nothing\s+(?:more\s+|else\s+|further\s+)?"
            r"(?:that\s+)?(?:we|i)\s+(?:can|could|are\s+able\s+to|am\s+able\s+to)\s+(?:do|suggest|offer)"
            r"|\bnothing\s+(?:more\s+|else\s+|further\s+)?(?:we|i)\s+can\s+(?:do|suggest|offer)\b"
            rf"|\bunfortunately,?\s+there{_APOS}?s?\s*(?:is\s+)?nothing\b"
        ),
        '"There is nothing we can do" closes the conversation. Say what is possible instead.',
        'Offer an option: "Here is what I can do: …".',
        unless_before=_REPORTED,
    ),
    _Rule(
        NEGATIVE_PHRASING,
        _rule_rx(
            rf"\byou(?:{_APOS}ll|\s+will)\s+(?:just\s+|simply\s+)?(?:have|need)\s+to\b"
            r"|\byou\s+(?:just\s+)?(?:have|must)\s+to\b|\byou\s+must\b(?!\s+have\b)"
            r"|\byou\s+are\s+(?:liable|responsible)\s+for\b|\byou(?:['\u2019]d|\s+would)\s+be\s+better\s+off\b"
        ),
        '"You\'ll have to" reads as an order. Ask, or say what happens next.',
        'Ask instead: "Please could you …" or "The next step is …".',
        unless_after=_rx(r"^\W*(?:not\b|be\s+(?:pleased|glad|happy))"),
        unless_before=_REPORTED,
        to_clause_end=True,
    ),
    _Rule(
        NEGATIVE_PHRASING,
        _rule_rx(
            rf"\b(?:that|this|it){_APOS}?s?\s*(?:is\s+|was\s+)?(?:not|against)\s+(?:our|the\s+company{_APOS}s|company)\s+"
            r"(?:policy|terms|rules|terms\s+and\s+conditions)\b"
            r"|\b(?:is|are|it['\u2019]s|that['\u2019]s)\s+against\s+(?:our|the)\s+(?:policy|terms|rules)"
            rf"|\bour\s+policy\s+(?:does\s+not|doesn{_APOS}t|won{_APOS}t|will\s+not)\s+(?:allow|permit)\b"
            rf"|\b(?:we|i)\s+(?:do\s+not|don{_APOS}t)\s+(?:do|offer|accept|allow|give|provide|make|deal\s+with|cover|"
            r"issue|take|pay|refund|handle|price\s+match)\b"
            rf"|\b(?:that|this|it){_APOS}?s?\s*(?:is\s+)?(?:simply\s+|just\s+|really\s+)?(?:not|in\s*no\s+way)\s+possible\b"
            r"|\b(?:is|are)\s+(?:simply\s+|just\s+)?not\s+possible\b"
            r"|\bno\s+(?:\w+\s+){0,2}(?:is|are|will\s+be|can\s+be)\s+(?:possible|due|available|payable|made|given|offered|paid)\b"
            r"|\bthere\s+is\s+no\s+way\b|\bno\s+way\s+(?:we|i)\s+can\b"
            rf"|\bthere{_APOS}?s?\s*(?:is\s+)?no\s+(?:chance|question)\s+of\b"
            rf"|\b(?:we|i)\s+(?:won{_APOS}t|will\s+not|refuse\s+to)\b"
            r"|\bnot\s+something\s+(?:we|i)\b"
            r"|\bnot\s+(?:our|my)\s+(?:problem|responsibility|concern|department|job|area)\b"
            r"|\bnot\s+how\s+(?:it|this|things)\s+works?\b"
            r"|\b(?:we|i)\s+(?:are|am)\s+not\s+(?:liable|responsible|obliged)\b"
            r"|\b(?:we|i)\s+can\s+only\b(?!\s+(?:apologi[sz]e|say\s+sorry|imagine))"
            r"|\bour\s+hands\s+are\s+tied\b|\bnon[-\s]negotiable\b|\bfull\s+stop\b"
            r"|\b(?:decision|charge|notice|penalty|fine|fee|charges|refusal|rejection)\s+(?:still\s+)?(?:stands|must\s+stand|will\s+stand)\b"
            r"|\bremains?\s+(?:declined|refused|rejected)\b|\b(?:decision|answer)\s+is\s+final\b"
            r"|\b(?:window|deadline|period|time\s+limit|cooling[-\s]off\s+period)\s+(?:has|had)\s+(?:now\s+)?(?:passed|expired|closed|ended)\b"
            rf"|\b(?:won{_APOS}t|will\s+not|isn{_APOS}t|is\s+not|wouldn{_APOS}t|would\s+not)\s+be\s+possible\b|\bimpossible\b"
            r"|\b(?:not\s+much|little|nothing)\s+(?:more\s+)?(?:that\s+)?(?:we|i)\s+(?:can|could)\s+do\b"
            rf"|\bout\s+of\s+(?:our|my)\s+hands\b|\bnot\s+up\s+to\s+(?:us|me)\b|\bno\s+control\s+over\b"
            rf"|\b(?:we|i){_APOS}?(?:re|m|\s+are|\s+am)?\s+not\s+(?:allowed|permitted|authorised|going)\s+to\b"
            rf"|\b(?:we|i)\s+(?:do\s+not|don{_APOS}t)\s+have\s+(?:the\s+)?(?:authority|option|ability|power)\b"
            r"|\byou\s+are\s+required\s+to\b|\byou['\u2019]re\s+required\s+to\b|\bthere['\u2019]?s?\s*(?:is\s+)?no\s+point\b"
            r"|\bno\s+longer\s+(?:available|possible|offered|valid|accepted|covered)\b"
            r"|\b(?:we|i)\s+(?:have|['\u2019]ve)\s+(?:had\s+to\s+)?(?:declined|refused|rejected|turned\s+down)\b"
            r"|\b(?:request|claim|application|complaint|appeal|refund)\s+(?:has\s+been|was|is|have\s+been)\s+"
            r"(?:declined|refused|rejected|denied|not\s+upheld|turned\s+down)\b|\bnot\s+upheld\b"
        ),
        "This is a flat refusal. Explain the reason and offer what you can do.",
        'Say why, then what is possible: "Because …, what I can do is …".',
        unless_after=_rx(r"^\W*(?:hesitate|let\s+this\s+happen\s+again|stop\s+until|charge\s+you|need\s+to)"),
        unless_before=_REPORTED,
        to_clause_end=True,
        unless_alternative=True,
    ),
    _Rule(
        NEGATIVE_PHRASING,
        _rule_rx(
            r"\bas\s+(?:i|we)(?:\s+have\s+|['\u2019]ve\s+|\s+)(?:already\s+|previously\s+)?(?:said|stated|explained|told\s+you|mentioned)\b"
            r"|\bas\s+(?:previously|already)\s+(?:stated|explained|advised|mentioned)\b"
            r"|\bcalm\s+down\b|\bwith\s+respect\b"
        ),
        "This can sound impatient. Explain again without pointing out that you have said it before.",
        "Drop it and restate the point kindly.",
    ),
)
# An alternative offered with the refusal: "…, but I can offer …"; "What I can do is …".
_ALTERNATIVE_SAME = _rx(
    rf"\b(?:but|however|instead)\b,?\s+(?:i|we)(?:\s+can|\s+could|\s+will|\s+have|\s+am|{_APOS}ll|{_APOS}ve|{_APOS}m)\b"
    r"|\binstead\b|\bwhat\s+(?:i|we)\s+can\s+do\b|\b(?:i|we)\s+can\s+(?:offer|arrange|suggest)\b"
)
_ALTERNATIVE_NEXT = _rx(
    rf"^\W*(?:however|instead|what\s+(?:i|we)\s+can|but\s+(?:i|we)|(?:i|we)\s+can\s+(?:offer|arrange|suggest|instead)|"
    rf"(?:i|we){_APOS}(?:ve|ll)\s+(?:arranged|booked|offered|added|applied|sent|refunded|credited)|"
    r"(?:i|we)\s+(?:have|will)\s+(?:arranged|booked|offered|added|applied|sent|refunded|credited|arrange|book|offer|add|apply|send|refund|credit))"
)
_CLAUSE_END = re.compile(r"[,;:.!?\u2014(]|\s+(?:but|and|so|as|because|which|unless|until)\s|\s-\s")

# --- blame ---------------------------------------------------------------------------------------

# Someone other than "we" or "I": a colleague, a department, a contractor or partner.
_THIRD_PARTY = (
    r"(?:courier|couriers|warehouse|engineer|engineers|technician|technicians|fitters?|installers?|contractors?|"
    r"repairer|garage|airline|airport\s+staff|manufacturer|supplier|broker|agent|adviser|advisor|colleague|colleagues|"
    r"officer|department|dept|team|company|partner|driver|staff|branch|store|person|underwriters?|insurer|"
    r"handler|surveyor|assessor|landlord|retailer|operator|provider|carrier|agency|subcontractors?|third[-\s]party|"
    r"royal\s+mail|post\s+office|head\s+office|depot|factory|vendor|shop|lender|bank|he|she|they)"
)
_FAULT = (
    rf"(?:clearly\s+|obviously\s+|simply\s+)?(?:(?:did\s+not|didn{_APOS}t|has\s+not|hasn{_APOS}t|have\s+not|haven{_APOS}t|"
    rf"had\s+not|hadn{_APOS}t|never|don{_APOS}t|do\s+not|doesn{_APOS}t|does\s+not)\s+(?:bother\s+to\s+)?"
    r"(?:follow|pass|update|check|send|know|do\s+their|tell|record|log|book|arrange|process|action|read|note|"
    r"return|call|turn\s+up|show\s+up|fit|fill|put|give|deliver|respond|reply|listen|bother)"
    r"|failed\s+to|forgot\s+to|neglected\s+to|messed\s+(?:it\s+|things\s+)?up|mixed\s+(?:it\s+|things\s+)?up|cocked\s+up|botched|"
    r"dropped\s+the\s+ball|got\s+(?:the|your|it|this|their)\s+(?:\w+\s+)?wrong|put\s+the\s+wrong|"
    r"(?:gave|told|sent)\s+you\s+(?:the\s+)?(?:wrong|incorrect|bad)|left\s+(?:it|the\s+\w+)\s+in\s+the\s+wrong|"
    rf"should\s+(?:not\s+|never\s+)?have|shouldn{_APOS}t\s+have|"
    r"(?:is|are|was|were)\s+(?:to\s+blame|at\s+fault|responsible\s+for\s+(?:the|this|that)\s+(?:mistake|error|mess|delay|problem))|"
    r"made\s+(?:a|an|the)\s+(?:mistake|error|mess)|lost\s+(?:it|your|the)|damaged\s+(?:it|your|the)|"
    r"misplaced|overcharged\s+you|ignored\s+(?:it|your|the)|(?:was|were)\s+(?:careless|negligent|wrong|mistaken))"
)
_BLAME = (
    _Rule(
        BLAME,
        _rule_rx(
            rf"\byou\s+(?:should|shouldn{_APOS}t|should\s+not|ought\s+to)\s+have\b"
            r"|\byou\s+(?:failed|neglected|forgot)\s+to\b"
            rf"|\byou(?<!\bif\syou)(?<!\bwhether\syou)(?<!\bcase\syou)\s+(?:did\s+not|didn{_APOS}t|have\s+not|haven{_APOS}t)\s+"
            r"(?:bother\s+to\s+)?(?!need|have\s+to|do\s+anything|receive|get|hear|mention|want|say|ask|yet|been|expect|deserve|reali[sz]e|intend|mean)[a-z]+\b"
            rf"|\b(?:it\s+(?:is|was)|it{_APOS}s)\s+(?:your|the\s+customer{_APOS}s)\s+responsibility\b|\bup\s+to\s+you\s+to\b"
            r"|\byour\s+own\s+(?:doing|choice|fault|error|mistake)\b|\byou\s+chose\s+to\b|\byou\s+got\s+(?:it|the\s+\w+)\s+wrong\b"
            r"|\b(?:the\s+)?(?:mistake|error|fault)\s+(?:was|is)\s+yours\b"
            r"|\byour\s+(?:own\s+)?(?:fault|error|mistake|responsibility\s+to)\b"
            r"|\byou\s+(?:must\s+have\s+)?(?:entered|gave|provided|typed|supplied|chose|selected|used|put|sent)\s+(?:us\s+)?"
            r"(?:the\s+|an?\s+|your\s+)?(?:wrong|incorrect|invalid)\b"
            rf"|\bif\s+you{_APOS}?d\s+(?:had\s+)?(?:read|checked|followed|looked|told|provided|contacted|called|kept)\b"
            r"|\bif\s+you\s+had\s+(?:read|checked|followed|looked|told|provided|contacted|called|kept)\b"
            rf"|\byou{_APOS}d\s+have\s+(?:seen|known|noticed)\b"
            r"|\b(?:as|which|it)\s+(?:is\s+|was\s+)?(?:clearly\s+)?(?:stated|explained|set\s+out|made\s+clear|shown)\s+in\s+"
            r"(?:the|our|your)\s+(?:[a-z]+\s+){0,2}(?:terms|t&cs|pack|contract|agreement|letter|email|documents?|policy)\b"
            r"|\byou\s+(?:were|was)\s+(?:clearly\s+)?(?:told|advised|informed|warned)\b"
            r"|\byou\s+(?:must\s+have|clearly|obviously)\s+(?:misread|misunderstood|missed|ignored|not|didn['\u2019]t|entered|forgotten)\b"
            r"|\byou\s+(?:ignored|misread|misunderstood|missed)\b"
            rf"|\byou{_APOS}ve\s+(?:let|allowed)\b|\byou\s+have\s+(?:let|allowed)\s+(?:the|your)\b"
            r"|\b(?:readings?|details|information|figures?|numbers?|postcode|address)\s+you\s+(?:gave|submitted|provided|entered|sent|supplied)"
            r"(?:\s+us)?\s+(?:was|were)\s+(?:wrong|incorrect|inconsistent|inaccurate|invalid)\b"
            r"|\bdue\s+to\s+your\s+(?:own\s+)?(?:error|mistake|failure|delay)\b"
            r"|\bcaused\s+by\s+you\b|\bthrough\s+no\s+fault\s+of\s+ours\b|\bwe\s+would\s+point\s+out\s+that\s+you\b"
        ),
        "This blames the customer. Say what happened and what you will do about it instead.",
        'Describe the fact without fault: "The form we received had …, so I will …".',
        negatable=True,
        unless_after=_rx(
            r"^\W*(?:anything\s+wrong|need\s+to|have\s+to|had\s+to|needed\s+to|been\s+(?:told|asked|made))"
        ),
    ),
    _Rule(
        BLAME,
        _rule_rx(
            # "the agent (you spoke to on 3 April) failed to", "the engineer who visited didn't follow"
            rf"\b{_THIRD_PARTY}(?:,?\s+(?:who|that|you)\b[^,.;!?]{{1,40}}?)?,?\s+(?:has\s+|have\s+|had\s+)?{_FAULT}"
            rf"|\b(?:it\s+was|that\s+was|this\s+was|this\s+is|that\s+is|it\s+is|it{_APOS}s|that{_APOS}s|which\s+is)\s+"
            rf"(?:the\s+|our\s+)?(?:[a-z]+(?:\s+[a-z]+)?{_APOS}s?\s+|their\s+|his\s+|her\s+)(?:fault|mistake|error|doing)\b"
            r"|\b(?:their|his|her)\s+(?:fault|responsibility|problem|doing|error|mistake|issue)\b"
            rf"|\b(?:fault|error|mistake|delay|problem|issue)\s+(?:was|is|has\s+been)\s+"
            rf"(?:caused|made)\s+by\s+(?:the|our|your|a)\s+"
            rf"|\b(?:was|is)\s+(?:caused\s+by|down\s+to|made\s+by)\s+(?:the|our|your|their|a)\s+(?!(?:storm|weather|snow|flood))"
            rf"|\b(?:the\s+)?(?:delay|hold-up|problem)\s+is\s+with\s+the\s+"
            rf"|\b(?:that|this|it){_APOS}?s?\s*(?:is\s+|was\s+)?down\s+to\s+(?:the|our|your|their)\s+"
            rf"|\bnot\s+(?:us|ours|me|we|the\s+council|the\s+company|our\s+fault)\b(?=\s*[.!,;]|\s*$)"
            rf"|\b(?:not|isn{_APOS}t|wasn{_APOS}t)\s+(?:our|my)\s+fault\b|\bnothing\s+to\s+do\s+with\s+(?:us|me)\b"
            r"|\b(?:blame|blamed)\s+(?:the|our)\b|\bwhoever\s+(?:dealt|spoke|handled|took)\b"
            r"|\bsomething\s+they\s+are\s+responsible\s+for\b"
            rf"|\b(?:he|she|they){_APOS}?s?\s*(?:is\s+|are\s+|was\s+)?new\s+and\b"
        ),
        "This blames a colleague or another team. To the customer we are one organisation: own it.",
        'Own it: "We got this wrong, and I am putting it right by …".',
        negatable=True,
    ),
)

# --- jargon --------------------------------------------------------------------------------------

# Internal codes and words of the desk's own machinery (GOV.UK style guide, "Plain English").
_JARGON_TERMS = (
    r"L[1-4]|T[1-3]|P[1-4]|Tier\s*[1-4]|(?:1st|2nd|3rd|first|second|third)[-\s]line(?:\s+(?:team|support|queue))?"
    r"|SR\s*#?\s*\d*|INC\s*#?\d+|CHG\d+|TKT\s*#?\d*|WO\s*#?\d+|RMA|BAU|SLA|OLA|SOP|CRM|AHT|FCR|CSAT|NPS|KPI|WIP|NFF|NTF"
    r"|RFT|EOD|COB|OOH|IDV|ID&V|DPA\s+check|KBA|POD|CX|QA|TL|CSR|ETR|ETC|ERP|ACW|IVR|FTF|SME|RCA|PO\s*#?\d+"
    r"|(?:status|ticket)\s*(?:is|:)\s*(?:pending|on\s+hold|awaiting\s+\w+|wip|resolved|closed|open|escalated)"
    r"|pending\s+(?:closure|3rd\s+party|third\s+party|customer|L\d)|awaiting\s+(?:3rd|third)\s+party|auto[-\s]?closed?"
    r"|triag(?:e|ed|ing)|backlog|back[-\s]office|escalation\s+queue|(?:the\s+)?queue\s+(?:for|in)\s+L\d"
    r"|raised\s+a\s+(?:ticket|job|SR|incident)|logged\s+an?\s+(?:incident|SR|INC)|work\s*order|job\s+ref|dispo(?:sition)?\s+code"
    r"|no\s+fault\s+found|NFF|ticket\s+(?:number\s+)?#?\d+|case\s+notes?|(?:wrap|wrapped)[-\s]up\s+code"
)
_JARGON_RX = re.compile(rf"(?<![\w-])(?:{_JARGON_TERMS})(?![\w-])")
_JARGON_CI_WORDS = re.compile(
    r"(?<![\w-])(?:triag(?:e|ed|ing)|backlog|back[-\s]office|escalation\s+queue|work\s*order|job\s+ref|"
    r"pending\s+(?:closure|3rd\s+party|third\s+party)|awaiting\s+(?:3rd|third)\s+party|auto[-\s]?closed?|"
    r"(?:1st|2nd|3rd|first|second|third)[-\s]line\s+(?:team|support|queue)|tier\s*[1-4]|no\s+fault\s+found|"
    r"(?:ticket|case)\s+status\s+(?:is\s+)?(?:pending|on\s+hold|wip|awaiting\s+\w+)|wrap[-\s]up\s+code|dispo(?:sition)?\s+code|"
    # trade words of telecoms, insurance, travel and energy desks
    r"port[-\s](?:in|out)|re-?provision(?:ed|ing)?|provisioning|subrogation|betterment|indemnity\s+basis|"
    r"desktop\s+validation|fare\s+basis|[A-Z]-class|change\s+of\s+supply\s+flow)(?![\w-])",
    re.IGNORECASE,
)
# An acronym the customer is unlikely to know: two to five capitals (with digits), not known.
_ACRONYM = re.compile(r"(?<![\w&'-])(?:[A-Z][A-Z0-9]{1,4}(?:#\d+)?|(?!Mc|Mac)[A-Z][a-z][A-Z]{1,3})(?![\w&-])")

# Terms customers know (public bodies, laws, everyday abbreviations, well-known UK brands).
KNOWN_TERMS = frozenset(
    re.split(
        r"\s+",
        """BSL VAT UK GB EU NHS HMRC DVLA DWP MOT GP ID OK TV PC PIN PAC STAC SIM IBAN BIC SMS MMS URL PDF FAQ FAQS
    GDPR ICO ATOL ABTA CAA APR CCJ ISA ISP BT EE O2 SSE EDF EON TSB HSBC RBS BBC ITV DIY AM PM BST GMT
    ASAP RSVP PS NB FYI TBC MP CEO USB HD 4G 5G WIFI DVD CD ATM HR IT UPS DHL DPD TNT EVRI NI NIC NINO
    DBS MR MRS MS DR ST RD LTD PLC CIC COVID A&E ONS OFGEM OFCOM OFWAT FCA FOS PPI DD BACS CHAPS VIP
    RRP OAP SEND ADHD ME LGBT LGBTQ AI AA RAC SAR DSAR WAP ETA AND THE FOR NOT YOU WE HM UKVI
    KG KM MPH KWH MB TB CCTV LED RNIB RNID""".strip(),
    )
)
KNOWN_PHRASES = ("Consumer Rights Act", "Data Protection Act", "Equality Act", "Financial Ombudsman")

_JARGON_EXPLANATION = '"{term}" is an internal term the customer may not know. Say it in plain words.'
_JARGON_SUGGESTIONS = {
    "RMA": '"return number"',
    "SR": '"your case"',
    "BAU": '"as usual"',
    "SLA": '"our promised response time"',
    "L1": '"our support team"',
    "L2": '"our specialist team"',
    "L3": '"our specialist team"',
    "POD": '"proof of delivery"',
    "EOD": '"by the end of the day"',
    "COB": '"by the end of the day"',
    "WIP": '"in progress"',
    "IDV": '"security questions"',
    "NFF": '"the engineer found no fault"',
}

# --- ownership and next steps --------------------------------------------------------------------

_OWNED = _rx(
    rf"\b(?:i\s+will|i{_APOS}ll|i\s+am\s+going\s+to|i{_APOS}m\s+going\s+to|i\s+have|i{_APOS}ve|i\s+am|i{_APOS}m|i\s+personally|"
    r"my\s+name\s+is|i\s+can|let\s+me)\b"
)
# A time or date the customer can hold us to.
_TIME = _rx(
    r"\b(?:today|tonight|tomorrow|this\s+(?:morning|afternoon|evening|week)|next\s+(?:week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|"
    r"within\s+(?:the\s+next\s+)?(?:\d+|one|two|three|four|five|six|seven|ten|fourteen|twenty|24|48|72)|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{1,2}|\d{1,2}/\d{1,2}|"
    r"\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|noon|midday|end\s+of\s+(?:the\s+)?(?:day|week|month)|"
    r"\d+\s+(?:working\s+|business\s+)?(?:days?|hours?|weeks?|minutes?)|"
    r"(?:one|two|three|four|five|six|seven|ten)\s+(?:working\s+|business\s+)?(?:days?|hours?|weeks?))\b"
)
# A past participle: the action done to the thing ("looked into", "sent out", "redone").
_PARTICIPLE = (
    r"(?:[a-z]+ed|sent|made|done|redone|dealt|given|taken|seen|paid|put|set|shown|sorted|found|brought|"
    r"kept|told|got|gotten|held|built|fitted|fixed|rebilled|reissued|restocked|allocated)"
    r"(?:\s+(?:into|on|out|up|at|back|over|through|with|along|across|forward|round))?"
)
# The thing a passive promise is about: "it", "your claim", "a new one", "any further issues".
# The head word of what a passive promise is about: "(your) claim", "it", "(a new) one".
_SUBJECT = r"(?!(?:i|you|we|they|he|she|who|which|there|what)\s)[a-z-]+"
_NO_OWNERSHIP = (
    _Rule(
        NO_OWNERSHIP,
        _rule_rx(
            rf"\b{_SUBJECT}\s+(?:will|should|shall|would|is\s+going\s+to|are\s+going\s+to|needs\s+to|need\s+to|will\s+need\s+to|"
            rf"has\s+to|have\s+to)\s+(?:then\s+|now\s+|also\s+)?be\s+(?:duly\s+|now\s+|then\s+|fully\s+)?{_PARTICIPLE}\b"
            rf"|\b(?:it|this|that){_APOS}ll\s+be\s+{_PARTICIPLE}\b"
            rf"|\b{_SUBJECT}\s+(?:is|are)\s+(?:now\s+|currently\s+)?being\s+{_PARTICIPLE}\b"
        ),
        'Nobody is named as doing this. Say who will do it: "I will …" or a named colleague.',
        'Own it: "I will … and I will update you by …".',
        # "It will be couriered to you tomorrow" is a booked step, not a promise left hanging.
        unless_sentence=_TIME,
        unless_after=_rx(r"^\W*(?:as\s+usual|automatically)"),
        unless_before=_rx(r"\bno\s+(?:[a-z]+\s+)?$"),
        from_clause_start=True,
    ),
    _Rule(
        NO_OWNERSHIP,
        _rule_rx(
            r"\b(?!x)x"
            rf"|\b{_SUBJECT}\s+(?:has|have)\s+been\s+(?:passed|sent)\s+(?:back|on|along)\b"
            rf"|\b{_SUBJECT}\s+(?:has|have)\s+been\s+(?:noted|forwarded)\b"
            rf"|\b(?:the\s+)?(?:matter|case|complaint|query|claim|request)\s+(?:has|have)\s+been\s+passed\s+to\b"
            rf"|\b{_SUBJECT}\s+(?:has|have)\s+been\s+(?:passed|referred|forwarded|escalated|sent)\s+(?:on\s+)?to\s+(?:the|our)\s+"
            r"(?:[a-z-]+\s+){0,3}(?:team|department)\b"
            rf"|\b(?:someone|somebody|anyone)(?:\s+(?:from|in|on)\s+(?:the|our)\s+(?:\w+\s+)?(?:team|department))?(?:\s+else)?\s+"
            rf"(?:will|should|may|might|would|is\s+going\s+to)\b"
            rf"|\b(?:a\s+colleague|one\s+of\s+(?:our|the)\s+(?:team|colleagues|advisers|advisors|agents)|"
            rf"a\s+member\s+of\s+(?:the|our)\s+(?:\w+\s+)?team|the\s+(?:relevant|appropriate|right)\s+(?:team|department|person|people)|"
            rf"the\s+(?:\w+\s+)?(?:team|department|crew|engineers?|office))\s+"
            rf"(?:will|should|may|might|would)\s+(?:get\s+(?:back|round)|be\s+in\s+touch|contact|call|email|ring|reach\s+out|"
            rf"look|deal\s+with|respond|reply|follow\s+(?:this\s+)?up|pick\s+(?:this|it)\s+up|update|investigate|"
            rf"let\s+you\s+know|review|sort|advise|consider|assess|decide)\b(?![^.!?]*\b(?:today|tomorrow|by|on|within)\b)"
            r"|\b(?<!no\s)(?:an?\s+)?(?:updates?|response|reply|answer|decision|outcome|news)\s+will\s+(?:follow|be\s+(?:made|given|provided|sent|issued))\b"
            rf"|\bwe(?:{_APOS}ll|\s+will)\s+(?:look\s+into|investigate|review|consider|be\s+in\s+touch|get\s+back\s+to\s+you|"
            r"see\s+what\s+(?:we\s+can|can\s+be)\s+do(?:ne)?)\b"
            r"|\byou\s+will\s+be\s+(?:contacted|called|emailed|updated|advised|informed|notified)\b"
            rf"|\byou{_APOS}ll\s+be\s+(?:contacted|called|emailed|updated|advised|informed|notified)\b"
            r"|\byou\s+will\s+hear\s+(?:back\s+)?from\s+(?:someone|somebody|the\s+team|them)\b"
            rf"|\byou{_APOS}ll\s+hear\s+(?:back\s+)?from\s+(?:someone|somebody|the\s+team|them)\b"
        ),
        'Nobody is named as doing this. Say who will do it: "I will …" or a named colleague.',
        'Own it: "I will … and I will update you by …".',
    ),
)

_VAGUE = (
    _Rule(
        NO_NEXT_STEP,
        _rule_rx(
            r"\bin\s+due\s+course\b|\bat\s+some\s+(?:point|stage)\b|\bat\s+a\s+later\s+date\b|\bsome\s*time\s+soon\b"
            r"|\bin\s+the\s+(?:near\s+)?future\b|\bat\s+the\s+earliest\s+opportunity\b|\bfor\s+further\s+action\b|\beventually\b"
            r"|\bwhen\s+(?:it|your\s+\w+)\s+reaches\s+the\s+(?:front|top)\b|\bwhen\s+they\s+can\b"
            r"|\bwhen\s+the\s+(?:review|investigation|check|process)\s+is\s+(?:complete|finished|done)\b|\bwhen\s+(?:we|i)\s+(?:can|get\s+(?:a\s+)?(?:chance|moment|round\s+to\s+it)|have\s+(?:time|a\s+moment|more\s+information|an\s+update))\b"
            r"|\bas\s+soon\s+as\s+(?:possible|we\s+can|i\s+can|we\s+are\s+able|we\s+have\s+(?:an\s+update|more))\b"
            r"|\b(?:we|i|they|someone|the\s+team)(?:\s+will|{a}ll)\s+(?:be\s+in\s+touch|get\s+back\s+to\s+you|let\s+you\s+know|update\s+you|come\s+back\s+to\s+you)\b"
            r"|\b(?:we|i)\s+(?:are|am|{a}re|{a}m)\s+(?:currently\s+|still\s+)?looking\s+into\s+(?:it|this|the\s+matter|your\s+\w+)\b"
            r"|\bkeep\s+an\s+eye\s+out\b|\b(?:shortly|soon)\b(?=[.!?,]|\s*$)|\bwatch\s+this\s+space\b"
            r"|\b(?:will|should)\s+be\s+(?:resolved|fixed|sorted|done|completed|with\s+you|back)\s+(?:soon|shortly|eventually)\b".replace(
                "{a}", _APOS
            )
        ),
        "This does not say what happens next or when. Give the customer a step and a time.",
        'Give a time: "I will call you by 3pm tomorrow with …".',
        unless_sentence=_TIME,
    ),
)

# --- empathy (complaint replies) -----------------------------------------------------------------

_EMPATHY = _rx(
    r"\b(?:sorry|apologi[sz]e|apologies|regret|understand(?:able)?|frustrat\w*|disappoint\w*|upset\w*|distress\w*|"
    r"inconvenien\w*|worr(?:y|ying|ied)|stress(?:ful)?|annoy\w*|(?:can|could)\s+(?:only\s+)?imagine|must\s+have\s+been|"
    r"appreciate\s+(?:how|that|this|what|your|you)|thank\s+you\s+for\s+(?:telling|letting|raising|bringing|explaining|taking\s+the\s+time|your\s+patience)|"
    r"not\s+(?:the\s+)?(?:service|experience|standard)\s+(?:you|we)|let\s+you\s+down|fell\s+short|not\s+good\s+enough|should\s+not\s+have\s+happened|"
    r"shouldn['\u2019]t\s+have\s+happened|hear\s+(?:that|about|how)|sympath\w*|unacceptable)\b"
)
# "Sorry you feel that way" regrets the customer's feeling, not what happened.
# Nor does boilerplate: "we apologise for any inconvenience (this may have caused)".
_NON_APOLOGY = _rx(
    r"\bsorry\s+(?:if\s+|that\s+)?you\s+feel\b|\bsorry\s+you\s+(?:think|believe)\b|\bapologi[sz]e\s+if\s+you\b"
    r"|\b(?:apologi[sz]e|apologies|sorry)\s+for\s+any\s+inconvenience\b"
)

# --- quotation -----------------------------------------------------------------------------------

_QUOTED = re.compile(
    r"\"[^\"\n]{1,600}\"|\u201c[^\u201d]{1,600}\u201d|(?<![\w])\u2018[^\u2019\n]{3,600}\u2019(?![\w])"
    r"|^[ \t]*>.*$",
    re.MULTILINE,
)
_EARLIER_MESSAGE = re.compile(
    r"^(?:[ \t]*On\b[^\n]{0,200}\bwrote:|[ \t]*-{2,}\s*Original Message\s*-{2,}|[ \t]*From:\s.+\n[ \t]*Sent:)",
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+|\n\s*\n|\n(?=\s*[-*\u2022]|\s*\d+[.)])|\n")


_PHRASE_RULES = _NEGATIVE + _BLAME + _VAGUE


def review(
    text: str,
    *,
    complaint: bool = False,
    jargon: Iterable[str] = (),
    known: Iterable[str] = (),
) -> tuple[Finding, ...]:
    """The findings on an agent's reply, in text order.

    ``jargon`` adds an organisation's own internal terms (system names, team codes); ``known``
    adds terms its customers do know. ``complaint`` asks for the empathy check too.
    """
    agent_end, quoted = _agent_text(text)
    sentences = _sentences(text, agent_end, quoted)
    lowered = _lower(text)
    extra, allowed = tuple(jargon), tuple(known)
    findings: list[Finding] = []
    for i, (start, end) in enumerate(sentences):
        sentence = text[start:end]
        low = lowered[start:end]
        following = lowered[sentences[i + 1][0] : sentences[i + 1][1]] if i + 1 < len(sentences) else ""
        findings.extend(_rule_findings(start, low, quoted, _PHRASE_RULES, following))
        if not _OWNED.search(low):
            # "I will make sure it is looked into" is owned: an "I" in the sentence answers it.
            owned_by_name = [m.start() for m in _BY_NAME.finditer(sentence)]
            findings.extend(
                f for f in _rule_findings(start, low, quoted, _NO_OWNERSHIP) if f.end - start not in owned_by_name
            )
        findings.extend(_jargon_findings(start, sentence, quoted, extra, allowed))
    if complaint and sentences:
        findings.extend(_empathy_findings(text, lowered, sentences))
    findings.extend(_next_step_findings(lowered, sentences, findings))
    return tuple(_deduplicate(findings))


def reply_level(findings: Iterable[Finding]) -> frozenset[str]:
    """The codes a reply shows at least once (for scorecards and reply-level figures)."""
    return frozenset(f.code for f in findings)


def suggestions(text: str, *, complaint: bool = False) -> tuple[str, ...]:
    """One line per finding, for a reviewer's scorecard: "Label: “passage” — suggestion"."""
    lines = []
    for f in review(text, complaint=complaint):
        advice = f.suggestion or f.explanation
        lines.append(f"{f.label}: \u201c{text[f.start : f.end]}\u201d \u2014 {advice}")
    return tuple(lines)


# --- the pieces ----------------------------------------------------------------------------------


def _agent_text(text: str) -> tuple[int, list[tuple[int, int]]]:
    """Where the agent's own words end (an earlier message quoted below), and the quoted spans."""
    earlier = _EARLIER_MESSAGE.search(text)
    agent_end = earlier.start() if earlier else len(text)
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text, 0, agent_end)]
    return agent_end, quoted


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _sentences(text: str, agent_end: int, quoted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    position = 0
    for m in _SENTENCE_END.finditer(text, 0, agent_end):
        if _inside(quoted, m.start(), m.start()):
            continue
        out.append((position, m.start()))
        position = m.end()
    out.append((position, agent_end))
    result = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and not _inside(quoted, s, e):
            result.append((s, e))
    return result


_NEGATION_BEFORE = re.compile(
    rf"(?:\bnot|n{_APOS}t|\bno|\bnever|\bnone\s+of\s+(?:this|it)|\bin\s+no\s+way|\bnothing)\b[^.!?,;]{{0,25}}$",
    re.IGNORECASE,
)
# "I'm sorry you were told that" regrets it: the customer is not being blamed.
_SORRY_BEFORE = re.compile(r"\b(?:sorry|apologi[sz]e|regret)\s+(?:that\s+)?$", re.IGNORECASE)
# Codes that one sentence shows once: a second match in it is the same fault said again.
_ONE_PER_SENTENCE = frozenset({BLAME, NO_OWNERSHIP})


def _lower(text: str) -> str:
    """``text`` in lower case, character for character (so spans stay true)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# "… will be reviewed by Sam Patel" names the person: that is ownership.
_BY_NAME = re.compile(r"(?=\s+by\s+(?:me\b|myself\b|[A-Z]))")


def _rule_findings(
    offset: int,
    sentence: str,
    quoted: list[tuple[int, int]],
    rules: tuple[_Rule, ...],
    following: str = "",
) -> Iterator[Finding]:
    """The rules' matches in one (lower-cased) sentence starting at ``offset`` in the text."""
    seen: set[str] = set()
    for rule in rules:
        for m in rule.pattern.finditer(sentence):
            start, end = offset + m.start(), offset + m.end()
            if _inside(quoted, start, end):
                continue
            if rule.unless_after is not None and rule.unless_after.search(sentence[m.end() :]):
                continue
            before = sentence[max(0, m.start() - 80) : m.start()]
            if rule.negatable and (
                _NEGATION_BEFORE.search(before) or _SORRY_BEFORE.search(before) or _negated_inside(m.group(0))
            ):
                continue
            if rule.unless_sentence is not None and rule.unless_sentence.search(sentence):
                continue
            if rule.unless_before is not None and rule.unless_before.search(before):
                continue
            if rule.unless_alternative and (
                _ALTERNATIVE_SAME.search(sentence[m.end() :]) or _ALTERNATIVE_NEXT.search(following)
            ):
                continue
            if rule.from_clause_start:
                cut = max(sentence.rfind(mark, 0, m.start()) for mark in ",;:")
                clause = sentence[cut + 1 : m.start()]
                start = offset + m.start() - len(clause.lstrip())
            if rule.to_clause_end:
                stop = _CLAUSE_END.search(sentence, m.end())
                end = offset + (stop.start() if stop else len(sentence))
            if rule.code in _ONE_PER_SENTENCE:
                if rule.code in seen:
                    continue
                seen.add(rule.code)
            yield Finding(rule.code, start, end, rule.explanation, rule.suggestion)


def _negated_inside(phrase: str) -> bool:
    # "that was not the courier's fault", "it wasn't your fault"
    return (
        bool(re.search(rf"\b(?:not|n{_APOS}t|never)\b|n{_APOS}t\b", phrase, re.IGNORECASE))
        and bool(re.search(r"fault|mistake|error|doing", phrase, re.IGNORECASE))
        and not re.search(r"\b(?:our|my)\s+fault", phrase, re.IGNORECASE)
    )


@lru_cache(maxsize=64)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in cleaned) + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=64)
def _known(known: tuple[str, ...]) -> frozenset[str]:
    return KNOWN_TERMS | {k.strip().upper() for k in known}


def _jargon_findings(
    offset: int,
    sentence: str,
    quoted: list[tuple[int, int]],
    extra: tuple[str, ...],
    known: tuple[str, ...],
) -> Iterator[Finding]:
    allowed = _known(known)
    taken: list[tuple[int, int]] = []
    # A term the reply explains in brackets ("a returns number (RMA)") is not jargon.
    explained = {m.group(1).upper() for m in re.finditer(r"\(([A-Z][A-Za-z0-9&]{1,7})\)", sentence)}
    extra_rx = _term_pattern(extra)
    matches: list[re.Match[str]] = []
    for rx in (extra_rx, _JARGON_RX, _JARGON_CI_WORDS, _ACRONYM):
        if rx is not None:
            matches.extend(rx.finditer(sentence))
    for m in matches:
        term = m.group(0)
        key = re.sub(r"[\s#]*\d*$", "", term).upper() if term.isupper() or term[:2].isupper() else term.upper()
        if key in allowed or term.upper() in allowed or key in explained:
            continue
        if any(p.lower() in sentence.lower() and term in p for p in KNOWN_PHRASES):
            continue
        if m.re is _ACRONYM and _is_heading_or_shout(sentence):
            continue
        start, end = offset + m.start(), offset + m.end()
        if _inside(quoted, start, end) or any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        suggestion = _JARGON_SUGGESTIONS.get(key, "")
        yield Finding(
            JARGON,
            start,
            end,
            _JARGON_EXPLANATION.format(term=term),
            f"Say {suggestion} instead." if suggestion else "Use plain words the customer would use.",
        )


def _is_heading_or_shout(sentence: str) -> bool:
    letters = [c for c in sentence if c.isalpha()]
    return len(letters) > 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


# Where the customer can go from here: a step they can take, or an escalation route.
_ROUTE = _rx(
    r"\b(?:ombudsman|escalate|appeal|independent\s+review|stage\s+2|(?:please|just|simply)\s+(?:reply|call|ring|contact|email|"
    r"let\s+(?:me|us)\s+know|get\s+in\s+touch|visit|send|use|book|pop|log\s+in|go\s+to|click|fill|take)|"
    r"you\s+can\s+(?:reply|call|ring|contact|email|book|visit|use|order|log\s+in|track|complain|ask|also|now|still|either|choose|request|apply|find)|"
    r"if\s+you(?:['\u2019]d|\s+would)\s+like|if\s+you\s+(?:need|have|want|prefer|are\s+not|aren['\u2019]t)|"
    r"feel\s+free|do\s+(?:let|get)|any\s+(?:other\s+)?questions)\b"
)
# A matter still open: something refused, blamed, or promised without an owner or a time.
_OPENING_CODES = frozenset({NEGATIVE_PHRASING, BLAME, NO_OWNERSHIP, NO_NEXT_STEP, JARGON, NO_EMPATHY})
# The agent has put it right already: "I've corrected your address", "I have refunded …".
_DONE = _rx(
    rf"\b(?:i|we)(?:{_APOS}ve|\s+have)\s+(?:now\s+|already\s+|just\s+|also\s+)?(?:corrected|fixed|refunded|credited|sent|booked|"
    r"arranged|updated|cancelled|canceled|applied|reissued|processed|added|removed|changed|sorted|ordered|waived|"
    r"reversed|replaced|reset|restored|reconnected|paid|posted|approved|rebooked|moved|set\s+up)\b"
)
# A time that is a promise ("will arrive by Friday"), not a date in the past ("dated 3 April").
_FUTURE = _rx(
    rf"\b(?:will|shall|going\s+to|expect|booked|scheduled|arranged|due|aim\s+to|should\s+(?:arrive|reach|be\s+with)|"
    rf"tomorrow|next|until|from\s+now)\b|{_APOS}ll\b"
)


def _next_step_findings(text: str, sentences: list[tuple[int, int]], findings: list[Finding]) -> Iterator[Finding]:
    """A matter left open with no step and time, and no route for the customer: the promise that
    hangs, and the closing words where the step was due (seed 004: "a step-by-step approach")."""
    if not sentences or not any(f.code in _OPENING_CODES for f in findings):
        return
    promised = any(f.code in (NO_OWNERSHIP, NO_NEXT_STEP) for f in findings)
    for start, end in sentences:
        sentence = text[start:end]
        if _ROUTE.search(sentence) or (_TIME.search(sentence) and _FUTURE.search(sentence)):
            return
        if not promised and _DONE.search(sentence):
            return
    explanation = "The matter is still open and the reply gives no next step or time. Say what happens next and when."
    suggestion = 'End with the step: "I will call you on Thursday by 5pm with …".'
    vague = [f for f in findings if f.code == NO_NEXT_STEP]
    hanging = [
        f
        for f in findings
        if f.code == NO_OWNERSHIP
        and _last_sentence_of(f, sentences)
        and not any(v.start < sentences[-1][1] and sentences[-1][0] < v.end for v in vague)
    ]
    for f in hanging:
        yield Finding(NO_NEXT_STEP, f.start, f.end, explanation, suggestion)
    start, end = sentences[-1]
    if not any(f.start < end and start < f.end for f in hanging):
        yield Finding(NO_NEXT_STEP, start, end, explanation, suggestion)


def _last_sentence_of(finding: Finding, sentences: list[tuple[int, int]]) -> bool:
    # A promise without owner that ends the reply is the step that hangs; earlier ones the
    # closing words stand for.
    start, end = sentences[-1]
    return start <= finding.start < end


def _empathy_findings(text: str, lowered: str, sentences: list[tuple[int, int]]) -> Iterator[Finding]:
    for start, end in sentences:
        sentence = lowered[start:end]
        if _EMPATHY.search(sentence) and not _NON_APOLOGY.search(sentence):
            return
    start, end = _first_real_sentence(text, sentences)
    yield Finding(
        NO_EMPATHY,
        start,
        end,
        "This complaint reply does not acknowledge what the customer went through. Hear, empathise, "
        "apologise, then act (HEAT).",
        'Open with it: "I\'m sorry about …; I understand how frustrating …".',
    )


_GREETING = re.compile(r"^(?:dear|hi|hello|good\s+(?:morning|afternoon|evening))\b[^.!?\n]{0,40}[,!]?$", re.IGNORECASE)


def _first_real_sentence(text: str, sentences: list[tuple[int, int]]) -> tuple[int, int]:
    for start, end in sentences:
        if not _GREETING.match(text[start:end]):
            return start, end
    return sentences[0]


def _deduplicate(findings: list[Finding]) -> list[Finding]:
    """One finding per code per passage: of overlapping findings of one code, the first made (a
    phrase rule) is kept over a later, reply-level one."""
    kept: list[Finding] = []
    for f in findings:
        if any(k.code == f.code and k.start < f.end and f.start < k.end for k in kept):
            continue
        kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end, CODES.index(f.code)))
