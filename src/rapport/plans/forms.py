"""Forms for the service plan pages: they parse input; the services decide what is valid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from rapport.accounts.models import STAFF_ROLES, Team, User
from rapport.domain.contingencies import TRIGGER_LABELS
from rapport.plans import sections as parts
from rapport.plans.models import PlanStatus, Response
from rapport.platform.forms import Form
from rapport.platform.widgets import DateInput


class PlanForm(Form):
    title = forms.CharField(max_length=200, label="Title", help_text="For example: front line service plan, spring.")
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, label="Team", empty_label="The whole service"
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, role__in=STAFF_ROLES).order_by("name"),
        label="Owner",
        help_text="Told when a contingency fires.",
    )
    starts_on = forms.DateField(label="Starts on", widget=DateInput())
    ends_on = forms.DateField(label="Ends on", widget=DateInput())
    status = forms.ChoiceField(choices=PlanStatus.choices, label="Status", help_text="Only active plans are watched.")
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000, label="Summary"
    )
    planned_weekly_contacts = forms.IntegerField(
        required=False, min_value=0, max_value=10_000_000, label="Contacts per week planned for",
        help_text="The demand the plan is resourced for; forecast-demand triggers compare with it.",
    )  # fmt: skip
    budget = forms.DecimalField(
        required=False, min_value=0, max_value=100_000_000, decimal_places=2, label="Budget (£)"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def plan_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        budget: Decimal | None = data["budget"]
        return {
            "title": data["title"],
            "team_id": data["team"].pk if data["team"] else None,
            "owner_id": data["owner"].pk,
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "status": data["status"],
            "summary": data["summary"],
            "planned_weekly_contacts": data["planned_weekly_contacts"],
            "budget_pence": int(budget * 100) if budget is not None else None,
        }


def item_form(section: str, data: Any = None) -> forms.Form:
    """A form for one item of ``section``, its fields from the section's spec (``sections.py``)."""
    spec = parts.SECTIONS[section]
    fields: dict[str, forms.Field] = {}
    for f in spec.fields:
        common: dict[str, Any] = {"label": f.label, "required": f.required, "help_text": f.help}
        if f.kind == "choice":
            fields[f.name] = forms.ChoiceField(choices=[("", "Choose…"), *(f.choices() if f.choices else [])], **common)
        elif f.kind == "multi":
            fields[f.name] = forms.MultipleChoiceField(
                choices=list(f.choices() if f.choices else []), widget=forms.CheckboxSelectMultiple, **common
            )
        elif f.kind == "number":
            fields[f.name] = forms.DecimalField(min_value=f.low, max_value=f.high, **common)
        elif f.kind == "date":
            fields[f.name] = forms.DateField(widget=DateInput(), **common)
        elif f.kind == "bool":
            fields[f.name] = forms.BooleanField(**{**common, "required": False})
        else:
            fields[f.name] = forms.CharField(max_length=f.max_length, **common)
    form_class = type(f"{section.title()}ItemForm", (Form,), fields)
    return form_class(data, prefix=section)  # type: ignore[no-any-return]


class ContingencyForm(Form):
    name = forms.CharField(max_length=120, label="Contingency", help_text="For example: phones down.")
    trigger = forms.ChoiceField(choices=[(k.value, v) for k, v in TRIGGER_LABELS.items()], label="Trigger")
    threshold = forms.DecimalField(
        required=False, max_digits=7, decimal_places=2, label="Threshold",
        help_text="X% of plan or forecast for demand, Y% for SLA attainment, Z hours for the mail backlog.",
    )  # fmt: skip
    intervals = forms.IntegerField(
        required=False, min_value=1, max_value=96, label="Intervals in a row", help_text="For staffed below required."
    )
    system = forms.CharField(
        required=False, max_length=80, label="System", help_text="For system down: its name, or empty for any system."
    )
    responses = forms.MultipleChoiceField(
        choices=Response.choices, widget=forms.CheckboxSelectMultiple, label="Planned response"
    )
    response_detail = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="What exactly we do"
    )

    prefix = "contingency"


class OutageForm(Form):
    system = forms.CharField(max_length=80, label="System that is down", help_text="For example: telephony platform.")
    note = forms.CharField(required=False, max_length=300, label="What is happening")
