"""The choices of the queue's action bar: one group of options per action ("Assign to: Megan").

The owner list is every member of staff, so as template nodes the options cost more than the rest
of the bar; built here with ``format_html`` (escaping by default) they cost a tenth of that. The
markup is the one the template held (``tests/web/components/test_bulk_bar.py`` compares).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

_OPTION = '<option value="{}:{}">{}: {}</option>'


def bulk_options(actions: Iterable[Mapping[str, Any]]) -> SafeString:
    """Every action's options after the bar's "Choose an action": a labelled group of its values,
    or one option for an action whose parameter is typed in the bar (tags)."""
    parts = []
    for action in actions:
        name, label, options = action["name"], action["label"], action["options"]
        if options is not None:
            rows = format_html_join("", _OPTION, ((name, value, label, shown) for value, shown in options))
            parts.append(format_html('\n    <optgroup label="{}">{}</optgroup>', label, rows))
        elif action["param"]:
            parts.append(
                format_html('\n    <option value="{}:">{} (give the {} below)</option>', name, label, action["param"])
            )
        else:
            parts.append(format_html('\n    <option value="{}:">{}</option>', name, label))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a SafeString from format_html
