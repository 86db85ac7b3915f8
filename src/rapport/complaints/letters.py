"""The final response (or deadlock) letter: the organisation's template, the outcome, what the law
entitles the customer to and what is offered as goodwill (kept apart), and always the ombudsman or
ADR paragraph with its time limit (DISP 1.6.2R(1)(f); ADR Regulations 2015 reg.19(3))."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from rapport import extensions
from rapport.complaints.models import Award, Complaint, ComplaintSettings
from rapport.domain import complaint_rules as rules
from rapport.domain.consumer_law import Assessment
from rapport.platform.pdf import Block, Bullets, Heading, Paragraph, render_pdf


@dataclass(frozen=True)
class Letter:
    title: str
    blocks: tuple[Block, ...]
    text: str
    filename: str
    refer_by: date
    large_print: bool = False

    def pdf(self) -> bytes:
        return render_pdf(self.title, self.blocks, large_print=self.large_print)


FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, fields: dict[str, str]) -> str:
    """The template with each known ``{name}`` replaced. Anything else, an unknown name or a stray
    brace in an admin-edited template, stays as written: a letter never fails on its template."""
    return FIELD.sub(lambda m: fields.get(m.group(1), m.group(0)), template)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def adr_paragraph(config: ComplaintSettings, refer_by: date) -> str:
    return _(
        "If you are not satisfied with our response, you have the right to refer your complaint to "
        "{adr_body}. You must do so within {months} months of the date of this "
        "letter, that is by {refer_by}; after that date it may not be able to consider your complaint. "
        "{adr_details}"
    ).format(
        adr_body=config.adr_body, months=config.referral_months, refer_by=_day(refer_by), adr_details=config.adr_details
    )


def final_response(
    complaint: Complaint,
    config: ComplaintSettings,
    *,
    assessment: Assessment | None,
    awards: Sequence[Award],
    deadlock: bool,
    today: date,
) -> Letter:
    case = complaint.case
    refer_by = rules.referral_until(today, config.referral_months)
    template = config.deadlock_template if deadlock else config.final_response_template
    fields = {
        "customer": case.customer.name,
        "subject": case.subject,
        "reference": case.reference,
        "received": _day(complaint.received_at.date()),
        "outcome": complaint.outcome_text,
    }
    opening = [p.strip() for p in fill(template.replace("\r\n", "\n"), fields).split("\n\n") if p.strip()]
    blocks: list[Block] = [Paragraph(p) for p in opening]
    text: list[str] = list(opening)

    legal = [a for a in awards if a.basis == rules.Basis.LEGAL]
    goodwill = [a for a in awards if a.basis == rules.Basis.GOODWILL]
    if assessment is not None or legal:
        blocks.append(Heading(_("What the law entitles you to"), level=2))
        text.append(_("What the law entitles you to"))
        if assessment is not None:
            blocks.append(Paragraph(assessment.explanation))
            text.append(assessment.explanation)
        if legal:
            items = [f"{a.get_kind_display()}: £{a.amount:,.2f} ({a.remedy.replace('_', ' ')})" for a in legal]
            blocks.append(Bullets(items))
            text.extend(f"- {i}" for i in items)
    if goodwill:
        blocks.append(Heading(_("What we offer as goodwill"), level=2))
        intro = _("On top of your legal rights, and not in place of them, we offer:")
        items = [f"{a.get_kind_display()}: £{a.amount:,.2f}" + (f" ({a.note})" if a.note else "") for a in goodwill]
        blocks += [Paragraph(intro), Bullets(items)]
        text += [_("What we offer as goodwill"), intro, *(f"- {i}" for i in items)]

    blocks.append(Heading(_("Your right to refer your complaint"), level=2))
    adr = adr_paragraph(config, refer_by)
    blocks.append(Paragraph(adr, bold=True))
    text += [_("Your right to refer your complaint"), adr]
    title = (_("Deadlock letter") if deadlock else _("Final response")) + f" {case.reference}"
    prefs = extensions.preferences_for(case.customer)
    return Letter(
        title=title,
        blocks=tuple(blocks),
        text="\n\n".join(text),
        filename=f"{'deadlock' if deadlock else 'final-response'}-{case.reference}.pdf",
        refer_by=refer_by,
        large_print=prefs.large_print,
    )
