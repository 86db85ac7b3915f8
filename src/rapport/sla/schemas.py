"""What the API says about a case's service levels (the same state the case page shows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

SlaState = Literal["running", "paused", "warning", "breached", "met", "missed"]


class TargetOut(Schema):
    target: Literal["first_response", "next_response", "resolution"]
    policy: str
    internal: bool = Field(description="An internal target (OLA) for an internal customer.")
    target_seconds: int = Field(description="Business time allowed, including any adjustment.")
    adjustment_seconds: int = Field(description="Extra business time from reasonable adjustments.")
    started_at: datetime
    elapsed_seconds: int = Field(description="Business time used so far (pauses excluded).")
    remaining_seconds: int = Field(description="Business time left; negative once breached.")
    due_at: datetime | None = Field(
        description="When the target passes if the clock keeps running; null while paused or stopped."
    )
    state: SlaState
    warned_at: datetime | None
    breached_at: datetime | None = Field(description="When the target was breached (recorded once).")
    stopped_at: datetime | None


class PauseOut(Schema):
    status: str
    started_at: datetime
    ended_at: datetime | None


class DeadlineOut(Schema):
    name: str
    due: datetime
    basis: str


class PromiseOut(Schema):
    """A promise to the customer: "we will reply by" ``due_at``."""

    made_at: datetime
    due_at: datetime
    state: Literal["open", "kept", "missed", "revised"]
    decided_at: datetime | None
    revised: bool = Field(description="This promise replaced an earlier one, before it was due.")
    proposed: bool = Field(description="The time was proposed from the SLA and confirmed.")
    at_risk_at: datetime | None = Field(description="When the promise job found it about to be missed.")
    proposed_due: datetime | None = Field(description="The new time the SLA proposes, once at risk.")


class PromiseIn(Schema):
    due_at: datetime | None = Field(
        None, description="The new time (aware); omit to confirm the time the SLA proposes."
    )
    reason: str = Field("", max_length=300)


class CaseSlaOut(Schema):
    reference: str
    next_breach_at: datetime | None
    targets: list[TargetOut]
    pauses: list[PauseOut]
    deadlines: list[DeadlineOut]
    promises: list[PromiseOut]


class AttainmentOut(Schema):
    dimension: str
    group: str
    met: int
    missed: int
    percent: float | None


class ReportQuery(Schema):
    start: date
    end: date
    target: Literal["", "first_response", "next_response", "resolution"] = ""


class AttainmentReportOut(Schema):
    """SLA attainment over a period: overall, and by team, channel, priority and type."""

    start: date
    end: date
    overall: AttainmentOut
    rows: list[AttainmentOut]


class SettingsOut(Schema):
    breaching_soon_seconds: int = Field(
        description='The "breaching soon" queue (queue=breaching) lists active cases whose next target passes '
        "within this many seconds, or has passed."
    )
