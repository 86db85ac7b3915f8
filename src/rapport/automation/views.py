"""The automation rules pages: the list (with counters, as CSV too), create and edit (with the
versions kept), the dry run, and each rule's firings."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.automation import access as policy
from rapport.automation import selectors, services
from rapport.automation.forms import EXAMPLE, RuleForm
from rapport.domain import automation as rules
from rapport.platform import csv_export
from rapport.platform.errors import FieldError
from rapport.web.views import actor, staff_page

SAVED = "Automation rule saved."
DELETED = "Automation rule deleted."


def _reader(request: HttpRequest) -> None:
    if not policy.can_read_rules(actor(request)):
        raise Http404


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _reader(request)
    found = list(selectors.rules_list(actor(request)))
    if request.GET.get("format") == "csv":
        return csv_export.download(
            "automation-rules.csv",
            ["Position", "Name", "Trigger", "Events", "On", "Version", "Fired", "Skipped everything", "Last fired"],
            (
                [
                    r.position,
                    r.name,
                    r.trigger,
                    " ".join(r.events),
                    "yes" if r.active else "no",
                    r.version,
                    r.fired_count,
                    r.skipped_count,
                    r.last_fired_at.isoformat() if r.last_fired_at else "",
                ]
                for r in found
            ),
        )
    context = {
        "rules": found,
        "can_manage": policy.can_manage_rules(actor(request)),
        "max_chain": rules.MAX_CHAIN,
    }
    return render(request, "automation/index.html", context)


def _form_errors(form: RuleForm, error: FieldError) -> None:
    for field, problems in error.errors.items():
        target = field.split(".")[0]
        for problem in problems:
            where = field.partition(".")[2]
            text = f"{where}: {problem}" if where and target == "definition" else problem
            form.add_error(target if target in form.fields else None, text)


def _context(form: RuleForm, rule: Any) -> dict[str, Any]:
    return {
        "form": form,
        "rule": rule,
        "example": EXAMPLE,
        "events": rules.EVENT_KINDS,
        "fields": rules.FIELDS,
        "ops": {k: sorted(v) for k, v in rules.OPS.items()},
        "actions": rules.ACTIONS,
    }


@staff_page
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if not policy.can_manage_rules(actor(request)):
        raise Http404
    form = RuleForm(request.POST or None, initial={"definition": EXAMPLE, "position": 100})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rule = services.rule_create(
                actor=actor(request),
                name=data["name"],
                description=data["description"],
                definition=data["definition"],
                position=data["position"],
                active=data["active"],
                now=timezone.now(),
            )
        except FieldError as error:
            _form_errors(form, error)
        else:
            messages.success(request, SAVED)
            return redirect(reverse("automation:edit", args=[rule.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "automation/form.html", _context(form, None), status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = services.rule_get(actor=actor(request), rule_id=rule_id)
    initial = {
        "name": rule.name,
        "description": rule.description,
        "definition": json.dumps(rule.definition, indent=2),
        "position": rule.position,
        "active": rule.active,
    }
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not policy.can_manage_rules(actor(request)):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.rule_update(actor=actor(request), rule_id=rule_id, now=timezone.now(), **data)
            except FieldError as error:
                _form_errors(form, error)
            else:
                messages.success(request, SAVED)
                return redirect(reverse("automation:edit", args=[rule_id]))
    context = _context(form, rule) | {
        "versions": list(selectors.versions_of(rule)[:20]),
        "can_manage": policy.can_manage_rules(actor(request)),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "automation/form.html", context, status=status)


@staff_page
@require_POST
def delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    services.rule_delete(actor=actor(request), rule_id=rule_id)
    messages.success(request, DELETED)
    return redirect(reverse("automation:index"))


@staff_page
@require_GET
def dry_run(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = services.rule_get(actor=actor(request), rule_id=rule_id)
    found = services.dry_run(actor=actor(request), rule_id=rule_id, now=timezone.now())
    return render(request, "automation/dry_run.html", {"rule": rule, "run": found})


@staff_page
@require_GET
def firings(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = services.rule_get(actor=actor(request), rule_id=rule_id)
    page = selectors.firings_page(rule, page=_page(request))
    if request.GET.get("format") == "csv":
        return csv_export.download(
            f"automation-rule-{rule.pk}-firings.csv",
            ["When", "Case", "Version", "Chain depth", "Changed", "Skipped"],
            (
                [f.at.isoformat(), f.case.reference, f.version, f.depth, "; ".join(f.changes), "; ".join(f.skipped)]
                for f in page.object_list
            ),
        )
    return render(request, "automation/firings.html", {"rule": rule, "page": page})


def _page(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 100000 else 1
