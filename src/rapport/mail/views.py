"""The email channel's staff pages: mailboxes, the outbox and quarantined mail for managers, and
the flagged-address panel agents see on a customer and their cases."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from rapport import access as policy
from rapport.mail import access as mail_policy
from rapport.mail import outbound, services
from rapport.mail.inbound import quarantine_retry
from rapport.mail.models import OutboxEmail, QuarantinedMail, QuarantineState
from rapport.mail.selectors import address_flag, mail_overview
from rapport.platform.errors import FieldError, NotFound
from rapport.web.views import actor, staff_page


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    if not mail_policy.can_view_mail(user):
        raise Http404
    context = {"overview": mail_overview(), "can_manage": mail_policy.can_manage_mail(user)}
    return render(request, "mail/index.html", context)


@staff_page
@require_POST
def quarantine_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not mail_policy.can_manage_mail(actor(request)):
        raise Http404
    held = get_object_or_404(QuarantinedMail, pk=pk, state=QuarantineState.HELD)
    result = quarantine_retry(held=held, now=timezone.now())
    if result.disposition == "quarantined":
        messages.error(request, f"Still quarantined: {result.reason}")
    else:
        messages.success(request, "The email was filed.")
    return redirect("mail:index")


@staff_page
@require_POST
def outbox_resend(request: HttpRequest, pk: int) -> HttpResponse:
    if not mail_policy.can_manage_mail(actor(request)):
        raise Http404
    email = get_object_or_404(OutboxEmail, pk=pk)
    if outbound.outbox_requeue(email=email, now=timezone.now()):
        messages.success(request, f"Queued to send again: {email.subject}")
    else:
        messages.error(request, "Only failed or interrupted emails can be sent again.")
    return redirect("mail:index")


def _address_context(request: HttpRequest, customer_id: int, back: str) -> dict[str, object]:
    customer = policy.access_customer(actor(request), customer_id)
    return {
        "customer": customer,
        "flag": address_flag(customer.email),
        "can_clear": mail_policy.can_clear_flag(actor(request)),
        "back": back,
    }


def _back(request: HttpRequest, customer_id: int) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("customers:detail", args=[customer_id])


@staff_page
@require_GET
def customer_address(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Whether mail to the customer bounces: swapped into the case page by htmx (nothing when the
    address is fine), or a page of its own without script."""
    context = _address_context(request, customer_id, _back(request, customer_id))
    if getattr(request, "htmx", False):
        if context["flag"] is None:
            return HttpResponse("")
        return render(request, "mail/_address_panel.html", context)
    return render(request, "mail/address_page.html", context)


@staff_page
@require_POST
def customer_address_clear(request: HttpRequest, customer_id: int) -> HttpResponse:
    back = _back(request, customer_id)
    try:
        clearance = services.address_flag_clear(
            actor=actor(request), customer_id=customer_id, note=request.POST.get("note", ""), now=timezone.now()
        )
    except FieldError as error:
        context = _address_context(request, customer_id, back) | {
            "errors": error.errors,
            "note": request.POST.get("note", ""),
        }
        return render(request, "mail/address_page.html", context, status=422)
    except NotFound as missing:
        messages.info(request, missing.message)
        return redirect(back)
    messages.success(request, f"The flag on {clearance.address} is cleared; email will be sent to it again.")
    return redirect(back)
