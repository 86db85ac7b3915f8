"""Data subject requests in a merge of cases (``cases.merging``, through ``rapport.extensions``).

A data request must be answered within one month of receipt (UK GDPR Art 12(3)); the date lives on
its ``DataRequest`` record. Merging must never lose the record or move the date later:

- merging a data request into another data request keeps the target's record, counting from the
  earliest receipt and identity check among them (the earliest statutory date);
- merging a data request into a case that is not one needs a manager (the request would otherwise
  be answered, or forgotten, inside an unrelated conversation); the record then moves to the
  target, which becomes a data request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rapport.accounts.models import User
from rapport.cases import journal
from rapport.cases.models import Case
from rapport.customers.models import Customer
from rapport.domain.case_rules import CaseType
from rapport.privacy import access as privacy_policy
from rapport.privacy.models import AccessLog, Adjustment, Consent, DataRequest, LegalHold, Restriction

INTO_NON_REQUEST = (
    "Merging a data request into a case that is not one needs a manager: the statutory response date "
    "(UK GDPR Art 12(3)) must stay with a case that answers the request."
)


def merge_guard(actor: User, target: Case, sources: Sequence[Case]) -> Sequence[str]:
    requests = [s for s in sources if s.type == CaseType.DATA_REQUEST]
    if requests and target.type != CaseType.DATA_REQUEST and not privacy_policy.can_merge_into_non_request(actor):
        return [INTO_NON_REQUEST]
    return ()


def _start(request: DataRequest) -> tuple[object, int]:
    return (request.identity_received_on or request.received_on, request.pk)


def requests_merge(target: Case, sources: Sequence[Case], actor: User, now: datetime) -> None:
    """Keep one data request record on the target, with the earliest statutory date."""
    found = {r.case_id: r for r in DataRequest.objects.filter(case_id__in=[target.pk, *(s.pk for s in sources)])}
    if not found:
        return
    kept = found.get(target.pk)
    earliest = min(found.values(), key=_start)
    entries: list[journal.Entry] = []
    if kept is None:
        moved_from = earliest.case_id
        DataRequest.objects.filter(pk=earliest.pk).update(case=target)
        entries.append(
            journal.Entry(
                target, "data_request_merged", now, actor, "request", after=f"record moved from case {moved_from}"
            )
        )
        if target.type != CaseType.DATA_REQUEST:
            entries.append(
                journal.Entry(target, journal.CHANGED.name, now, actor, "type", target.type, CaseType.DATA_REQUEST)
            )
            target.type = CaseType.DATA_REQUEST.value
            Case.objects.filter(pk=target.pk).update(type=CaseType.DATA_REQUEST.value)
    elif earliest is not kept:
        for field in ("received_on", "identity_received_on"):
            before, after = getattr(kept, field), getattr(earliest, field)
            if before != after:
                entries.append(journal.Entry(target, "data_request_merged", now, actor, field, before, after))
                setattr(kept, field, after)
        kept.save(update_fields=["received_on", "identity_received_on"])
    journal.record_many(entries)


# --- two records of one person merged (``customers.merging``) ------------------------------------


def customer_records_merge(kept: Customer, duplicate: Customer, actor: User, now: datetime) -> dict[str, int]:
    """Move what privacy holds about the duplicate record to the record kept, losing nothing:

    - consents move whole (an append-only history): the current answer for each purpose and channel
      is then the latest the person gave on either record, which is what they last told us;
    - legal holds, restrictions of processing and the access log move as they are (a hold or
      restriction on either record binds the person, UK GDPR Arts 17(3), 18);
    - reasonable adjustments (Equality Act 2010 s.20) move; one of a kind the kept record already
      has in force is ended rather than doubled, so the person's adjustments stay honoured once.
    """
    in_force = set(Adjustment.objects.filter(customer=kept, ended_at__isnull=True).values_list("kind", flat=True))
    doubled = Adjustment.objects.filter(customer=duplicate, ended_at__isnull=True, kind__in=in_force)
    ended = doubled.update(ended_at=now)
    return {
        "consents": Consent.objects.filter(customer=duplicate).update(customer=kept),
        "legal holds": LegalHold.objects.filter(customer=duplicate).update(customer=kept),
        "restrictions": Restriction.objects.filter(customer=duplicate).update(customer=kept),
        "access log entries": AccessLog.objects.filter(customer=duplicate).update(customer=kept),
        "adjustments": Adjustment.objects.filter(customer=duplicate).update(customer=kept),
        "adjustments ended as doubled": ended,
    }
