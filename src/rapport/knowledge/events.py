"""The knowledge base's case events, registered with the journal when the app loads."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from rapport.cases import journal
from rapport.cases.models import CaseEvent

LINKED = "kb_article_linked"


def _linked(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">Answered by an article</span> {}: {}', journal.actor_label(event, ""), event.after
    )


KINDS = (journal.EventKind(LINKED, "knowledge", _linked, fields=frozenset({"article"})),)


def register() -> None:
    for kind in KINDS:
        if kind.name not in journal.kinds():
            journal.register(kind)
