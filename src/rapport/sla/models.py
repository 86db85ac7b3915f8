"""Business calendars, SLA policies (and internal OLAs), the clocks they start, pauses and escalations.

Seed 000 / domain.md §3: an SLA is defined (``Policy``), monitored (``Clock``, ``Pause``,
``Escalation``) and evaluated (the attainment report reads clocks).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from rapport.cases.models import PRIORITY_CHOICES, TYPE_CHOICES, Case
from rapport.customers.models import CHANNEL_CHOICES
from rapport.domain.calendar import BusinessCalendar
from rapport.domain.case_rules import Status
from rapport.domain.sla import Clock as ClockSnapshot
from rapport.domain.sla import Target
from rapport.platform import settings_history

NATION_CHOICES = [
    ("england", "England and Wales"),
    ("scotland", "Scotland"),
    ("northern_ireland", "Northern Ireland"),
]
TARGET_CHOICES = [(t.value, t.label) for t in Target]
PAUSABLE = frozenset({Status.WAITING_ON_CUSTOMER, Status.WAITING_ON_THIRD_PARTY})

# Built calendars keyed by their plain values: a calendar memoises its layout of open spans, so
# reusing one across requests keeps that work done once per process (it is derived data only).
_BUILT: dict[tuple[str, str, str, str], BusinessCalendar] = {}


@settings_history.track()
class Calendar(models.Model):
    """Weekly opening hours, a time zone, one nation's bank holidays and extra closures.

    ``hours`` is ``{"0": [["09:00", "17:30"]], …}`` (weekday 0 = Monday); ``closures`` is a list
    of dates ("2026-12-31", the whole day) or local ranges ("2026-12-24T12:00/2026-12-25T00:00").
    """

    name = models.CharField(max_length=100, unique=True)
    hours = models.JSONField(default=dict)
    tz = models.CharField("time zone", max_length=64, default="Europe/London")
    holidays = models.CharField("bank holidays", max_length=20, choices=NATION_CHOICES, blank=True)
    closures = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            self.business_calendar()
        except (ValueError, TypeError, AttributeError) as error:
            raise ValidationError(str(error)) from None

    def business_calendar(self) -> BusinessCalendar:
        key = (json.dumps(self.hours, sort_keys=True), self.tz, self.holidays, json.dumps(self.closures))
        built = _BUILT.get(key)
        if built is None:
            built = BusinessCalendar(
                hours={int(day): [tuple(pair) for pair in spans] for day, spans in self.hours.items()},
                tz=self.tz,
                holidays=self.holidays or None,
                closures=[_closure(item) for item in self.closures],
            )
            _BUILT[key] = built
        return built


def _closure(item: Any) -> date | tuple[datetime, datetime]:
    if not isinstance(item, str):
        raise ValueError(f"a closure is a date or 'start/end' text, not {item!r}")
    if "/" in item:
        start, end = item.split("/", 1)
        return datetime.fromisoformat(start), datetime.fromisoformat(end)
    return date.fromisoformat(item)


def _statuses(value: str) -> list[str]:
    return [s.strip() for s in value.split(",") if s.strip()]


def validate_pause_statuses(value: str) -> None:
    unknown = [s for s in _statuses(value) if s not in PAUSABLE]
    if unknown:
        raise ValidationError(f"Only waiting statuses can pause the clock, not {', '.join(unknown)}.")


def validate_positive(value: timedelta | None) -> None:
    if value is not None and value <= timedelta():
        raise ValidationError("A target must be longer than zero.")


BREACHING_SOON_DEFAULT = timedelta(hours=4)
BREACHING_SOON_MIN = timedelta(minutes=15)
BREACHING_SOON_MAX = timedelta(days=7)
BAD_BREACHING_SOON = "Choose a window from 15 minutes to 7 days."


def validate_breaching_soon(value: timedelta) -> None:
    if not BREACHING_SOON_MIN <= value <= BREACHING_SOON_MAX:
        raise ValidationError(BAD_BREACHING_SOON)


@settings_history.track()
class SlaSettings(models.Model):
    """The organisation's SLA settings, edited in Django admin: one row (id 1)."""

    breaching_soon = models.DurationField(
        "breaching soon window",
        default=BREACHING_SOON_DEFAULT,
        validators=[validate_breaching_soon],
        help_text="The Breaching soon queue lists active cases whose next target passes within this time, "
        "or has passed: from 15 minutes to 7 days, e.g. 04:00:00 for four hours or 1 00:00:00 for a day.",
    )

    class Meta:
        verbose_name = "SLA settings"
        verbose_name_plural = "SLA settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="sla_settings_one_row"),
            models.CheckConstraint(
                condition=Q(breaching_soon__gte=BREACHING_SOON_MIN, breaching_soon__lte=BREACHING_SOON_MAX),
                name="sla_settings_breaching_soon",
            ),
        ]

    def __str__(self) -> str:
        return "SLA settings"

    @classmethod
    def current(cls) -> SlaSettings:
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)


