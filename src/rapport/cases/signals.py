"""What happened to a case, for the apps that react to it (SLA clocks, outbound mail, surveys).

Sent by ``rapport.cases.services`` inside the write's transaction, after the rows are saved: a
receiver's own writes commit or roll back with the case. Receivers that start slow work (sending
mail, surveys) queue it with ``transaction.on_commit`` so nothing is sent for a write that failed.

    case_created(case, message, actor, now)
    message_added(case, message, actor, now)           any message after the first: reply, note, inbound
    case_changed(case, events, actor, now)             fields changed; ``events`` are the CaseEvents

``now`` is when it happened. Messages that arrive by themselves may add ``historic=True``: the
customer wrote long before the desk received it (an archive of old mail being imported). It is
recorded with its own date, but apps that measure the desk's response (SLA clocks) leave it out.
"""

from __future__ import annotations

from django.dispatch import Signal

case_created = Signal()
message_added = Signal()
case_changed = Signal()
