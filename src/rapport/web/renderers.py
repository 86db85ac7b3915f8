"""The form renderer: Django's own widget markup, with the commonest widgets written in Python.

Rendering a select through the template engine costs a template node per option and attribute;
the queue's filters and the case page's edit form hold several selects with dozens of options
each, which made widgets a quarter of those pages' time. These functions produce exactly the
markup of Django's ``select.html``, ``input.html``, ``textarea.html``, the radio and checkbox
lists and a file input with nothing uploaded yet (escaped the same way)
without the engine; every other widget goes through the templates as usual.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.utils.html import conditional_escape


def _attrs(attrs: Mapping[str, Any]) -> str:
    """Django's ``attrs.html``: ``False`` drops an attribute, ``True`` writes its name alone."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _option(option: Mapping[str, Any]) -> str:
    value = conditional_escape(str(option["value"]))
    return f'  <option value="{value}"{_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>'


def _select(widget: Mapping[str, Any]) -> str:
    lines = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            lines.append(f'  <optgroup label="{conditional_escape(group_name)}">')
        lines.extend(_option(option) for option in options)
        if group_name:
            lines.append("  </optgroup>")
    lines.append("</select>")
    return "\n".join(lines)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget.get("value")
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    name = conditional_escape(widget["name"])
    return f'<input type="{conditional_escape(widget["type"])}" name="{name}"{shown}{_attrs(widget["attrs"])}>'


def _input_option(option: Mapping[str, Any]) -> str:
    """Django's ``input_option.html``: a radio or checkbox input, wrapped in its label."""
    html = _input(option)
    if not option.get("wrap_label"):
        return f"{html}\n"
    id_ = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(str(id_))}"' if id_ else ""
    return f"<label{label_for}>{html}\n {conditional_escape(option['label'])}</label>\n"


def _multiple_input(widget: Mapping[str, Any]) -> str:
    """Django's ``multiple_input.html`` (radio buttons, checkbox lists)."""
    attrs = widget["attrs"]
    id_, css = attrs.get("id"), attrs.get("class")
    parts = [
        "<div",
        f' id="{conditional_escape(str(id_))}"' if id_ else "",
        f' class="{conditional_escape(css)}"' if css else "",
        ">",
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{conditional_escape(group_name)}</label>")
        parts.extend(f"<div>\n    {_input_option(option)}\n</div>" for option in options)
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget.get("value")
    text = conditional_escape(str(value)) if value else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


IN_PYTHON = {
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/input.html": _input,
    "django/forms/widgets/text.html": _input,
    "django/forms/widgets/email.html": _input,
    "django/forms/widgets/number.html": _input,
    "django/forms/widgets/hidden.html": _input,
    "django/forms/widgets/password.html": _input,
    "django/forms/widgets/search.html": _input,
    "django/forms/widgets/url.html": _input,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/checkbox.html": _input,
    "django/forms/widgets/radio.html": _multiple_input,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
}


class DeskFormRenderer(TemplatesSetting):
    """Templates from the project's engine (so apps may override widgets), common widgets in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        fast = IN_PYTHON.get(template_name)
        if fast is not None:
            return fast(context["widget"])
        if template_name == "django/forms/widgets/clearable_file_input.html" and not context["widget"]["is_initial"]:
            return _input(context["widget"])  # a new upload: nothing to show or clear, so the bare input
        return super().render(template_name, context, request)
