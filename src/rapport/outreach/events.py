"""Proactive service's case event, registered with the journal (``cases.journal``) when the app
loads: a proactive message about an open case shows on that case's timeline."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from rapport.cases import journal
from rapport.cases.models import CaseEvent

PROACTIVE_MESSAGE = "proactive_message"


def _staff(event: CaseEvent) -> SafeString:
    return format_html('<span class="event-kind">Proactive message</span> {}: {}', event.after, event.before or "sent")


KIND = journal.EventKind(PROACTIVE_MESSAGE, "outreach", _staff)


def register() -> None:
    if PROACTIVE_MESSAGE not in journal.kinds():
        journal.register(KIND)
