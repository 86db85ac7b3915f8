"""What the desk's own records say about a piece of case evidence: facts for the assessor, never a
gate (the assessor decides).

The apps that keep the records answer (``rapport.extensions.case_findings``), so learning imports
none of them:
- a complaint: whether it went through every HEAT stage (the complaints app);
- a data request: whether it was answered by its statutory date (the privacy app);
- evidence of a reasonable adjustment: which adjustments were in force while the case was open and
  whether the replies followed them (the privacy app).

A fixed number of queries for any number of pieces of evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapport import extensions
from rapport.domain.case_rules import CaseType
from rapport.learning.models import Evidence, EvidenceKind


@dataclass(frozen=True)
class Check:
    """One fact about the evidence; ``met`` is None when it is neither (not decided yet)."""

    text: str
    met: bool | None

    @property
    def label(self) -> str:
        return {True: "Yes", False: "No", None: "Not yet"}[self.met]


def evidence_checks(evidence: Sequence[Evidence]) -> dict[int, list[Check]]:
    """The checks for each piece of case evidence, by evidence id (pieces without a case: none)."""
    with_case = [e for e in evidence if e.case is not None]
    complaints = {e.case_id: e.case for e in with_case if e.case.type == CaseType.COMPLAINT}
    requests = {e.case_id: e.case for e in with_case if e.case.type == CaseType.DATA_REQUEST}
    adjusted = {e.case_id: e.case for e in with_case if e.kind == EvidenceKind.ADJUSTMENT}
    heat = extensions.findings_for(extensions.COMPLAINT_HANDLING, list(complaints.values()))
    timely = extensions.findings_for(extensions.DATA_REQUEST_TIMELINESS, list(requests.values()))
    honoured = extensions.findings_for(extensions.ADJUSTMENTS_FOLLOWED, list(adjusted.values()))
    found: dict[int, list[Check]] = {}
    for item in with_case:
        findings = [*heat.get(item.case_id, []), *timely.get(item.case_id, [])]
        if item.kind == EvidenceKind.ADJUSTMENT:
            findings += honoured.get(item.case_id, [])
        if findings:
            found[item.pk] = [Check(f.text, f.met) for f in findings]
    return found
