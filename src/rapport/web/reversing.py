"""Remembered URL reversals for the desk's busiest pages.

A reversal is a pure function of the URLconf, the script prefix, the current app, the view name
and its arguments. A case page makes about thirty and a queue page a hundred (one per row), a
tenth of their time, so each answer is remembered, keyed by all of those and bounded in number
(``platform.caches``). Templates ask for it by name (``{% remembered_url %}``); Django's own
``{% url %}`` is untouched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from rapport.platform import caches

# A reference that stands in for every case's: its path is reversed once per URLconf and script
# prefix, and each row puts its own reference in its place.
_ANY_REFERENCE = "C-000000"


@caches.memo(
    "web.url_reversals",
    key="URLconf, script prefix, current app, view name, arguments",
    maxsize=8192,
)
def _reverse(
    urlconf: str,
    prefix: str,
    current_app: str | None,
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> str:
    del prefix  # part of the key: reverse() reads it itself
    return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


def where() -> tuple[str, str]:
    """The URLconf and script prefix in force, which every remembered reversal is keyed by."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


def remembered(
    view_name: str, args: Sequence[Any] = (), kwargs: Mapping[str, Any] | None = None, current_app: str | None = None
) -> str:
    """``reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)``, remembered;
    arguments that cannot be a key (unhashable) are reversed afresh."""
    kwargs = kwargs or {}
    try:
        return _reverse(*where(), current_app, view_name, tuple(args), tuple(sorted(kwargs.items())))
    except TypeError:
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)


def remembered_reverse(view_name: str, *args: Any) -> str:
    """``reverse(view_name, args=args)``, remembered: for Python that renders markup."""
    return remembered(view_name, args)


def case_path(reference: str) -> str:
    """The case page's path (``reverse("cases:detail", args=[reference])``) under the script
    prefix in force; one reversal serves every case (references need no URL quoting)."""
    return remembered_reverse("cases:detail", _ANY_REFERENCE).replace(_ANY_REFERENCE, reference)
