"""A small reading of a rendered page: what an accessibility or content check needs to look at."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

HIDDEN_INPUTS = {"hidden", "submit", "button", "reset", "image"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    in_label: bool


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.controls: list[Control] = []
        self.label_for: set[str] = set()
        self.ids: list[str] = []
        self.tags: dict[str, int] = {}
        self.title = ""
        self.h1: list[str] = []
        self.links: list[str] = []
        self.th_without_scope = 0
        self.tables_without_caption = 0
        self._open: list[str] = []
        self._text_into: str | None = None
        self._table_captioned: list[bool] = []

    @classmethod
    def of(cls, response) -> Page:
        page = cls()
        page.feed(response.content.decode())
        page.close()
        return page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if "id" in values:
            self.ids.append(values["id"])
        if tag in {"input", "select", "textarea"} and values.get("type", "") not in HIDDEN_INPUTS:
            self.controls.append(Control(tag, values, "label" in self._open))
        if tag == "label" and "for" in values:
            self.label_for.add(values["for"])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag == "th" and "scope" not in values:
            self.th_without_scope += 1
        if tag == "table":
            self._table_captioned.append(False)
        if tag == "caption" and self._table_captioned:
            self._table_captioned[-1] = True
        if tag in {"title", "h1"}:
            self._text_into = tag
            if tag == "h1":
                self.h1.append("")
        if tag not in VOID:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._table_captioned and not self._table_captioned.pop():
            self.tables_without_caption += 1
        if tag == self._text_into:
            self._text_into = None
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._text_into == "title":
            self.title += data
        elif self._text_into == "h1":
            self.h1[-1] += data

    def unlabelled_controls(self) -> list[dict[str, str]]:
        return [c.attrs for c in self.controls if not (c.in_label or c.attrs.get("id") in self.label_for)]

    def dangling_describedby(self) -> list[str]:
        known = set(self.ids)
        return [ref for c in self.controls for ref in c.attrs.get("aria-describedby", "").split() if ref not in known]

    def duplicate_ids(self) -> list[str]:
        return sorted({i for i in self.ids if self.ids.count(i) > 1})
