"""Feedback's case events, registered with the journal (``cases.journal``) when the app loads."""

from __future__ import annotations

from rapport.cases import journal

KINDS = (
    journal.EventKind("survey_answered", "feedback", journal.generic, fields=frozenset({"csat", "ces", "nps"})),
    journal.EventKind("follow_up_opened", "feedback", journal.generic),
    journal.EventKind("follow_up_closed", "feedback", journal.generic),
)
for kind in KINDS:
    journal.register(kind)
