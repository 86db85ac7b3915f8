"""Forms for the sign-in security pages: they only shape input; the rules are in ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.platform.forms import Form


class CodeForm(Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}),
        error_messages={"required": _("Enter the code from your authenticator app")},
    )


class VerifyForm(CodeForm):
    remember = forms.BooleanField(
        label=_("Don't ask again on this browser for a while"),
        required=False,
        help_text=_("Only on a computer that is yours and locked when you are away."),
    )


class ConfirmForm(Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=10,
        help_text=_("The 6-digit code the app shows after you added this account to it."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
    )


class ResetForm(Form):
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why their second factors are being reset (e.g. a lost phone, checked by a call to them). "
        "Kept in the audit.",
        error_messages={"required": "Say why you are resetting this person's second factors"},
    )


class PreviewForm(Form):
    claims = forms.CharField(
        label="Claims",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text='The claims as JSON, as your identity provider sends them, e.g. {"email": "…", '
        '"email_verified": true, "groups": ["rapport-agents"]}.',
        error_messages={"required": "Paste the claims to preview"},
    )
