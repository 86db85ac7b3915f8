"""The email channel's staff page: mailboxes, the outbox and quarantined mail."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from rapport.mail import outbound
from rapport.mail.inbound import quarantine_retry
from rapport.mail.models import OutboxEmail, QuarantinedMail, QuarantineState
from rapport.mail.selectors import mail_overview
from rapport.web.policy import mail as mail_policy
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
