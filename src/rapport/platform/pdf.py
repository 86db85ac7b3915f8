"""Plain, accessible PDFs from structured content: headings, paragraphs, lists and tables.

Every PDF Rapport sends (final response letters, subject access summaries, learning exports) is
built here so they share one look and one accessibility baseline: a document title and language
in the metadata, real text (never images of text), a readable size, and a large-print variant
(16 pt and up, as RNIB's clear print guidance recommends) for customers who asked for it as a
reasonable adjustment (Equality Act 2010 s.20).

Text is set in DejaVu Sans, a Unicode TrueType font (Debian's ``fonts-dejavu-core``, which the
set-up installs), so Welsh (ŵ, ŷ), the euro sign and other non-Latin-1 text print as written; the
built-in PDF fonts cover Latin-1 only and printed "Llŷr" as "Ll?r". fpdf2 embeds only the glyphs a
document uses. No font is fetched at run time or kept in the repository.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from django.utils import translation
from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FONT_PACKAGE = "fonts-dejavu-core"


class FontMissing(RuntimeError):
    """The Unicode font PDFs are set in is not installed on this machine."""


def font_paths(font_dir: Path | None = None) -> dict[str, Path]:
    """The font file for each style; ``FontMissing`` names the package when one is absent."""
    folder = font_dir or FONT_DIR
    paths = {style: folder / name for style, name in FONT_FILES.items()}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise FontMissing(
            f"PDFs need the DejaVu Sans font, missing at {', '.join(missing)}. "
            f"Install it with: sudo apt-get install {FONT_PACKAGE}"
        )
    return paths


def document_language() -> str:
    """The PDF's language (its ``/Lang``, read by screen readers) as a BCP 47 tag: the language the
    document is being written in ("en-GB", "cy")."""
    tag = translation.get_language() or "en-gb"
    primary, _, region = tag.partition("-")
    return f"{primary}-{region.upper()}" if region else primary


def fold(text: str) -> str:
    """``text`` as printed: composed (NFC), so a letter and its accent are one glyph."""
    return unicodedata.normalize("NFC", str(text))


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Lines:
    """Short lines set close together, e.g. an address or a letter's signature; ``align`` "R" puts
    them at the right margin (a letterhead)."""

    lines: Sequence[str]
    align: Literal["L", "R"] = "L"
    bold_first: bool = False


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[int] = field(default_factory=tuple)


Block = Heading | Paragraph | Lines | Bullets | Table


def render_pdf(
    title: str,
    blocks: Sequence[Block],
    *,
    large_print: bool = False,
    author: str = "",
    show_title: bool = True,
    font_dir: Path | None = None,
    lang: str | None = None,
) -> bytes:
    """The PDF for ``blocks`` under ``title``; ``large_print`` sets body text at 16 pt, else 11 pt.
    ``show_title`` False keeps the title in the metadata only (a letter prints its own heading
    below its letterhead). ``lang`` is the text's language (BCP 47) when it is not the active one."""
    base = 16 if large_print else 11
    pdf = FPDF(format="A4")
    for style, path in font_paths(font_dir).items():
        pdf.add_font(FONT_FAMILY, style, str(path))
    pdf.set_title(fold(title))
    pdf.set_lang(lang or document_language())
    if author:
        pdf.set_author(fold(author))
    pdf.set_creator("Rapport")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    if show_title:
        pdf.set_font(FONT_FAMILY, "B", base + 6)
        pdf.multi_cell(0, (base + 6) * 0.55, fold(title), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(base * 0.4)
    line = base * 0.5
    for block in blocks:
        if isinstance(block, Heading):
            size = base + (4 if block.level == 1 else 2)
            pdf.ln(line * 0.5)
            pdf.set_font(FONT_FAMILY, "B", size)
            pdf.multi_cell(0, size * 0.55, fold(block.text), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(line * 0.3)
        elif isinstance(block, Paragraph):
            # Ragged right, never justified: justified lines open wide gaps between words, which
            # readers with dyslexia find hard (British Dyslexia Association style guide).
            pdf.set_font(FONT_FAMILY, "B" if block.bold else "", base)
            pdf.multi_cell(0, line, fold(block.text), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(line * 0.5)
        elif isinstance(block, Lines):
            for index, text in enumerate(block.lines):
                pdf.set_font(FONT_FAMILY, "B" if block.bold_first and index == 0 else "", base)
                pdf.multi_cell(0, line, fold(text), align=block.align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(line * 0.5)
        elif isinstance(block, Bullets):
            pdf.set_font(FONT_FAMILY, "", base)
            for item in block.items:
                pdf.multi_cell(0, line, fold(f"•  {item}"), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(line * 0.5)
        else:
            _table(pdf, block, base, line)
    return bytes(pdf.output())


def _table(pdf: FPDF, table: Table, base: int, line: float) -> None:
    pdf.set_font(FONT_FAMILY, "", base - 1)
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
