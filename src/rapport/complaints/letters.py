"""The final response (or deadlock) letter: the organisation's letterhead, the date, the outcome in
the organisation's words (which the handler may edit before sending), what the law entitles the
customer to and what is offered as goodwill (kept apart), the signature of the person who handled
it, and always the ombudsman or ADR paragraph with its time limit (DISP 1.6.2R(1)(f); ADR
Regulations 2015 reg.19(3)).

The case's subject is shown as a label on its own line ("Your complaint: …"), never inside a
sentence: subjects are whatever the customer or an agent typed, and read badly in the middle of one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, gettext_noop

from rapport import extensions
from rapport.accounts.models import User
from rapport.complaints.models import (
    DEFAULT_DEADLOCK,
    DEFAULT_FINAL_RESPONSE,
    AdrScheme,
    Award,
    Complaint,
    ComplaintSettings,
)
from rapport.customers.language import in_language_of
from rapport.domain import complaint_rules as rules
from rapport.domain.consumer_law import Assessment
from rapport.platform.pdf import Block, Bullets, Heading, Lines, Paragraph, render_pdf

SIGN_OFF = gettext_noop("Yours sincerely,")  # translated where it is written
# What is paid or given, and the statutory remedy, as the letter names them (its language's words).
AWARD_KINDS = {
    "refund": gettext_noop("Refund"),
    "goodwill": gettext_noop("Goodwill"),
    "compensation": gettext_noop("Compensation"),
}
REMEDIES = {
    "short_term_reject": gettext_noop("short term reject"),
    "repair": gettext_noop("repair"),
    "replacement": gettext_noop("replacement"),
    "price_reduction": gettext_noop("price reduction"),
    "final_reject": gettext_noop("final reject"),
    "repeat_performance": gettext_noop("repeat performance"),
    "cancel": gettext_noop("cancel"),
}


@dataclass(frozen=True)
class Adr:
    """The ombudsman or ADR body a complaint may be referred to, and within how long."""

    body: str
    details: str
    months: int


@dataclass(frozen=True)
class Letter:
    title: str
    letterhead: tuple[str, ...]
    dated: date
    reference: str
    subject: str
    body: str  # the opening and outcome: the part the handler may edit before sending
    sections: tuple[tuple[Block, str], ...]  # the law, goodwill and ADR parts: a block and its text each
    signature: tuple[str, ...]
    filename: str
    refer_by: date
    adr: Adr
    large_print: bool = False
    language: str = "en-gb"  # the Django language tag it is written in: the customer's preference

    @property
    def paragraphs(self) -> list[str]:
        return paragraphs(self.body)

    @property
    def blocks(self) -> tuple[Block, ...]:
        with translation.override(self.language):
            return self._blocks()

    def _blocks(self) -> tuple[Block, ...]:
        head: list[Block] = [
            Lines(self.letterhead, align="R", bold_first=True),
            Lines([day(self.dated)]),
            Lines([_our_reference(self.reference), _your_complaint(self.subject)]),
            Heading(self.title, level=2),
        ]
        return (
            *head,
            *(Paragraph(p) for p in self.paragraphs),
            *(block for block, _ in self.sections),
            Lines([gettext(SIGN_OFF), "", *self.signature]),
        )

    @property
    def text(self) -> str:
        """The letter as the email's text: the same words as the PDF attached to it."""
        with translation.override(self.language):
            return self._text()

    def _text(self) -> str:
        parts = [
            day(self.dated),
            f"{_our_reference(self.reference)}\n{_your_complaint(self.subject)}",
            *self.paragraphs,
            *(text for _, text in self.sections),
            "\n".join([gettext(SIGN_OFF), "", *self.signature]),
        ]
        return "\n\n".join(parts)

    def pdf(self) -> bytes:
        with translation.override(self.language):
            return render_pdf(
                f"{self.title} {self.reference}", self.blocks, large_print=self.large_print, show_title=False
            )


def _our_reference(reference: str) -> str:
    return gettext("Our reference: {reference}").format(reference=reference)


def _your_complaint(subject: str) -> str:
    return gettext("Your complaint: {subject}").format(subject=subject)


FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, fields: dict[str, str]) -> str:
    """The template with each known ``{name}`` replaced. Anything else, an unknown name or a stray
    brace in an admin-edited template, stays as written: a letter never fails on its template."""
    return FIELD.sub(lambda m: fields.get(m.group(1), m.group(0)), template)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def day(value: date) -> str:
    """A date as a letter prints it, in the active language ("5 December 2026", "5 Rhagfyr 2026")."""
    return date_format(value, "j F Y")


def pounds(amount: object) -> str:
    """An amount in pounds with pence and thousands grouped, as the active language writes it."""
    return "£" + number_format(amount, 2, force_grouping=True)


def award_kind(award: Award) -> str:
    return gettext(AWARD_KINDS[award.kind]) if award.kind in AWARD_KINDS else award.get_kind_display()


def remedy_words(code: str) -> str:
    return gettext(REMEDIES[code]) if code in REMEDIES else code.replace("_", " ")


