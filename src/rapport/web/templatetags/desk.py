"""``{% load desk %}``: every helper the desk's pages use, gathered from the focused libraries.

Each concern has its own library (``fields``, ``links``, ``mappings``, ``markup``, ``navigation``,
``queue``, ``shortcuts``, ``times``, ``words``), which a template may load alone; this one loads them all. It adds
nothing of its own and replaces no built-in tag: ``{% url %}`` stays Django's, and a template that
wants a remembered reversal says so with ``{% remembered_url %}``.
"""

from __future__ import annotations

from django import template

from rapport.web.components.field_block import error_anchor, field_widget
from rapport.web.components.moment import when
from rapport.web.reversing import remembered_reverse
from rapport.web.templatetags import fields, links, mappings, markup, navigation, queue, shortcuts, times, words
from rapport.web.templatetags.markup import marked, sanitised
from rapport.web.templatetags.times import duration_words
from rapport.web.templatetags.words import event_value, humanise

# Python that renders markup may import these from here too; each lives in the module named above.
__all__ = [
    "duration_words",
    "error_anchor",
    "event_value",
    "field_widget",
    "humanise",
    "marked",
    "register",
    "remembered_reverse",
    "sanitised",
    "when",
]

register = template.Library()

for _library in (fields, links, mappings, markup, navigation, queue, shortcuts, times, words):
    register.tags.update(_library.register.tags)
    register.filters.update(_library.register.filters)
