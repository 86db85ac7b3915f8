"""The report's filter form (dates and target)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from rapport.platform.forms import Form
from rapport.platform.widgets import DateInput
from rapport.sla.models import TARGET_CHOICES


class ReportForm(Form):
    start = forms.DateField(
        label="From", widget=DateInput(), error_messages={"required": "Enter the first day of the report."}
    )
    end = forms.DateField(
        label="To", widget=DateInput(), error_messages={"required": "Enter the last day of the report."}
    )
    target = forms.ChoiceField(required=False, choices=[("", "Every target"), *TARGET_CHOICES])

    def __init__(self, data: Any, *, today: date) -> None:
        values = {
            "start": (today.replace(day=1) - timedelta(days=150)).replace(day=1).isoformat(),
            "end": today.isoformat(),
            "target": "",
        }
        values.update({k: data[k] for k in ("start", "end", "target") if data.get(k)})
        super().__init__(values, auto_id="report-%s")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        if start and end and (end - start).days > 731:
            self.add_error("start", "Report on two years or less at a time.")
        return cleaned


class PromiseForm(Form):
    """A new time for a promise about to be missed: typed by the case owner, or the SLA's proposal
    confirmed (the "confirm" button)."""

    due = forms.DateTimeField(
        label="New time (UK time)",
        required=False,
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="When the customer will hear from us. Leave empty to confirm the time proposed.",
    )
    reason = forms.CharField(
        label="Reason (for the record)",
        required=False,
        max_length=300,
        help_text="Why it takes longer, e.g. waiting for the warehouse. The customer is not shown this.",
    )
