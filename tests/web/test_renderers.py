"""The desk's form renderer writes the same markup as Django's widget templates, only faster
(the same elements, attributes and escaping; only blank lines between options differ)."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from rapport.web.renderers import DeskFormRenderer


class Sample(forms.Form):
    plain = forms.CharField(required=False, max_length=20, help_text="hint")
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    count = forms.IntegerField(min_value=1)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    secret = forms.CharField(widget=forms.PasswordInput)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    choice = forms.ChoiceField(choices=[("", "Any"), ("a&b", "A & B"), ("c", mark_safe("<b>C</b>"))])
    grouped = forms.ChoiceField(choices=[("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("x", "Other")])
    several = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], required=False)
    radio = forms.ChoiceField(
        widget=forms.RadioSelect, choices=[("", "Keep"), ("y&n", "Yes & no"), ("Group", [("g", "In a group")])]
    )
    radio_attrs = forms.ChoiceField(widget=forms.RadioSelect(attrs={"class": "inline"}), choices=[("a", "A")])
    ticks = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, choices=[("1", "<One>"), ("2", "Two")])
    agree = forms.BooleanField(required=False)
    upload = forms.FileField(required=False)
    uploads = forms.FileField(required=False, widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "plain": '"quoted" <tag>',
            "email": "a@example.com",
            "count": "0",
            "hidden": "h&1",
            "secret": "pw",
            "body": "Line one\n<script>x</script>",
            "choice": "a&b",
            "grouped": "pear",
            "several": ["1", "2"],
            "radio": "y&n",
            "radio_attrs": "a",
            "ticks": ["2"],
            "agree": "on",
        },
    ],
)
def test_widgets_render_as_django_renders_them(data):
    ours = Sample(data or None, renderer=DeskFormRenderer())
    django = Sample(data or None, renderer=DjangoTemplates())
    for name in Sample.base_fields:
        attrs = {"aria-describedby": "x-hint", "aria-invalid": "true"} if name == "plain" else None
        assert _lines(ours[name].as_widget(attrs=attrs)) == _lines(django[name].as_widget(attrs=attrs)), name


def _lines(html: str) -> list[str]:
    """The markup without the blank lines Django's template includes leave between options."""
    return [line.strip() for line in html.splitlines() if line.strip()]
