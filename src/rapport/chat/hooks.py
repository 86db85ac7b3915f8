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
    """The same chat in the portal, on the customer's home page (signed in, so it joins their
    history): the site named by ``CHAT_PORTAL_SITE``. No query: a widget whose site does not exist
    removes itself."""
    from django.conf import settings

    key = settings.CHAT_PORTAL_SITE
    if page != "home" or not key:
        return None
    return extensions.Panel(template="chat/portal_panel.html", place="top", order=90, context={"site_key": key})


def _first_answer(scope: extensions.KpiScope) -> float | None:
    from rapport.chat.selectors import first_answer_attainment

    return first_answer_attainment(scope.cases("case__"), scope.start, scope.end)


def _csat(scope: extensions.KpiScope) -> float | None:
    from rapport.chat.selectors import mean_csat

    return mean_csat(scope.cases("case__"), scope.start, scope.end)


CHAT_FIRST_ANSWER = "chat_first_answer"
CHAT_CSAT = "chat_csat"


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
    extensions.kpi_sources.register(
        CHAT_FIRST_ANSWER,
        extensions.KpiSource(
            label="Chats answered within target",
            measure=_first_answer,
            definition="Chats started in the period whose first answer came within the site's target, among "
            "those answered or past their target.",
            formula="100 x answered in time / (answered in time + breached)",
            source="Live chat: each chat's first answer and target (seconds).",
        ),
    )
    extensions.kpi_sources.register(
        CHAT_CSAT,
        extensions.KpiSource(
            label="Chat satisfaction (CSAT, 1 to 5)",
            measure=_csat,
            kind="mean",
            unit="/5",
            definition="The mean score customers gave at the end of chats started in the period.",
            formula="sum of the scores / number of chats rated",
            source="Live chat: the rating asked for when a chat ends.",
        ),
    )
