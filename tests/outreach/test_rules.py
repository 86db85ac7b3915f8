"""The pure rules of proactive service (rapport.domain.outreach)."""

from __future__ import annotations

from rapport.domain.outreach import (
    BSL_OFFER_TEXT,
    Format,
    Purpose,
    Skip,
    delivery,
    lawful_basis,
    progress,
    skips_for,
    wording,
)


def test_a_service_message_rests_on_legitimate_interests_and_needs_no_pecr_consent():
    basis = lawful_basis("service")
    assert "Art 6(1)(f)" in basis
    assert "PECR reg. 22" in basis
    assert "not needed" in basis
    assert "PECR reg. 22(2)" in lawful_basis("marketing")


def test_consent_is_asked_only_for_marketing_but_restriction_always_skips():
    assert Skip.NO_CONSENT not in skips_for(Purpose.SERVICE)
    assert Skip.OPTED_OUT not in skips_for(Purpose.SERVICE)
    assert Skip.RESTRICTED in skips_for(Purpose.SERVICE)
    assert {Skip.NO_CONSENT, Skip.OPTED_OUT, Skip.RESTRICTED} <= set(skips_for(Purpose.MARKETING))


def test_delivery_honours_a_preferred_channel_a_person_works_over_email():
    letter = delivery(has_email=True, preferred_channel="letter", large_print=True)
    assert letter is not None
    assert letter.channel == "letter"
    assert letter.by_hand
    assert Format.LARGE_PRINT in letter.formats
    chat = delivery(has_email=True, preferred_channel="chat")
    assert chat is not None
    assert chat.channel == "email"
    assert chat.formats == (Format.STANDARD,)
    assert delivery(has_email=False) is None
    assert delivery(has_email=False, preferred_channel="phone").channel == "phone"  # type: ignore[union-attr]


def test_easy_read_implies_plain_text_and_bsl_adds_the_offer():
    found = delivery(has_email=True, easy_read=True, bsl_relay=True)
    assert found is not None
    assert found.formats == (Format.EASY_READ, Format.PLAIN_TEXT, Format.BSL_OFFER)
    text = wording(body="Long words.", easy_read_body="Short words.", formats=found.formats)
    assert text.startswith("Short words.")
    assert text.endswith(BSL_OFFER_TEXT)
    assert wording(body="Long words.", easy_read_body="", formats=found.formats).startswith("Long words.")
    assert wording(body="Long words.", easy_read_body="Short.", formats=(Format.STANDARD,)) == "Long words."


def test_progress_is_a_share_from_zero_to_one():
    assert progress(0, 10) == 0.0
    assert progress(5, 10) == 0.5
    assert progress(12, 10) == 1.0
    assert progress(0, 0) == 1.0