@settings_history.track()
class Policy(models.Model):
    """Targets for the cases it matches. Blank criteria match anything; the most specific matching
    policy wins (``rapport.domain.sla.choose_policy``). ``internal`` policies are OLAs: they apply
    to internal customers (colleagues, departments) only, and external ones to everyone else."""

    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)
    internal = models.BooleanField("internal (OLA)", default=False)
    priority = models.PositiveSmallIntegerField(choices=PRIORITY_CHOICES, null=True, blank=True)
    tier = models.CharField("customer tier", max_length=30, blank=True)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, blank=True)
    case_type = models.CharField(max_length=20, choices=TYPE_CHOICES, blank=True)
    rank = models.PositiveSmallIntegerField(default=50, help_text="Breaks ties between equally specific policies.")
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="policies")
    first_response = models.DurationField(null=True, blank=True, validators=[validate_positive])
    next_response = models.DurationField(null=True, blank=True, validators=[validate_positive])
    resolution = models.DurationField(null=True, blank=True, validators=[validate_positive])
    warn_percent = models.PositiveSmallIntegerField("warn at % elapsed", default=75)
    pause_statuses = models.CharField(
        max_length=100,
        default=Status.WAITING_ON_CUSTOMER.value,
        blank=True,
        validators=[validate_pause_statuses],
        help_text="Comma-separated statuses during which the clock stops.",
    )

    class Meta:
        ordering = ["internal", "rank", "name"]
        verbose_name_plural = "policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(warn_percent__gte=1, warn_percent__lte=100), name="sla_policy_warn_percent"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def target_time(self, target: str) -> timedelta | None:
        value: timedelta | None = getattr(self, target)
        return value

    def pauses_on(self, status: str) -> bool:
        return status in _statuses(self.pause_statuses)


class Clock(models.Model):
    """One target on one case. Business time ``used`` before the current run; ``running_since``
    is None while paused or stopped. ``due_at`` and ``warn_at`` are kept while it runs, so the
    queue and the escalation job find what is due with an index, not a calculation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sla_clocks")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="clocks")
    target = models.CharField(max_length=20, choices=TARGET_CHOICES)
    target_time = models.DurationField(help_text="Business time, including any adjustment.")
    adjustment = models.DurationField(default=timedelta, help_text="Extra business time from adjustments.")
    warn_percent = models.PositiveSmallIntegerField(default=75)
    started_at = models.DateTimeField()
    used = models.DurationField(default=timedelta)
    running_since = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["case", "started_at"], name="sla_clock_case"),
            # The escalation job's two look-ups: running clocks past their warning or due instant.
            models.Index(fields=["warn_at"], name="sla_clock_warn_open", condition=Q(stopped_at__isnull=True)),
            models.Index(fields=["due_at"], name="sla_clock_due_open", condition=Q(stopped_at__isnull=True)),
            models.Index(fields=["started_at"], name="sla_clock_started"),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} on case {self.case_id}"

    @property
    def running(self) -> bool:
        return self.stopped_at is None and self.running_since is not None

    @property
    def met(self) -> bool | None:
        """True when stopped in time, False once breached, None while undecided."""
        if self.breached_at is not None:
            return False
        return True if self.stopped_at is not None else None

    def snapshot(self) -> ClockSnapshot:
        return ClockSnapshot(
            target=self.target_time,
            used=self.used,
            running_since=self.running_since if self.stopped_at is None else None,
            warn_percent=self.warn_percent,
        )


class Pause(models.Model):
    """A span during which the case waited on the customer (or a third party) and clocks stopped."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sla_pauses")
    status = models.CharField(max_length=30)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["case", "started_at"], name="sla_pause_case")]

    def __str__(self) -> str:
        return f"{self.status} on case {self.case_id} from {self.started_at:%Y-%m-%d %H:%M}"


