"""Masking of card numbers, UK bank details and National Insurance numbers in inbound text.

Customers paste these into emails and chat. The desk never needs them whole, and keeping them would
bring it into PCI DSS scope and hold personal data it has no use for (UK GDPR Art 5(1)(c), data
minimisation), so ``mask_sensitive`` runs before inbound text is stored.

- Payment cards: 13 to 19 digits that pass the Luhn check (ISO/IEC 7812-1), not starting with 0,
  whole or in groups of three or more split by single spaces or dashes, not glued to letters.
  Only the last four digits are kept, which PCI DSS v4.0 req. 3.5.1 accepts as truncation:
  ``[card ending 1234]``.
- Bank accounts: a sort code (``12-34-56`` or ``12 34 56``) and an 8-digit account number within
  a short stretch of text of each other, either order: ``[sort code]`` and
  ``[account ending 5678]``. Neither alone is masked: a lone nn-nn-nn is as likely a date.
- IBANs: the UK shape, GB, two check digits, a four-letter bank code, 14 digits:
  ``[IBAN ending 6819]``. The shape alone is distinctive, so a mistyped check digit is masked too.
- National Insurance numbers, per HMRC's National Insurance Manual (NIM39110): two prefix letters
  (D, F, I, Q, U and V never used, O never second; BG, GB, KN, NK, NT, TN and ZZ never issued),
  six digits and a suffix A to D, spaces allowed between the pairs: ``[NI number]``.

Every pattern is bounded or unambiguous, so the regex engine never backtracks more than a fixed
amount per position: the work grows linearly with the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CARD_MIN_DIGITS = 13
CARD_MAX_DIGITS = 19
# Cards are written in groups of four to six (4-4-4-4, 4-6-5, 4-4-4-4-3); shorter groups are
# dates, expiry months and list numbers, and are never taken as part of a card.
_CARD_MIN_GROUP = 3
_ACCOUNT_GAP = 40  # characters, no digits, allowed between a sort code and its account number

_NI_NEVER_ISSUED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})

_IBAN = re.compile(r"\bGB[0-9]{2} ?[A-Z]{4}(?: ?[0-9]){14}\b", re.IGNORECASE)

_NI = re.compile(
    r"\b(?P<prefix>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\b",
    re.IGNORECASE,
)

# A sort code stands alone: not inside a longer run of digit pairs such as a phone number.
_SORT_CODE = (
    r"(?<![\w-])(?<!(?<![\w-])[0-9][- ])(?<!(?<![\w-])[0-9]{2}[- ])"
    r"(?P<sort>[0-9]{2}(?P<sep>[- ])[0-9]{2}(?P=sep)[0-9]{2})"
    r"(?!\w)(?!-[0-9])(?!(?P=sep)[0-9]{1,2}(?![0-9]))"
)
_ACCOUNT = r"(?<![\w-])(?P<account>[0-9]{8})(?!\w)(?!-[0-9])"
_GAP = rf"(?P<gap>[^0-9]{{0,{_ACCOUNT_GAP}}})"
_SORT_THEN_ACCOUNT = re.compile(_SORT_CODE + _GAP + _ACCOUNT)
_ACCOUNT_THEN_SORT = re.compile(_ACCOUNT + _GAP + _SORT_CODE)

# A run of digit groups joined by single spaces or dashes. It may not start inside a word, after
# a "+" (an international phone number) or after a decimal point.
_DIGIT_RUN = re.compile(r"(?<![\w+])(?<![0-9][.,])[0-9]+(?:[ -][0-9]+)*")
_DIGIT_GROUP = re.compile(r"[0-9]+")
_GLUED_AFTER = re.compile(r"\w|[.,][0-9]")

_DOUBLED = str.maketrans("0123456789", "0246813579")

SORT_CODE_MASK = "[sort code]"
NI_MASK = "[NI number]"


@dataclass(frozen=True, slots=True)
class MaskResult:
    """The text with sensitive numbers masked, and how many of each kind were found."""

    text: str
    cards: int = 0
    bank_accounts: int = 0
    ibans: int = 0
    ni_numbers: int = 0

    @property
    def total(self) -> int:
        return self.cards + self.bank_accounts + self.ibans + self.ni_numbers


def mask_sensitive(text: str) -> MaskResult:
    """``text`` with card numbers, UK bank details, IBANs and NI numbers masked.

    IBANs go first (their digits could pass for a card or an account), then NI numbers (spaced
    pairs could pass for a sort code), then bank details, then cards. Ordinary numbers (order
    numbers, phone numbers, dates, numbers that fail the Luhn check) are left as they are.
    """
    text, ibans = _IBAN.subn(_mask_iban, text)
    ni_numbers = 0

    def mask_ni(match: re.Match[str]) -> str:
        nonlocal ni_numbers
        if match["prefix"].upper() in _NI_NEVER_ISSUED:
            return match[0]
        ni_numbers += 1
        return NI_MASK

    text = _NI.sub(mask_ni, text)
    text, forward = _SORT_THEN_ACCOUNT.subn(lambda m: f"{SORT_CODE_MASK}{m['gap']}{_account_mask(m['account'])}", text)
    text, backward = _ACCOUNT_THEN_SORT.subn(lambda m: f"{_account_mask(m['account'])}{m['gap']}{SORT_CODE_MASK}", text)
    cards = 0

    def mask_cards(match: re.Match[str]) -> str:
        nonlocal cards
        glued = _GLUED_AFTER.match(match.string, match.end()) is not None
        masked, found = _mask_cards_in_run(match[0], last_group_glued=glued)
        cards += found
        return masked

    text = _DIGIT_RUN.sub(mask_cards, text)
    return MaskResult(text=text, cards=cards, bank_accounts=forward + backward, ibans=ibans, ni_numbers=ni_numbers)


def card_mask(last_four: str) -> str:
    return f"[card ending {last_four}]"


def _account_mask(account: str) -> str:
    return f"[account ending {account[-4:]}]"


def _mask_iban(match: re.Match[str]) -> str:
    digits = "".join(ch for ch in match[0] if ch.isdigit())
    return f"[IBAN ending {digits[-4:]}]"


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check of ISO/IEC 7812-1, on a string of ASCII digits."""
    # Every second digit from the right is doubled (its two digits added past 9); summing the
    # bytes keeps the loop in C, which matters on long runs of numbers.
    kept = digits[-1::-2]
    doubled = digits[-2::-2].translate(_DOUBLED)
    return (sum(kept.encode()) + sum(doubled.encode()) - ord("0") * len(digits)) % 10 == 0


