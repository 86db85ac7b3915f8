"""Forms for the improvement pages: they parse input; the services decide what is valid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from rapport.domain.improvement import EXTERNAL_CATEGORIES, INTERNAL_CATEGORIES
from rapport.improvement import catalogue
from rapport.improvement.models import (
    EvidenceKind,
    Obligation,
    Origin,
    Outcome,
    RuleKind,
    ScopeDimension,
    StakeholderGroup,
    ToneAdvice,
)
from rapport.platform.forms import Form
from rapport.web.forms import StaffChoiceField, staff_members

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # what a date input reads
MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2, "min_value": 0, "initial": 0}


class ScopeForm(Form):
    """The period and scope of the gap analysis and the journey (read from the query string)."""

    start = forms.DateField(widget=DATE, label="From")
    end = forms.DateField(widget=DATE, label="Until (not included)")
    dimension = forms.ChoiceField(choices=ScopeDimension.choices, label="Scope", initial="service")
    value = forms.CharField(max_length=60, required=False, label="Which (team id, channel, case type or tier)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "The end must be after the start.")
        return data


class InitiativeForm(Form):
    title = forms.CharField(max_length=200, label="Title")
    problem = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Problem statement")
    proposal = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Proposal", required=False)
    owner = StaffChoiceField(queryset=staff_members(), label="Owner")
    responsible = forms.CharField(max_length=300, required=False, label="Others responsible")
    scope_dimension = forms.ChoiceField(choices=ScopeDimension.choices, label="KPI scope", initial="service")
    scope_value = forms.CharField(max_length=60, required=False, label="Which (team id, channel, case type or tier)")
    baseline_days = forms.IntegerField(min_value=7, max_value=365, initial=28, label="Baseline period (days)")
    check_on = forms.DateField(widget=DATE, label="Check date")
    one_off_cost = forms.DecimalField(label="One-off cost (£)", **MONEY)
    monthly_cost = forms.DecimalField(label="Recurring cost a month (£)", **MONEY)
    monthly_saving = forms.DecimalField(label="Money saved a month (£)", **MONEY)
    monthly_redress_avoided = forms.DecimalField(label="Redress avoided a month (£)", **MONEY)
    monthly_hours_saved = forms.DecimalField(
        max_digits=8, decimal_places=1, min_value=0, initial=0, label="Staff hours saved a month"
    )
    hourly_cost = forms.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, initial=18, label="Cost of an hour (£)"
    )
    monthly_value_retained = forms.DecimalField(label="Customer lifetime value retained a month (£)", **MONEY)
    staff_hours = forms.DecimalField(
        max_digits=8, decimal_places=1, min_value=0, initial=0, label="Staff hours to do it"
    )
    systems = forms.CharField(max_length=300, required=False, label="Systems needed")
    months = forms.IntegerField(min_value=1, max_value=120, initial=24, label="Horizon (months)")
    annual_discount_rate = forms.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=0,
        max_value=1,
        initial="0.035",
        label="Discount rate a year (0.035 = 3.5%)",
    )


class RequirementForm(Form):
    text = forms.CharField(max_length=500, label="Requirement")
    origin = forms.ChoiceField(choices=Origin.choices, label="Internal or external")
    category = forms.ChoiceField(
        choices=[(c, c.replace("_", " ").capitalize()) for c in (*INTERNAL_CATEGORIES, *EXTERNAL_CATEGORIES)],
        label="Kind",
    )
    obligation = forms.ChoiceField(choices=Obligation.choices, label="Mandatory or best practice")
    citation = forms.CharField(max_length=200, required=False, label="Act and section (for legislation)")


class MilestoneForm(Form):
    title = forms.CharField(max_length=300, label="Milestone or action")
    due_on = forms.DateField(widget=DATE, label="Due")
    owner = StaffChoiceField(queryset=staff_members(), label="Owner", required=False)


class MilestoneDoneForm(Form):
    setting_change = forms.IntegerField(
        required=False, min_value=1, label="What it changed (the number of the change in the history of settings)"
    )


class StakeholderForm(Form):
    group = forms.ChoiceField(choices=StakeholderGroup.choices, label="Who")
    how = forms.CharField(max_length=500, label="How they are affected")


class RiskForm(Form):
    text = forms.CharField(max_length=500, label="Risk")
    mitigation = forms.CharField(max_length=500, required=False, label="Mitigation")


class EvidenceForm(Form):
    kind = forms.ChoiceField(choices=EvidenceKind.choices, label="Kind of evidence")
    title = forms.CharField(max_length=300, label="Evidence")
    detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Detail")
    link = forms.CharField(max_length=300, required=False, label="Link (a page in Rapport)")


class KpiForm(Form):
    kpi = forms.ChoiceField(label="KPI")
    target = forms.FloatField(label="Target")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = catalogue.kpi_choices()  # type: ignore[attr-defined]


class StageForm(Form):
    change_at = forms.DateTimeField(
        required=False,
        label="When the change went live",
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
    )


class ActForm(Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect, label="Decision")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason", max_length=2000)


class SuggestionForm(Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What could be better?", max_length=2000)
    touchpoint = forms.ChoiceField(
        choices=[("", "Not sure"), *((t.code, t.label) for t in catalogue.TOUCHPOINTS)],
        required=False,
        label="Where in the journey",
    )


class StandardForm(Form):
    touchpoint = forms.ChoiceField(choices=[(t.code, t.label) for t in catalogue.TOUCHPOINTS], label="Touchpoint")
    expectation = forms.CharField(max_length=300, label="What the customer should experience")
    behaviour = forms.CharField(max_length=300, required=False, label="Behaviour expected of staff")
    kpi = forms.ChoiceField(label="Measured by")
    target = forms.FloatField(label="Target")
    amber_within = forms.FloatField(min_value=0, initial=5, label="Amber within (in the KPI's unit)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = [(e.name, e.source.label) for e in catalogue.catalogue()]  # type: ignore[attr-defined]


class BrandPromiseForm(Form):
    promise = forms.CharField(max_length=300, label="Our promise")
    values = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Our values (one a line)")


class RuleForm(Form):
    title = forms.CharField(max_length=200, label="Rule")
    kind = forms.ChoiceField(choices=RuleKind.choices, label="Kind")
    source = forms.CharField(max_length=300, label="Source (Act and section, or document)")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Summary")
    mandatory = forms.TypedChoiceField(
        choices=[("yes", "Mandatory"), ("no", "Internal / best practice")],
        coerce=lambda v: v == "yes",
        label="Obligation",
    )
    owner = StaffChoiceField(queryset=staff_members(), label="Owner")
    review_on = forms.DateField(widget=DATE, label="Next review")


class ToneEntryForm(Form):
    phrase = forms.CharField(
        max_length=80,
        label="Word or phrase",
        help_text="End it with * for any ending: apologi* finds apologise and apologies.",
    )
    advice = forms.ChoiceField(choices=ToneAdvice.choices, label="Advice")
    instead = forms.CharField(max_length=200, required=False, label="Say instead (for words to avoid)")
    reason = forms.CharField(
        max_length=300, label="Why", help_text="The value or promise it serves, e.g. plain speaking."
    )


class ToneCheckForm(Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        label="Text to check",
        help_text="Paste a reply, a macro or an article.",
    )


class KpiAssumptionsForm(Form):
    hourly_staff_cost = forms.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("999.99"),
        label="Hourly staff cost (£)",
        help_text="The loaded cost of an hour of staff time: pay, employer's National Insurance, pension, overheads.",
    )
