"""Data protection's case events, registered with the journal (``cases.journal``) when the app loads."""

from __future__ import annotations

from rapport.cases import journal

KINDS = tuple(
    journal.EventKind(name, "privacy", journal.generic, fields=None)
    for name in (
        "data_request",
        "restriction",
        "objection",
        "rectification",
        "erased",
        "retention_purged",
        "data_request_merged",
    )
)
for kind in KINDS:
    journal.register(kind)
