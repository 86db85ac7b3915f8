"""Forms for the privacy pages: they shape input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.domain.case_rules import Channel
from rapport.platform.forms import Form
from rapport.platform.widgets import DateInput
from rapport.privacy.models import AdjustmentKind, LawfulBasis, Purpose, RequestKind

CHANNELS = [(c.value, c.value.replace("_", " ").capitalize()) for c in Channel]

# The rights as the customer reads them in the portal, in their language (the stored value is the code).
PORTAL_RIGHTS = [
    (RequestKind.ACCESS.value, _("Access (a copy of my data)")),
    (RequestKind.ERASURE.value, _("Erasure (delete my data)")),
    (RequestKind.RECTIFICATION.value, _("Rectification (correct my data)")),
    (RequestKind.RESTRICTION.value, _("Restriction (stop using my data for now)")),
    (RequestKind.OBJECTION.value, _("Objection (stop a use of my data)")),
    (RequestKind.PORTABILITY.value, _("Portability (my data in a reusable format)")),
]


class AdjustmentForm(Form):
    kind = forms.ChoiceField(label="Adjustment", choices=AdjustmentKind.choices)
    detail = forms.CharField(
        label="Details", max_length=300, required=False, help_text="For example: 18 pt minimum, or calls after 2pm."
    )
    channel = forms.ChoiceField(label="Preferred channel", choices=[("", "Not applicable"), *CHANNELS], required=False)
    contact_name = forms.CharField(label="Named contact, carer or advocate", max_length=200, required=False)
    extra_minutes = forms.IntegerField(label="Extra time on targets (business minutes)", min_value=0, required=False)


class ConsentForm(Form):
    purpose = forms.ChoiceField(label="Purpose", choices=Purpose.choices)
    channel = forms.ChoiceField(label="Channel", choices=CHANNELS)
    basis = forms.ChoiceField(label="Lawful basis", choices=LawfulBasis.choices)
    granted = forms.ChoiceField(
        label="Answer", choices=[("yes", "Yes, agreed"), ("no", "No, or withdrawn")], widget=forms.RadioSelect
    )
    method = forms.CharField(
        label="How the answer was given", max_length=100, help_text="For example: phone call, paper form."
    )
    wording = forms.CharField(label="Exact wording shown or read out", widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(Form):
    reason = forms.CharField(label="Reason", max_length=200)


class DataRequestForm(Form):
    kind = forms.ChoiceField(
        label=_("Which right do you want to use?"), choices=PORTAL_RIGHTS, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional. For example, which information you want, or what needs correcting."),
    )


class LiftForm(Form):
    """Lifting a restriction: the person is told first (UK GDPR Art 18(3))."""

    told_on = forms.DateField(label="Date the person was told the restriction will be lifted", widget=DateInput())
    told_how = forms.CharField(label="How they were told", max_length=100, help_text="For example: email, letter.")
    reason = forms.CharField(label="Why it is lifted", max_length=300)
