"""The import's case event, registered with the journal (``cases.journal``) when the app loads."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from rapport.cases import journal
from rapport.cases.models import CaseEvent

IMPORTED = "imported"


def _imported(event: CaseEvent) -> SafeString:
    """ "Imported from Zendesk ticket 4521": where the case's history came from."""
    return format_html('<span class="event-kind">Imported</span> from {}', event.after)


journal.register(journal.EventKind(IMPORTED, "imports", _imported))
