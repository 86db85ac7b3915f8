"""Masking card numbers, UK bank details and National Insurance numbers before text is stored."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.domain.redaction import MaskResult, luhn_valid, mask_sensitive

# --- payment cards ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("4111 1111 1111 1111", "[card ending 1111]"),
        ("4111-1111-1111-1111", "[card ending 1111]"),
        ("4111111111111111", "[card ending 1111]"),
        ("4111 1111-1111 1111", "[card ending 1111]"),
        ("5555 5555 5555 4444", "[card ending 4444]"),
        ("3782 822463 10005", "[card ending 0005]"),  # American Express, 15 digits in 4-6-5
        ("3056 930902 5904", "[card ending 5904]"),  # Diners, 14 digits
        ("4222222222222", "[card ending 2222]"),  # 13 digits, the shortest
        ("4000 0000 0000 0000 006", "[card ending 0006]"),  # 19 digits, the longest
        ("6331101999999999992", "[card ending 9992]"),
        ("My card is 4111 1111 1111 1111, expiry 12/26.", "My card is [card ending 1111], expiry 12/26."),
        ("card:4111111111111111", "card:[card ending 1111]"),
        ("(4111-1111-1111-1111)", "([card ending 1111])"),
        # A short number next to the card never leaves part of the card visible.
        ("4111 1111 1111 1111 123", "[card ending 1111] 123"),
        ("Order 123 4111 1111 1111 1111", "Order 123 [card ending 1111]"),
        ("4111 1111 1111 1111 12/26", "[card ending 1111] 12/26"),
    ],
)
def test_card_numbers_keep_only_the_last_four_digits(text, masked):
    result = mask_sensitive(text)

    assert result.text == masked
    assert result.cards == 1
    assert result.total == 1


def test_two_cards_in_one_message():
    result = mask_sensitive("Old card 4111 1111 1111 1111, new card 5555-5555-5555-4444.")

    assert result.text == "Old card [card ending 1111], new card [card ending 4444]."
    assert result.cards == 2


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",  # fails the Luhn check
        "1234 5678 9012 3456",
        "4111111111111112",
        "0000 0000 0000 0000",  # passes Luhn, but no card number starts with 0
        "4111 1111 1111",  # 12 digits: too short
        "41111111111111111111",  # 20 digits: too long
        "Order #12345678 of 3 September",
        "Invoice INV-2025-000123",
        "INV4111111111111111",  # glued to letters: a reference, not a card
        "4111111111111111X",
        "Call 020 7946 0958 or 07700 900123",
        "Call +44 20 7946 0958 or +44 7700 900123",
        "0044 7700 900 123",
        "Delivered 2025-09-03 at 10:30, or 03/09/2025",
        "pi is 3.1415926535897932",
        "1 2 3 4 5 6 7 8 9 10 11 12 13 14",
        "12-34-56",  # a sort code alone, or a date
        "12345678",  # an account number alone, or an order number
        "",
    ],
)
def test_ordinary_numbers_are_left_alone(text):
    assert mask_sensitive(text) == MaskResult(text=text)


# --- UK bank details ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Sort code: 12-34-56 Account: 12345678", "Sort code: [sort code] Account: [account ending 5678]"),
        ("sort code 60 16 13, account no. 31926819", "sort code [sort code], account no. [account ending 6819]"),
        ("12-34-56 12345678", "[sort code] [account ending 5678]"),
        (
            "Account number 31926819, sort code 60-16-13.",
            "Account number [account ending 6819], sort code [sort code].",
        ),
        (
            "Sort code:\n12-34-56\nAccount number:\n12345678",
            "Sort code:\n[sort code]\nAccount number:\n[account ending 5678]",
        ),
    ],
)
def test_sort_code_with_an_account_number_nearby(text, masked):
    result = mask_sensitive(text)

    assert result.text == masked
    assert result.bank_accounts == 1
    assert result.total == 1


@pytest.mark.parametrize(
    "text",
    [
        "12-34-56" + " and then a long stretch of unrelated words " + "12345678",  # too far apart
        "12-34-56 1234567",  # 7 digits
        "12-34-56 123456789",  # 9 digits
        "12-34-56-78 12345678",  # four pairs: not a sort code
        "07 12 34 56 12345678",
        "12-34 56 12345678",  # mixed separators
        "ref12-34-56 12345678",
    ],
)
def test_not_bank_details(text):
    assert mask_sensitive(text).bank_accounts == 0


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("GB29 NWBK 6016 1331 9268 19", "[IBAN ending 6819]"),
        ("GB29NWBK60161331926819", "[IBAN ending 6819]"),
        ("iban gb82west12345698765432.", "iban [IBAN ending 5432]."),
        ("Pay to GB82 WEST 1234 5698 7654 32 please", "Pay to [IBAN ending 5432] please"),
        ("GB00 NWBK 6016 1331 9268 19", "[IBAN ending 6819]"),  # a mistyped check digit is still bank details
    ],
)
def test_uk_ibans(text, masked):
    result = mask_sensitive(text)

    assert result.text == masked
    assert result.ibans == 1
    assert result.total == 1


@pytest.mark.parametrize(
    "text", ["GB29 NWBK 6016 1331 9268 1", "XGB29NWBK60161331926819", "GB29 NWBK 6016 1331 9268 190"]
)
def test_not_ibans(text):
    assert mask_sensitive(text).ibans == 0


# --- National Insurance numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["AB 12 34 56 C", "AB123456C", "ab123456c", "AB 123456 D", "OA123456A", "JG103759A", "ZY 99 99 99 B"],
)
def test_ni_numbers(text):
    result = mask_sensitive(f"My NI number is {text}, thanks")

    assert result.text == "My NI number is [NI number], thanks"
    assert result.ni_numbers == 1
    assert result.total == 1


@pytest.mark.parametrize(
    "text",
    [
        "QQ 12 34 56 C",  # Q is never used (QQ is HMRC's own example prefix)
        "DA123456A",
        "FA123456A",
        "IA123456A",
        "UA123456A",
        "VA123456A",
        "AD123456A",
        "AO123456A",  # O is never the second letter
        "BG123456A",
        "GB123456A",
        "KN123456A",
        "NK123456A",
        "NT123456A",
        "TN123456A",
        "ZZ123456A",
        "AB123456E",  # suffix A to D only
        "AB12345C",  # five digits
        "AB1234567C",
        "XAB123456C",
        "AB123456CD",
    ],
)
def test_not_ni_numbers(text):
    assert mask_sensitive(text) == MaskResult(text=text)


# --- everything together ------------------------------------------------------------------------

MIXED = (
    "Hello, order 12345 arrived on 03/09/2025. Please refund card 4111 1111 1111 1111 "
    "or pay sort code 12-34-56 account 12345678 (IBAN GB29 NWBK 6016 1331 9268 19). "
    "My NI number is AB 12 34 56 C; call me on 07700 900123.\n"
)


def test_every_kind_in_one_message():
    result = mask_sensitive(MIXED)

    assert result.text == (
        "Hello, order 12345 arrived on 03/09/2025. Please refund card [card ending 1111] "
        "or pay sort code [sort code] account [account ending 5678] (IBAN [IBAN ending 6819]). "
        "My NI number is [NI number]; call me on 07700 900123.\n"
    )
    assert (result.cards, result.bank_accounts, result.ibans, result.ni_numbers, result.total) == (1, 1, 1, 1, 4)


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("4111111111111111", True), ("79927398713", True), ("378282246310005", True), ("4111111111111112", False)],
)
def test_luhn(digits, valid):
    assert luhn_valid(digits) is valid


# --- a megabyte of text: linear patterns, no catastrophic backtracking ---------------------------


@pytest.mark.parametrize(
    ("text", "cards"),
    [
        ("1" * 1_000_000, 0),
        ("111 " * 250_000, 0),
        ("12 " * 333_333, 0),
        ("4111-" * 200_000, 0),
        ("12-34-56 " * 110_000, 0),
        ("AB 12 34 56 " * 90_000, 0),
        (("12-34-56" + "a" * 39 + " ") * 20_000, 0),
        ("GB29 NWBK 6016 1331 9268 " * 40_000, 0),
        (MIXED * 5_000, 5_000),
    ],
)
def test_a_megabyte_of_text_is_masked(text, cards):
    # Timing is proven in bench/, not here: this only shows the work finishes and stays correct.
    assert mask_sensitive(text).cards == cards


# --- properties ---------------------------------------------------------------------------------

PROPERTIES = settings(derandomize=True, max_examples=300, deadline=None)
DIGITS = re.compile(r"[0-9]")
MARKER = re.compile(r"\[card ending [0-9]{4}\]")


def _with_check_digit(body: str) -> str:
    return body + next(d for d in "0123456789" if luhn_valid(body + d))


def _formats(digits: str) -> st.SearchStrategy[str]:
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    return st.sampled_from([digits, " ".join(groups), "-".join(groups)])


card_bodies = st.integers(min_value=10**14, max_value=10**15 - 1).map(str)  # 15 digits, not starting with 0
valid_cards = card_bodies.map(_with_check_digit)
invalid_cards = valid_cards.map(lambda card: card[:-1] + str((int(card[-1]) + 1) % 10))
# Words around a number: no digits, and a space on the side that touches it.
words = st.text(alphabet="abcdefghij KLMNOP.,;:!?()\n", max_size=20)
sensitive = st.sampled_from(
    ["4111 1111 1111 1111", "12-34-56 12345678", "GB29NWBK60161331926819", "AB 12 34 56 C", "0000 0000 0000 0000"]
)
noise = st.text(alphabet="0123456789 -+.,/:ABCDGNOQTZabc\n", max_size=40)
messages = st.lists(st.one_of(noise, sensitive, valid_cards.flatmap(_formats)), max_size=8).map("".join)


@PROPERTIES
@given(card=valid_cards.flatmap(_formats), before=words, after=words)
def test_any_luhn_valid_16_digit_number_is_masked(card, before, after):
    result = mask_sensitive(f"{before} {card} {after}")

    assert result.text == f"{before} [card ending {card[-4:]}] {after}"
    assert result.cards == 1


@PROPERTIES
@given(card=invalid_cards.flatmap(_formats), before=words, after=words)
def test_luhn_invalid_16_digit_numbers_are_kept(card, before, after):
    text = f"{before} {card} {after}"

    assert mask_sensitive(text) == MaskResult(text=text)


@PROPERTIES
@given(text=messages)
def test_masking_is_idempotent(text):
    once = mask_sensitive(text)

    assert mask_sensitive(once.text) == MaskResult(text=once.text)


@PROPERTIES
@given(text=messages)
def test_masking_never_shows_more_digits(text):
    result = mask_sensitive(text)

    assert len(DIGITS.findall(result.text)) <= len(DIGITS.findall(text))
    assert len(MARKER.findall(result.text)) == result.cards
