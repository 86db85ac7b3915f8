"""Forms for the planning pages: they parse input; the services decide what is valid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from rapport.customers.models import CHANNEL_CHOICES
from rapport.domain.case_rules import CaseType
from rapport.platform.forms import Form
from rapport.platform.widgets import DateInput
from rapport.workforce import selectors
from rapport.workforce.models import Availability, Skill

INTERVALS = [(15, "15 minutes"), (30, "30 minutes"), (60, "60 minutes")]
WEEKS = [(n, f"{n} week{'s' if n > 1 else ''}") for n in range(1, selectors.MAX_WEEKS + 1)]


class ForecastForm(Form):
    interval = forms.TypedChoiceField(choices=INTERVALS, coerce=int, initial=60, label="Interval", required=False)
    weeks = forms.TypedChoiceField(choices=WEEKS, coerce=int, initial=2, label="Weeks ahead", required=False)
    day = forms.DateField(
        label="Show the intervals of", required=False, help_text="A day within the forecast.", widget=DateInput()
    )


class KnownEventForm(Form):
    name = forms.CharField(max_length=200, label="Event", help_text="For example: price rise letters go out.")
    channel = forms.ChoiceField(
        choices=[("", "Every channel"), *CHANNEL_CHOICES], required=False, label="Channel it affects"
    )
    first_day = forms.DateField(label="First day", widget=DateInput())
    last_day = forms.DateField(label="Last day", widget=DateInput())
    uplift_percent = forms.IntegerField(
        label="Change in demand (%)", help_text="25 for a quarter more contacts, -50 for half as many."
    )


class HandlingTimeForm(Form):
    channel = forms.ChoiceField(choices=CHANNEL_CHOICES, label="Channel")
    case_type = forms.ChoiceField(
        choices=[("", "Every type"), *[(t.value, t.value.replace("_", " ").capitalize()) for t in CaseType]],
        required=False,
        label="Case type",
    )
    seconds = forms.IntegerField(
        label="Average handling time (seconds)", required=False, help_text="Leave empty to use the measured figure."
    )


WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
HOURS = [(h, f"{h:02d}:00") for h in range(25)]


class WhatIfForm(Form):
    interval = forms.TypedChoiceField(choices=INTERVALS, coerce=int, initial=60, label="Interval", required=False)
    demand_percent = forms.IntegerField(
        label="Change in demand (%)",
        required=False,
        min_value=-90,
        max_value=500,
        help_text="10 for 10% more contacts.",
    )
    extra_agents = forms.IntegerField(label="Add agents", required=False, min_value=0, max_value=200)
    extra_day = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label="On", required=False)
    extra_from = forms.TypedChoiceField(choices=HOURS, coerce=int, label="From", required=False, initial=9)
    extra_to = forms.TypedChoiceField(choices=HOURS, coerce=int, label="To", required=False, initial=12)


class RotaImportForm(Form):
    file = forms.FileField(label="Rota (CSV)", help_text="Columns: email, date, start, end, activity.")


class StatusForm(Form):
    status = forms.ChoiceField(choices=Availability.choices, label="Your status")


class ActualsForm(Form):
    day = forms.DateField(label="Day", required=False, widget=DateInput(), help_text="A day that is over.")
    interval = forms.TypedChoiceField(choices=INTERVALS, coerce=int, initial=60, label="Interval", required=False)


class ShrinkageForm(Form):
    """Each category as a percentage of paid time (the service takes them as shares)."""

    leave = forms.DecimalField(label="Leave (%)", min_value=0, max_value=90, decimal_places=1, required=False)
    sickness = forms.DecimalField(label="Sickness (%)", min_value=0, max_value=90, decimal_places=1, required=False)
    training = forms.DecimalField(label="Training (%)", min_value=0, max_value=90, decimal_places=1, required=False)
    coaching = forms.DecimalField(label="Coaching (%)", min_value=0, max_value=90, decimal_places=1, required=False)
    meetings = forms.DecimalField(label="Meetings (%)", min_value=0, max_value=90, decimal_places=1, required=False)

    def shares(self) -> dict[str, Decimal]:
        return {
            name: (value / 100).quantize(Decimal("0.001"))
            for name, value in self.cleaned_data.items()
            if value is not None
        }


class CsvImportForm(Form):
    file = forms.FileField(label="CSV file")


SKILL_CHOICES = [(s.value, s.label) for s in Skill if s != Skill.PRODUCT]


class SkillsForm(Form):
    agent = forms.TypedChoiceField(coerce=int, label="Agent")
    skills = forms.MultipleChoiceField(
        choices=SKILL_CHOICES, required=False, widget=forms.CheckboxSelectMultiple, label="Skills"
    )
    products = forms.CharField(
        max_length=1000,
        required=False,
        label="Products",
        help_text="Separate products with semicolons: Broadband; Mobile.",
    )

    def __init__(self, *args: Any, agents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = agents  # type: ignore[attr-defined]
