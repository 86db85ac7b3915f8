"""``{% load navigation %}``: where the person is in the desk's header, and links to the page
they are on with some parameters changed."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.http import QueryDict

register = template.Library()

# Header sections: the view each link opens, and the URL namespaces of the pages beneath it.
SECTIONS = {
    "queue": ("home", {"cases"}),
    "customers": ("customers:list", {"customers"}),
    "search": ("search", set()),
}


@register.simple_tag(takes_context=True)
def nav_state(context: template.Context, section: str) -> str:
    """``page`` on the page a header link opens, ``true`` on the pages beneath it, else ""."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None or section not in SECTIONS:
        return ""
    page, namespaces = SECTIONS[section]
    if match.view_name == page:
        return "page"
    return "true" if match.namespace in namespaces else ""


@register.simple_tag(takes_context=True)
def nav_item_state(context: template.Context, namespace: str, url_name: str) -> str:
    """``page`` on the page a plugged-in header link opens, ``true`` on the rest of its app."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    if match.view_name == url_name:
        return "page"
    return "true" if match.namespace == namespace else ""


@register.simple_tag(takes_context=True)
def query(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced; ``None`` or "" drops one."""
    request = context.get("request")
    # A page shown in answer to a form (the queue after a bulk action) names the address it stands for.
    shown_for = context.get("query_for")
    if shown_for is not None:
        params = shown_for.copy()
    else:
        params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for name, value in changes.items():
        if value in (None, ""):
            params.pop(name, None)
        else:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def language_choices() -> list[tuple[str, str]]:
    """The languages the language switch offers, each named in itself ("English", "Cymraeg"),
    whatever the page's language: people look for their own language's name."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]
