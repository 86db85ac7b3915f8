"""Every form class the product's own pages use, found by importing each app's forms and views modules.

The configuration admin (``*.admin``) is Django's own interface, with Django's messages, and is left out.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from django import forms

import rapport


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


@cache
def product_forms() -> tuple[type[forms.BaseForm], ...]:
    for module in pkgutil.walk_packages(rapport.__path__, "rapport."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "views"}:
            importlib.import_module(module.name)
    found = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("rapport.") and not cls.__module__.endswith(".admin")
    }
    return tuple(sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}"))
