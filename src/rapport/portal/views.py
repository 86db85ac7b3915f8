"""The customer portal: a customer's own cases, raising a case, and replying on one.

Views are thin: they shape input with a form, call one case service or selector, and render.
Who may see what is the permission policy's decision (``rapport.access``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import User
from rapport.cases import selectors as case_selectors
from rapport.cases import services as case_services
from rapport.cases.models import MessageKind
from rapport.customers.language import activate_for
from rapport.customers.models import Customer
from rapport.domain.references import format_reference
from rapport.platform.errors import FieldError, Forbidden, NotFound
from rapport.portal import selectors
from rapport.portal.forms import RaiseCaseForm, ReplyForm

View = Callable[..., HttpResponse]

CASE_RAISED = gettext_noop(
    "Thank you. We've received your case. Your reference is {reference}: please quote it if you contact us."
)
REPLY_SENT = gettext_noop("Thank you. We've added your message to the case.")
STALE_PAGE_LINK = gettext_noop("That page link has expired, so we're showing your most recent cases.")


def customer_page(view: View) -> View:
    """Portal pages are for signed-in customers. Anyone else is sent where they belong: visitors
    to sign in, staff to the desk. A sign-in not yet linked to a customer record gets a page that
    says so, instead of an error. The view is called with the user and their customer record."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if policy.is_staff(request.user):
            return redirect("home")
        user = request.user
        assert isinstance(user, User)
        customer = selectors.portal_customer(user)
        if customer is None:
            return render(request, "portal/no_customer.html", {"nav": ""})
        activate_for(request, customer)  # their saved language, over the browser's
        return view(request, user, customer, *args, **kwargs)

    return wrapped


def not_found(request: HttpRequest) -> HttpResponse:
    """The same answer for a case that does not exist and one that is not theirs."""
    return render(request, "portal/not_found.html", {"nav": ""}, status=404)


@require_GET
@customer_page
def home(request: HttpRequest, user: User, customer: Customer) -> HttpResponse:
    cursor = request.GET.get("after") or None
    notice = ""
    try:
        page = selectors.my_cases(user, cursor=cursor, size=settings.RAPPORT_PAGE_SIZE)
    except FieldError:
        # A mangled or outdated link should not be a dead end for a member of the public.
        cursor, notice = None, gettext(STALE_PAGE_LINK)
        page = selectors.my_cases(user, cursor=None, size=settings.RAPPORT_PAGE_SIZE)
    context = {"nav": "home", "customer": customer, "page": page, "paged": bool(cursor), "notice": notice}
    context["panels"] = extensions.panels_for(extensions.portal_panels, request, "home")
    promises = extensions.promises_for(page.items, timezone.now())
    context["rows"] = [(case, promises.get(case.pk)) for case in page.items]
    return render(request, "portal/home.html", context)


@require_http_methods(["GET", "POST"])
@customer_page
def case_new(request: HttpRequest, user: User, customer: Customer) -> HttpResponse:
    panels = extensions.panels_for(extensions.portal_panels, request, "case_new")
    if request.method == "GET":
        return render(request, "portal/case_new.html", {"nav": "new", "form": RaiseCaseForm(), "panels": panels})
    form = RaiseCaseForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        try:
            case = case_services.case_create(
                actor=user,
                customer=customer,
                subject=form.cleaned_data["subject"],
                type=form.cleaned_data["type"],
                body=form.cleaned_data["body"],
                attachments=form.uploads(),
            )
        except FieldError as error:  # TooLarge included: its status is 413
            form.show_service_errors(error)
            status = error.status
        else:
            # The acknowledgement says when they will hear back (the SLA promise, in words).
            found = extensions.promises_for([case], timezone.now()).get(case.pk)
            raised = gettext(CASE_RAISED).format(reference=case.reference)
            messages.success(request, f"{raised} {found.text}" if found else raised)
            return redirect("portal:case", reference=case.reference)
    return render(request, "portal/case_new.html", {"nav": "new", "form": form, "panels": panels}, status=status)


@require_http_methods(["GET", "POST"])
@customer_page
def case_page(request: HttpRequest, user: User, customer: Customer, reference: str) -> HttpResponse:
    form = ReplyForm()
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES)
        status = 422
        if form.is_valid():
            # A message to a case that was merged goes to the case it was merged into.
            reference = case_selectors.case_current_reference(user, reference)
            try:
                message = case_services.message_add(
                    actor=user,
                    reference=reference,
                    kind=MessageKind.INBOUND,
                    body=form.cleaned_data["body"],
                    attachments=form.uploads(),
                )
            except (NotFound, Forbidden):
                return not_found(request)
            except FieldError as error:
                form.show_service_errors(error)
                status = error.status
            else:
                messages.success(request, gettext(REPLY_SENT))
                url = reverse("portal:case", args=[message.case.reference])
                return redirect(f"{url}#message-{message.pk}")
    try:
        # Events (the staff timeline) are never shown here; for customers the selector returns none.
        case, conversation, _events = case_selectors.case_detail(user, reference)
    except NotFound:
        return not_found(request)
    if case.merged_into_id is not None and request.method == "GET":
        into = format_reference(case.merged_into_id)
        messages.info(
            request,
            gettext("Case %(merged)s was combined with case %(into)s.") % {"merged": case.reference, "into": into},
        )
        return redirect(reverse("portal:case", args=[into]))
    context = {"nav": "", "case": case, "conversation": conversation, "form": form}
    context["promise"] = extensions.promises_for([case], timezone.now()).get(case.pk)
    return render(request, "portal/case.html", context, status=status)
