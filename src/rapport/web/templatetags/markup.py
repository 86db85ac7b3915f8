"""``{% load markup %}``: text that carries markup of its own (search matches, stored message HTML)."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from rapport.cases.search import MARK_CLOSE, MARK_OPEN
from rapport.platform.html import sanitise_html

register = template.Library()


@register.filter
def marked(snippet: str) -> SafeString:
    """A search snippet with its «match» markers shown as <mark>: escaped first, then marked up.

    Markers from the text itself cannot unbalance the HTML: a mark only closes if it is open,
    and one left open is closed at the end.
    """
    out: list[str] = []
    open_mark = False
    for part in _split_markers(snippet or ""):
        if part == MARK_OPEN:
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif part == MARK_CLOSE:
            if open_mark:
                out.append("</mark>")
                open_mark = False
        else:
            out.append(escape(part))
    if open_mark:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every text part is escaped above


def _split_markers(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch in (MARK_OPEN, MARK_CLOSE):
            if current:
                parts.append("".join(current))
                current = []
            parts.append(ch)
        else:
            current.append(ch)
    if current:
        parts.append("".join(current))
    return parts


@register.filter
def sanitised(html: str) -> SafeString:
    """Stored message HTML, sanitised again on the way out (platform.html)."""
    return mark_safe(sanitise_html(html or ""))  # noqa: S308 - nh3 removes anything unsafe
