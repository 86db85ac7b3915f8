"""Forms for the quality pages: they parse input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.accounts.models import Role, User
from rapport.platform.forms import Form
from rapport.quality.models import Behaviour, CriticalItem, Dispute, ScorecardVersion
from rapport.quality.services import BehaviourIn, CriticalCheckIn, CriticalIn, RatingIn

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
LINES_HELP = "One per line."


class PeriodForm(Form):
    start = forms.DateField(widget=DATE, label="From")
    end = forms.DateField(widget=DATE, label="Until (not included)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "The end must be after the start.")
        return data


class ScorecardForm(Form):
    name = forms.CharField(max_length=120, label="Name")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Description")
    behaviours = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        label="Behaviours",
        help_text="One per line: name | weight (0-100) | what good looks like. "
        "Example: Empathy | 10 | Acknowledges the customer's experience.",
    )
    critical = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Critical items (fail the review whatever the rest)",
        help_text="One per line: name | description.",
    )
    scale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Rating scale",
        help_text="One label per point, lowest first (2 to 10 points).",
    )
    note = forms.CharField(max_length=300, required=False, label="What changed (for the version history)")

    def clean_behaviours(self) -> list[BehaviourIn]:
        found = []
        for number, line in enumerate(self.cleaned_data["behaviours"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            try:
                weight = int(parts[1]) if len(parts) > 1 and parts[1] else 10
            except ValueError:
                raise forms.ValidationError(f"Line {number}: the weight must be a whole number.") from None
            found.append(BehaviourIn(parts[0], weight, " | ".join(parts[2:])))
        return found

    def clean_critical(self) -> list[CriticalIn]:
        found = []
        for line in self.cleaned_data["critical"].splitlines():
            if line.strip():
                name, _, description = line.partition("|")
                found.append(CriticalIn(name.strip(), description.strip()))
        return found

    def clean_scale(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["scale"].splitlines() if line.strip()]

    @staticmethod
    def initial_for(version: ScorecardVersion) -> dict[str, str]:
        return {
            "name": version.scorecard.name,
            "description": version.scorecard.description,
            "behaviours": "\n".join(f"{b.name} | {b.weight} | {b.description}" for b in version.behaviours.all()),
            "critical": "\n".join(f"{c.name} | {c.description}" for c in version.critical_items.all()),
            "scale": "\n".join(label for _, label in version.scale()),
        }


class CaseForm(Form):
    case = forms.CharField(max_length=40, label="Case reference", help_text="For example C-000123.")


class CalibrationForm(Form):
    title = forms.CharField(max_length=200, label="Title")
    case = forms.CharField(max_length=40, label="Case reference")
    reviewers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple, label="Reviewers (at least two)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            role__in=[Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN], is_active=True
        ).order_by("name", "id")


class ReplyForm(Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, label="Your reply")


class DisputeForm(Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        label="Why you dispute this review",
        help_text="Another reviewer, not the one who wrote it, decides.",
    )


class ReviewForm(Form):
    """One rating, comment and quote per behaviour, one check per critical item (fields built from
    the review's scorecard version)."""

    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Overall comment")

    def __init__(
        self,
        *args: Any,
        behaviours: list[Behaviour],
        items: list[CriticalItem],
        scale: list[tuple[int, str]],
        decide: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.behaviours, self.items = behaviours, items
        choices = [("", "Not applicable"), *((str(v), f"{v}: {label}") for v, label in scale)]
        for b in behaviours:
            self.fields[f"value_{b.code}"] = forms.ChoiceField(
                choices=choices, required=False, label=f"{b.name} (weight {b.weight})", help_text=b.description
            )
            self.fields[f"comment_{b.code}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
                label=f"Comment on {b.name.lower()}",
            )
            self.fields[f"quote_{b.code}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
                label=f"The passage it is about ({b.name.lower()})",
                help_text="Copy the words from the messages above.",
            )
        for item in items:
            self.fields[f"breached_{item.code}"] = forms.BooleanField(
                required=False, label=f"Breached: {item.name}", help_text=item.description
            )
            self.fields[f"cquote_{item.code}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
                label=f"The passage ({item.name.lower()})",
            )
        if decide:
            self.fields["outcome"] = forms.ChoiceField(choices=Dispute.Outcome.choices, label="Decision")
            self.fields["decision"] = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reasons")

    def rows(self) -> list[tuple[Behaviour, Any, Any, Any]]:
        return [
            (b, self[f"value_{b.code}"], self[f"comment_{b.code}"], self[f"quote_{b.code}"]) for b in self.behaviours
        ]

    def critical_rows(self) -> list[tuple[CriticalItem, Any, Any]]:
        return [(i, self[f"breached_{i.code}"], self[f"cquote_{i.code}"]) for i in self.items]

    def ratings(self) -> dict[str, RatingIn]:
        data = self.cleaned_data
        return {
            b.code: RatingIn(
                value=int(data[f"value_{b.code}"]) if data.get(f"value_{b.code}") else None,
                comment=data.get(f"comment_{b.code}", ""),
                quote=data.get(f"quote_{b.code}", ""),
            )
            for b in self.behaviours
        }

    def critical(self) -> dict[str, CriticalCheckIn]:
        data = self.cleaned_data
        return {
            i.code: CriticalCheckIn(bool(data.get(f"breached_{i.code}")), data.get(f"cquote_{i.code}", ""))
            for i in self.items
        }

    @staticmethod
    def field_for(key: str) -> str:
        """The form field a service error key names (``ratings.empathy.quote`` → ``quote_empathy``)."""
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "ratings":
            return f"{parts[2]}_{parts[1]}"
        if len(parts) == 3 and parts[0] == "critical":
            return f"cquote_{parts[1]}"
        return key
