"""The macro form and the signature form (the product's Form base: specific required messages)."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.accounts.models import Team, User
from rapport.cases.models import PRIORITY_CHOICES, STATUS_CHOICES
from rapport.domain.placeholders import PLACEHOLDERS
from rapport.macros import access
from rapport.macros.models import Scope
from rapport.macros.services import NAME_REQUIRED, MacroData
from rapport.platform.forms import Form
from rapport.web.forms import StaffChoiceField, check_tags, staff_members

PLACEHOLDER_HELP = "Placeholders: " + ", ".join("{{ " + name + " }}" for name in PLACEHOLDERS) + "."


class MacroForm(Form):
    name = forms.CharField(max_length=100, error_messages={"required": NAME_REQUIRED})
    scope = forms.ChoiceField(label="Who can use it", choices=Scope.choices)
    team = forms.ModelChoiceField(
        required=False, queryset=Team.objects.all(), empty_label="Not a team macro", help_text="For team macros."
    )
    reply = forms.CharField(
        label="Reply to the customer",
        required=False,
        strip=False,
        help_text="Markdown. " + PLACEHOLDER_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    reply_cy = forms.CharField(
        label="Reply in Welsh (optional)",
        required=False,
        strip=False,
        help_text="Sent instead to customers who asked to be served in Welsh. The same placeholders work here.",
        widget=forms.Textarea(attrs={"rows": 6, "lang": "cy"}),
    )
    note = forms.CharField(
        label="Internal note",
        required=False,
        strip=False,
        help_text="Only staff see it. The same placeholders work here.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    set_status = forms.ChoiceField(
        label="Set status", required=False, choices=[("", "Leave as it is"), *STATUS_CHOICES]
    )
    set_priority = forms.TypedChoiceField(
        label="Set priority",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Leave as it is"), *PRIORITY_CHOICES],
    )
    add_tags = forms.CharField(
        label="Add tags",
        required=False,
        max_length=500,
        help_text="Separate tags with commas.",
        validators=[check_tags],
    )
    set_owner = StaffChoiceField(
        label="Assign to", required=False, queryset=staff_members(), empty_label="Leave as it is"
    )
    set_team = forms.ModelChoiceField(
        label="Move to team", required=False, queryset=Team.objects.all(), empty_label="Leave as it is"
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(access.scopes_for(actor))
        self.fields["scope"].choices = [c for c in Scope.choices if c[0] in allowed]

    def data_for_service(self) -> MacroData:
        data = self.cleaned_data
        return MacroData(
            name=data["name"],
            scope=data["scope"],
            team_id=data["team"].pk if data.get("team") else None,
            reply=data.get("reply") or "",
            reply_cy=data.get("reply_cy") or "",
            note=data.get("note") or "",
            set_status=data.get("set_status") or "",
            set_priority=data.get("set_priority"),
            add_tags=data.get("add_tags") or "",
            set_owner_id=data["set_owner"].pk if data.get("set_owner") else None,
            set_team_id=data["set_team"].pk if data.get("set_team") else None,
        )


class SignatureForm(Form):
    body = forms.CharField(
        label="Signature",
        required=False,
        strip=False,
        max_length=2000,
        help_text="Markdown. Added under every reply. Leave empty to sign with your team's signature.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ApplyForm(Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": "Reload the case and try again."}
    )
