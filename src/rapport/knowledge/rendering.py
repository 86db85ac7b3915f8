"""An article's Markdown as safe HTML, as plain text, as PDF blocks, and the structure the
accessibility checks read (headings and images).

Markdown is parsed by markdown-it-py (CommonMark, raw HTML off) and its HTML sanitised again by
nh3, so nothing an author writes runs in a reader's browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from rapport.domain import knowledge as rules
from rapport.platform import pdf

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

_TAGS = {
    "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre",
    "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"align"}, "th": {"align"}}


def html(markdown: str) -> str:
    """Safe HTML for the article page (the title is the page's h1, so no h1 is kept)."""
    return nh3.clean(
        _markdown.render(markdown),
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@dataclass(frozen=True)
class Structure:
    headings: list[tuple[int, str]]
    images: list[tuple[str, str]]


def _inline_text(token: Token) -> str:
    return "".join(child.content for child in token.children or [] if child.type in ("text", "code_inline"))


def structure(markdown: str) -> Structure:
    tokens = _markdown.parse(markdown)
    headings: list[tuple[int, str]] = []
    images: list[tuple[str, str]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            headings.append((int(token.tag[1]), _inline_text(tokens[index + 1])))
        if token.type == "inline":
            for child in token.children or []:
                if child.type == "image":
                    alt = "".join(c.content for c in child.children or [])
                    images.append((str(child.attrs.get("src", "")), alt))
    return Structure(headings, images)


def accessibility_problems(markdown: str) -> list[str]:
    """What stops the article being read by everyone: skipped heading levels, images without
    text alternatives (``domain.knowledge``)."""
    found = structure(markdown)
    return rules.heading_problems(found.headings) + rules.image_problems(found.images)


def _blocks(markdown: str) -> list[tuple[str, str, int]]:
    """The article as (kind, text, level) blocks: "heading", "paragraph", "item"."""
    tokens = _markdown.parse(markdown)
    out: list[tuple[str, str, int]] = []
    in_item = 0
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type == "inline":
            text = _plain_inline(token)
            opener = tokens[index - 1]
            if opener.type == "heading_open":
                out.append(("heading", text, int(opener.tag[1])))
            elif in_item:
                out.append(("item", text, 0))
            else:
                out.append(("paragraph", text, 0))
        elif token.type in ("fence", "code_block"):
            out.append(("paragraph", token.content.strip(), 0))
    return out


def _plain_inline(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            alt = "".join(c.content for c in child.children or [])
            parts.append(f"[Image: {alt}]")
        elif child.type == "link_open":
            parts.append("")
        elif child.type == "link_close":
            pass
    text = "".join(parts)
    links = [str(c.attrs.get("href", "")) for c in token.children or [] if c.type == "link_open"]
    if links:
        text += " (" + ", ".join(links) + ")"
    return text


def plain_text(title: str, summary: str, markdown: str) -> str:
    """The article as plain text: headings underlined, list items as bullets, links written out."""
    lines = [title, "=" * len(title), ""]
    if summary:
        lines += [summary, ""]
    for kind, text, _level in _blocks(markdown):
        if kind == "heading":
            lines += [text, "-" * len(text), ""]
        elif kind == "item":
            lines.append(f"* {text}")
        else:
            if lines and lines[-1].startswith("* "):
                lines.append("")
            lines += [text, ""]
    return "\n".join(lines).rstrip() + "\n"


def search_text(summary: str, markdown: str) -> str:
    """The words search indexes: the summary and the body without Markdown."""
    return " ".join([summary, *(text for _kind, text, _level in _blocks(markdown))])


def large_print_pdf(title: str, summary: str, markdown: str, organisation: str) -> bytes:
    """A large-print PDF (16 pt and up) in the letters' font and layout (``platform.pdf``)."""
    blocks: list[pdf.Block] = []
    if summary:
        blocks.append(pdf.Paragraph(summary, bold=True))
    items: list[str] = []
    for kind, text, level in _blocks(markdown):
        if kind == "item":
            items.append(text)
            continue
        if items:
            blocks.append(pdf.Bullets(items))
            items = []
        blocks.append(pdf.Heading(text, level=1 if level <= 2 else 2) if kind == "heading" else pdf.Paragraph(text))
    if items:
        blocks.append(pdf.Bullets(items))
    # Articles are written in English, whatever the language of the page that links to them.
    return pdf.render_pdf(title, blocks, large_print=True, author=organisation, lang="en-GB")
