"""Template context every page gets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from rapport.web import policy


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "organisation": settings.RAPPORT_ORGANISATION,
        "is_desk_staff": bool(user is not None and policy.is_staff(user)),
    }
