"""Forms for the complaint panel and its pages. They shape input; the services hold the rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from rapport.complaints.models import RootCause
from rapport.domain import complaint_rules as rules
from rapport.domain.consumer_law import Kind, Nation, RemedyCode, ServiceBreach
from rapport.platform.forms import Form
from rapport.platform.widgets import DateInput
from rapport.web.forms import StaffChoiceField, shown_staff, staff_members

TEXT = {"rows": 3}


class HearForm(Form):
    prefix = "hear"
    account = forms.CharField(
        label="The customer's account, in their own words",
        widget=forms.Textarea(attrs=TEXT),
        max_length=20_000,
        help_text="Kept verbatim. Quote them; do not tidy it up.",
    )
    summary = forms.CharField(label="Your summary", widget=forms.Textarea(attrs=TEXT), max_length=20_000)
    confirmed = forms.BooleanField(label="I read the summary back and the customer agreed it", required=False)
    product = forms.CharField(label="Product or service complained about", max_length=100, required=False)


class SaidForm(Form):
    said = forms.CharField(label="What you said", widget=forms.Textarea(attrs=TEXT), max_length=20_000)


class EmpathiseForm(SaidForm):
    prefix = "empathise"


class ApologiseForm(SaidForm):
    prefix = "apologise"
    liability_admitted = forms.BooleanField(
        label="We also admit liability (recorded separately from the apology)", required=False
    )


class OwnershipForm(Form):
    prefix = "own"
    handler = StaffChoiceField(
        label="Complaint handler", queryset=staff_members(), required=False, empty_label="Choose…"
    )
    action_plan = forms.CharField(label="Action plan", widget=forms.Textarea(attrs=TEXT), max_length=20_000)
    promised_date = forms.DateField(label="Date promised to the customer", widget=DateInput())
    follow_ups = forms.CharField(
        label="Follow-up dates",
        required=False,
        max_length=200,
        help_text="Dates as YYYY-MM-DD, separated by commas.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = staff_members()
        # Shown from the process's list (ADR 0007); a submitted owner is still checked against the database.
        self.fields["handler"].widget.choices = [("", "Choose…"), *shown_staff()]

    def clean_follow_ups(self) -> list[date]:
        days = []
        for part in (self.cleaned_data.get("follow_ups") or "").split(","):
            if part.strip():
                try:
                    days.append(date.fromisoformat(part.strip()))
                except ValueError:
                    raise forms.ValidationError("Write each date as YYYY-MM-DD, for example 2026-03-20.") from None
        return days


class OutcomeForm(Form):
    prefix = "outcome"
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose…")] + [(o.value, o.value.replace("_", " ").capitalize()) for o in rules.Outcome],
    )
    outcome_text = forms.CharField(
        label="Outcome offered to the customer", widget=forms.Textarea(attrs=TEXT), max_length=20_000
    )
    customer_response = forms.ChoiceField(
        label="Customer's response",
        required=False,
        choices=[("", "Not yet known")]
        + [(r.value, r.value.replace("_", " ").capitalize()) for r in rules.CustomerResponse],
    )
    root_cause = forms.ChoiceField(label="Root cause", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["root_cause"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Not yet known")] + [(c.code, c.name) for c in RootCause.objects.filter(active=True)]


class ReasonForm(Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs=TEXT), max_length=20_000)


class OverrideForm(ReasonForm):
    prefix = "override"


class EscalateForm(ReasonForm):
    prefix = "escalate"


class FactsForm(Form):
    prefix = "facts"
    kind = forms.ChoiceField(
        label="What was bought", choices=[(k.value, k.value.replace("_", " ").capitalize()) for k in Kind]
    )
    contract_date = forms.DateField(label="Contract date", widget=DateInput())
    delivered = forms.DateField(label="Delivered or performed", required=False, widget=DateInput())
    reported = forms.DateField(
        label="Problem reported",
        widget=DateInput(),
        error_messages={"required": "Enter the date the problem was reported."},
    )
    price = forms.DecimalField(label="Price (£)", min_value=0, max_digits=10, decimal_places=2, required=False)
    repairs_tried = forms.IntegerField(
        label="Repairs or replacements already done", min_value=0, initial=0, required=False
    )
    repair_impossible = forms.BooleanField(label="Repair and replacement are impossible", required=False)
    service_breach = forms.ChoiceField(
        label="Service term broken",
        required=False,
        choices=[("", "Not a service")] + [(b.value, b.value.replace("_", " ")) for b in ServiceBreach],
    )
    distance_sale = forms.BooleanField(label="Bought online, by phone or off-premises", required=False)
    nation = forms.ChoiceField(label="Nation", choices=[(n.value, n.value.replace("_", " ").title()) for n in Nation])

    def facts(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["repairs_tried"] = data.get("repairs_tried") or 0
        return {k: v for k, v in data.items() if v not in (None, "")}


class AwardForm(Form):
    prefix = "award"
    basis = forms.ChoiceField(
        label="Basis",
        widget=forms.RadioSelect,
        choices=[(rules.Basis.LEGAL.value, "Legal entitlement"), (rules.Basis.GOODWILL.value, "Goodwill")],
    )
    kind = forms.ChoiceField(label="Kind", choices=[(k.value, k.value.capitalize()) for k in rules.AwardKind])
    remedy = forms.ChoiceField(
        label="Statutory remedy (legal entitlement only)",
        required=False,
        choices=[("", "None")] + [(c.value, c.value.replace("_", " ")) for c in RemedyCode],
    )
    amount = forms.CharField(label="Amount (£)", max_length=20)
    note = forms.CharField(label="Note", required=False, max_length=2000)


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label="Decision", widget=forms.RadioSelect, choices=[("approve", "Approve"), ("refuse", "Refuse")]
    )
    ground = forms.ChoiceField(
        label="Ground for refusal",
        required=False,
        choices=[("", "Not refused"), ("not_entitled", "Not entitled"), ("budget", "Budget"), ("other", "Other")],
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs=TEXT), max_length=20_000)


class FinalResponseForm(Form):
    prefix = "final"
    deadlock = forms.BooleanField(label="Send as a deadlock letter (we cannot resolve this)", required=False)


class FinalLetterForm(Form):
    """The letter's wording, edited on its preview before it is sent."""

    deadlock = forms.BooleanField(label="Send as a deadlock letter (we cannot resolve this)", required=False)
    body = forms.CharField(
        label="The letter",
        help_text=(
            "The greeting, what you found and what you will do. Leave a blank line between paragraphs. "
            "What the law entitles the customer to, any goodwill, their right to refer the complaint and "
            "your signature are added below it and cannot be removed."
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=20_000,
        error_messages={"required": "Write the letter: it cannot be empty."},
    )
