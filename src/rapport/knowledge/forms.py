"""Forms of the knowledge base's pages: writing an article, the workflow, and readers' feedback."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.knowledge.models import Audience, Reason, Section
from rapport.platform.forms import Form
from rapport.platform.widgets import DateInput
from rapport.web.forms import StaffChoiceField, staff_members


class ArticleForm(Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        max_length=300, required=False, help_text="One or two sentences: shown in search results."
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18}),
        strip=False,
        max_length=100_000,
        help_text="Markdown. Start headings at level 2 (##); describe every image in its square brackets. "
        "Reply placeholders: {{ customer.name }}, {{ case.reference }}, {{ agent.name }}.",
    )
    audience = forms.ChoiceField(choices=Audience.choices, widget=forms.RadioSelect, initial=Audience.INTERNAL)
    section = forms.ModelChoiceField(queryset=Section.objects.select_related("category"), required=False)
    owner = StaffChoiceField(
        queryset=staff_members(), required=False, help_text="Who keeps it right; you if left empty."
    )
    review_due = forms.DateField(required=False, widget=DateInput(), label="Review by")
    citations = forms.CharField(
        required=False,
        label="Rules it cites",
        help_text="One a line, as setting label and id, e.g. sla.slapolicy 3 (see Settings history).",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(max_length=300, required=False, label="What you changed")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def citation_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for line in (self.cleaned_data.get("citations") or "").splitlines():
            parts = line.split()
            if len(parts) == 2:
                pairs.append((parts[0], parts[1]))
            elif parts:
                self.add_error("citations", f"“{line.strip()}” is not a setting label and an id, e.g. sla.slapolicy 3.")
        return pairs


class ReviewedForm(Form):
    next_review = forms.DateField(widget=DateInput(), label="Next review by")


class FileForm(Form):
    file = forms.FileField()
    alt_text = forms.CharField(max_length=300, required=False, label="Text alternative (for an image)")


class FeedbackForm(Form):
    helpful = forms.TypedChoiceField(
        label=_("Was this article helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Why not?"), choices=[("", _("Choose a reason")), *Reason.choices], required=False
    )
    comment = forms.CharField(
        label=_("Anything else we should know? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("helpful") is False and not data.get("reason"):
            self.add_error("reason", _("Tell us why it didn't help, so we can improve it."))
        return data
