"""The SLA's case events, registered with the journal (``cases.journal``) when the app loads."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

from rapport.cases import journal
from rapport.cases.models import CaseEvent
from rapport.domain.sla import Target

TARGETS = frozenset(t.value for t in Target)


def _target_text(event: CaseEvent) -> str:
    return format_html(" · {}", journal.humanise(event.field).lower()) if event.field else ""


def _paused(event: CaseEvent) -> SafeString:
    return format_html(
        '<span class="event-kind">SLA paused</span>{}: {}', _target_text(event), journal.humanise(event.after).lower()
    )


def _resumed(event: CaseEvent) -> SafeString:
    after = format_html(" (was {})", journal.humanise(event.before).lower()) if event.before else ""
    return format_html('<span class="event-kind">SLA resumed</span>{}{}', _target_text(event), after)


def _target(event: CaseEvent) -> SafeString:
    return format_html('<span class="event-kind">SLA target</span>{}: {}', _target_text(event), event.after)


KINDS = (
    journal.EventKind("sla_warning", "sla", journal.dated("SLA warning"), fields=TARGETS),
    journal.EventKind("sla_breached", "sla", journal.dated("SLA breached"), fields=TARGETS),
    journal.EventKind("sla_paused", "sla", _paused, fields=TARGETS),
    journal.EventKind("sla_resumed", "sla", _resumed, fields=TARGETS),
    journal.EventKind("sla_target", "sla", _target, fields=TARGETS),
    journal.EventKind("escalated", "sla", journal.generic, fields=TARGETS),
    # Promises to the customer (rapport.sla.promises): ``after`` is the promised instant.
    journal.EventKind("promise_made", "sla", journal.dated("Promise made: reply by")),
    journal.EventKind("promise_at_risk", "sla", journal.dated("Promise about to be missed; proposed new time")),
    journal.EventKind("promise_revised", "sla", journal.dated("Promise revised: customer told reply by")),
    journal.EventKind("promise_kept", "sla", journal.dated("Promise kept: replied by")),
    journal.EventKind("promise_missed", "sla", journal.dated("Promise missed: due")),
)
for kind in KINDS:
    journal.register(kind)
