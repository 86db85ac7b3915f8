"""Accessibility basics checked on the HTML a page sends (no browser needed).

A small html.parser walk that finds what a screen-reader user would trip over first: form
controls without a label, duplicate ids (which break label and aria references), tables
without captions or header scopes, aria references that point nowhere, pages without a title
or a single h1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

UNLABELLED_TYPES = frozenset({"hidden", "submit", "button", "reset", "image"})
CONTROLS = frozenset({"input", "select", "textarea"})


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    inside_label: bool

    def describe(self) -> str:
        return f"<{self.tag} name={self.attrs.get('name')!r} id={self.attrs.get('id')!r}>"


@dataclass
class PageFacts:
    label_for: set[str] = field(default_factory=set)
    controls: list[Control] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)  # (attribute, id)
    tables: int = 0
    captions: int = 0
    header_cells_without_scope: int = 0
    title: str = ""
    h1_count: int = 0


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self.label_depth = 0
        self.in_title = False
        self.in_thead = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        facts = self.facts
        if "id" in values:
            facts.ids.append(values["id"])
        for attribute in ("aria-describedby", "aria-labelledby"):
            for ref in values.get(attribute, "").split():
                facts.references.append((attribute, ref))
        if tag == "label":
            self.label_depth += 1
            if values.get("for"):
                facts.label_for.add(values["for"])
        elif tag in CONTROLS:
            facts.controls.append(Control(tag, values, inside_label=self.label_depth > 0))
        elif tag == "table":
            facts.tables += 1
        elif tag == "caption":
            facts.captions += 1
        elif tag == "th" and "scope" not in values:
            facts.header_cells_without_scope += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "h1":
            facts.h1_count += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.label_depth = max(0, self.label_depth - 1)
        elif tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.facts.title += data


def page_facts(html: str) -> PageFacts:
    walker = _Walker()
    walker.feed(html)
    walker.close()
    return walker.facts


def unlabelled_controls(html: str) -> list[str]:
    """Every input, select and textarea (except hidden and button-like inputs) that has neither a
    <label for> naming its id nor an aria-label / aria-labelledby."""
    facts = page_facts(html)
    missing = []
    for control in facts.controls:
        if control.tag == "input" and control.attrs.get("type", "text") in UNLABELLED_TYPES:
            continue
        if control.attrs.get("aria-label") or control.attrs.get("aria-labelledby"):
            continue
        if control.attrs.get("id") and control.attrs["id"] in facts.label_for:
            continue
        missing.append(control.describe())
    return missing


def page_problems(html: str, *, fragment: bool = False) -> list[str]:
    """Everything wrong with a page by the basic rules above; empty when it passes."""
    facts = page_facts(html)
    problems = [f"no label: {c}" for c in unlabelled_controls(html)]
    seen: set[str] = set()
    for ident in facts.ids:
        if ident in seen:
            problems.append(f"duplicate id: {ident}")
        seen.add(ident)
    for attribute, ref in facts.references:
        if ref not in seen:
            problems.append(f"{attribute} points at a missing id: {ref}")
    if facts.tables != facts.captions:
        problems.append(f"{facts.tables} tables but {facts.captions} captions")
    if facts.header_cells_without_scope:
        problems.append(f"{facts.header_cells_without_scope} <th> without scope")
    if not fragment:
        if not facts.title.strip():
            problems.append("no <title>")
        if facts.h1_count != 1:
            problems.append(f"{facts.h1_count} <h1> elements (want one)")
    return problems
