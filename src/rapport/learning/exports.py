"""A learner's portfolio for an end-point assessment, as CSV and PDF: one row per marking point
with how far they have come, the answers that earned it and the evidence signed off against it."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from rapport.accounts.models import User
from rapport.learning import selectors
from rapport.learning.models import Evidence, MarkingPoint, SignOffDecision
from rapport.platform import csv_export
from rapport.platform.pdf import Bullets, Heading, Paragraph, Table, render_pdf
from rapport.platform.shown import shown_date

CSV_HEADER = (
    "Unit",
    "Marking point",
    "Marking point text",
    "Progress",
    "Evidence",
    "Signed off by",
    "Signed off on",
)


@dataclass(frozen=True)
class PortfolioRow:
    point: MarkingPoint
    progress: selectors.Progress
    evidence: list[Evidence]

    @property
    def accepted(self) -> list[tuple[Evidence, str, str]]:
        latest = [(item, decisions[-1]) for item in self.evidence if (decisions := list(item.sign_offs.all()))]
        return [
            (item, str(decision.assessor or ""), decision.at.date().isoformat())
            for item, decision in latest
            if decision.decision == SignOffDecision.ACCEPTED
        ]


def portfolio_rows(learner: User) -> list[PortfolioRow]:
    matrix = selectors.progress_matrix([learner])
    by_point: dict[int, list[Evidence]] = {}
    for item in selectors.learner_evidence(learner):
        for point in item.points.all():
            by_point.setdefault(point.pk, []).append(item)
    return [PortfolioRow(p, matrix.status(learner, p), by_point.get(p.pk, [])) for p in matrix.points]


def describe(evidence: Evidence) -> str:
    where = evidence.case.reference if evidence.case else evidence.link
    return f"{evidence.get_kind_display()} ({where}): {evidence.summary}"


def portfolio_csv(learner: User) -> str:
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow(CSV_HEADER)
    for row in portfolio_rows(learner):
        accepted = row.accepted
        writer.writerow(
            [
                row.point.unit.title,
                row.point.position,
                row.point.text,
                row.progress.label,
                " | ".join(describe(e) for e in row.evidence),
                "; ".join(by for _, by, _ in accepted),
                "; ".join(at for _, _, at in accepted),
            ]
        )
    return out.getvalue()


def portfolio_pdf(learner: User, *, now: datetime) -> bytes:
    rows = portfolio_rows(learner)
    done = sum(1 for r in rows if r.progress == selectors.Progress.SIGNED_OFF)
    blocks: list[Heading | Paragraph | Bullets | Table] = [
        Heading(f"Learning portfolio: {learner.name}"),
        Paragraph(f"Prepared {shown_date(now)}. {done} of {len(rows)} marking points signed off."),
        Heading("Progress by marking point", level=2),
        Table(
            header=("Unit", "Point", "Progress", "Signed off by"),
            rows=[
                (
                    r.point.unit.title[:50],
                    f"{r.point.position}. {r.point.text[:120]}",
                    r.progress.label,
                    "; ".join(f"{by} {at}" for _, by, at in r.accepted),
                )
                for r in rows
            ],
            widths=(40, 80, 25, 25),
        ),
    ]
    evidence = {e.pk: e for r in rows for e in r.evidence}
    if evidence:
        blocks += [Heading("Evidence", level=2), Bullets([describe(e) for e in evidence.values()])]
    return render_pdf(f"Learning portfolio: {learner.name}", blocks, author="Rapport")
