"""Forms for coaching pages: they shape input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.domain import coaching as rules
from rapport.platform.forms import Form
from rapport.platform.widgets import DateInput

AGREEMENT = [
    (5, "5 - strongly agree"),
    (4, "4 - agree"),
    (3, "3 - neither"),
    (2, "2 - disagree"),
    (1, "1 - strongly disagree"),
]


class TargetForm(Form):
    kpi = forms.ChoiceField(label="KPI", help_text="From the KPI catalogue.")
    whom = forms.ChoiceField(label="For", help_text="One agent, or a whole team.")
    value = forms.DecimalField(
        label="Target", max_digits=8, decimal_places=2, help_text="In the KPI's unit: per cent, hours or points."
    )
    starts_on = forms.DateField(label="From", widget=DateInput())
    ends_on = forms.DateField(label="To", widget=DateInput(), help_text="At most a year after the start.")
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        help_text="Why this target: the standard, the coaching plan or the change it supports.",
    )

    def __init__(self, *args: Any, kpis: list[tuple[str, str]], whom: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = kpis
        self.fields["whom"].choices = whom


class SessionForm(Form):
    held_on = forms.DateField(label="Held on", widget=DateInput())
    topic = forms.CharField(label="Topic", max_length=200)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)
    cases = forms.CharField(
        label="Cases it is about",
        required=False,
        max_length=500,
        help_text="Case references, separated by commas, e.g. RAP-000123.",
    )
    work = forms.CharField(
        label="Other work it is about",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line, kind and id: learning_unit 3, qa_review 41.",
    )
    follow_up_on = forms.DateField(label="Follow-up on", required=False, widget=DateInput())
    action_1 = forms.CharField(label="Agreed action 1", required=False, max_length=300)
    owner_1 = forms.ChoiceField(label="Owner of action 1", required=False)
    due_1 = forms.DateField(label="Action 1 due", required=False, widget=DateInput())
    action_2 = forms.CharField(label="Agreed action 2", required=False, max_length=300)
    owner_2 = forms.ChoiceField(label="Owner of action 2", required=False)
    due_2 = forms.DateField(label="Action 2 due", required=False, widget=DateInput())

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_1"].choices = owners
        self.fields["owner_2"].choices = owners


class ActionForm(Form):
    text = forms.CharField(label="Agreed action", max_length=300)
    owner = forms.ChoiceField(label="Owner")
    due_on = forms.DateField(label="Due", required=False, widget=DateInput())

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners


class AppraisalForm(Form):
    starts_on = forms.DateField(label="Period from", widget=DateInput())
    ends_on = forms.DateField(label="Period to", widget=DateInput())


class CommentForm(Form):
    comment = forms.CharField(
        label="Your comment", required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class RoundForm(Form):
    title = forms.CharField(label="Title", max_length=100, help_text="E.g. 'Staff pulse, March 2026'.")
    opens_on = forms.DateField(label="Opens on", widget=DateInput())
    closes_on = forms.DateField(label="Closes on", widget=DateInput(), help_text="At most a month after it opens.")


class PulseForm(Form):
    recommend = forms.TypedChoiceField(
        label=rules.RECOMMEND_QUESTION,
        coerce=int,
        choices=[(i, str(i)) for i in range(10, -1, -1)],
        widget=forms.RadioSelect,
    )
    tools = forms.TypedChoiceField(
        label=rules.AGREEMENT_QUESTIONS["tools"], coerce=int, choices=AGREEMENT, widget=forms.RadioSelect
    )
    training = forms.TypedChoiceField(
        label=rules.AGREEMENT_QUESTIONS["training"], coerce=int, choices=AGREEMENT, widget=forms.RadioSelect
    )
    workload = forms.TypedChoiceField(
        label=rules.AGREEMENT_QUESTIONS["workload"], coerce=int, choices=AGREEMENT, widget=forms.RadioSelect
    )
