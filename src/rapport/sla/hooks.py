"""How the SLA engine plugs into the core: case signals drive the clocks; the case page, queue,
navigation and demo get their SLA parts through ``rapport.extensions``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest

from rapport import extensions
from rapport.accounts.models import User
from rapport.cases import signals
from rapport.cases.models import Case, CaseEvent, Message, MessageKind
from rapport.platform import promises as wording
from rapport.sla import access as sla_policy
from rapport.sla import evidence, promises, selectors, services

# Historic contact (old mail imported long after it was written) is recorded but not measured:
# targets are for the desk's response, and starting them years late would only report breaches
# nobody could have prevented and escalate them to today's staff (docs/mail.md).


def on_case_created(sender: Any, *, case: Case, now: datetime, historic: bool = False, **kwargs: Any) -> None:
    if not historic:
        promises.promises_make(services.clocks_on_case_created(case=case, now=now), now)


def on_message_added(
    sender: Any, *, case: Case, message: Message, now: datetime, historic: bool = False, **kwargs: Any
) -> None:
    if not historic:
        services.clocks_on_message(case=case, message=message, now=now)
        if message.kind == MessageKind.OUTBOUND:
            promises.promises_on_reply(case, now)


def on_cases_created(items: Sequence[dict[str, Any]]) -> None:
    """``on_case_created`` for a batch of new cases (``CaseSignal.send_many``)."""
    made = [(i["case"], i["now"]) for i in items if not i.get("historic")]
    clocks = services.clocks_on_cases_created(made)
    for now in sorted({now for _case, now in made}):
        promises.promises_make([c for c in clocks if c.started_at == now], now)


def on_messages_added(items: Sequence[dict[str, Any]]) -> None:
    """``on_message_added`` for a batch of messages, in order."""
    kept = [(i["case"], i["message"], i["now"]) for i in items if not i.get("historic")]
    services.clocks_on_messages(kept)
    for case, message, now in kept:
        if message.kind == MessageKind.OUTBOUND:
            promises.promises_on_reply(case, now)


def on_case_changed(
    sender: Any, *, case: Case, events: Sequence[CaseEvent], now: datetime, historic: bool = False, **kwargs: Any
) -> None:
    if historic:
        return
    moves = [e for e in events if e.kind == "changed" and e.field == "status"]
    if moves:
        services.clocks_on_status(case=case, before=moves[0].before, after=moves[-1].after, now=now)
    services.clocks_on_case_facts(case=case, events=events, now=now)


def on_cases_merged(target: Case, sources: Sequence[Case], actor: User, now: datetime) -> None:
    services.clocks_on_merge(target=target, sources=sources, now=now)
    promises.promises_on_merge(target, sources)


def on_case_split(case: Case, new: Case, message: Message, now: datetime) -> None:
    services.clocks_on_split(case=new, message=message)


def on_customers_changed(customer_ids: Sequence[int], change: str, now: datetime) -> None:
    services.clocks_retarget(customer_ids=customer_ids, now=now, reason=change)


def case_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    """The targets panel loads after the page (htmx), so the case page costs no extra query."""
    if not sla_policy.can_view_case_sla(request.user):
        return None
    return extensions.Panel(template="sla/_case_panel_loader.html", place="side", order=10, context={"case": case})


def case_promises(cases: Sequence[Case], now: datetime) -> dict[int, extensions.CasePromise]:
    """The open promise of each case in words, in its calendar's time zone (one query)."""
    answer: dict[int, extensions.CasePromise] = {}
    for case_id, promise in promises.open_promises([c.pk for c in cases]).items():
        zone = ZoneInfo(promise.zone) if promise.zone else wording.LONDON  # type: ignore[attr-defined]
        late = promise.due_at <= now
        text = wording.late_promise(promise.due_at, zone) if late else wording.reply_promise(promise.due_at, zone)
        answer[case_id] = extensions.CasePromise(due=promise.due_at, text=text, late=late)
    return answer


def _can_see_report(user: User) -> bool:
    return sla_policy.can_view_report(user)


def register() -> None:
    signals.case_created.connect(on_case_created, dispatch_uid="sla.case_created")
    signals.message_added.connect(on_message_added, dispatch_uid="sla.message_added")
    signals.case_changed.connect(on_case_changed, dispatch_uid="sla.case_changed")
    if on_cases_merged not in extensions.case_merge_handlers:
        extensions.case_merge_handlers.append(on_cases_merged)
        extensions.case_split_handlers.append(on_case_split)
    if on_customers_changed not in extensions.customer_changes:
        extensions.customer_changes.append(on_customers_changed)
    if selectors.breaching_soon not in extensions.breaching_soon_windows:
        extensions.breaching_soon_windows.append(selectors.breaching_soon)
    signals.case_created.batch_form(on_case_created, on_cases_created)
    signals.message_added.batch_form(on_message_added, on_messages_added)
    if case_panel not in extensions.case_panels:
        extensions.case_panels.append(case_panel)
    if not any(item.url_name == "sla:index" for item in extensions.nav_items):
        extensions.nav_items.append(
            extensions.NavItem(label="SLAs", url_name="sla:index", section="sla", visible=_can_see_report, order=30)
        )
    if selectors.PolicyCalendars not in extensions.case_calendars:
        extensions.case_calendars.append(selectors.PolicyCalendars)
    extensions.kpi_sources.register(extensions.SLA_ATTAINMENT, selectors.ATTAINMENT)
    extensions.kpi_sources.register(extensions.PROMISES_KEPT, promises.PROMISES_KEPT)
    if case_promises not in extensions.case_promises:
        extensions.case_promises.append(case_promises)
    extensions.case_facts.register(extensions.SLA_BREACHED, selectors.breached_by_case)
    extensions.gap_evidence.register("sla", evidence.missed_targets)
    from rapport.sla.demo import seed_demo

    if seed_demo not in extensions.demo_seeders:
        extensions.demo_seeders.append(seed_demo)
