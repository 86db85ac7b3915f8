"""What a delivery carries, built as the subscription's service account sees the case (the access
gate, ``webhooks.access``), or the reason it is not sent at all."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapport import extensions
from rapport.access import visible_cases
from rapport.accounts.models import User
from rapport.cases.models import Case, CaseEvent, Message
from rapport.webhooks import access as policy

OUTSIDE_SCOPE = "The case is outside what the subscription's service account may see."
INTERNAL_NOTE = "Internal note: the subscription's role may not send internal notes."
RESTRICTED = "Processing of the customer's data is restricted (UK GDPR Art 18): {reasons}"
MESSAGE_REF = re.compile(r"#(\d+)$")


@dataclass(frozen=True)
class Built:
    event: CaseEvent
    case_reference: str
    body: str = ""
    reason: str = ""


def _message_id(event: CaseEvent) -> int | None:
    found = MESSAGE_REF.search(event.after or "") if event.kind in ("message", "note") else None
    return int(found.group(1)) if found else None


def build(account: User, subscription_id: int, events: Sequence[CaseEvent]) -> list[Built]:
    """A payload (or the reason for none) for each event, in a fixed number of queries."""
    case_ids = {e.case_id for e in events}
    visible = set(visible_cases(account).filter(pk__in=case_ids).values_list("pk", flat=True))
    cases = {c.pk: c for c in Case.objects.filter(pk__in=case_ids).select_related("customer", "team")}
    internal = policy.sends_internal(account)
    personal = policy.sends_personal_data(account)
    message_ids = {m for e in events if (m := _message_id(e)) is not None}
    messages = {m.pk: m for m in Message.objects.filter(pk__in=message_ids, case_id__in=visible)}
    restricted: dict[int, list[str]] = {}
    for case in cases.values():
        if case.customer_id not in restricted:
            restricted[case.customer_id] = extensions.record_refusals(case.customer)
    built: list[Built] = []
    for event in events:
        found = cases.get(event.case_id)
        reference = found.reference if found else ""
        if found is None or found.pk not in visible:
            built.append(Built(event, reference, reason=OUTSIDE_SCOPE))
        elif restricted.get(case.customer_id):
            built.append(
                Built(event, reference, reason=RESTRICTED.format(reasons=" ".join(restricted[case.customer_id])))
            )
        elif event.kind == "note" and not internal:
            built.append(Built(event, reference, reason=INTERNAL_NOTE))
        else:
            body = _payload(event, found, messages.get(_message_id(event) or 0), subscription_id, internal, personal)
            built.append(Built(event, reference, body=body))
    return built


def _payload(
    event: CaseEvent, case: Case, message: Message | None, subscription_id: int, internal: bool, personal: bool
) -> str:
    customer: dict[str, Any] = {"id": case.customer_id}
    if personal:
        c = case.customer
        customer.update({"name": c.name, "email": c.email, "phone": c.phone, "address": c.address})
    data: dict[str, Any] = {
        "subscription": subscription_id,
        "event": {
            "id": event.pk,
            "kind": event.kind,
            "at": event.at.isoformat(),
            "field": event.field,
            "before": event.before,
            "after": event.after,
        },
        "case": {
            "reference": case.reference,
            "subject": case.subject,
            "type": case.type,
            "status": case.status,
            "priority": case.priority,
            "channel": case.channel,
            "team": case.team.name if case.team_id and case.team else None,
        },
        "customer": customer,
    }
    if message is not None and (internal or not message.is_internal):
        data["message"] = {"id": message.pk, "kind": message.kind, "body": message.body}
    return json.dumps(data, sort_keys=True, separators=(",", ":"))
