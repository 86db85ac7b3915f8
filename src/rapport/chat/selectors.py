"""Reads for live chat: whether a site's chat is open and the expected wait, the console's queue,
the API's list of chats and transcripts. Each a fixed number of queries whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, F, Q, QuerySet

from rapport.access import visible_cases
from rapport.accounts.models import User
from rapport.chat.models import AgentChat, Chat, ChatLine, ChatSite, ChatStatus, Sender
from rapport.domain import chat as rules

DEFAULT_AHT_SECONDS = 300.0
PRESENCE_SECONDS = 120


@dataclass(frozen=True)
class Availability:
    open: bool
    agents: int
    slots: int
    waiting: int
    expected_wait_seconds: int | None
    reason: str


def _aht(now: datetime) -> float:
    mean = (
        Chat.objects.filter(status=ChatStatus.ENDED, ended_at__gte=now - timedelta(days=7))
        .annotate(length=F("ended_at") - F("started_at"))
        .aggregate(m=Avg("length"))["m"]
    )
    if mean is None:
        return DEFAULT_AHT_SECONDS
    seconds = mean.total_seconds() if isinstance(mean, timedelta) else float(mean) / 1_000_000
    return max(30.0, seconds)


def live_numbers(*, now: datetime, language: str = "") -> tuple[int, int, int, float]:
    """(agents available, their free-or-busy chat slots, chats started in the last hour, AHT)."""
    since = now - timedelta(seconds=PRESENCE_SECONDS)
    rows = list(AgentChat.objects.filter(available=True, seen_at__gte=since).values_list("capacity", "languages"))
    if language:
        rows = [r for r in rows if language in r[1].split(",")]
    started = Chat.objects.filter(started_at__gte=now - timedelta(hours=1)).count()
    return len(rows), sum(r[0] for r in rows), started, _aht(now)


def site_open(site: ChatSite, now: datetime) -> bool:
    if not site.hours:
        return True
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    return rules.is_open(local, rules.parse_hours(site.hours))


def availability(site: ChatSite, *, now: datetime, language: str = "") -> Availability:
    """Whether the site's chat takes new chats now, and the wait a new customer should expect."""
    opened = site_open(site, now)
    agents, slots, started, aht = live_numbers(now=now, language=language)
    waiting = Chat.objects.filter(status=ChatStatus.WAITING).count()
    if not opened:
        return Availability(False, agents, slots, waiting, None, "closed")
    if agents == 0:
        return Availability(False, 0, 0, waiting, None, "nobody_available")
    estimate = rules.expected_wait(position=waiting + 1, chats_last_hour=started, aht_seconds=aht, slots=slots)
    return Availability(True, agents, slots, waiting, estimate.seconds, "")


def wait_for(chat: Chat, *, now: datetime) -> rules.WaitEstimate | None:
    """A waiting chat's place in the queue and expected wait; None once it is with an agent."""
    if chat.status != ChatStatus.WAITING:
        return None
    ahead = Chat.objects.filter(status=ChatStatus.WAITING, started_at__lt=chat.started_at).count()
    _, slots, started, aht = live_numbers(now=now)
    return rules.expected_wait(position=ahead + 1, chats_last_hour=started, aht_seconds=aht, slots=slots)


def chats_visible(actor: User) -> QuerySet[Chat]:
    return Chat.objects.filter(case__in=visible_cases(actor).values("pk"))


def console(actor: User) -> dict[str, Any]:
    """The console's first paint: the waiting queue (oldest first) and the agent's own chats."""
    base = chats_visible(actor).select_related("customer", "case", "agent")
    waiting = list(base.filter(status=ChatStatus.WAITING).order_by("started_at")[:50])
    mine = list(base.filter(status=ChatStatus.ACTIVE, agent=actor).order_by("started_at"))
    settings_row = AgentChat.objects.filter(user=actor).first()
    return {"waiting": waiting, "mine": mine, "settings": settings_row}


def chat_list(actor: User, *, status: str = "", limit: int = 50, before_id: int | None = None) -> list[Chat]:
    qs = chats_visible(actor).select_related("customer", "agent", "case").order_by("-started_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if before_id:
        qs = qs.filter(id__lt=before_id)
    return list(qs[:limit])


def transcript(actor: User, chat_id: int) -> tuple[Chat, list[dict[str, Any]]]:
    """A chat and every line, notes included (staff only: the API is staff's)."""
    from rapport.access import access_case
    from rapport.platform.errors import NotFound

    chat = Chat.objects.select_related("customer", "agent", "case").filter(pk=chat_id).first()
    if chat is None:
        raise NotFound("No such chat.")
    access_case(actor, chat.case_id, why="chat transcript")
    lines = []
    for line in ChatLine.objects.filter(chat=chat).select_related("message__author").order_by("seq"):
        author = line.message.author
        lines.append(
            {
                "seq": line.seq,
                "client_id": line.client_id,
                "sender": line.sender,
                "internal": line.sender == Sender.NOTE,
                "name": chat.customer.name if line.sender == Sender.CUSTOMER else (author.name if author else ""),
                "body": line.message.body,
                "at": line.message.created_at,
            }
        )
    return chat, lines


def customer_history(chat: Chat, limit: int = 10) -> list[Any]:
    """The customer's other cases, newest first, for the console's history panel."""
    from rapport.cases.models import Case

    return list(
        Case.objects.filter(customer_id=chat.customer_id).exclude(pk=chat.case_id).order_by("-created_at")[:limit]
    )


def first_answer_attainment(cases: Q, start: datetime, end: datetime) -> float | None:
    """The share (%) of chats started in [start, end) whose first answer met the target, among
    those decided (answered, or breached unanswered); None when none is decided."""
    decided = Chat.objects.filter(cases, started_at__gte=start, started_at__lt=end).filter(
        Q(answered_at__isnull=False) | Q(breached_at__isnull=False)
    )
    figures = decided.aggregate(n=Count("id"), breached=Count("id", filter=Q(breached_at__isnull=False)))
    n, breached = int(figures["n"]), int(figures["breached"])
    return 100.0 * (n - breached) / n if n else None


def mean_csat(cases: Q, start: datetime, end: datetime) -> float | None:
    mean = Chat.objects.filter(cases, started_at__gte=start, started_at__lt=end, csat__isnull=False).aggregate(
        m=Avg("csat")
    )["m"]
    return None if mean is None else float(mean)
