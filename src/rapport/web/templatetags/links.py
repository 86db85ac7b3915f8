"""``{% load links %}``: remembered reversals for the desk's busiest pages (``web.reversing``).

``{% remembered_url %}`` takes what ``{% url %}`` takes and gives what it gives; a template uses it
on purpose where a page reverses the same names many times. ``case_path`` is a case page's path
for tables of cases.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template import defaulttags
from django.template.defaulttags import URLNode
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from rapport.web.reversing import case_path, remembered

register = template.Library()

register.filter("case_path", case_path)


class RememberedURLNode(URLNode):
    """Django's ``{% url %}`` node, reversing through ``web.reversing.remembered`` (same answers)."""

    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs: dict[str, Any] = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:  # as URLNode does: the request's current app, else the namespace it was resolved in
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = remembered(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def remembered_url(parser: template.base.Parser, token: template.base.Token) -> RememberedURLNode:
    """``{% remembered_url 'view' arg … [as name] %}``: parsed as ``{% url %}`` is, remembered."""
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
