"""Privacy pages: the landing page (open data requests, retention), a person's privacy page
(adjustments, consents, holds, access log, export, erasure), the reports, and the portal form
for a data request. Views parse, call one service or selector, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import User
from rapport.customers.models import Customer
from rapport.domain.references import format_reference
from rapport.platform.errors import FieldError, Forbidden, Refused
from rapport.portal.views import customer_page
from rapport.privacy import access as privacy_policy
from rapport.privacy import exports, rights, selectors, services
from rapport.privacy.erasure import ErasureHeld, ErasureRefused, customer_erase, erasure_schedule
from rapport.privacy.forms import AdjustmentForm, ConsentForm, DataRequestForm, LiftForm, ReasonForm
from rapport.privacy.models import Erasure
from rapport.privacy.retention import retention_run
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

ADJUSTMENT_RECORDED = "Adjustment recorded."
ADJUSTMENT_ENDED = "Adjustment ended."
CONSENT_RECORDED = "Consent answer recorded."
HOLD_PLACED = "Legal hold placed."
HOLD_RELEASED = "Legal hold released."
ERASED = "The person's identity has been erased."
ERASURE_SCHEDULED = "Erasure scheduled: it will be carried out when the legal reasons end."
REQUEST_SAVED = "Data request details saved."
RESTRICTED = "Processing restricted: the data is now only stored."
LIFTED = "Restriction lifted; the person was told beforehand."
UPHELD = "Objection upheld: marketing consent is withdrawn on every channel."
CORRECTED = "The record is corrected. Tell the person what changed (checklist)."
REQUEST_RECEIVED = _(
    "Thank you. We've received your request, reference {reference}. We will respond by {due} at the latest."
)


def _customer_url(customer_id: int) -> str:
    return reverse("privacy:customer", args=[customer_id])


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    today = timezone.localdate()
    rows = [(r, services.request_timing(r, today)) for r in selectors.open_requests(user)]
    context = {
        "rows": rows,
        "figures": {
            "open": len(rows),
            "overdue": sum(1 for _, t in rows if t.overdue),
            "due_soon": sum(1 for _, t in rows if t.due_soon),
        },
        "runs": selectors.retention_runs() if privacy_policy.can_audit(user) else [],
        "can_audit": privacy_policy.can_audit(user),
        "can_erase": privacy_policy.can_erase(user),
    }
    return render(request, "privacy/index.html", context)


def _customer_context(request: HttpRequest, customer: Customer, **forms: Any) -> dict[str, Any]:
    user = actor(request)
    history = selectors.consent_history(customer)
    return {
        "customer": customer,
        "adjustments": selectors.adjustments(customer),
        "consents": selectors.current_consents(history),
        "consent_history": history,
        "holds": selectors.holds(customer),
        "hold_reasons": extensions.hold_reasons(customer),
        "erasures": list(Erasure.objects.filter(customer=customer).order_by("-requested_at")),
        "log": selectors.access_log_for_customer(user, customer) if privacy_policy.can_audit(user) else None,
        "can_export": privacy_policy.can_export(user),
        "can_erase": privacy_policy.can_erase(user),
        "adjustment_form": forms.get("adjustment_form") or AdjustmentForm(prefix="adj"),
        "consent_form": forms.get("consent_form") or ConsentForm(prefix="consent"),
        "hold_form": forms.get("hold_form") or ReasonForm(prefix="hold"),
        "export_form": forms.get("export_form") or ReasonForm(prefix="export"),
        "refusal": forms.get("refusal"),
        "restrictions": rights.restrictions(customer),
        "lift_form": forms.get("lift_form") or LiftForm(prefix="lift"),
    }


@staff_page
@require_GET
def customer(request: HttpRequest, customer_id: int) -> HttpResponse:
    found = policy.access_customer(actor(request), customer_id)
    extensions.record_access(actor(request), found, "privacy page", "privacy and adjustments")
    return render(request, "privacy/customer.html", _customer_context(request, found))


def _rerender(request: HttpRequest, found: Customer, status: int, **forms: Any) -> HttpResponse:
    return render(request, "privacy/customer.html", _customer_context(request, found, **forms), status=status)


@staff_page
@require_POST
def adjustment_add(request: HttpRequest, customer_id: int) -> HttpResponse:
    found = policy.access_customer(actor(request), customer_id)
    form = AdjustmentForm(request.POST, prefix="adj")
    if form.is_valid():
        try:
            services.adjustment_record(actor=actor(request), customer=found, **form.cleaned_data)
        except FieldError as error:
            show_errors(form, error.errors)
            return _rerender(request, found, error.status, adjustment_form=form)
        messages.success(request, ADJUSTMENT_RECORDED)
        return redirect(_customer_url(found.pk))
    return _rerender(request, found, 422, adjustment_form=form)


@staff_page
@require_POST
def adjustment_end(request: HttpRequest, customer_id: int, adjustment_id: int) -> HttpResponse:
    found = policy.access_customer(actor(request), customer_id)
    services.adjustment_end(actor=actor(request), adjustment_id=adjustment_id)
    messages.success(request, ADJUSTMENT_ENDED)
    return redirect(_customer_url(found.pk))


@staff_page
@require_POST
def consent_add(request: HttpRequest, customer_id: int) -> HttpResponse:
    found = policy.access_customer(actor(request), customer_id)
    form = ConsentForm(request.POST, prefix="consent")
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["granted"] = data["granted"] == "yes"
        try:
            services.consent_record(actor=actor(request), customer=found, **data)
        except FieldError as error:
            show_errors(form, error.errors)
            return _rerender(request, found, error.status, consent_form=form)
        messages.success(request, CONSENT_RECORDED)
        return redirect(_customer_url(found.pk))
    return _rerender(request, found, 422, consent_form=form)


@staff_page
@require_POST
def hold_add(request: HttpRequest, customer_id: int) -> HttpResponse:
    found = policy.access_customer(actor(request), customer_id)
    form = ReasonForm(request.POST, prefix="hold")
    if form.is_valid():
        try:
            services.legal_hold_place(actor=actor(request), customer=found, reason=form.cleaned_data["reason"])
        except Forbidden as refused:
            form.add_error("reason", refused.message)
            return _rerender(request, found, 403, hold_form=form)
        messages.success(request, HOLD_PLACED)
        return redirect(_customer_url(found.pk))
    return _rerender(request, found, 422, hold_form=form)


@staff_page
@require_POST
def hold_release(request: HttpRequest, customer_id: int, hold_id: int) -> HttpResponse:
    found = policy.access_customer(actor(request), customer_id)
    try:
        services.legal_hold_release(actor=actor(request), hold_id=hold_id)
    except Forbidden:
        raise Http404 from None
    messages.success(request, HOLD_RELEASED)
    return redirect(_customer_url(found.pk))


@staff_page
@require_POST
def export(request: HttpRequest, customer_id: int) -> HttpResponse:
    found = policy.access_customer(actor(request), customer_id)
    form = ReasonForm(request.POST, prefix="export")
    if not form.is_valid():
        return _rerender(request, found, 422, export_form=form)
    try:
        bundle = exports.customer_export(actor=actor(request), customer_id=found.pk, why=form.cleaned_data["reason"])
    except Forbidden as refused:
        form.add_error("reason", refused.message)
        return _rerender(request, found, 403, export_form=form)
    response = HttpResponse(bundle.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{bundle.filename}"'
    return response


@staff_page
@require_GET
def review(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Other people's data in a person's messages, with who was matched and where, before release."""
    try:
        found, items = exports.customer_review(actor=actor(request), customer_id=customer_id)
    except Forbidden:
        raise Http404 from None
    return render(request, "privacy/review.html", {"customer": found, "items": items})


