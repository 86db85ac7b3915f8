"""The field layout written in Python (``{% field_block %}``, behind ``web/_field.html``) gives the
markup the template gave: the same elements, attributes, text and escaping, line for line."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template

# web/_field.html and web/_field_error.html as they were written in the template language.
TEMPLATE_LAYOUT = """{% load desk %}{% if field.is_hidden %}{{ field }}{% else %}{% with kind=field.widget_type %}
<div class="field{% if field.errors %} field-error{% endif %}{% if kind == 'checkbox' %} field-checkbox{% endif %}">
{% if kind == "radioselect" %}
  <fieldset>
    <legend>{{ field.label }}</legend>
    {% if field.help_text %}<p class="hint" id="{{ field.auto_id }}-hint">{{ field.help_text }}</p>{% endif %}
    {% if field.errors %}<p class="error-message" id="{{ field.auto_id }}-error"><span class="visually-hidden">Error:</span> {{ field.errors|join:" " }}</p>{% endif %}
    {% field_widget field %}
  </fieldset>
{% elif kind == "checkbox" %}
  {% if field.errors %}<p class="error-message" id="{{ field.auto_id }}-error"><span class="visually-hidden">Error:</span> {{ field.errors|join:" " }}</p>{% endif %}
  {% field_widget field %}
  <label for="{{ field.id_for_label }}">{{ field.label }}</label>
  {% if field.help_text %}<p class="hint" id="{{ field.auto_id }}-hint">{{ field.help_text }}</p>{% endif %}
{% else %}
  <label for="{{ field.id_for_label }}">{{ field.label }}{% if not field.field.required and not quiet %} <span class="optional">(optional)</span>{% endif %}</label>
  {% if field.help_text %}<p class="hint" id="{{ field.auto_id }}-hint">{{ field.help_text }}</p>{% endif %}
  {% if field.errors %}<p class="error-message" id="{{ field.auto_id }}-error"><span class="visually-hidden">Error:</span> {{ field.errors|join:" " }}</p>{% endif %}
  {% field_widget field %}
{% endif %}
</div>
{% endwith %}{% endif %}"""  # noqa: E501 - the template verbatim


class Sample(forms.Form):
    name = forms.CharField(label="Name & title", max_length=5, help_text="As <b>written</b>")
    note = forms.CharField(required=False, widget=forms.Textarea)
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("c", "C")], help_text="Pick one")
    route = forms.ChoiceField(widget=forms.RadioSelect, choices=[("x", "X"), ("y", "Y")], help_text="How")
    agree = forms.BooleanField(label="I agree", help_text="Tick to agree")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    owner = forms.ChoiceField(required=False, choices=[("", "Nobody"), ("1", "Ann <ops>")])

    def clean_name(self):
        raise forms.ValidationError(["Too <short>.", "Try again."])


def _lines(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if line.strip()]


@pytest.mark.parametrize("bound", [False, True])
@pytest.mark.parametrize("quiet", [False, True])
def test_the_python_layout_matches_the_template_layout(bound, quiet):
    form = Sample({"name": "abc", "version": "3"} if bound else None)
    layout = Template(TEMPLATE_LAYOUT)
    ours = Template("{% include 'web/_field.html' %}")
    for name in Sample.base_fields:
        context = {"field": form[name], "quiet": quiet}
        expected = _lines(layout.render(Context(context)))
        assert _lines(ours.render(Context(context))) == expected, name
        assert expected, name


def test_errors_and_hints_are_tied_to_the_widget():
    form = Sample({"name": "abc"})
    html = Template("{% include 'web/_field.html' %}").render(Context({"field": form["name"]}))
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert 'aria-invalid="true"' in html
    assert "Too &lt;short&gt;. Try again." in html
    assert "As &lt;b&gt;written&lt;/b&gt;" in html
