"""Forms for the learning pages: they parse input; the services decide what is valid."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from rapport.learning.models import EvidenceKind, MarkingPoint, SignOffDecision
from rapport.platform.forms import Form


class QuestionForm(Form):
    title = forms.CharField(max_length=200, label="Title")
    situation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="The customer's situation",
        help_text="What happened, in the customer's words where you can.",
    )
    task = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="The task", help_text="What the learner should explain or do."
    )


class AnswerForm(Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        label="Your answer",
        help_text="Write in full sentences; each marking point you cover is credited with the sentence that shows it.",
    )


class OverrideForm(Form):
    point = forms.TypedChoiceField(coerce=int, label="Marking point")
    credited = forms.TypedChoiceField(
        choices=[("yes", "Credit this point"), ("no", "Do not credit this point")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Decision",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason", max_length=2000)

    def __init__(self, *args: Any, points: Sequence[MarkingPoint] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [(p.pk, f"{p.position}. {p.text[:90]}") for p in points]  # type: ignore[attr-defined]


class EvidenceForm(Form):
    kind = forms.ChoiceField(choices=EvidenceKind.choices, label="Kind of evidence")
    case_reference = forms.CharField(
        required=False, max_length=20, label="Case reference", help_text="For case work, e.g. RP-000123."
    )
    link = forms.CharField(
        required=False,
        max_length=300,
        label="Address in Rapport",
        help_text="For improvement work or feedback: the page's address, e.g. /improvement/initiatives/4/.",
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What this shows")
    points = forms.TypedMultipleChoiceField(
        coerce=int, widget=forms.CheckboxSelectMultiple, label="Marking points it meets"
    )

    def __init__(self, *args: Any, points: Sequence[MarkingPoint] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points"].choices = [  # type: ignore[attr-defined]
            (p.pk, f"{p.unit.title[:40]} · {p.position}. {p.text[:80]}") for p in points
        ]


class SignOffForm(Form):
    decision = forms.ChoiceField(choices=SignOffDecision.choices, widget=forms.RadioSelect, label="Decision")
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Comment",
        help_text="Required when referring back: what should the learner add or change?",
    )
