"""The journal kind a firing writes on the case: which rule, which version, what it changed and
what it skipped and why (staff only: customers never see it)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from rapport.cases import journal
from rapport.cases.models import CaseEvent

FIRED = "automation_fired"


def _fired(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">Automation rule</span> {} fired: {}', event.before, event.after or "nothing to do"
    )


def register() -> None:
    if FIRED not in journal.kinds():
        journal.register(journal.EventKind(FIRED, "automation", _fired))
