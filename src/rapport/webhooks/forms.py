from __future__ import annotations

from typing import Any

from django import forms

from rapport.accounts.models import Team
from rapport.platform.forms import Form
from rapport.webhooks import access as policy
from rapport.webhooks.services import subscribable


class SubscriptionForm(Form):
    name = forms.CharField(max_length=100, help_text="What the receiver is, e.g. “CRM sync”.")
    url = forms.CharField(
        label="Receiver address",
        max_length=500,
        help_text="An https:// address on the internet; private and internal addresses are refused.",
    )
    kinds = forms.MultipleChoiceField(
        label="Events to send", widget=forms.CheckboxSelectMultiple, help_text="Choose at least one."
    )
    role = forms.ChoiceField(
        label="Service account role",
        choices=policy.ROLES,
        help_text=(
            "Decides what payloads may contain: internal notes and customer details only for the roles that say so."
        ),
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For agent and team leader roles: only cases of these teams (and unassigned ones) are sent.",
    )
    active = forms.BooleanField(
        required=False, initial=True, help_text="Switched-off webhooks keep their deliveries waiting."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = self.fields["kinds"]
        assert isinstance(kinds, forms.MultipleChoiceField)
        kinds.choices = [(k, k.replace("_", " ").capitalize()) for k in subscribable()]