def letterhead(config: ComplaintSettings) -> tuple[str, ...]:
    """The organisation's name, address and contact line, as set in admin."""
    name = config.organisation_name.strip() or settings.RAPPORT_ORGANISATION
    address = [line.strip() for line in config.organisation_address.splitlines() if line.strip()]
    contact = [config.organisation_contact.strip()] if config.organisation_contact.strip() else []
    return (name, *address, *contact)


def adr_for(complaint: Complaint, config: ComplaintSettings) -> Adr:
    """The scheme for the complaint's product or service when one is set, else the organisation's."""
    product = complaint.product.strip()
    scheme = AdrScheme.objects.filter(category__iexact=product).first() if product else None
    if scheme is not None:
        return Adr(scheme.adr_body, scheme.adr_details, scheme.referral_months)
    return Adr(config.adr_body, config.adr_details, config.referral_months)


def adr_paragraph(adr: Adr, refer_by: date) -> str:
    return (
        gettext(
            "If you are not satisfied with our response, you have the right to refer your complaint to "
            "{body}. You must do so within {months} months of the date of this "
            "letter, that is by {refer_by}; after that date it may not be able to consider your complaint. "
            "{details}"
        ).format(body=adr.body, months=adr.months, refer_by=day(refer_by), details=adr.details)
    ).strip()


def signature(signatory: User | None, organisation: str) -> tuple[str, ...]:
    """The handler's name and role, and the organisation they write for."""
    if signatory is None:
        return (gettext("The complaints team"), organisation)
    role = signatory.get_role_display() if signatory.role else ""
    return (signatory.name or signatory.email, f"{role}, {organisation}" if role else organisation)


def opening(complaint: Complaint, config: ComplaintSettings, *, deadlock: bool) -> str:
    """The organisation's template, filled: what the handler sees and may edit before sending."""
    case = complaint.case
    template = config.deadlock_template if deadlock else config.final_response_template
    if template in (DEFAULT_FINAL_RESPONSE, DEFAULT_DEADLOCK):
        template = gettext(template)  # the wording as shipped, in the customer's language
    fields = {
        "customer": case.customer.name,
        "subject": case.subject,
        "reference": case.reference,
        "received": day(complaint.received_at.date()),
        "outcome": complaint.outcome_text,
    }
    return "\n\n".join(paragraphs(fill(template, fields)))


def final_response(
    complaint: Complaint,
    config: ComplaintSettings,
    *,
    assessment: Assessment | None,
    awards: Sequence[Award],
    deadlock: bool,
    today: date,
    signatory: User | None = None,
    body: str | None = None,
) -> Letter:
    """The letter; ``body`` replaces the template's opening and outcome (the handler's edit)."""
    with in_language_of(complaint.case.customer) as language:
        return _final_response(
            complaint,
            config,
            assessment=assessment,
            awards=awards,
            deadlock=deadlock,
            today=today,
            signatory=signatory,
            body=body,
            language=language,
        )


def _final_response(
    complaint: Complaint,
    config: ComplaintSettings,
    *,
    assessment: Assessment | None,
    awards: Sequence[Award],
    deadlock: bool,
    today: date,
    signatory: User | None,
    body: str | None,
    language: str,
) -> Letter:
    case = complaint.case
    adr = adr_for(complaint, config)
    refer_by = rules.referral_until(today, adr.months)
    sections: list[tuple[Block, str]] = []

    legal = [a for a in awards if a.basis == rules.Basis.LEGAL]
    goodwill = [a for a in awards if a.basis == rules.Basis.GOODWILL]
    if assessment is not None or legal:
        heading = gettext("What the law entitles you to")
        sections.append((Heading(heading, level=2), heading))
        if assessment is not None:
            sections.append((Paragraph(assessment.explanation), assessment.explanation))
        if legal:
            items = [f"{award_kind(a)}: {pounds(a.amount)} ({remedy_words(a.remedy)})" for a in legal]
            sections.append((Bullets(items), "\n".join(f"- {i}" for i in items)))
    if goodwill:
        heading = gettext("What we offer as goodwill")
        intro = gettext("On top of your legal rights, and not in place of them, we offer:")
        items = [f"{award_kind(a)}: {pounds(a.amount)}" + (f" ({a.note})" if a.note else "") for a in goodwill]
        sections += [
            (Heading(heading, level=2), heading),
            (Paragraph(intro), intro),
            (Bullets(items), "\n".join(f"- {i}" for i in items)),
        ]
    heading = gettext("Your right to refer your complaint")
    referral = adr_paragraph(adr, refer_by)
    sections += [(Heading(heading, level=2), heading), (Paragraph(referral, bold=True), referral)]

    head = letterhead(config)
    prefs = extensions.preferences_for(case.customer)
    return Letter(
        title=gettext("Our final response to your complaint"),
        letterhead=head,
        dated=today,
        reference=case.reference,
        subject=case.subject,
        body=body if body is not None and body.strip() else opening(complaint, config, deadlock=deadlock),
        sections=tuple(sections),
        signature=signature(signatory, head[0]),
        filename=f"{'deadlock' if deadlock else 'final-response'}-{case.reference}.pdf",
        refer_by=refer_by,
        adr=adr,
        large_print=prefs.large_print,
        language=language,
    )
