"""``{% remembered_url %}`` answers as Django's ``{% url %}`` does, remembered; ``{% url %}`` itself
stays Django's in every template; ``case_path`` follows the script prefix."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.template.defaulttags import URLNode
from django.urls import NoReverseMatch, clear_script_prefix, set_script_prefix

from rapport.web import reversing
from rapport.web.templatetags.links import RememberedURLNode


def both(source: str, **context) -> tuple[str, str]:
    """``source`` written with ``{% remembered_url %}``, and with Django's ``{% url %}``."""
    return (
        Template("{% load links %}" + source).render(Context(context)),
        Template(source.replace("remembered_url", "url")).render(Context(context)),
    )


@pytest.fixture
def under_desk():
    set_script_prefix("/desk/")
    yield
    clear_script_prefix()


@pytest.mark.parametrize(
    ("source", "context"),
    [
        ("{% remembered_url 'home' %}", {}),
        ("{% remembered_url 'cases:detail' ref %}", {"ref": "C-000042"}),
        ("{% remembered_url 'cases:detail' reference=ref %}", {"ref": "C-000042"}),
        ("{% remembered_url 'customers:detail' pk %}", {"pk": 7}),
        ("{% remembered_url name ref %}", {"name": "cases:reply", "ref": "C-000001"}),
        ("{% remembered_url 'cases:detail' ref as link %}[{{ link }}]", {"ref": "C-9"}),
        ("{% remembered_url 'no-such-view' as link %}[{{ link }}]", {}),
        ("{% remembered_url 'search' %}?q={{ q }}", {"q": "<b>"}),
        ("{% remembered_url 'cases:detail' ref %}", {"ref": "a b&<c>"}),
    ],
)
def test_the_same_answer_as_django(source, context):
    ours, django = both(source, **context)
    assert ours == django
    assert ours  # every case renders something


def test_a_missing_view_is_still_an_error():
    with pytest.raises(NoReverseMatch):
        Template("{% load links %}{% remembered_url 'no-such-view' %}").render(Context({}))


def test_url_stays_djangos_own_in_templates_that_load_desk():
    template = Template("{% load desk %}{% url 'home' %}{% remembered_url 'home' %}")
    nodes = [type(node) for node in template.nodelist if isinstance(node, URLNode)]
    assert nodes == [URLNode, RememberedURLNode]


def test_each_reversal_is_remembered_and_the_script_prefix_is_part_of_it():
    template = Template("{% load links %}{% remembered_url 'cases:detail' ref %}")
    first = template.render(Context({"ref": "C-000001"}))
    template.render(Context({"ref": "C-000001"}))
    assert reversing._reverse.cache_info().hits == 1
    set_script_prefix("/desk/")
    try:
        assert template.render(Context({"ref": "C-000001"})) == "/desk/cases/C-000001/"
    finally:
        clear_script_prefix()
    assert first == "/cases/C-000001/"


def test_unhashable_arguments_are_reversed_afresh():
    ours = Template("{% load links %}{% remembered_url 'cases:detail' ref %}").render(
        Context({"ref": Unhashable("C-000005")})
    )
    assert ours == "/cases/C-000005/"


def test_unhashable_arguments_to_a_missing_view_still_give_nothing_with_as():
    source = "{% load links %}{% remembered_url 'no-such-view' ref as link %}[{{ link }}]"
    assert Template(source).render(Context({"ref": Unhashable("x")})) == "[]"


def test_remembered_reverse_answers_as_reverse_does(under_desk):
    assert reversing.remembered_reverse("attachment", 12) == "/desk/attachments/12/"


@pytest.mark.parametrize("prefix", ["/", "/desk/", "/a/b/"])
def test_case_path_follows_the_script_prefix(prefix):
    set_script_prefix(prefix)
    try:
        assert reversing.case_path("C-000001") == f"{prefix}cases/C-000001/"
        assert reversing.case_path("C-123456") == f"{prefix}cases/C-123456/"
    finally:
        clear_script_prefix()


def test_case_path_filter_under_a_script_prefix(under_desk):
    html = Template("{% load links %}{{ ref|case_path }}").render(Context({"ref": "C-000001"}))
    assert html == "/desk/cases/C-000001/"


class Unhashable(str):
    __hash__ = None  # type: ignore[assignment]
