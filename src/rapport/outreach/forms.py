"""Forms for the proactive pages: they parse input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.domain.case_rules import CaseType
from rapport.outreach.models import PURPOSE_CHOICES
from rapport.platform.forms import Form
from rapport.platform.widgets import DateInput

TYPE_CHOICES = [("", "Any type"), *[(t.value, t.value.replace("_", " ").capitalize()) for t in CaseType]]
GROUP_CHOICES = [("", "Everyone"), ("external", "External customers"), ("internal", "Internal customers")]
SEGMENT_FIELDS = ("open_case_tag", "open_case_type", "group", "tier", "team_id", "resolved_from", "resolved_to")


class OutreachForm(Form):
    title = forms.CharField(max_length=200, label="Title", help_text="For the team, e.g. 'Outage on 4 December'.")
    purpose = forms.ChoiceField(
        choices=PURPOSE_CHOICES,
        label="Purpose",
        help_text="A service message is about the customer's own service (no consent needed); marketing needs consent.",
    )
    subject = forms.CharField(max_length=200, label="Email subject")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Message")
    easy_read_body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label="Easy-read version",
        help_text="Short sentences, one idea each. Sent to customers whose adjustments ask for easy read.",
    )
    open_case_tag = forms.CharField(
        max_length=50, required=False, label="Customers with an open case tagged", help_text="e.g. delayed-order"
    )
    open_case_type = forms.ChoiceField(
        choices=TYPE_CHOICES, required=False, label="Customers with an open case of type"
    )
    group = forms.ChoiceField(choices=GROUP_CHOICES, required=False, label="Internal or external")
    tier = forms.CharField(max_length=30, required=False, label="Loyalty tier")
    team_id = forms.IntegerField(required=False, min_value=1, label="Customers of team (id)")
    resolved_from = forms.DateField(required=False, label="A case resolved from", widget=DateInput())
    resolved_to = forms.DateField(required=False, label="A case resolved to", widget=DateInput())

    def segment(self) -> dict[str, Any]:
        data = self.cleaned_data
        found = {name: data.get(name) for name in SEGMENT_FIELDS if data.get(name) not in (None, "")}
        for name in ("resolved_from", "resolved_to"):
            if name in found:
                found[name] = found[name].isoformat()
        return found
