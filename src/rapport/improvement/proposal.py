"""The improvement proposal: the document a manager expects, built from the initiative (seed 002's
marking points): the gap and its evidence, internal and external requirements, the proposal, the
timeline and who is responsible, resources and cost-benefit, stakeholders, and the KPIs with how
success will be monitored. The same sections feed the HTML page and the PDF."""

from __future__ import annotations

from dataclasses import dataclass

from rapport.improvement import selectors
from rapport.improvement.models import Initiative
from rapport.platform.pdf import Block, Bullets, Heading, Paragraph, Table, render_pdf


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _money(value: object) -> str:
    return f"£{value:,.2f}"


def sections(initiative: Initiative) -> list[Section]:
    """The proposal's sections, in order (``initiative`` from ``selectors.detail``)."""
    appraisal = selectors.appraisal(initiative)
    plan = selectors.cost_benefit(initiative)
    payback = (
        f"{appraisal.payback_months:.1f} months" if appraisal.payback_months is not None else "not within the horizon"
    )
    requirements = list(initiative.requirements.all())
    return [
        Section(
            "1. The gap and its evidence",
            (initiative.problem, *((f"Gap analysis: {initiative.gap_why}",) if initiative.gap_why else ())),
            tuple(
                f"{e.get_kind_display()}: {e.title}"
                + (f" — {e.detail}" if e.detail else "")
                + (f" ({len(e.case_ids)} cases)" if e.case_ids else "")
                for e in initiative.evidence.all()
            ),
        ),
        Section(
            "2. Requirements",
            header=("Requirement", "Internal / external", "Kind", "Mandatory / best practice", "Source"),
            rows=tuple(
                (
                    r.text,
                    r.get_origin_display(),
                    r.category.replace("_", " "),
                    r.get_obligation_display(),
                    r.citation or "—",
                )
                for r in requirements
            ),
        ),
        Section("3. Proposal", (initiative.proposal or "To be written.",)),
        Section(
            "4. Timeline and responsible parties",
            (
                f"Owner: {initiative.owner}."
                + (f" Also responsible: {initiative.responsible}." if initiative.responsible else ""),
            ),
            header=("Milestone", "Owner", "Due", "Done"),
            rows=tuple(
                (
                    m.title,
                    str(m.owner or "—"),
                    m.due_on.strftime("%d %b %Y"),
                    m.done_at.strftime("%d %b %Y") if m.done_at else "—",
                )
                for m in initiative.milestones.all()
            ),
        ),
        Section(
            "5. Resources and cost-benefit",
            (
                f"Staff time to do it: {initiative.staff_hours} hours. Systems: {initiative.systems or 'none'}.",
                f"One-off cost {_money(plan.one_off_cost)}; recurring {_money(plan.monthly_cost)} a month. "
                f"Expected benefit {_money(plan.monthly_benefit)} a month (saved {_money(plan.monthly_saving)}, "
                f"redress avoided {_money(plan.monthly_redress_avoided)}, {plan.monthly_hours_saved} staff hours, "
                f"lifetime value retained {_money(plan.monthly_value_retained)}).",
                f"Net present value over {plan.months} months: {_money(appraisal.net_present_value)}. "
                f"Payback: {payback}.",
            ),
            tuple(f"Assumption: {a}" for a in appraisal.assumptions),
        ),
        Section(
            "6. Stakeholders",
            bullets=tuple(f"{s.get_group_display()}: {s.how}" for s in initiative.stakeholders.all()),
        ),
        Section(
            "7. Risks",
            bullets=tuple(
                f"{r.text}" + (f" — mitigation: {r.mitigation}" if r.mitigation else "") for r in initiative.risks.all()
            ),
        ),
        Section(
            "8. KPIs and how success will be monitored",
            (
                f"Each KPI is computed by Rapport for the scope {initiative.get_scope_dimension_display().lower()}"
                + (f" ({initiative.scope_value})" if initiative.scope_value else "")
                + f", over the {initiative.baseline_days} days before the change and from the change to the check date "
                f"({initiative.check_on.strftime('%d %b %Y')}), and compared: difference, 95% interval, "
                "p-value and verdict.",
            ),
            header=("KPI", "Baseline", "Target", "Latest Check"),
            rows=tuple(
                (
                    v.label,
                    f"{v.kpi.baseline:.1f}{v.unit} (n={v.kpi.baseline_n})"
                    if v.kpi.baseline is not None
                    else "not enough data",
                    f"{v.kpi.target:g}{v.unit}",
                    v.latest.explanation if v.latest else "not checked yet",
                )
                for v in selectors.kpi_views(initiative)
            ),
        ),
    ]


def pdf(initiative: Initiative) -> bytes:
    blocks: list[Block] = []
    for section in sections(initiative):
        blocks.append(Heading(section.title, level=2))
        blocks.extend(Paragraph(text) for text in section.paragraphs)
        if section.bullets:
            blocks.append(Bullets(section.bullets))
        if section.rows:
            blocks.append(Table(section.header, section.rows))
    return render_pdf(f"Improvement proposal: {initiative.title}", blocks, author=str(initiative.owner))
