"""Find human-readable text in Django templates that is not marked for translation.

Text is marked when it is inside ``{% translate %}`` or ``{% blocktranslate %}``; anything else a
person reads (text between tags, and the ``alt``, ``title``, ``placeholder`` and ``aria-label``
attributes) is reported with its line. Template variables and tags count as no text: what they
print is marked where it is made (forms, ``gettext`` in Python)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import DebugLexer, TokenType

READABLE_ATTRIBUTES = frozenset({"alt", "title", "placeholder", "aria-label"})
WORDS = re.compile(r"[^\W\d_]{2,}")  # two letters in a row: "Send", not "·" or "(" or "1"
HOLE = " "  # where a variable or tag was: not text (a space keeps `<fieldset{% if … %}` a tag)
NAMES = re.compile(r"\bRapport\b")  # the product's name reads the same in every language
SKIPPED_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans", "comment": "endcomment"}


@dataclass(frozen=True)
class Unmarked:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r} is not marked for translation"


def _markup_only(source: str) -> str:
    """The template with every tag, variable and translated block blanked out (newlines kept, so
    lines still count), leaving the markup and the unmarked text."""
    out: list[str] = []
    closing: str | None = None
    for token in DebugLexer(source).tokenize():
        text = token.contents
        start, end = token.position
        raw = source[start:end]
        if token.token_type == TokenType.BLOCK:
            name = text.split()[0] if text.split() else ""
            if closing is None and name in SKIPPED_BLOCKS:
                closing = SKIPPED_BLOCKS[name]
            elif name == closing:
                closing = None
        if token.token_type == TokenType.TEXT and closing is None:
            out.append(raw)
        else:
            out.append(HOLE + "\n" * raw.count("\n"))
    return "".join(out)


class _Reader(HTMLParser):
    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.found: list[Unmarked] = []
        self.raw_depth = 0  # inside <script> or <style>

    def _report(self, text: str) -> None:
        words = " ".join(text.split())
        if WORDS.search(NAMES.sub("", words)):
            self.found.append(Unmarked(self.path, self.getpos()[0], words))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.raw_depth += 1
        for name, value in attrs:
            if name in READABLE_ATTRIBUTES and value:
                self._report(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self.raw_depth:
            self.raw_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.raw_depth:
            self._report(data)


def unmarked(path: Path, *, name: str | None = None) -> list[Unmarked]:
    """Every unmarked piece of text in one template file."""
    reader = _Reader(name or str(path))
    reader.feed(_markup_only(path.read_text(encoding="utf-8")))
    reader.close()
    return reader.found
