"""Followers' case events, registered with the journal (``cases.journal``) when the app loads.

Following is recorded (who watched a case, and when, is part of its history) but ``quiet``: a
colleague following a case is no reason to stop someone's reply (the collision warning)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from rapport.cases import journal
from rapport.cases.models import CaseEvent


def _followed(event: CaseEvent) -> SafeString:
    return format_html('<span class="event-kind">Followed</span> by {}', journal.actor_label(event, "the system"))


def _unfollowed(event: CaseEvent) -> SafeString:
    return format_html('<span class="event-kind">Unfollowed</span> by {}', journal.actor_label(event, "the system"))


KINDS = (
    journal.EventKind("followed", "notifications", _followed, quiet=True),
    journal.EventKind("unfollowed", "notifications", _unfollowed, quiet=True),
)
for kind in KINDS:
    journal.register(kind)
