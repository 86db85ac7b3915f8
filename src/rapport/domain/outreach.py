"""Proactive service: the rules for a planned outbound message to a group of customers.

Two purposes, two lawful footings:

- A **service** message tells people about their own service (their delayed order, an outage that
  affects them, a change to their case). Its basis is legitimate interests, UK GDPR Art 6(1)(f)
  (the organisation's and the customer's interest in being told, which the customer would
  reasonably expect). It is not direct marketing, so the consent rule for electronic marketing,
  PECR reg. 22, does not apply (ICO, "Guide to PECR: electronic mail marketing" and "Direct
  marketing guidance": a service message with no promotional content is not marketing).
- A **marketing** message promotes something. By email it needs the person's consent (PECR reg.
  22(2)), or the soft opt-in of reg. 22(3) which Rapport does not infer; so people who have not
  said yes are skipped, and so are those who said no (UK GDPR Art 21(3): an objection to direct
  marketing is absolute).

For both, a customer whose processing is restricted (UK GDPR Art 18(2): stored, not otherwise
used) or who has been erased (Art 17) is skipped, with the reason recorded. Reasonable adjustments
(Equality Act 2010 s.20(6), s.29(7)) shape how each message goes: their preferred channel, large
print, easy read, and an offer of British Sign Language by video relay.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Purpose(StrEnum):
    SERVICE = "service"
    MARKETING = "marketing"


BASIS = {
    Purpose.SERVICE: (
        "Legitimate interests (UK GDPR Art 6(1)(f)): a service message about the customer's own case, "
        "order or an outage that affects them. Not direct marketing, so PECR reg. 22 consent is not needed."
    ),
    Purpose.MARKETING: (
        "Consent (UK GDPR Art 6(1)(a); PECR reg. 22(2) for email): only customers whose latest consent "
        "to marketing by email is yes."
    ),
}


def lawful_basis(purpose: str) -> str:
    """The basis a send relies on, in words with its sources, recorded on the send."""
    return BASIS[Purpose(purpose)]


class Skip(StrEnum):
    """Why a customer in the group is not sent the message, in the order the reasons are tested."""

    ERASED = "erased"
    RESTRICTED = "restricted"
    OPTED_OUT = "opted_out"
    NO_CONSENT = "no_consent"
    NO_ADDRESS = "no_address"


SKIP_LABELS = {
    Skip.ERASED: "Erased (UK GDPR Art 17)",
    Skip.RESTRICTED: "Processing restricted (UK GDPR Art 18(2))",
    Skip.OPTED_OUT: "Said no to marketing (UK GDPR Art 21(3))",
    Skip.NO_CONSENT: "No consent to marketing by email (PECR reg. 22)",
    Skip.NO_ADDRESS: "No email address and no other channel to reach them on",
}


def skips_for(purpose: str) -> tuple[Skip, ...]:
    """The reasons that apply to a purpose: consent is asked only for marketing."""
    if Purpose(purpose) == Purpose.MARKETING:
        return tuple(Skip)
    return (Skip.ERASED, Skip.RESTRICTED, Skip.NO_ADDRESS)


class Format(StrEnum):
    """How one customer's copy is shaped by their reasonable adjustments."""

    STANDARD = "standard"
    PLAIN_TEXT = "plain_text"
    LARGE_PRINT = "large_print"
    EASY_READ = "easy_read"
    BSL_OFFER = "bsl_offer"


FORMAT_LABELS = {
    Format.STANDARD: "Standard",
    Format.PLAIN_TEXT: "Plain text only",
    Format.LARGE_PRINT: "Large-print copy attached",
    Format.EASY_READ: "Easy-read wording",
    Format.BSL_OFFER: "Offer of BSL by video relay",
}

EMAIL = "email"
BY_HAND = frozenset({"phone", "letter", "face_to_face"})  # a person calls, posts or sees them


@dataclass(frozen=True)
class Delivery:
    """How one customer is reached: ``channel`` ("email", or "phone"/"letter" done by a person,
    listed for the team) and the ``formats`` their adjustments ask for."""

    channel: str
    formats: tuple[Format, ...]

    @property
    def by_hand(self) -> bool:
        return self.channel in BY_HAND


def delivery(
    *,
    has_email: bool,
    preferred_channel: str = "",
    plain_text_only: bool = False,
    large_print: bool = False,
    easy_read: bool = False,
    bsl_relay: bool = False,
) -> Delivery | None:
    """The channel and formats for one customer, or None when nothing can reach them.

    A preferred channel a person works (phone, letter, face to face) is honoured over email, so
    the team is given the list to call or post; any other preference (chat, the portal) falls back
    to email, which every customer with an address has agreed to be written to on. Easy read
    implies plain text (no layout to lose the reader)."""
    if preferred_channel in BY_HAND:
        channel = preferred_channel
    elif has_email:
        channel = EMAIL
    else:
        return None
    formats: list[Format] = []
    if easy_read:
        formats.append(Format.EASY_READ)
    if plain_text_only or easy_read:
        formats.append(Format.PLAIN_TEXT)
    if large_print:
        formats.append(Format.LARGE_PRINT)
    if bsl_relay:
        formats.append(Format.BSL_OFFER)
    return Delivery(channel, tuple(formats) or (Format.STANDARD,))


BSL_OFFER_TEXT = (
    "If you would like to talk about this in British Sign Language, reply to this email and we will "
    "arrange a call through a BSL video relay service, at no cost to you."
)


def wording(*, body: str, easy_read_body: str, formats: tuple[Format, ...]) -> str:
    """The text one customer is sent: the easy-read version when they need it and there is one,
    with the BSL offer added for those who use it."""
    text = easy_read_body if Format.EASY_READ in formats and easy_read_body.strip() else body
    if Format.BSL_OFFER in formats:
        text = f"{text.rstrip()}\n\n{BSL_OFFER_TEXT}"
    return text


def progress(done: int, total: int) -> float:
    """The share of a send done, from 0 to 1 (a send to nobody is done)."""
    return 1.0 if total <= 0 else min(done / total, 1.0)
