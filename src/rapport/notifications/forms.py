"""The preferences form: one choice of channel per kind of notification."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.domain import notifications as rules
from rapport.platform.forms import Form


class PreferencesForm(Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in rules.KINDS.items():
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=list(rules.CHANNELS.items()),
                error_messages={
                    "required": f"Choose how to hear when: {label[:1].lower()}{label[1:]}.",
                    "invalid_choice": "Choose in the app, by email, both or not at all.",
                },
            )
