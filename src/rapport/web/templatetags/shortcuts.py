"""``{% load shortcuts %}``: a person's single-key shortcuts for the page's script (WCAG 2.1.4)."""

from __future__ import annotations

import json
from typing import Any

from django import template

from rapport.domain.shortcuts import ACTIONS, shortcuts_from
from rapport.web.reversing import remembered_reverse

register = template.Library()


@register.filter
def shortcut_settings(user: Any) -> str:
    """What ``web/static/rapport/shortcuts.js`` reads from ``<body data-shortcuts>``: on or off,
    the key for each action and what each does (for the help dialog). Built from the signed-in
    user, so it costs no query."""
    chosen = shortcuts_from(getattr(user, "shortcuts", None))
    shown = {
        "enabled": chosen.enabled,
        "keys": dict(chosen.keys),
        "labels": ACTIONS,
        "preferences": remembered_reverse("shortcut_preferences"),
    }
    return json.dumps(shown, separators=(",", ":"))
