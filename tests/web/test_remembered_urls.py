"""``{% url %}`` in templates that load ``desk`` answers as Django's own tag does, remembered."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, clear_script_prefix, set_script_prefix

from rapport.web.templatetags import desk

OURS = "{% load desk %}"


def both(source: str, **context) -> tuple[str, str]:
    return (
        Template(OURS + source).render(Context(context)),
        Template(source).render(Context(context)),
    )


@pytest.mark.parametrize(
    ("source", "context"),
    [
        ("{% url 'home' %}", {}),
        ("{% url 'cases:detail' ref %}", {"ref": "C-000042"}),
        ("{% url 'cases:detail' reference=ref %}", {"ref": "C-000042"}),
        ("{% url 'customers:detail' pk %}", {"pk": 7}),
        ("{% url name ref %}", {"name": "cases:reply", "ref": "C-000001"}),
        ("{% url 'cases:detail' ref as link %}[{{ link }}]", {"ref": "C-9"}),
        ("{% url 'no-such-view' as link %}[{{ link }}]", {}),
        ("{% url 'search' %}?q={{ q }}", {"q": "<b>"}),
    ],
)
def test_the_same_answer_as_django(source, context):
    ours, django = both(source, **context)
    assert ours == django
    assert ours  # every case renders something


def test_a_missing_view_is_still_an_error():
    with pytest.raises(NoReverseMatch):
        Template(OURS + "{% url 'no-such-view' %}").render(Context({}))


def test_each_reversal_is_remembered_and_the_script_prefix_is_part_of_it():
    desk._reverse.cache_clear()
    template = Template(OURS + "{% url 'cases:detail' ref %}")
    first = template.render(Context({"ref": "C-000001"}))
    template.render(Context({"ref": "C-000001"}))
    assert desk._reverse.cache_info().hits == 1
    set_script_prefix("/desk/")
    try:
        assert template.render(Context({"ref": "C-000001"})) == "/desk/cases/C-000001/"
    finally:
        clear_script_prefix()
    assert first == "/cases/C-000001/"


def test_unhashable_arguments_are_reversed_afresh():
    ours = Template(OURS + "{% url 'cases:detail' ref %}").render(Context({"ref": Unhashable("C-000005")}))
    assert ours == "/cases/C-000005/"


def test_unhashable_arguments_to_a_missing_view_still_give_nothing_with_as():
    ours = Template(OURS + "{% url 'no-such-view' ref as link %}[{{ link }}]").render(Context({"ref": Unhashable("x")}))
    assert ours == "[]"


class Unhashable(str):
    __hash__ = None  # type: ignore[assignment]
