"""The field layout written in Python (``web.components.field_block``, behind ``web/_field.html``) gives the
markup the template gave: the same elements, attributes, text and escaping, line for line."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template

from rapport.accounts.models import User
from rapport.web.components import field_block
from rapport.web.forms import show_errors

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


# --- remembered layouts ------------------------------------------------------------------------------

LAYOUT = Template("{% include 'web/_field.html' %}")


def _laid_out(field, quiet=False) -> str:
    return LAYOUT.render(Context({"field": field, "quiet": quiet}))


@pytest.fixture
def fresh_blocks(monkeypatch):
    """Count how often a block is laid out afresh, starting from no remembered blocks."""
    calls: list[str] = []
    original = field_block.lay_out

    def counting(field, *, quiet):
        calls.append(field.html_name)
        return original(field, quiet=quiet)

    assert field_block._blocks == {}  # every per-process cache starts empty (tests/conftest.py)
    monkeypatch.setattr(field_block, "lay_out", counting)
    return calls


def test_an_unbound_field_is_laid_out_once_and_reused(fresh_blocks):
    first = _laid_out(Sample()["kind"])
    again = _laid_out(Sample()["kind"])

    assert again == first
    assert fresh_blocks == ["kind"]
    assert '<option value="a">A &amp; B</option>' in first


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.fields["kind"].__setattr__("choices", [("a", "A & B"), ("c", "C"), ("d", "D")]),
        lambda f: f.fields["kind"].widget.attrs.__setitem__("class", "wide"),
        lambda f: f.fields["kind"].__setattr__("label", "Another label"),
        lambda f: f.fields["kind"].__setattr__("help_text", "Another hint"),
        lambda f: f.fields["kind"].__setattr__("required", False),
        lambda f: f.fields["kind"].__setattr__("disabled", True),
        lambda f: f.initial.__setitem__("kind", "c"),
    ],
)
def test_anything_the_markup_depends_on_gives_its_own_layout(fresh_blocks, change):
    plain = _laid_out(Sample()["kind"])
    changed_form = Sample()
    change(changed_form)

    changed = _laid_out(changed_form["kind"])

    assert changed != plain
    assert _lines(changed) == _lines(Template(TEMPLATE_LAYOUT).render(Context({"field": changed_form["kind"]})))
    assert len(fresh_blocks) == 2
    # The remembered block is the fresh one, not a neighbour's.
    assert _laid_out(changed_form["kind"]) == changed
    assert _laid_out(Sample()["kind"]) == plain


def test_quiet_and_prefix_are_part_of_the_layout(fresh_blocks):
    loud = _laid_out(Sample()["note"])
    quiet = _laid_out(Sample()["note"], quiet=True)
    prefixed = _laid_out(Sample(prefix="p")["note"])

    assert "(optional)" in loud
    assert "(optional)" not in quiet
    assert 'name="p-note"' in prefixed
    assert len(fresh_blocks) == 3


def test_submitted_or_erroneous_forms_are_always_laid_out_afresh(fresh_blocks):
    _laid_out(Sample({"name": "abc"})["kind"])
    _laid_out(Sample({"name": "abc"})["kind"])
    unbound = Sample()
    show_errors(unbound, {"kind": ["Choose a kind."]})
    _laid_out(unbound["kind"])

    assert fresh_blocks == ["kind", "kind", "kind"]
    assert field_block._blocks == {}


def test_choices_read_from_the_database_are_not_read_twice(db, fresh_blocks, django_assert_num_queries):
    class Owners(forms.Form):
        owner = forms.ModelChoiceField(queryset=User.objects.all(), required=False)

    with django_assert_num_queries(1):
        _laid_out(Owners()["owner"])
    with django_assert_num_queries(1):
        _laid_out(Owners()["owner"])
    assert fresh_blocks == ["owner", "owner"]


def test_remembered_blocks_are_bounded(fresh_blocks, monkeypatch):
    monkeypatch.setattr(field_block, "_BLOCKS_KEPT", 3)
    for n in range(10):
        form = Sample(initial={"name": f"n{n}"})
        assert f'value="n{n}"' in _laid_out(form["name"])
    assert len(field_block._blocks) <= 3


def test_long_written_values_are_not_remembered(fresh_blocks):
    long_text = "A paragraph the customer wrote. " * 20
    _laid_out(Sample(initial={"note": long_text})["note"])
    _laid_out(Sample(initial={"note": long_text})["note"])
    assert fresh_blocks == ["note", "note"]
    assert field_block._blocks == {}


def test_equal_values_of_different_types_are_told_apart(fresh_blocks):
    class Flag(forms.Form):
        on = forms.BooleanField(required=False)

    unticked = _laid_out(Flag(initial={"on": False})["on"])
    zero = _laid_out(Flag(initial={"on": 0})["on"])

    assert "checked" not in unticked
    assert "checked" in zero  # Django's checkbox ticks anything but False, None and ""