class Trigger(models.TextChoices):
    WARNING = "warning", "Warning point passed"
    BREACH = "breach", "Target breached"


class Action(models.TextChoices):
    NOTIFY_TEAM_LEADER = "notify_team_leader", "Notify the team leader"
    RAISE_PRIORITY = "raise_priority", "Raise the priority"
    REASSIGN = "reassign", "Reassign to a team"
    NOTIFY_MANAGER = "notify_manager", "Notify a manager"


@settings_history.track()
class EscalationRule(models.Model):
    """What the escalation job does when a clock reaches a trigger. Blank policy or target: any."""

    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    policy = models.ForeignKey(Policy, null=True, blank=True, on_delete=models.CASCADE, related_name="escalations")
    target = models.CharField(max_length=20, choices=TARGET_CHOICES, blank=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    action = models.CharField(max_length=20, choices=Action.choices)
    reassign_to = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["trigger", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.action == Action.REASSIGN and self.reassign_to_id is None:
            raise ValidationError({"reassign_to": "Choose the team to reassign to."})


class Escalation(models.Model):
    """One rule applied to one clock: the unique pair is what makes the job idempotent."""

    rule = models.ForeignKey(EscalationRule, on_delete=models.CASCADE, related_name="applied")
    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="escalations")
    at = models.DateTimeField()
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["rule", "clock"], name="sla_escalation_once")]

    def __str__(self) -> str:
        return f"{self.rule} on {self.clock}"


class PromiseState(models.TextChoices):
    OPEN = "open", "Open"
    KEPT = "kept", "Kept"
    MISSED = "missed", "Missed"
    REVISED = "revised", "Revised before it was due"


class Promise(models.Model):
    """What the customer was told to expect: "we will reply by 1pm on Friday 11 December".

    Made when a case's first-response clock starts (``due_at`` is that clock's due instant, worked
    out in business time), kept when a reply reaches the customer by then, missed when the instant
    passes without one. A promise about to be missed is flagged ``at_risk_at`` by the promise job
    with ``proposed_due`` (the SLA's answer for a fresh start); the case owner sets or confirms the
    new time, the customer is told, and a new promise ``revises`` this one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sla_promises")
    made_at = models.DateTimeField()
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=PromiseState.choices, default=PromiseState.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    revises = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="revised_by")
    set_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proposed = models.BooleanField(default=False, help_text="The time was proposed from the SLA and confirmed.")
    reason = models.CharField(max_length=300, blank=True)
    at_risk_at = models.DateTimeField(null=True, blank=True)
    proposed_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["made_at", "id"]
        indexes = [
            models.Index(fields=["case", "made_at"], name="sla_promise_case"),
            # The promise job's look-ups: open promises by due instant.
            models.Index(fields=["due_at"], name="sla_promise_open_due", condition=Q(state="open")),
            # "Promises kept": promises decided in a period.
            models.Index(fields=["decided_at", "state"], name="sla_promise_decided"),
        ]

    def __str__(self) -> str:
        return f"promise on case {self.case_id} due {self.due_at:%Y-%m-%d %H:%M}"
