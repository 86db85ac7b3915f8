"""The webhooks pages (admins): the list, create and edit (the secret shown once), rotating the
secret, and each webhook's delivery log with redelivery; every table also as CSV."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.platform import csv_export
from rapport.platform.errors import FieldError, Refused
from rapport.web.views import actor, staff_page
from rapport.webhooks import access as policy
from rapport.webhooks import selectors, services
from rapport.webhooks.forms import SubscriptionForm
from rapport.webhooks.models import DeliveryStatus

REDELIVERED = "Delivery {id} sent again: {outcome}."
SAVED = "Webhook saved."


def _admin(request: HttpRequest) -> None:
    if not policy.can_manage_webhooks(actor(request)):
        raise Http404


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    subscriptions = list(selectors.subscriptions(actor(request)))
    if request.GET.get("format") == "csv":
        return csv_export.download(
            "webhooks.csv",
            ["Name", "Address", "Events", "Role", "On", "Switched off because", "Failures in a row"],
            (
                [
                    s.name,
                    s.url,
                    " ".join(s.kinds),
                    s.account.role,
                    "yes" if s.active else "no",
                    s.disabled_reason,
                    s.consecutive_failures,
                ]
                for s in subscriptions
            ),
        )
    return render(request, "webhooks/index.html", {"subscriptions": subscriptions})


def _form_errors(form: SubscriptionForm, error: FieldError) -> None:
    for field, problems in error.errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@staff_page
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    _admin(request)
    form = SubscriptionForm(request.POST or None, initial={"active": True, "role": "agent"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.subscription_create(
                actor=actor(request),
                name=data["name"],
                url=data["url"],
                kinds=data["kinds"],
                role=data["role"],
                team_ids=[t.pk for t in data["teams"]],
                now=timezone.now(),
            )
        except FieldError as error:
            _form_errors(form, error)
        else:
            return render(request, "webhooks/secret.html", {"subscription": made.subscription, "secret": made.secret})
    status = 400 if request.method == "POST" else 200
    return render(request, "webhooks/form.html", {"form": form, "subscription": None}, status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, webhook_id: int) -> HttpResponse:
    subscription = services.subscription_get(actor=actor(request), subscription_id=webhook_id)
    initial = {
        "name": subscription.name,
        "url": subscription.url,
        "kinds": subscription.kinds,
        "role": subscription.account.role,
        "teams": list(subscription.account.teams.all()),
        "active": subscription.active,
    }
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscription_update(
                actor=actor(request),
                subscription_id=webhook_id,
                changes={k: data[k] for k in ("name", "url", "kinds", "role", "active")},
                now=timezone.now(),
            )
            subscription.account.teams.set(data["teams"])
        except FieldError as error:
            _form_errors(form, error)
        else:
            messages.success(request, SAVED)
            return redirect(reverse("webhooks:edit", args=[webhook_id]))
    status = 400 if request.method == "POST" else 200
    return render(request, "webhooks/form.html", {"form": form, "subscription": subscription}, status=status)


@staff_page
@require_POST
def rotate(request: HttpRequest, webhook_id: int) -> HttpResponse:
    secret = services.secret_rotate(actor=actor(request), subscription_id=webhook_id, now=timezone.now())
    subscription = services.subscription_get(actor=actor(request), subscription_id=webhook_id)
    return render(request, "webhooks/secret.html", {"subscription": subscription, "secret": secret, "rotated": True})


@staff_page
@require_GET
def deliveries(request: HttpRequest, webhook_id: int) -> HttpResponse:
    subscription = services.subscription_get(actor=actor(request), subscription_id=webhook_id)
    status = request.GET.get("status", "")
    if request.GET.get("format") == "csv":
        rows = selectors.deliveries(subscription, status=status)[:10000]
        return csv_export.download(
            f"webhook-{subscription.pk}-deliveries.csv",
            [
                "Delivery",
                "Event",
                "Case",
                "Created",
                "Status",
                "Reason",
                "Attempt",
                "Attempted",
                "Status code",
                "Duration (ms)",
                "Error",
                "Response",
            ],
            (
                [
                    d.pk,
                    d.kind,
                    d.case_reference,
                    d.created_at.isoformat(),
                    d.status,
                    d.reason,
                    a.number,
                    a.at.isoformat(),
                    a.status_code or "",
                    a.duration_ms,
                    a.error,
                    a.response_excerpt,
                ]
                for d in rows
                for a in (d.attempt_rows.all() or [_NoAttempt()])
            ),
        )
    page = selectors.deliveries_page(subscription, status=status, page=request.GET.get("page") or 1)
    context = {
        "subscription": subscription,
        "page": page,
        "status": status,
        "statuses": DeliveryStatus.choices,
    }
    return render(request, "webhooks/deliveries.html", context)


class _NoAttempt:
    """A delivery with no attempt yet (skipped, or waiting) still has its row in the CSV."""

    number = 0
    status_code = None
    duration_ms = 0
    error = ""
    response_excerpt = ""

    class at:
        @staticmethod
        def isoformat() -> str:
            return ""


@staff_page
@require_POST
def redeliver(request: HttpRequest, webhook_id: int, delivery_id: int) -> HttpResponse:
    try:
        done = services.redeliver(
            actor=actor(request), subscription_id=webhook_id, delivery_id=delivery_id, now=timezone.now()
        )
    except Refused as error:
        messages.error(request, error.message)
    else:
        outcome = f"HTTP {done.status_code}" if done.status_code else done.error
        messages.success(request, REDELIVERED.format(id=delivery_id, outcome=outcome))
    return redirect(reverse("webhooks:deliveries", args=[webhook_id]))
