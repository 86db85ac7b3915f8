"""CSV downloads of coaching tables and the appraisal PDF (``rapport.platform.pdf``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from rapport.coaching.models import Appraisal, AuditEntry
from rapport.domain import coaching as rules
from rapport.platform import csv_export
from rapport.platform.pdf import Bullets, Heading, Lines, Paragraph, Table, render_pdf


def csv_response(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    out = csv_export.writer(response)
    out.writerow(header)
    out.writerows(rows)
    return response


def _figure(value: Any, unit: str) -> str:
    return "not measured" if value is None else f"{value}{unit}"


def appraisal_pdf(appraisal: Appraisal, trail: Sequence[AuditEntry]) -> bytes:
    """The appraisal as signed (or as it stands, marked as a draft): evidence, comments, signatures."""
    ev = appraisal.evidence or {}
    state = rules.appraisal_state(appraisal.leader_signed_at is not None, appraisal.agent_signed_at is not None)
    blocks: list[Any] = [
        Heading(f"Appraisal: {appraisal.agent.name}"),
        Lines(
            [
                f"Period: {appraisal.starts_on:%d %B %Y} to {appraisal.ends_on:%d %B %Y}",
                f"Team: {ev.get('team') or 'none'}",
                f"Leader: {appraisal.leader.name if appraisal.leader else 'not recorded'}",
                f"State: {state}",
            ]
        ),
        Heading("Figures against targets", level=2),
        Table(
            ["KPI", "Agent", "Team", "Target", "Result"],
            [
                [
                    k["label"],
                    _figure(k["figure"], k["unit"]),
                    _figure(k["team_figure"], k["unit"]),
                    k["target"] or "none",
                    k["state"],
                ]
                for k in ev.get("kpis", [])
            ],
        ),
    ]
    coaching = ev.get("coaching", {})
    blocks += [
        Heading("Coaching", level=2),
        Paragraph(
            f"{coaching.get('sessions', 0)} sessions; {coaching.get('actions_done', 0)} of "
            f"{coaching.get('actions_agreed', 0)} agreed actions done."
        ),
    ]
    if coaching.get("done"):
        blocks.append(Bullets(coaching["done"]))
    for section in ev.get("sections", []):
        blocks += [Heading(section["title"], level=2), Paragraph(section["summary"])]
        if section["items"]:
            blocks.append(Bullets(section["items"]))
    if ev.get("not_measured"):
        blocks.append(Paragraph("Not measured in this installation: " + ", ".join(ev["not_measured"]) + "."))
    blocks += [
        Heading("Leader's comments", level=2),
        Paragraph(appraisal.leader_comment or "None."),
        Heading("Agent's comments", level=2),
        Paragraph(appraisal.agent_comment or "None."),
        Heading("Sign-off", level=2),
        Lines(
            [
                f"Leader: {appraisal.leader_signed_at:%d %B %Y %H:%M}"
                if appraisal.leader_signed_at
                else "Leader: not signed",
                f"Agent: {appraisal.agent_signed_at:%d %B %Y %H:%M}"
                if appraisal.agent_signed_at
                else "Agent: not signed",
            ]
        ),
        Heading("History", level=2),
        Bullets([f"{e.at:%d %B %Y %H:%M} {e.actor.name if e.actor else 'system'}: {e.what}" for e in trail]),
    ]
    return render_pdf(f"Appraisal {appraisal.agent.name} {appraisal.ends_on}", blocks, author="Rapport")
