from __future__ import annotations

import json
from typing import Any

from django import forms

from rapport.platform.forms import Form

EXAMPLE = json.dumps(
    {
        "trigger": "event",
        "events": ["created"],
        "conditions": {"match": "all", "conditions": [{"field": "text", "op": "contains", "value": "refund"}]},
        "actions": [{"type": "add_tags", "tags": ["refund"]}, {"type": "set_fields", "fields": {"priority": "high"}}],
    },
    indent=2,
)


class RuleForm(Form):
    name = forms.CharField(max_length=120, help_text="What the rule does, e.g. “Refund requests are high priority”.")
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), help_text="Why the rule exists."
    )
    definition = forms.CharField(
        label="Definition (JSON)",
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "code"}),
        help_text=(
            "The trigger, the events or the time conditions, the conditions and the actions; every field, "
            "operator and action is listed in the automation guide (docs/automation.md)."
        ),
    )
    position = forms.IntegerField(min_value=0, max_value=100000, initial=100, help_text="Rules run lowest first.")
    active = forms.BooleanField(
        required=False, label="On", help_text="Leave off until the dry run shows the cases you expect."
    )

    def clean_definition(self) -> Any:
        try:
            return json.loads(self.cleaned_data["definition"])
        except ValueError as exc:
            raise forms.ValidationError(f"This is not valid JSON: {exc}.") from None
