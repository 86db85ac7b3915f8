"""The language assistant's rules, one behaviour at a time (given a reply, when reviewed, then …)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import language
from rapport.domain.language import (
    BLAME,
    JARGON,
    NEGATIVE_PHRASING,
    NO_EMPATHY,
    NO_NEXT_STEP,
    NO_OWNERSHIP,
    Finding,
    review,
)


def flagged(text: str, *, complaint: bool = False, **kwargs: object) -> set[tuple[str, str]]:
    return {(f.code, text[f.start : f.end]) for f in review(text, complaint=complaint, **kwargs)}  # type: ignore[arg-type]


def codes(text: str, *, complaint: bool = False) -> set[str]:
    return {f.code for f in review(text, complaint=complaint)}


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Unfortunately there's nothing we can do about the delay.", "Unfortunately there's nothing we can do"),
        ("We can't refund a used item.", "We can't refund a used item"),
        ("I'm unable to change the date now.", "I'm unable to change the date now"),
        ("You'll have to ring the courier yourself, as we don't.", "You'll have to ring the courier yourself"),
        ("That's not our policy, I'm afraid.", "That's not our policy"),
        ("As I've already explained, the offer ended in May.", "As I've already explained"),
    ],
)
def test_negative_phrasing_is_flagged_with_its_span(text: str, phrase: str) -> None:
    assert (NEGATIVE_PHRASING, phrase) in flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "I can't wait to help you get this sorted.",
        "You'll have the refund by Friday.",
        "We can't see any reason to refuse your refund, so I have approved it.",
        "I cannot thank you enough for your patience.",
        "Please don't hesitate to call me on 0161 496 0000.",
    ],
)
def test_positive_uses_of_negative_words_are_not_flagged(text: str) -> None:
    assert NEGATIVE_PHRASING not in codes(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("You should have read the terms before ordering.", "You should have"),
        ("You failed to return the form in time.", "You failed to"),
        ("The warehouse messed up your order.", "The warehouse messed up"),
        ("Our billing team made a mistake on your account.", "billing team made a mistake"),
        ("It was the courier's fault, not ours.", "It was the courier's fault"),
    ],
)
def test_blame_on_the_customer_or_a_colleague_is_flagged(text: str, phrase: str) -> None:
    found = {p for c, p in flagged(text) if c == BLAME}
    assert any(phrase in p or p in phrase for p in found), found


@pytest.mark.parametrize(
    "text",
    [
        "This was not your fault at all.",
        "None of this is your fault, and I'm sorry.",
        "You didn't do anything wrong.",
        "You didn't need to send the receipt again.",
    ],
)
def test_negated_blame_is_reassurance_not_blame(text: str) -> None:
    assert BLAME not in codes(text)


def test_internal_codes_are_jargon_with_a_plain_suggestion() -> None:
    text = "Your SR is in the L2 queue and an RMA has been raised. Business is BAU again."
    findings = [f for f in review(text) if f.code == JARGON]
    assert [text[f.start : f.end] for f in findings] == ["SR", "L2", "RMA", "BAU"]
    assert "return number" in findings[2].suggestion


@pytest.mark.parametrize(
    "text",
    [
        "We can book a BSL interpreter for your appointment.",
        "Under the Consumer Rights Act you are entitled to a repair or replacement.",
        "Your VAT receipt and PDF invoice are attached; your PIN has not changed.",
        "Please call the NHS 111 service or your GP.",
    ],
)
def test_terms_customers_know_are_not_jargon(text: str) -> None:
    assert JARGON not in codes(text)


def test_an_organisation_adds_its_own_jargon_and_its_own_known_terms() -> None:
    text = "I have logged it on Siebel and the WFM team will call you on Friday. Your MPAN is on the bill."
    assert (JARGON, "Siebel") in flagged(text, jargon=["Siebel"])
    assert (JARGON, "Siebel") not in flagged(text)
    assert (JARGON, "MPAN") in flagged(text)
    assert (JARGON, "MPAN") not in flagged(text, known=["MPAN"])


def test_an_acronym_explained_in_the_reply_is_not_jargon() -> None:
    assert JARGON not in codes("Please use the returns number (RMA) on the label.")


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Your complaint will be looked into.", "Your complaint will be looked into"),
        ("Someone will get back to you.", "Someone will"),
        ("This has been passed on to the relevant team.", "This has been passed on"),
        ("You will be contacted by the engineers on Monday.", "You will be contacted"),
    ],
)
def test_passive_promises_with_nobody_behind_them_lack_ownership(text: str, phrase: str) -> None:
    assert (NO_OWNERSHIP, phrase) in flagged(text)


def test_an_i_will_commitment_is_ownership() -> None:
    assert NO_OWNERSHIP not in codes("I will make sure your complaint is looked into and call you on Monday.")


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("We will be in touch in due course.", "in due course"),
        ("We'll get back to you.", "We'll get back to you"),
        ("We are looking into it and will update you as soon as possible.", "as soon as possible"),
    ],
)
def test_vague_next_steps_are_flagged(text: str, phrase: str) -> None:
    assert (NO_NEXT_STEP, phrase) in flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "I will get back to you by 3pm tomorrow.",
        "We'll be in touch within 2 working days.",
        "I'll update you on Friday.",
    ],
)
def test_a_time_makes_the_next_step_clear(text: str) -> None:
    assert NO_NEXT_STEP not in codes(text)


def test_a_complaint_reply_without_acknowledgement_lacks_empathy_on_its_first_sentence() -> None:
    text = "Dear Mrs Patel,\n\nYour refund of £42.50 has been issued. It will reach you in 3 days.\n\nKind regards"
    [finding] = [f for f in review(text, complaint=True) if f.code == NO_EMPATHY]
    assert text[finding.start : finding.end] == "Your refund of £42.50 has been issued."


@pytest.mark.parametrize(
    "text",
    [
        "I'm so sorry your boiler was left broken over the weekend.",
        "I understand how frustrating it must have been to wait in all day.",
        "Thank you for telling us about this, and I apologise.",
    ],
)
def test_acknowledging_the_customer_is_empathy(text: str) -> None:
    assert NO_EMPATHY not in codes(text, complaint=True)


def test_empathy_is_only_asked_of_complaint_replies() -> None:
    text = "Your new card will arrive on Tuesday."
    assert NO_EMPATHY in codes(text, complaint=True)
    assert NO_EMPATHY not in codes(text)


def test_sorry_you_feel_that_way_is_not_an_apology() -> None:
    assert NO_EMPATHY in codes("I'm sorry you feel that way. The charge stands.", complaint=True)


def test_quoted_customer_words_are_not_the_agents() -> None:
    text = 'You wrote "you can\'t do anything right and the warehouse messed up". I will fix it by Friday.'
    assert codes(text) == set()


def test_an_earlier_message_below_the_reply_is_not_reviewed() -> None:
    text = (
        "I have booked the engineer for Tuesday at 10am.\n\n"
        "On 3 Dec 2026, at 09:12, Sam Jones wrote:\n> You'll have to do better. Your L2 team is useless.\n"
    )
    assert review(text) == ()


def test_lines_quoted_with_a_chevron_are_not_reviewed() -> None:
    assert review("> We can't help, said the last adviser.\nI can help: I will call you at 2pm today.") == ()


def test_a_clean_reply_has_no_findings() -> None:
    text = (
        "Hi Priya,\n\nThank you for letting me know, and I'm sorry the parcel arrived damaged. "
        "I have arranged a replacement, which will be delivered on Thursday by 1pm. "
        "If it isn't there by then, please reply here and I will chase it personally.\n\nBest wishes,\nTom"
    )
    assert review(text, complaint=True) == ()


def test_findings_are_frozen_and_labelled() -> None:
    finding = review("We can't do that.")[0]
    assert isinstance(finding, Finding)
    assert finding.label == "Negative phrasing"
    with pytest.raises(AttributeError):
        finding.code = "blame"  # type: ignore[misc]


def test_suggestions_for_a_reviewer_quote_the_passage() -> None:
    first, *_ = language.suggestions("You'll have to wait.")
    assert first.startswith("Negative phrasing: \u201cYou'll have to wait\u201d")


@given(st.text(max_size=400), st.booleans())
def test_any_text_gives_findings_inside_it_in_order(text: str, complaint: bool) -> None:
    findings = review(text, complaint=complaint)
    assert all(0 <= f.start < f.end <= len(text) for f in findings)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert all(f.code in language.CODES and f.explanation for f in findings)
    assert review(text, complaint=complaint) == findings


def test_a_refusal_with_an_alternative_offered_at_once_is_not_negative() -> None:
    assert NEGATIVE_PHRASING not in codes("I'm afraid we can't price match, but I can offer you 10% off today.")
    assert NEGATIVE_PHRASING in codes("I'm afraid we can't price match online marketplaces.")


def test_the_customers_question_reported_back_is_not_the_agents_demand() -> None:
    text = "You asked whether you'll have to pay for the new bin. You won't: I have ordered one for Friday."
    assert NEGATIVE_PHRASING not in codes(text)


def test_a_passive_step_booked_with_a_time_needs_no_owner() -> None:
    assert NO_OWNERSHIP not in codes("Your laptop will be couriered to you tomorrow.")
    assert NO_OWNERSHIP in codes("Your laptop will be couriered to you.")


def test_a_matter_left_open_is_flagged_at_its_closing_words() -> None:
    text = "Hello, that's not our policy. Bulky waste collections are only booked online. Thanks."
    assert (NO_NEXT_STEP, "Thanks.") in flagged(text)


def test_a_route_for_the_customer_or_a_promised_time_is_a_next_step() -> None:
    refused = "We can't refund a used item."
    assert NO_NEXT_STEP not in codes(refused + " If you're not happy, you can ask the Ombudsman to look at it.")
    assert NO_NEXT_STEP not in codes(refused + " I will call you on Friday to talk through a repair.")


def test_boilerplate_apology_is_not_empathy() -> None:
    text = "We apologise for any inconvenience this may have caused. Your refund was issued on Monday."
    assert NO_EMPATHY in codes(text, complaint=True)


def test_blame_on_a_third_party_through_a_relative_clause() -> None:
    text = "The agent you spoke to on 3 April failed to update your notes."
    assert BLAME in codes(text)
    assert BLAME not in codes("If you didn't receive the email, I can send it again now.")
