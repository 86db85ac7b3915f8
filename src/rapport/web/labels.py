"""What a stored code means to a person: one place that maps each vocabulary's codes to its labels.

Codes stay codes in the database, the JSON API and event payloads; pages, letters, people's CSV
files and exports show the label. A code no vocabulary knows is still shown as words, never with
its underscores.
"""

from __future__ import annotations

from collections.abc import Mapping

from rapport.cases.models import PRIORITY_CHOICES, STATUS_CHOICES, TYPE_CHOICES
from rapport.complaints.models import AwardStatus
from rapport.customers.models import CHANNEL_CHOICES
from rapport.domain.complaint_rules import AwardKind, Basis, Outcome
from rapport.domain.consumer_law import REMEDY_LABELS
from rapport.platform import caches
from rapport.privacy.models import AdjustmentKind, LawfulBasis, Purpose, RequestKind, RestrictionGround


@caches.memo("web.label_vocabularies", key="nothing: one value (code lists fixed at deploy)", maxsize=1)
def vocabularies() -> Mapping[str, Mapping[str, str]]:
    return {
        "channel": dict(CHANNEL_CHOICES),
        "case_type": dict(TYPE_CHOICES),
        "case_status": dict(STATUS_CHOICES),
        "priority": {str(value): label for value, label in PRIORITY_CHOICES},
        "remedy": dict(REMEDY_LABELS),
        "award_basis": {Basis.LEGAL: "Legal entitlement", Basis.GOODWILL: "Goodwill"},
        "award_kind": {kind.value: kind.value.capitalize() for kind in AwardKind},
        "award_status": dict(AwardStatus.choices),
        "outcome": {o.value: o.value.replace("_", " ").capitalize() for o in Outcome},
        "purpose": dict(Purpose.choices),
        "lawful_basis": dict(LawfulBasis.choices),
        "request_kind": dict(RequestKind.choices),
        "restriction_ground": dict(RestrictionGround.choices),
        "adjustment_kind": dict(AdjustmentKind.choices),
    }


def words(code: str) -> str:
    """``waiting_on_customer`` → ``Waiting on customer``: the fallback for a code without a label."""
    text = str(code or "").replace("_", " ")
    return text[:1].upper() + text[1:]


def label(vocabulary: str, code: object) -> str:
    """The label of ``code`` in ``vocabulary`` (a name from :func:`vocabularies`)."""
    if code is None or code == "":
        return ""
    return vocabularies()[vocabulary].get(str(code)) or words(str(code))
