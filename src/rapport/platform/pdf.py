"""Plain, accessible PDFs from structured content: headings, paragraphs, lists and tables.

Every PDF Rapport sends (final response letters, subject access summaries, learning exports) is
built here so they share one look and one accessibility baseline: a document title and language
in the metadata, real text (never images of text), a readable size, and a large-print variant
(16 pt and up, as RNIB's clear print guidance recommends) for customers who asked for it as a
reasonable adjustment (Equality Act 2010 s.20).

The built-in PDF fonts cover Latin-1 only, so text is first folded to it: typographic quotes and
dashes become their plain forms and anything else unrepresentable becomes "?" rather than failing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from fpdf import FPDF

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u2022": "-",
        "\u00a0": " ",
        "\u2192": "->",
    }
)


def fold(text: str) -> str:
    """``text`` in the Latin-1 characters the built-in fonts can show."""
    text = unicodedata.normalize("NFC", str(text).translate(_FOLD))
    return text.encode("latin-1", "replace").decode("latin-1")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[int] = field(default_factory=tuple)


Block = Heading | Paragraph | Bullets | Table


def render_pdf(title: str, blocks: Sequence[Block], *, large_print: bool = False, author: str = "") -> bytes:
    """The PDF for ``blocks`` under ``title``; ``large_print`` sets body text at 16 pt, else 11 pt."""
    base = 16 if large_print else 11
    pdf = FPDF(format="A4")
    pdf.set_title(fold(title))
    pdf.set_lang("en-GB")
    if author:
        pdf.set_author(fold(author))
    pdf.set_creator("Rapport")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", base + 6)
    pdf.multi_cell(0, (base + 6) * 0.55, fold(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(base * 0.4)
    line = base * 0.5
    for block in blocks:
        if isinstance(block, Heading):
            size = base + (4 if block.level == 1 else 2)
            pdf.ln(line * 0.5)
            pdf.set_font("Helvetica", "B", size)
            pdf.multi_cell(0, size * 0.55, fold(block.text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(line * 0.3)
        elif isinstance(block, Paragraph):
            pdf.set_font("Helvetica", "B" if block.bold else "", base)
            pdf.multi_cell(0, line, fold(block.text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(line * 0.5)
        elif isinstance(block, Bullets):
            pdf.set_font("Helvetica", "", base)
            for item in block.items:
                pdf.multi_cell(0, line, fold(f"-  {item}"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(line * 0.5)
        else:
            _table(pdf, block, base, line)
    return bytes(pdf.output())


def _table(pdf: FPDF, table: Table, base: int, line: float) -> None:
    pdf.set_font("Helvetica", "", base - 1)
    widths = tuple(table.widths) or None
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=line) as grid:
        header = grid.row()
        for cell in table.header:
            header.cell(fold(cell))
        for values in table.rows:
            row = grid.row()
            for cell in values:
                row.cell(fold(cell))
    pdf.ln(line * 0.5)
