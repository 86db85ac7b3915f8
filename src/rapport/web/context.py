"""Template context every page gets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from rapport import access as policy
from rapport import extensions


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    staff = bool(user is not None and policy.is_staff(user))
    return {
        "organisation": settings.RAPPORT_ORGANISATION,
        "is_desk_staff": staff,
        # Links other apps add (SLA, complaints, reports …), for the staff who may use them.
        "nav_extra": sorted((item for item in extensions.nav_items if item.visible(user)), key=lambda item: item.order)
        if staff
        else [],
        # A callable: the template asks for it only where the header is drawn (not in htmx partials).
        "header_alerts": (lambda: extensions.header_alerts_for(user)) if staff else (),
        "header_links": (lambda: extensions.header_links_for(user)) if staff else (),
        "header_controls": (lambda: extensions.header_controls_for(user)) if staff else (),
    }
