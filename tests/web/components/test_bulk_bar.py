"""The action bar's options written in Python (``web.components.bulk_bar``) give the markup the
template gave, escaping included."""

from __future__ import annotations

from django.template import Context, Template

from rapport.web.components.bulk_bar import bulk_options

TEMPLATE = """{% for action in bulk_actions %}{% if action.options is not None %}
    <optgroup label="{{ action.label }}">{% for value, label in action.options %}<option value="{{ action.name }}:{{ value }}">{{ action.label }}: {{ label }}</option>{% endfor %}</optgroup>{% elif action.param %}
    <option value="{{ action.name }}:">{{ action.label }} (give the {{ action.param }} below)</option>{% else %}
    <option value="{{ action.name }}:">{{ action.label }}</option>{% endif %}{% endfor %}"""  # noqa: E501 - the template verbatim

ACTIONS = [
    {
        "name": "assign",
        "label": "Assign to",
        "param": "owner",
        "options": [("", "Nobody"), (3, 'Megan "M" <O\'Neil> & co')],
    },
    {"name": "tags_add", "label": "Add tags", "param": "tags", "options": None},
    {"name": "merge", "label": "Merge <into>", "param": "", "options": None},
    {"name": "empty", "label": "Empty", "param": "x", "options": []},
]


def test_python_options_match_the_template_options():
    expected = Template(TEMPLATE).render(Context({"bulk_actions": ACTIONS}))

    ours = bulk_options(ACTIONS)

    assert ours == expected
    assert "&lt;O&#x27;Neil&gt; &amp; co" in ours
    assert "Merge &lt;into&gt;" in ours