def _mask_cards_in_run(run: str, *, last_group_glued: bool) -> tuple[str, int]:
    """Mask every card in a run of digit groups; the count is how many masks were placed.

    Every window of whole consecutive groups with 13 to 19 digits that passes the Luhn check is a
    possible card. Overlapping windows are masked together, so a card with a stray number before
    or after it is never half shown; the label takes its last four digits from the longest
    window (the leftmost of equals), which is the card itself unless the stray digits happen to
    make a longer valid number too.
    """
    groups = [(g.start(), g.end()) for g in _DIGIT_GROUP.finditer(run)]
    eligible = [_CARD_MIN_GROUP <= end - start <= CARD_MAX_DIGITS for start, end in groups]
    if last_group_glued:
        eligible[-1] = False  # a reference such as 4111111111111111AB is not a card
    spans: list[tuple[int, int, str]] = []  # first group, last group, digits of the label window
    for first in range(len(groups)):
        if not eligible[first]:
            continue
        digits = ""
        for last in range(first, len(groups)):
            if not eligible[last]:
                break
            digits += run[groups[last][0] : groups[last][1]]
            if len(digits) > CARD_MAX_DIGITS:
                break
            # No card number starts with 0 (ISO/IEC 7812 major industry identifier); UK phone
            # numbers always do, so this keeps "0044 7700 900123" out.
            if len(digits) >= CARD_MIN_DIGITS and digits[0] != "0" and luhn_valid(digits):
                _merge(spans, first, last, digits)
    if not spans:
        return run, 0
    pieces: list[str] = []
    position = 0
    for first, last, digits in spans:
        pieces.extend((run[position : groups[first][0]], card_mask(digits[-4:])))
        position = groups[last][1]
    pieces.append(run[position:])
    return "".join(pieces), len(spans)


def _merge(spans: list[tuple[int, int, str]], first: int, last: int, digits: str) -> None:
    # Windows arrive in order of their first group, so only the last span can overlap.
    if spans and first <= spans[-1][1]:
        span_first, span_last, label = spans[-1]
        if len(digits) > len(label):
            label = digits
        spans[-1] = (span_first, max(span_last, last), label)
    else:
        spans.append((first, last, digits))
