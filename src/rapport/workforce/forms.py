"""Forms for the planning pages: they parse input; the services decide what is valid."""

from __future__ import annotations

from django import forms

from rapport.customers.models import CHANNEL_CHOICES
from rapport.platform.forms import Form
from rapport.workforce import selectors

INTERVALS = [(15, "15 minutes"), (30, "30 minutes"), (60, "60 minutes")]
WEEKS = [(n, f"{n} week{'s' if n > 1 else ''}") for n in range(1, selectors.MAX_WEEKS + 1)]


class ForecastForm(Form):
    interval = forms.TypedChoiceField(choices=INTERVALS, coerce=int, initial=60, label="Interval", required=False)
    weeks = forms.TypedChoiceField(choices=WEEKS, coerce=int, initial=2, label="Weeks ahead", required=False)
    day = forms.DateField(label="Show the intervals of", required=False, help_text="A day within the forecast.")


class KnownEventForm(Form):
    name = forms.CharField(max_length=200, label="Event", help_text="For example: price rise letters go out.")
    channel = forms.ChoiceField(
        choices=[("", "Every channel"), *CHANNEL_CHOICES], required=False, label="Channel it affects"
    )
    first_day = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))
    uplift_percent = forms.IntegerField(
        label="Change in demand (%)", help_text="25 for a quarter more contacts, -50 for half as many."
    )


class HandlingTimeForm(Form):
    channel = forms.ChoiceField(choices=CHANNEL_CHOICES, label="Channel")
    seconds = forms.IntegerField(
        label="Average handling time (seconds)", required=False, help_text="Leave empty to use the measured figure."
    )
