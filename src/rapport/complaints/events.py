"""Complaint handling's case events, registered with the journal (``cases.journal``) when the app loads."""

from __future__ import annotations

import re

from django.utils.html import format_html
from django.utils.safestring import SafeString

from rapport.accounts.models import Role
from rapport.cases import journal
from rapport.cases.models import CaseEvent
from rapport.domain.consumer_law import REMEDY_LABELS

_BY_DAY = re.compile(r"^(?P<text>.*) by (?P<day>\d{4}-\d{2}-\d{2})$")


def _letter(label: str) -> journal.Renderer:
    """A final response or deadlock letter: "refer to the Ombudsman by 13 Nov 2026"."""

    def render(event: CaseEvent) -> SafeString:
        found = _BY_DAY.match(event.after)
        after = f"{found['text']} by {journal.moment_words(found['day'])}" if found else event.after
        return format_html('<span class="event-kind">{}</span> {}: {}', label, journal.actor_label(event, ""), after)

    return render


def _warning(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">Final response warning</span>: {}', journal.humanise(event.after).lower()
    )


def _remedies(event: CaseEvent) -> SafeString:
    """The remedies the assessment found, by the names the Act uses (stored as codes)."""
    codes = [c.strip() for c in event.after.split(",") if c.strip() and c.strip() != "none"]
    found = ", ".join(REMEDY_LABELS.get(c, journal.humanise(c)) for c in codes) or "none"
    return format_html(
        '<span class="event-kind">Remedies assessed</span> {}: {}', journal.actor_label(event, ""), found
    )


_SENT_TO = re.compile(r"sent to (?P<role>[a-z_]+)$")
_ROLES = dict(Role.choices)


def _approval_requested(event: CaseEvent) -> SafeString:
    """The request as the desk reads it: the approver's role by its name, not its code."""
    after = _SENT_TO.sub(lambda m: f"sent to {_ROLES.get(m['role'], journal.humanise(m['role'])).lower()}", event.after)
    return format_html(
        '<span class="event-kind">Approval requested</span> {}: {}', journal.actor_label(event, ""), after
    )


GENERIC = (
    "heat_hear", "heat_empathise", "heat_apologise", "heat_take_ownership", "liability_admitted",
    "complaint_outcome", "customer_response", "root_cause", "complaint_override", "complaint_escalated",
    "award_granted", "approval_decided", "complaint_merged",
)  # fmt: skip
KINDS = (
    *(journal.EventKind(name, "complaints", journal.generic, fields=None) for name in GENERIC),
    journal.EventKind("remedies_assessed", "complaints", _remedies, fields=None),
    journal.EventKind("approval_requested", "complaints", _approval_requested, fields=None),
    journal.EventKind("follow_up_done", "complaints", journal.dated("Follow up done")),
    journal.EventKind("final_response_warning", "complaints", _warning),
    journal.EventKind("final_response_sent", "complaints", _letter("Final response sent")),
    journal.EventKind("deadlock_letter_sent", "complaints", _letter("Deadlock letter sent")),
)
for kind in KINDS:
    journal.register(kind)
