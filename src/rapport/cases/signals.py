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

Filing many messages at once (a mailbox import), the writer calls ``send_many`` with one set of
arguments per case. A receiver that registered a batch form (``batch_form``) is called once with
all of them and makes its queries once for the lot; the others are called once per item, as usual.
A batch form must leave exactly what its receiver would, called once per item in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.dispatch import Signal

BatchForm = Callable[[Sequence[dict[str, Any]]], None]


class CaseSignal(Signal):
    """A signal whose receivers may also take many items at once."""

    def __init__(self) -> None:
        super().__init__()
        self.batch_forms: dict[Callable[..., Any], BatchForm] = {}

    def batch_form(self, receiver: Callable[..., Any], form: BatchForm) -> None:
        """Register ``form`` as what ``receiver`` does for a whole batch of items."""
        self.batch_forms[receiver] = form

    def send_many(self, sender: Any, items: Sequence[dict[str, Any]]) -> None:
        """Send once per item in ``items`` (each a dict of the signal's arguments), in order, each
        receiver in turn: its batch form with them all, or itself once per item."""
        if not items or not self.receivers:
            return
        for receiver in self._live_receivers(sender)[0]:
            form = self.batch_forms.get(receiver)
            if form is not None:
                form(items)
            else:
                for item in items:
                    receiver(signal=self, sender=sender, **item)


case_created = CaseSignal()
message_added = CaseSignal()
case_changed = CaseSignal()
