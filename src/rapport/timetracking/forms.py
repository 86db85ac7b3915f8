"""Forms of time tracking's pages: they shape input; the rules (and their words) are the service's."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.platform.forms import Form
from rapport.platform.widgets import DateInput
from rapport.timetracking.models import TimeCategory
from rapport.timetracking.selectors import ReportBy

DURATION_HINT = "Minutes (45) or hours and minutes (1:30)."


class _CategoryChoice(Form):
    category = forms.TypedChoiceField(label="Spent on", coerce=int)

    def __init__(self, *args: Any, categories: list[TimeCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose…")] + [(c.pk, c.name) for c in categories]


class EntryForm(_CategoryChoice):
    """Time entered by hand (and the same fields when an entry is changed)."""

    minutes = forms.CharField(label="Time spent", max_length=10, help_text=DURATION_HINT)
    worked_on = forms.DateField(label="Date", widget=DateInput())
    note = forms.CharField(label="Note (optional)", required=False, max_length=200)

    field_order = ["minutes", "worked_on", "category", "note"]


class TimerStopForm(_CategoryChoice):
    note = forms.CharField(label="Note (optional)", required=False, max_length=200)


class ReportForm(Form):
    by = forms.ChoiceField(
        label="Group by",
        choices=[
            (ReportBy.TEAM, "Team"),
            (ReportBy.CUSTOMER, "Customer"),
            (ReportBy.CASE_TYPE, "Case type"),
            (ReportBy.AGENT, "Agent"),
            (ReportBy.CATEGORY, "Reason"),
        ],
        required=False,
    )
    start = forms.DateField(label="From", required=False, widget=DateInput())
    end = forms.DateField(label="To (inclusive)", required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "Enter a date on or after the start.")
        return data
