"""What the privacy app's codes mean to a person: registered with the desk's labels
(``extensions.label_vocabularies``) by ``hooks.register()``."""

from __future__ import annotations

from collections.abc import Mapping

from rapport.privacy.models import AdjustmentKind, LawfulBasis, Purpose, RequestKind, RestrictionGround

VOCABULARIES: Mapping[str, Mapping[str, str]] = {
    "purpose": dict(Purpose.choices),
    "lawful_basis": dict(LawfulBasis.choices),
    "request_kind": dict(RequestKind.choices),
    "restriction_ground": dict(RestrictionGround.choices),
    "adjustment_kind": dict(AdjustmentKind.choices),
}
