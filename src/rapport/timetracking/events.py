"""Time tracking's case events, registered with the journal (``cases.journal``) when the app loads.

``after`` (and ``before`` for a change) words the entry: "0:45 investigation on 2026-12-04 by
Megan Price"; events are internal, customers never see them."""

from __future__ import annotations

from rapport.cases import journal

TIME_LOGGED = "time_logged"
TIME_CHANGED = "time_changed"
TIME_REMOVED = "time_removed"

KINDS = (
    journal.EventKind(TIME_LOGGED, "timetracking", journal.generic),
    journal.EventKind(TIME_CHANGED, "timetracking", journal.generic),
    journal.EventKind(TIME_REMOVED, "timetracking", journal.generic),
)
for kind in KINDS:
    journal.register(kind)
