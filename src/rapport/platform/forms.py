"""The product's form base: every required field says what to do when it is left empty.

Django's "This field is required." names neither the field nor the fix, and an error summary full
of it is no help (GOV.UK Design System, "Error message": say what went wrong and how to fix it,
"Enter the subject", "Choose the team"). A field that declares its own message keeps it; the rest
get one built from their label, for fields declared on the class and for fields a form adds in
``__init__`` alike; a required text of spaces only counts as empty.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.forms import DeclarativeFieldsMetaclass
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

DJANGO_REQUIRED = forms.Field.default_error_messages["required"]

# Labels that read as a phrase already ("Your reply", "What was bought"): no article in front.
_PHRASE_STARTS = {"your", "the", "a", "an", "what", "which", "who", "when", "where", "how", "why", "whether", "any"}


def _phrase(label: str) -> str:
    label = label.strip().rstrip(":")
    first = label.split(" ", 1)[0].lower()
    if label[1:2].islower():  # keep "NPS", "RATER" and names as written
        label = label[:1].lower() + label[1:]
    return label if first in _PHRASE_STARTS else f"the {label}"


def required_message(name: str, field: forms.Field) -> Any:
    """What to tell someone who left ``field`` empty."""
    label = str(field.label or name.replace("_", " ").capitalize())
    if label.endswith("?"):
        return format_lazy(_("Choose an answer for “{}”"), label)
    if ":" in label:  # "Reliability: what you expected"
        return format_lazy(_("Choose an answer for “{}”."), label)
    if isinstance(field, forms.FileField):
        return format_lazy(_("Choose a file for {}."), _phrase(label))
    if isinstance(field, forms.BooleanField):
        return format_lazy(_("Tick the box to confirm: {}."), label[:1].lower() + label[1:])
    if isinstance(field, forms.ChoiceField):  # includes model and multiple choices
        return format_lazy(_("Choose {}."), _phrase(label))
    return format_lazy(_("Enter {}."), _phrase(label))


def give_messages(fields: dict[str, forms.Field]) -> None:
    for name, field in fields.items():
        if field.required and field.error_messages.get("required") == DJANGO_REQUIRED:
            field.error_messages["required"] = required_message(name, field)


class _MessagesMetaclass(DeclarativeFieldsMetaclass):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        new_class = super().__new__(mcs, name, bases, attrs)
        give_messages(new_class.base_fields)
        return new_class


class Form(forms.Form, metaclass=_MessagesMetaclass):
    def full_clean(self) -> None:
        give_messages(self.fields)  # fields added in __init__, such as a survey's questions
        super().full_clean()
        # A text kept as typed (``strip=False``) that is only spaces is still empty: the same
        # mistake gets the same message here, not a different one later from the service.
        for name, field in self.fields.items():
            value = getattr(self, "cleaned_data", {}).get(name)
            if field.required and isinstance(value, str) and not value.strip():
                self.add_error(name, field.error_messages["required"])
