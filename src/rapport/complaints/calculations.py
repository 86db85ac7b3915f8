"""The complaint view-model, computed from what ``fetch`` loaded and the time, without queries:
the HEAT stages with their LEAPS prompts, what still stops the complaint closing, the
final-response deadline and where it stands, the statutory assessment, the awards kept apart by
basis (legal entitlement is never goodwill: Consumer Rights Act 2015 s.31) and the next level of
the escalation ladder. The case page's HEAT panel and ``GET /api/v1/complaints/{reference}`` are
both built from ``complaint_view``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from rapport.complaints import selectors
from rapport.complaints.fetch import ComplaintInfo
from rapport.complaints.models import Award
from rapport.complaints.services import assessment_for
from rapport.domain import complaint_rules as rules
from rapport.domain.consumer_law import Assessment


@dataclass(frozen=True)
class StageView:
    stage: rules.Stage
    at: datetime | None
    prompts: tuple[str, ...]

    @property
    def done(self) -> bool:
        return self.at is not None


@dataclass(frozen=True)
class ComplaintView:
    info: ComplaintInfo
    stages: tuple[StageView, ...]
    refusals: tuple[str, ...]
    due: datetime
    state: rules.DeadlineState
    assessment: Assessment | None
    legal_awards: tuple[Award, ...]
    goodwill_awards: tuple[Award, ...]
    next_level: rules.Level | None


def complaint_view(info: ComplaintInfo, *, now: datetime) -> ComplaintView:
    complaint, config = info.complaint, info.config
    times = selectors.stage_times(complaint)
    return ComplaintView(
        info=info,
        stages=tuple(StageView(s, times[s], tuple(rules.LEAPS_PROMPTS[s])) for s in rules.STAGES),
        refusals=rules.closing_refusals(selectors.closing_facts(complaint if info.recorded else None)),
        due=selectors.final_response_due(complaint, config),
        state=selectors.deadline_state(complaint, config, now),
        assessment=assessment_for(complaint, timezone.localdate(now)),
        legal_awards=tuple(a for a in info.awards if a.basis == rules.Basis.LEGAL),
        goodwill_awards=tuple(a for a in info.awards if a.basis == rules.Basis.GOODWILL),
        next_level=rules.next_level(rules.Level(complaint.level)),
    )
