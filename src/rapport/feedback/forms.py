"""Forms of the feedback pages: they shape input; the services and selectors hold the rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rapport.accounts.models import STAFF_ROLES, Team, User
from rapport.cases.models import TYPE_CHOICES
from rapport.customers.models import CHANNEL_CHOICES
from rapport.domain.scoring import SCALES, Dimension
from rapport.feedback.models import RATER_FIELDS, SurveyKind
from rapport.platform.forms import Form
from rapport.platform.widgets import DateInput

PERIODS = [("7", "Last 7 days"), ("28", "Last 28 days"), ("90", "Last 90 days"), ("365", "Last 12 months")]
GROUPS = [("", "All customers"), ("external", "External customers"), ("internal", "Internal customers")]
END_BEFORE_START = "The end date must be after the start date."
TOO_LONG = "Choose a period of at most two years."


class DashboardForm(Form):
    period = forms.ChoiceField(choices=PERIODS, required=False, initial="28", label="Period")
    start = forms.DateField(required=False, label="From", widget=DateInput())
    end = forms.DateField(required=False, label="To (inclusive)", widget=DateInput())
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False, empty_label="All teams")
    agent = forms.ModelChoiceField(
        queryset=User.objects.filter(role__in=sorted(STAFF_ROLES), is_active=True),
        required=False,
        empty_label="All agents",
    )
    channel = forms.ChoiceField(choices=[("", "All channels"), *CHANNEL_CHOICES], required=False)
    case_type = forms.ChoiceField(choices=[("", "All types"), *TYPE_CHOICES], required=False, label="Case type")
    group = forms.ChoiceField(choices=GROUPS, required=False, label="Customers")

    def period_bounds(self, today: date) -> tuple[date, date]:
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return data["start"], data["end"] + timedelta(days=1)
        days = int(data.get("period") or 28)
        return today + timedelta(days=1 - days), today + timedelta(days=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", END_BEFORE_START)
            elif (end - start).days > 731:
                self.add_error("end", TOO_LONG)
        return data


# The RATER dimensions as the survey page names them to the customer.
DIMENSIONS = {
    Dimension.RELIABILITY: _("Reliability"),
    Dimension.ASSURANCE: _("Assurance"),
    Dimension.TANGIBLES: _("Tangibles"),
    Dimension.EMPATHY: _("Empathy"),
    Dimension.RESPONSIVENESS: _("Responsiveness"),
}


def _scale(kind: str) -> list[tuple[int, str]]:
    low, high = SCALES[kind]
    return [(n, str(n)) for n in range(low, high + 1)]


class AnswerForm(Form):
    """One score (CSAT, CES, NPS) or the ten RATER scores, and an optional comment."""

    comment = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), label=_("Anything to add?")
    )

    def __init__(self, *args: Any, kind: str, question: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == SurveyKind.RATER:
            for dimension, expected, perceived in RATER_FIELDS:
                name = DIMENSIONS.get(dimension, dimension.value.capitalize())
                self.fields[expected] = forms.TypedChoiceField(
                    choices=_scale("rater"),
                    coerce=int,
                    widget=forms.RadioSelect,
                    label=gettext("{dimension}: what you expected").format(dimension=name),
                )
                self.fields[perceived] = forms.TypedChoiceField(
                    choices=_scale("rater"),
                    coerce=int,
                    widget=forms.RadioSelect,
                    label=gettext("{dimension}: what you got").format(dimension=name),
                )
        else:
            self.fields["score"] = forms.TypedChoiceField(
                choices=_scale(kind), coerce=int, widget=forms.RadioSelect, label=question
            )
        self.order_fields([f for f in self.fields if f != "comment"] + ["comment"])


class FollowUpCloseForm(Form):
    outcome = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), label="What was done")


class OrdersImportForm(Form):
    file = forms.FileField(label="Orders CSV", help_text="Columns: customer_email, reference, placed_at, amount.")


SEND_TO = [("customers", "Customers I choose"), ("segment", "A segment of customers")]
SEGMENT_GROUPS = [("", "Internal and external"), ("external", "External customers"), ("internal", "Internal customers")]


class RaterSendForm(Form):
    """Who gets a RATER questionnaire: chosen customers or a segment. The audience rules (what may
    be combined, who is reachable) are checked by ``audiences.audience_check``."""

    name = forms.CharField(
        required=False,
        max_length=120,
        label="Name of this send",
        help_text="For the list of sends, e.g. 'Spring 2026'.",
    )
    send_to = forms.ChoiceField(
        choices=SEND_TO,
        widget=forms.RadioSelect,
        initial="segment",
        label="Send to",
        error_messages={"required": "Choose who to send it to."},
    )
    q = forms.CharField(
        required=False, max_length=100, label="Find customers", help_text="Part of a name or email address."
    )
    customers = forms.TypedMultipleChoiceField(
        required=False, coerce=int, widget=forms.CheckboxSelectMultiple, label="Chosen customers"
    )
    group = forms.ChoiceField(choices=SEGMENT_GROUPS, required=False, label="Internal or external")
    tier = forms.ChoiceField(required=False, label="Loyalty tier")
    team = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Customers of the team")
    resolved_from = forms.DateField(required=False, label="With a case resolved from", widget=DateInput())
    resolved_to = forms.DateField(required=False, label="to (inclusive)", widget=DateInput())
    within_days = forms.IntegerField(
        error_messages={"required": "Enter the number of days."},
        min_value=1,
        max_value=3650,
        initial=90,
        label="Skip customers asked for RATER within (days)",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, customers: list[Any], tiers: list[Any], teams: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer_field = self.fields["customers"]
        assert isinstance(customer_field, forms.TypedMultipleChoiceField)
        customer_field.choices = [(c.pk, f"{c.name} ({c.email or 'no email'})") for c in customers]
        tier_field = self.fields["tier"]
        assert isinstance(tier_field, forms.ChoiceField)
        tier_field.choices = [("", "Any tier"), *[(t.name, t.label) for t in tiers]]
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ChoiceField)
        team_field.choices = [("", "Any team"), *[(t.pk, t.name) for t in teams]]