@staff_page
@require_POST
def erase(request: HttpRequest, customer_id: int) -> HttpResponse:
    found = policy.access_customer(actor(request), customer_id)
    try:
        if request.POST.get("schedule"):
            erasure_schedule(actor=actor(request), customer_id=found.pk)
            messages.success(request, ERASURE_SCHEDULED)
        else:
            customer_erase(actor=actor(request), customer_id=found.pk)
            messages.success(request, ERASED)
    except ErasureHeld as held:
        return _rerender(request, found, 409, refusal={"message": held.message, "reasons": held.reasons})
    except (ErasureRefused, Forbidden) as refused:
        return _rerender(request, found, refused.status, refusal={"message": refused.message, "reasons": []})
    return redirect(_customer_url(found.pk))


@staff_page
@require_POST
def request_update(request: HttpRequest, case_id: int) -> HttpResponse:
    reference = format_reference(case_id)
    changes: dict[str, Any] = {
        name: request.POST.get(name, "")
        for name in (
            "identity_received_on",
            "clarification_asked_on",
            "clarification_received_on",
            "extension_told_on",
            "completed_on",
        )
    }
    changes["steps_done"] = request.POST.getlist("steps_done")
    try:
        services.data_request_update(actor=actor(request), reference=reference, changes=changes)
    except FieldError as error:
        for problems in error.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, REQUEST_SAVED)
    return redirect(reverse("cases:detail", args=[reference]))


def _case_url(case_id: int) -> str:
    return reverse("cases:detail", args=[format_reference(case_id)])


def _report(request: HttpRequest, error: FieldError | Refused) -> None:
    if isinstance(error, FieldError):
        for problems in error.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.error(request, error.message)


