"""Customer pages: the list, adding and editing a customer, their page, logging a contact and
raising a case on their behalf."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport import access as policy
from rapport import extensions
from rapport.cases.selectors import customer_cases
from rapport.cases.services import case_create
from rapport.cases.services import contact_log as log_contact
from rapport.customers.models import Customer, CustomerKind
from rapport.customers.selectors import customer_list as list_customers
from rapport.customers.selectors import customer_timeline
from rapport.customers.services import customer_create, customer_update
from rapport.platform.errors import FieldError, Refused
from rapport.platform.pagination import page_size
from rapport.web.forms import (
    ContactLogForm,
    CustomerForm,
    CustomerSearchForm,
    RaiseCaseForm,
    field_error,
    show_errors,
    split_tags,
    uploads,
)
from rapport.web.views import actor, staff_page

CUSTOMER_ADDED = "Customer added."
CUSTOMER_SAVED = "Customer details saved."
CONTACT_LOGGED = "Contact logged as case {reference}."
CASE_RAISED = "Case {reference} raised."
UNKNOWN_KIND = "Choose a kind of customer from the list."


def customer_url(customer: Customer) -> str:
    return reverse("customers:detail", args=[customer.pk])


@staff_page
@require_GET
def customer_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "").strip()
    page, errors = None, []
    try:
        if kind and kind not in CustomerKind.values:
            raise FieldError(kind=UNKNOWN_KIND)
        size = page_size(request.GET.get("limit"), default=settings.RAPPORT_PAGE_SIZE)
        page = list_customers(
            actor(request),
            query=query or None,
            kind=kind or None,
            cursor=request.GET.get("cursor") or None,
            size=size,
        )
    except FieldError as error:
        errors = field_error(error)
    context = {
        "form": CustomerSearchForm(request.GET),
        "page": page,
        "errors": errors,
        "paged": bool(request.GET.get("cursor")),
        "filtered": bool(query or kind),
    }
    return render(request, "customers/list.html", context, status=400 if errors else 200)


@staff_page
@require_http_methods(["GET", "POST"])
def customer_new(request: HttpRequest) -> HttpResponse:
    form = CustomerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                customer = customer_create(actor=actor(request), **form.cleaned_data)
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, CUSTOMER_ADDED)
                return redirect(customer_url(customer))
    return render(request, "customers/form.html", {"form": form, "customer": None}, status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def customer_edit(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = policy.access_customer(actor(request), customer_id)
    form = CustomerForm(request.POST if request.method == "POST" else None, initial=CustomerForm.initial_for(customer))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                customer_update(actor=actor(request), customer_id=customer.pk, **form.cleaned_data)
            except FieldError as error:
                show_errors(form, error.errors)
            except Refused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                messages.success(request, CUSTOMER_SAVED)
                return redirect(customer_url(customer))
    return render(request, "customers/form.html", {"form": form, "customer": customer}, status=status)


@staff_page
@require_GET
def customer_page(request: HttpRequest, customer_id: int) -> HttpResponse:
    return _render_page(request, customer_id)


def _render_page(
    request: HttpRequest, customer_id: int, *, contact_form: ContactLogForm | None = None, status: int = 200
) -> HttpResponse:
    customer = policy.access_customer(actor(request), customer_id, why="customer page")
    context: dict[str, Any] = {
        "customer": customer,
        "cases": customer_cases(actor(request), customer.pk),
        "timeline": customer_timeline(actor(request), customer),
        "contact_form": contact_form or ContactLogForm(),
        "panels": extensions.panels_for(extensions.customer_panels, request, customer),
    }
    return render(request, "customers/customer.html", context, status=status)


@staff_page
@require_POST
def contact_log(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = policy.access_customer(actor(request), customer_id)
    form = ContactLogForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            case = log_contact(actor=actor(request), customer=customer, **form.cleaned_data)
        except FieldError as error:
            show_errors(form, error.errors)
            status = error.status
        else:
            messages.success(request, CONTACT_LOGGED.format(reference=case.reference))
            return redirect("cases:detail", case.reference)
    return _render_page(request, customer.pk, contact_form=form, status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def raise_case(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = policy.access_customer(actor(request), customer_id)
    form = RaiseCaseForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"channel": customer.preferred_channel},
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = case_create(
                    actor=actor(request),
                    customer=customer,
                    subject=data["subject"],
                    body=data["body"],
                    type=data["type"],
                    channel=data["channel"],
                    priority=data["priority"],
                    team=data["team"],
                    owner=data["owner"],
                    tags=split_tags(data["tags"]),
                    attachments=uploads(data["attachments"]),
                )
            except FieldError as error:
                show_errors(form, error.errors)
                status = error.status
            else:
                messages.success(request, CASE_RAISED.format(reference=case.reference))
                return redirect("cases:detail", case.reference)
    return render(request, "customers/raise_case.html", {"form": form, "customer": customer}, status=status)
