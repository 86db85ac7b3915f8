"""How live chat plugs into the core: the first-answer job, the console in the navigation, the
portal's chat, and the demo's chat site."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest

from rapport import extensions
from rapport.chat import access

_registered = False


def _demo(now: datetime) -> None:
    from rapport.chat.demo import seed_chat_demo

    seed_chat_demo(now)


def portal_chat(request: HttpRequest, page: str) -> extensions.Panel | None:
    """The same chat in the portal, on the customer's home page (signed in, so it joins their history)."""
    if page != "home":
        return None
    from rapport.chat.models import ChatSite

    key = ChatSite.objects.filter(active=True).order_by("id").values_list("key", flat=True).first()
    if key is None:
        return None
    return extensions.Panel(template="chat/portal_panel.html", place="top", order=90, context={"site_key": key})


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from rapport.chat import services, tasks
    from rapport.platform import jobs

    jobs.register(services.FIRST_ANSWER_JOB, tasks.first_answer_watch)
    extensions.nav_items.append(
        extensions.NavItem(label="Chat", url_name="chat:console", section="chat", visible=access.can_chat, order=15)
    )
    extensions.portal_panels.append(portal_chat)
    extensions.demo_seeders.append(_demo)
