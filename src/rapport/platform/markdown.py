"""Replies written in Markdown: the HTML an email and a page show, and the plain text beside it.

Markdown is parsed by markdown-it-py in its CommonMark mode with raw HTML switched off (a ``<script>``
an agent types stays text), and the HTML it makes is sanitised with nh3 (``platform.html``) before it
is stored and again whenever it is shown, so a ``javascript:`` link never survives either way. The
plain-text rendering is a first-class alternative, not a tag-stripped afterthought: links keep
their address in brackets, list items their markers, quotes their ``>``; it is what a customer
who asked for plain text (a reasonable adjustment) receives, in email and in the portal alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from rapport.platform.html import sanitise_html

TEXT = "text"
MARKDOWN = "markdown"
FORMATS = (TEXT, MARKDOWN)

# "commonmark" with raw HTML off; tables and strikethrough as people write them in email; soft
# line breaks kept as breaks (agents press Enter meaning a new line, as in any mail client).
_parser = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False}).enable(["table", "strikethrough"])


def markdown_html(source: str) -> str:
    """The sanitised HTML of a Markdown text."""
    return sanitise_html(_parser.render(source))


def markdown_text(source: str) -> str:
    """The plain-text reading of a Markdown text: what the words say without the markup."""
    lines: list[str] = []
    _blocks(_parser.parse(source), lines)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def _inline(children: Sequence[Token] | None) -> str:
    out: list[str] = []
    hrefs: list[tuple[str, int]] = []
    for token in children or ():
        if token.type in {"text", "code_inline", "html_inline"}:
            out.append(token.content)
        elif token.type in {"softbreak", "hardbreak"}:
            out.append("\n")
        elif token.type == "image":
            out.append(token.content or str(token.attrGet("alt") or ""))
        elif token.type == "link_open":
            hrefs.append((str(token.attrGet("href") or ""), len(out)))
        elif token.type == "link_close" and hrefs:
            href, start = hrefs.pop()
            words = "".join(out[start:])
            if href and href not in {words, f"mailto:{words}"}:
                out.append(f" ({href})")
    return "".join(out)


def _blocks(tokens: Sequence[Token], lines: list[str]) -> None:
    prefix: list[str] = []  # the markers that open each line: "> " in a quote, "- " on an item
    numbers: list[int | None] = []
    pending = ""  # an item's marker, written before its first line only
    for token in tokens:
        kind = token.type
        if kind == "blockquote_open":
            prefix.append("> ")
        elif kind == "blockquote_close":
            prefix.pop()
            if lines and lines[-1].strip() == ">":
                lines.pop()
            lines.append("")
        elif kind == "bullet_list_open":
            numbers.append(None)
        elif kind == "ordered_list_open":
            numbers.append(int(token.attrGet("start") or 1))
        elif kind in {"bullet_list_close", "ordered_list_close"}:
            numbers.pop()
            if not numbers:
                lines.append("")
        elif kind == "list_item_open":
            number = numbers[-1] if numbers else None
            pending = "- " if number is None else f"{number}. "
            if number is not None:
                numbers[-1] = number + 1
            prefix.append(" " * len(pending))
        elif kind == "list_item_close":
            prefix.pop()
        elif kind == "inline":
            text = _inline(token.children)
            for n, line in enumerate(text.split("\n")):
                lead = "".join(prefix)
                if n == 0 and pending:
                    lead = lead[: -len(pending)] + pending
                    pending = ""
                lines.append(lead + line)
        elif kind in {"fence", "code_block"}:
            lines.extend("".join(prefix) + line for line in token.content.rstrip("\n").split("\n"))
            lines.append("")
        elif kind == "hr":
            lines.extend(["".join(prefix) + "-" * 20, ""])
        elif kind in {"paragraph_close", "heading_close"} and not (numbers and token.hidden):
            lines.append("".join(prefix).rstrip())
        elif kind in {"tr_close"}:
            lines.append("")
        elif kind in {"th_close", "td_close"} and lines:
            lines[-1] += "  "


def message_html(source: str, body_format: str) -> str:
    """The stored HTML of a message written as ``body_format``: none for plain text (it is shown as
    written, escaped), the sanitised rendering for Markdown."""
    return markdown_html(source) if body_format == MARKDOWN else ""


def message_text(source: str, body_format: str) -> str:
    """The plain-text part of a message written as ``body_format``."""
    return markdown_text(source) if body_format == MARKDOWN else source
