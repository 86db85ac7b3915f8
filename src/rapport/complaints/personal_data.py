"""What the complaints app holds about a person, for their subject access bundle and their erasure.

UK GDPR Art 15: the complaint records (their account, our summary, the HEAT stages, the outcome),
the awards and the final response or deadlock letters are personal data and belong in the bundle.
Art 17: on erasure the person's verbatim account goes (replaced by a marker, as their messages
are); what staff wrote (summary, empathy, apology, plan, outcome, notes) keeps its words without
the person's identity; dates, amounts, outcomes and root causes stay for the complaint statistics.
The letters themselves are outbound messages with a PDF on the case, erased with the case.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rapport.cases.models import CaseEvent
from rapport.complaints.models import ApprovalRequest, Award, Complaint, FollowUp
from rapport.customers.models import Customer
from rapport.domain.anonymise import ERASED_TEXT
from rapport.extensions import Scrub

THEIR_WORDS = "\nIn their words: "  # how the hear event records the verbatim account
STAFF_TEXT = ("summary", "empathy", "apology", "action_plan", "outcome_text", "override_reason")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _complaints(customer: Customer) -> list[Complaint]:
    return list(
        Complaint.objects.filter(case__customer=customer)
        .select_related("case", "root_cause")
        .order_by("received_at", "id")
    )


def complaints_section(customer: Customer) -> tuple[str, list[dict[str, Any]]]:
    return "Complaints", [
        {
            "case": c.case.reference,
            "received": _iso(c.received_at),
            "product": c.product,
            "your_account": c.account,
            "our_summary": c.summary,
            "summary_confirmed_with_you": c.summary_confirmed,
            "heard": _iso(c.heard_at),
            "empathy": c.empathy,
            "apology": c.apology,
            "liability_admitted": c.liability_admitted,
            "action_plan": c.action_plan,
            "promised_by": _iso(c.promised_date),
            "outcome": c.get_outcome_display() if c.outcome else "",
            "outcome_detail": c.outcome_text,
            "your_response": c.get_customer_response_display() if c.customer_response else "",
            "root_cause": c.root_cause.name if c.root_cause else "",
            "final_response": _iso(c.final_response_at),
        }
        for c in _complaints(customer)
    ]


def awards_section(customer: Customer) -> tuple[str, list[dict[str, Any]]]:
    awards = Award.objects.filter(complaint__case__customer=customer).select_related("complaint__case")
    return "Complaint awards", [
        {
            "case": a.complaint.case.reference,
            "kind": a.get_kind_display(),
            "basis": a.get_basis_display(),
            "remedy": a.remedy,
            "amount": f"£{a.amount:,.2f}",
            "status": a.get_status_display(),
            "note": a.note,
            "requested": _iso(a.requested_at),
        }
        for a in awards.order_by("requested_at", "id")
    ]


def letters_section(customer: Customer) -> tuple[str, list[dict[str, Any]]]:
    """The final response and deadlock letters sent; their text and PDF are in the case's messages."""
    return "Complaint letters", [
        {
            "case": c.case.reference,
            "letter": "Deadlock letter" if c.deadlock else "Final response",
            "sent": _iso(c.final_response_at),
            "file": f"{'deadlock' if c.deadlock else 'final-response'}-{c.case.reference}.pdf",
        }
        for c in _complaints(customer)
        if c.final_response_at is not None
    ]


def erase(customer: Customer, case_ids: Sequence[int], scrub: Scrub) -> dict[str, int]:
    complaints = _complaints(customer)
    for complaint in complaints:
        complaint.account = ERASED_TEXT if complaint.account else ""
        for field in STAFF_TEXT:
            setattr(complaint, field, scrub(getattr(complaint, field)))
    Complaint.objects.bulk_update(complaints, ["account", *STAFF_TEXT])
    heard = CaseEvent.objects.filter(case_id__in=[c.case_id for c in complaints], kind="heat_hear")
    for event in heard:
        ours = event.after.split(THEIR_WORDS, 1)[0]
        # Append-only for the desk; erasure is the one lawful rewrite (Art 17), done in SQL.
        CaseEvent.objects.filter(pk=event.pk).update(after=f"{scrub(ours)}{THEIR_WORDS}{ERASED_TEXT}")
    follow_ups = list(FollowUp.objects.filter(complaint__case__customer=customer).exclude(note=""))
    for follow_up in follow_ups:
        follow_up.note = scrub(follow_up.note)[:200]
    FollowUp.objects.bulk_update(follow_ups, ["note"])
    awards = list(Award.objects.filter(complaint__case__customer=customer).exclude(note=""))
    for award in awards:
        award.note = scrub(award.note)
    Award.objects.bulk_update(awards, ["note"])
    approvals = list(ApprovalRequest.objects.filter(award__complaint__case__customer=customer).exclude(reason=""))
    for approval in approvals:
        approval.reason = scrub(approval.reason)
    ApprovalRequest.objects.bulk_update(approvals, ["reason"])
    return {"complaints": len(complaints)}