@staff_page
@require_POST
def restrict(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        rights.restriction_grant(
            actor=actor(request),
            reference=format_reference(case_id),
            ground=request.POST.get("ground", ""),
            reason=request.POST.get("reason", ""),
        )
    except (FieldError, Refused) as error:
        _report(request, error)
    else:
        messages.success(request, RESTRICTED)
    return redirect(_case_url(case_id))


@staff_page
@require_POST
def lift(request: HttpRequest, customer_id: int) -> HttpResponse:
    found = policy.access_customer(actor(request), customer_id)
    form = LiftForm(request.POST, prefix="lift")
    if not form.is_valid():
        return _rerender(request, found, 422, lift_form=form)
    try:
        rights.restriction_lift(actor=actor(request), customer_id=found.pk, **form.cleaned_data)
    except FieldError as error:
        show_errors(form, error.errors)
        return _rerender(request, found, error.status, lift_form=form)
    except Forbidden as refused:
        form.add_error(None, refused.message)
        return _rerender(request, found, 403, lift_form=form)
    messages.success(request, LIFTED)
    return redirect(_customer_url(found.pk))


@staff_page
@require_POST
def object_uphold(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        rights.objection_uphold(actor=actor(request), reference=format_reference(case_id))
    except Refused as error:
        _report(request, error)
    else:
        messages.success(request, UPHELD)
    return redirect(_case_url(case_id))


@staff_page
@require_POST
def rectify(request: HttpRequest, case_id: int) -> HttpResponse:
    changes = {name: request.POST[name] for name in rights.RECTIFIABLE if name in request.POST}
    try:
        rights.rectification_apply(actor=actor(request), reference=format_reference(case_id), changes=changes)
    except (FieldError, Refused) as error:
        _report(request, error)
    else:
        messages.success(request, CORRECTED)
    return redirect(_case_url(case_id))


@staff_page
@require_GET
def staff_log(request: HttpRequest, user_id: int) -> HttpResponse:
    try:
        staff, entries = selectors.access_log_for_staff(actor(request), user_id)
    except Forbidden:
        raise Http404 from None
    return render(request, "privacy/staff_log.html", {"staff": staff, "entries": entries})


@staff_page
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    if not privacy_policy.can_audit(actor(request)):
        raise Http404
    staff = User.objects.exclude(role="customer").order_by("name", "id")
    return render(request, "privacy/staff_list.html", {"staff": staff})


@staff_page
@require_GET
def adjustments_report(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/adjustments_report.html", {"rows": selectors.adjustments_report()})


@staff_page
@require_POST
def retention(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    dry_run = request.POST.get("mode") != "run"
    if not (privacy_policy.can_audit(user) if dry_run else privacy_policy.can_erase(user)):
        raise Http404
    run = retention_run(now=timezone.now(), dry_run=dry_run)
    messages.success(request, f"Retention {'dry run' if dry_run else 'run'} recorded: {run.total} items.")
    return redirect("privacy:index")


@require_http_methods(["GET", "POST"])
@customer_page
def portal_request(request: HttpRequest, user: User, customer: Customer) -> HttpResponse:
    """A customer asks to use a data protection right (UK GDPR Arts 15-21)."""
    if request.method == "GET":
        return render(request, "privacy/portal_request.html", {"nav": "privacy", "form": DataRequestForm()})
    form = DataRequestForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            found = services.data_request_create(actor=user, customer=customer, **form.cleaned_data)
        except FieldError as error:
            show_errors(form, error.errors)
            status = error.status
        else:
            due = services.request_deadline(found).due
            messages.success(
                request, REQUEST_RECEIVED.format(reference=found.case.reference, due=f"{due:%A} {due.day} {due:%B %Y}")
            )
            return redirect("portal:case", reference=found.case.reference)
    return render(request, "privacy/portal_request.html", {"nav": "privacy", "form": form}, status=status)


# What the customer sees beside each choice is what the consent record keeps (UK GDPR Art 7(1)).
PORTAL_CHOICES = (
    ("marketing", "email", _("Email me about offers and new products.")),
    ("marketing", "phone", _("Phone me about offers and new products.")),
    ("survey", "email", _("Email me short surveys about the service I received.")),
)
CHOICES_SAVED = _("Thank you. We've saved your choices.")


@require_http_methods(["GET", "POST"])
@customer_page
def portal_choices(request: HttpRequest, user: User, customer: Customer) -> HttpResponse:
    """A customer's own marketing and survey choices; each change is recorded with its wording."""
    current = {
        (c.purpose, c.channel): c.granted for c in selectors.current_consents(selectors.consent_history(customer))
    }
    choices = []
    for i, (purpose, channel, wording) in enumerate(PORTAL_CHOICES):
        permitted = services.contact_permitted(customer, purpose, channel)
        choices.append(
            {
                "name": f"choice-{i}",
                "purpose": purpose,
                "channel": channel,
                "wording": str(wording),  # recorded as the customer read it
                "checked": current.get((purpose, channel), permitted is not False and purpose != "marketing"),
            }
        )
    if request.method == "POST":
        for choice in choices:
            wanted = request.POST.get(choice["name"]) == "yes"
            if wanted != choice["checked"] or (choice["purpose"], choice["channel"]) not in current:
                services.consent_record(
                    actor=user,
                    customer=customer,
                    purpose=choice["purpose"],
                    channel=choice["channel"],
                    granted=wanted,
                    method="portal form",
                    wording=choice["wording"],
                )
        messages.success(request, CHOICES_SAVED)
        return redirect("privacy:portal_choices")
    return render(request, "privacy/portal_choices.html", {"nav": "choices", "choices": choices})
