"""The languages customers are served in, and the rules that go with them. Pure: no Django.

A customer's preferred language is stored as its ISO 639-1 code ("en", "cy"); Django's catalogues
are named by language tag ("en-gb", "cy"). Public bodies in Wales must offer service in Welsh and
treat it no less favourably than English (Welsh Language (Wales) Measure 2011, s.26 and Sch.5;
the Welsh Language Standards (No. 1) Regulations 2015, standards 1-7 on correspondence, 22-24 on
signage and 52-60 on websites), so the preference is recorded once and followed everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ENGLISH = "en"
WELSH = "cy"
LANGUAGES: tuple[tuple[str, str], ...] = ((ENGLISH, "English"), (WELSH, "Cymraeg"))
CODES_IN_ORDER = tuple(code for code, _ in LANGUAGES)
CODES = frozenset(CODES_IN_ORDER)
# ISO code → the Django language tag whose catalogue and formats are used.
TAGS = {ENGLISH: "en-gb", WELSH: "cy"}
CODE_OF_TAG = {tag: code for code, tag in TAGS.items()}


def tag_for(code: str) -> str:
    """The Django language tag for an ISO code; English for anything not offered."""
    return TAGS.get(code, TAGS[ENGLISH])


def chosen(value: str) -> str:
    """The ISO code named by a language switch or an API client, which may send either the code
    ("cy") or the tag ("en-gb"); the value itself when it names neither (for the caller to refuse)."""
    return value if value in CODES else CODE_OF_TAG.get(value.lower(), value)


def code_for(tag: str) -> str:
    """The ISO code for a Django language tag or an Accept-Language tag ("cy-GB" → "cy")."""
    primary = tag.replace("_", "-").split("-")[0].lower()
    return primary if primary in CODES else ENGLISH


def welsh_plural(n: int) -> int:
    """The plural form (0-3) a Welsh catalogue entry uses for ``n``: GNU gettext's rule for Welsh,
    ``nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3`` (the rule Django's
    own Welsh catalogue declares). Form 0 is "un", 1 the dual ("dau"), 3 the forms used after 8 and
    11 ("wyth", "un ar ddeg", which take the plural noun), 2 everything else."""
    if n == 1:
        return 0
    if n == 2:
        return 1
    if n not in (8, 11):
        return 2
    return 3


# Words frequent in running Welsh that English text hardly uses, and the reverse; a reply is
# judged by which list it hits more (a small closed-class word list, after Cavnar & Trenkle's
# observation that a language is recognised by its commonest short words).
_WELSH_WORDS = frozenset(
    [
        "ac",
        "ar",
        "mae",
        "yn",
        "y",
        "yr",
        "ein",
        "eich",
        "eu",
        "chi",
        "ni",
        "fy",
        "dy",
        "ei",
        "ydy",
        "ydych",
        "rydym",
        "rydyn",
        "byddwn",
        "bydd",
        "gyda",
        "gan",
        "hefyd",
        "neu",
        "ond",
        "os",
        "oes",
        "nid",
        "dim",
        "diolch",
        "achos",
        "cwsmer",
        "cyfeirnod",
        "gwasanaeth",
        "ateb",
        "annwyl",
        "cofion",
        "yw",
        "wedi",
        "gallu",
        "gallwn",
        "ddim",
        "sydd",
        "hwn",
        "hon",
        "hyn",
        "heddiw",
    ]
)
_ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "are",
        "was",
        "were",
        "we",
        "you",
        "your",
        "our",
        "it",
        "this",
        "that",
        "with",
        "for",
        "have",
        "has",
        "be",
        "will",
        "not",
        "on",
        "at",
        "by",
        "from",
        "can",
        "please",
        "thank",
        "thanks",
        "dear",
        "regards",
        "would",
        "could",
        "which",
        "there",
        "their",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Letters only Welsh uses of the two (w and y with a circumflex).
_WELSH_LETTERS = re.compile(r"[ŵŷŴŶ]")


@dataclass(frozen=True)
class LanguageGuess:
    code: str | None  # "en", "cy" or None when the text is too short or mixed to tell
    welsh: int
    english: int


def guess_language(text: str, *, minimum: int = 4) -> LanguageGuess:
    """Which of English and Welsh ``text`` is written in, by counts of each language's commonest
    words; ``None`` when fewer than ``minimum`` such words appear or neither has twice the other."""
    words = [w.lower() for w in _WORD.findall(text)]
    welsh = sum(1 for w in words if w in _WELSH_WORDS) + len(_WELSH_LETTERS.findall(text))
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    if welsh + english < minimum:
        return LanguageGuess(None, welsh, english)
    if welsh >= 2 * max(english, 1):
        return LanguageGuess(WELSH, welsh, english)
    if english >= 2 * max(welsh, 1):
        return LanguageGuess(ENGLISH, welsh, english)
    return LanguageGuess(None, welsh, english)


def language_mismatch(text: str, expected: str) -> str | None:
    """The language ``text`` is written in when it is clearly not ``expected`` (a reply to a Welsh
    speaker written in English, say), else ``None``: what the desk flags before sending."""
    found = guess_language(text).code
    return found if found is not None and found != expected else None
