"""What feedback holds about a person, for their subject access bundle and their erasure.

UK GDPR Art 15: survey invitations and answers (scores and comments) and orders are personal data
and belong in the access bundle. Art 17: on erasure the person's own comments go (replaced by a
marker, as their messages are); scores, times and amounts stay for the statistics; what staff
wrote about an answer keeps its words without the person's identity.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rapport.customers.models import Customer
from rapport.domain.anonymise import ERASED_TEXT
from rapport.domain.references import format_reference
from rapport.extensions import Scrub
from rapport.feedback.models import RATER_FIELDS, FollowUp, Order, SurveyAnswer, SurveyInvitation


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def surveys_section(customer: Customer) -> tuple[str, list[dict[str, Any]]]:
    """Every survey invitation sent to the person, with their answer and any follow-up."""
    invitations = SurveyInvitation.objects.filter(customer=customer).order_by("created_at", "id")
    answers = {a.invitation_id: a for a in SurveyAnswer.objects.filter(customer=customer).select_related("follow_up")}
    records = []
    for invitation in invitations:
        answer = answers.get(invitation.pk)
        record: dict[str, Any] = {
            "survey": invitation.get_kind_display(),
            "case": format_reference(invitation.case_id) if invitation.case_id else None,
            "status": invitation.status,
            "sent": _iso(invitation.sent_at),
            "expires": _iso(invitation.expires_at),
            "answered": _iso(invitation.answered_at),
        }
        if answer is not None:
            record["score"] = answer.score
            record["comment"] = answer.comment
            for dimension, expected, perceived in RATER_FIELDS:
                if getattr(answer, expected) is not None:
                    record[f"{dimension.value} (expected, perceived)"] = (
                        f"{getattr(answer, expected)}, {getattr(answer, perceived)}"
                    )
            follow_up = getattr(answer, "follow_up", None)
            if follow_up is not None:
                record["follow_up"] = follow_up.reason
                record["follow_up_outcome"] = follow_up.outcome
        records.append(record)
    return "Surveys", records


def orders_section(customer: Customer) -> tuple[str, list[dict[str, Any]]]:
    orders = Order.objects.filter(customer=customer).order_by("placed_at", "id")
    return "Orders", [
        {"reference": o.reference, "placed": _iso(o.placed_at), "amount": f"£{o.amount_pence / 100:,.2f}"}
        for o in orders
    ]


def erase(customer: Customer, case_ids: Sequence[int], scrub: Scrub) -> dict[str, int]:
    """The person's survey comments are replaced; notes staff wrote about their answers are scrubbed."""
    answers = SurveyAnswer.objects.filter(customer=customer)
    comments = answers.exclude(comment="").update(comment=ERASED_TEXT)
    invitations = list(SurveyInvitation.objects.filter(customer=customer).exclude(note=""))
    for invitation in invitations:
        invitation.note = scrub(invitation.note)[:200]
    SurveyInvitation.objects.bulk_update(invitations, ["note"])
    follow_ups = list(FollowUp.objects.filter(answer__customer=customer))
    for follow_up in follow_ups:
        follow_up.reason, follow_up.outcome = scrub(follow_up.reason)[:200], scrub(follow_up.outcome)
    FollowUp.objects.bulk_update(follow_ups, ["reason", "outcome"])
    return {"survey_comments": comments}
