"""Macros' case event, registered with the journal (``cases.journal``) when the app loads.

Applying a macro is one ``macro_applied`` event (which macro, by whom); what it changed is
recorded by the ordinary events of those fields and messages, written by the cases services."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from rapport.cases import journal
from rapport.cases.models import CaseEvent

MACRO_APPLIED = "macro_applied"


def _applied(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">Macro applied</span> {}: {}', journal.actor_label(event, ""), event.after
    )


KINDS = (journal.EventKind(MACRO_APPLIED, "macros", _applied, fields=frozenset({"macro"})),)
for kind in KINDS:
    journal.register(kind)
