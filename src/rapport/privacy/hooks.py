"""What privacy and reasonable adjustments add to the core through ``rapport.extensions``.

Hooks that decorate a page of cases run one query for the whole page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from rapport import extensions
from rapport.access import log as access_log
from rapport.domain.adjustments import extra_time
from rapport.domain.case_rules import CaseType
from rapport.privacy import access as privacy_policy
from rapport.privacy import demo, erasure, evidence, findings, labels, merging, rights, services
from rapport.privacy.models import (
    Adjustment,
    AdjustmentKind,
    DataRequest,
    RequestKind,
    Restriction,
    RestrictionGround,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from rapport.accounts.models import User
    from rapport.cases.models import Case
    from rapport.customers.models import Customer


def active_adjustments(customer_ids: Sequence[int]) -> dict[int, list[Adjustment]]:
    found: dict[int, list[Adjustment]] = {}
    for adjustment in Adjustment.objects.filter(customer_id__in=customer_ids, ended_at__isnull=True):
        found.setdefault(adjustment.customer_id, []).append(adjustment)
    return found


def adjustment_badges(actor: User, cases: Sequence[Case]) -> Mapping[int, Sequence[extensions.Badge]]:
    adjustments = active_adjustments(sorted({c.customer_id for c in cases}))
    badges: dict[int, list[extensions.Badge]] = {}
    for case in cases:
        found = adjustments.get(case.customer_id)
        if found:
            kinds = ", ".join(a.get_kind_display() for a in found)
            badges[case.pk] = [extensions.Badge(text="Adjustments", css="tag tag-adjustment", title=kinds)]
    return badges


def overdue_request_badges(actor: User, cases: Sequence[Case]) -> Mapping[int, Sequence[extensions.Badge]]:
    """ "Data request overdue" on the queue rows of open data requests past their response date:
    one query, and none when the page has no data-request case."""
    ids = [c.pk for c in cases if c.type == CaseType.DATA_REQUEST]
    if not ids:
        return {}
    today = timezone.localdate()
    badges: dict[int, list[extensions.Badge]] = {}
    for request in DataRequest.objects.filter(case_id__in=ids, completed_on__isnull=True):
        timing = services.request_timing(request, today)
        if timing.overdue:
            badges[request.case_id] = [
                extensions.Badge(text="Data request overdue", css="tag tag-overdue", title=timing.label)
            ]
    return badges


def adjustments_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    found = active_adjustments([case.customer_id]).get(case.customer_id)
    if not found:
        return None
    return extensions.Panel(
        template="privacy/_adjustments_panel.html", place="top", order=10, context={"adjustments": found}
    )


def restriction_banner(request: HttpRequest, obj: Case | Customer) -> extensions.Panel | None:
    """A clear banner on every case and on the customer page while processing is restricted (one
    query per page)."""
    customer_id: int = getattr(obj, "customer_id", obj.pk)
    found = rights.current_restriction(customer_id)
    if found is None:
        return None
    return extensions.Panel(
        template="privacy/_restriction_banner.html",
        place="top",
        order=5,
        context={"restriction": found, "customer_id": customer_id},
    )


def customer_panel(request: HttpRequest, customer: Customer) -> extensions.Panel | None:
    return extensions.Panel(
        template="privacy/_customer_panel.html",
        place="side",
        order=30,
        context={
            "adjustments": active_adjustments([customer.pk]).get(customer.pk, []),
            "customer_id": customer.pk,
        },
    )


def data_request_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    if case.type != CaseType.DATA_REQUEST:
        return None
    found = DataRequest.objects.filter(case=case).first()
    if found is None:
        return None
    context = {
        "request": found,
        "deadline": services.request_deadline(found),
        "timing": services.request_timing(found, timezone.localdate()),
        "checklist": [(k, label, k in found.steps_done) for k, label in services.checklist(found.kind)],
        "can_act": privacy_policy.can_act_on_request(request.user, case),
        "customer_id": case.customer_id,
    }
    if found.kind in {RequestKind.RESTRICTION, RequestKind.OBJECTION}:
        context["restriction"] = rights.current_restriction(case.customer_id)
        context["grounds"] = RestrictionGround.choices
        context["today"] = timezone.localdate()
    if found.kind == RequestKind.OBJECTION:
        context["upheld"] = found.consents.exists()
    if found.kind == RequestKind.RECTIFICATION:
        context["fields"] = [(name, name.capitalize(), getattr(case.customer, name)) for name in rights.RECTIFIABLE]
    return extensions.Panel(template="privacy/_data_request_panel.html", place="work", order=20, context=context)


def outbound(customer: Customer) -> extensions.OutboundPreferences | None:
    found = active_adjustments([customer.pk]).get(customer.pk)
    return _preferences(found) if found else None


def outbound_many(customer_ids: Sequence[int]) -> Mapping[int, extensions.OutboundPreferences]:
    """``outbound`` for a batch of customers: one query."""
    return {pk: _preferences(found) for pk, found in active_adjustments(customer_ids).items()}


def _preferences(found: list[Adjustment]) -> extensions.OutboundPreferences:
    kinds = {a.kind for a in found}
    contact = next((a.contact_name for a in found if a.contact_name), "")
    channel = next((a.channel for a in found if a.kind == AdjustmentKind.PREFERRED_CHANNEL and a.channel), "")
    return extensions.OutboundPreferences(
        plain_text_only=AdjustmentKind.PLAIN_TEXT in kinds or AdjustmentKind.EASY_READ in kinds,
        large_print=AdjustmentKind.LARGE_PRINT in kinds,
        contact_name=contact,
        notes=tuple(f"{a.get_kind_display()}{': ' + a.detail if a.detail else ''}" for a in found),
        easy_read=AdjustmentKind.EASY_READ in kinds,
        bsl_relay=AdjustmentKind.BSL_RELAY in kinds,
        preferred_channel=channel,
    )


def restricted(customers: QuerySet[Customer]) -> QuerySet[Any]:
    """Customers whose processing is restricted now (UK GDPR Art 18(2)), for sends of any purpose."""
    return Restriction.objects.filter(customer__in=customers.values("pk"), lifted_at__isnull=True).values("customer_id")


def extra_target_time(case: Case) -> timedelta | None:
    minutes = list(
        Adjustment.objects.filter(
            customer_id=case.customer_id, kind=AdjustmentKind.EXTRA_TIME, ended_at__isnull=True
        ).values_list("extra_minutes", flat=True)
    )
    return extra_time(minutes) if minutes else None


def permission(customer: Customer, purpose: str, channel: str) -> bool | None:
    return services.contact_permitted(customer, purpose, channel)


def refusals(customers: QuerySet[Customer], purpose: str, channel: str) -> Mapping[str, QuerySet[Any]]:
    return services.contact_refusals(customers, purpose, channel)


def request_deadlines(cases: Sequence[Case]) -> Mapping[int, Sequence[extensions.Deadline]]:
    ids = [c.pk for c in cases if c.type == CaseType.DATA_REQUEST]
    if not ids:
        return {}
    found: dict[int, list[extensions.Deadline]] = {}
    for request in DataRequest.objects.filter(case_id__in=ids, completed_on__isnull=True):
        explained = services.request_deadline(request)
        # Due by the end of the day, in the organisation's time zone.
        due = timezone.make_aware(datetime.combine(explained.due, time(23, 59, 59)))
        found[request.case_id] = [
            extensions.Deadline(name="Statutory response (data request)", due=due, basis=" ".join(explained.steps))
        ]
    return found


def nav_visible(user: User) -> bool:
    return privacy_policy.can_record(user)


def register() -> None:
    access_log.sinks.append(services.access_log_write)
    from rapport.platform import backup
    from rapport.privacy.erasure import erasure_log, erasures_reapply

    # `rapport backup` writes who has been erased; `rapport restore` erases them again (ADR 0032).
    backup.erasures = backup.Erasures(log=erasure_log, reapply=erasures_reapply)
    extensions.queue_badges.append(adjustment_badges)
    extensions.queue_badges.append(overdue_request_badges)
    extensions.case_panels.append(adjustments_panel)
    extensions.case_panels.append(data_request_panel)
    extensions.customer_panels.append(customer_panel)
    extensions.outbound_preferences.append(outbound)
    extensions.outbound_preferences_bulk.append(outbound_many)
    extensions.processing_restrictions.append(restricted)
    extensions.sla_target_adjusters.append(extra_target_time)
    extensions.contact_permissions.append(permission)
    extensions.contact_refusals.append(refusals)
    extensions.deadlines.append(request_deadlines)
    extensions.merge_guards.append(merging.merge_guard)
    extensions.case_merge_handlers.append(merging.requests_merge)
    extensions.customer_merge_handlers.append(merging.customer_records_merge)
    extensions.erasure_requests.append(erasure.erasure_request_start)
    extensions.legal_holds.append(services.active_hold_reasons)
    extensions.legal_holds.append(rights.restriction_hold_reasons)
    extensions.record_guards.append(rights.restriction_edit_refusals)
    extensions.case_panels.append(restriction_banner)
    extensions.customer_panels.append(restriction_banner)
    extensions.demo_seeders.append(demo.seed)
    extensions.case_findings.register(extensions.DATA_REQUEST_TIMELINESS, findings.timeliness_findings)
    extensions.gap_evidence.register("data_requests", evidence.overdue_requests)
    extensions.case_findings.register(extensions.ADJUSTMENTS_FOLLOWED, findings.adjustment_findings)
    for vocabulary, codes in labels.VOCABULARIES.items():
        extensions.label_vocabularies.register(vocabulary, codes)
    extensions.nav_items.append(
        extensions.NavItem(label="Privacy", url_name="privacy:index", section="privacy", visible=nav_visible, order=60)
    )
