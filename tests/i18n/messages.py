"""The messages (msgids) customer-facing code asks the catalogue for, read from the source the way
``makemessages`` reads it: templates through Django's ``templatize``, Python through Babel's
extractor with Django's gettext names."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract
from django.utils.translation.template import templatize

KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}

# A message as the catalogue keys it: (context or None, msgid), the msgid a tuple for plurals.
Key = tuple[str | None, str | tuple[str, ...]]


def _extract(code: bytes) -> set[Key]:
    found: set[Key] = set()
    for _line, message, _comments, context in extract("python", io.BytesIO(code), keywords=KEYWORDS):
        found.add((context, message))
    return found


def template_messages(path: Path) -> set[Key]:
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    # One call per line, each a complete expression: indentation is left over from the markup.
    return _extract("\n".join(line.strip() for line in code.splitlines()).encode())


def python_messages(path: Path) -> set[Key]:
    return _extract(path.read_bytes())


def messages_of(paths: Iterable[Path]) -> dict[Key, Path]:
    """Each message used by ``paths``, with the first file that uses it."""
    found: dict[Key, Path] = {}
    for path in paths:
        keys = template_messages(path) if path.suffix == ".html" else python_messages(path)
        for key in keys:
            found.setdefault(key, path)
    return found
