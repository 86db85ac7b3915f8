"""What the complaints app's codes mean to a person: registered with the desk's labels
(``extensions.label_vocabularies``) by ``hooks.register()``."""

from __future__ import annotations

from collections.abc import Mapping

from rapport.complaints.models import AwardStatus
from rapport.domain.complaint_rules import AwardKind, Basis, Outcome
from rapport.domain.consumer_law import REMEDY_LABELS

VOCABULARIES: Mapping[str, Mapping[str, str]] = {
    "remedy": dict(REMEDY_LABELS),
    "award_basis": {Basis.LEGAL: "Legal entitlement", Basis.GOODWILL: "Goodwill"},
    "award_kind": {kind.value: kind.value.capitalize() for kind in AwardKind},
    "award_status": dict(AwardStatus.choices),
    "outcome": {o.value: o.value.replace("_", " ").capitalize() for o in Outcome},
}
