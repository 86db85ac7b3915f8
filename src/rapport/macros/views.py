"""Macro pages: the list (with usage), create and edit with a live preview, delete, the usage list
for leaders, signatures; and on a case, the picker, the preview and applying one.

The picker's pieces answer htmx with a fragment and a plain request with a whole page, so the
picker works without JavaScript too."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport import access as policy
from rapport import extensions
from rapport.accounts.models import Team
from rapport.domain import placeholders
from rapport.macros import access, selectors, services
from rapport.macros.forms import PLACEHOLDER_HELP, ApplyForm, MacroForm, SignatureForm
from rapport.macros.models import Macro
from rapport.platform.errors import Conflict, FieldError, Forbidden, NotFound, Refused
from rapport.platform.markdown import markdown_html
from rapport.web.forms import show_errors
from rapport.web.views import actor, staff_page

MACRO_SAVED = "Macro saved."
MACRO_DELETED = "Macro deleted."
MACRO_APPLIED = "Macro “{name}” applied."
SIGNATURE_SAVED = "Signature saved."
PAGE_SIZE = 50
# What a placeholder shows in the macro form's preview, where there is no case yet.
SAMPLE = {
    "customer.name": "Ann Jones",
    "case.reference": "C-000123",
    "case.subject": "Late delivery of a sofa",
    "agent.name": "Megan Hughes",
    "agent.signature": "Megan Hughes\nCustomer Service",
    "sla.promise": "by 1pm on Friday",
    "next_business_day": "Monday 8 December",
}


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _safe_html(markdown: str) -> str:
    # markdown_html is sanitised by nh3: only the allowed tags and attributes remain.
    return mark_safe(markdown_html(markdown))  # noqa: S308


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    scope, query = request.GET.get("scope", ""), request.GET.get("q", "")[:100]
    try:
        page = selectors.macro_page(user, scope=scope, query=query, cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    except FieldError:
        page = selectors.macro_page(user, query=query, cursor=None, size=PAGE_SIZE)
        scope = ""
    rows = [(m, access.can_edit(user, m)) for m in page.items]
    context = {
        "rows": rows,
        "page": page,
        "scope": scope,
        "q": query,
        "can_see_usage": access.can_see_usage(user),
    }
    return render(request, "macros/index.html", context)


@staff_page
@require_GET
def usage(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    if not access.can_see_usage(user):
        raise NotFound()
    page = selectors.macro_usage(user, cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    return render(request, "macros/usage.html", {"page": page})


def _form_page(request: HttpRequest, form: MacroForm, macro: Macro | None, status: int = 200) -> HttpResponse:
    # The reply checked against the brand's tone of voice (the customer reads it; notes stay in).
    reply = form.data.get("reply") if form.is_bound else form.initial.get("reply")
    context = {
        "form": form,
        "macro": macro,
        "placeholder_help": PLACEHOLDER_HELP,
        "tone": extensions.tone_findings(str(reply or "")),
    }
    return render(request, "macros/form.html", context, status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    if request.method == "GET":
        return _form_page(request, MacroForm(actor=user), None)
    form = MacroForm(request.POST, actor=user)
    if form.is_valid():
        try:
            services.macro_create(actor=user, data=form.data_for_service(), now=timezone.now())
        except FieldError as error:
            show_errors(form, error.errors)
        else:
            messages.success(request, MACRO_SAVED)
            return redirect("macros:index")
    return _form_page(request, form, None, status=422)


def _initial(macro: Macro) -> dict[str, object]:
    return {
        "name": macro.name,
        "scope": macro.scope,
        "team": macro.team_id,
        "reply": macro.reply,
        "reply_cy": macro.reply_cy,
        "note": macro.note,
        "set_status": macro.set_status,
        "set_priority": macro.set_priority,
        "add_tags": macro.add_tags,
        "set_owner": macro.set_owner_id,
        "set_team": macro.set_team_id,
    }


@staff_page
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, macro_id: int) -> HttpResponse:
    user = actor(request)
    macro = selectors.macro_get(user, macro_id)
    if not access.can_edit(user, macro):
        raise NotFound()
    if request.method == "GET":
        return _form_page(request, MacroForm(actor=user, initial=_initial(macro)), macro)
    form = MacroForm(request.POST, actor=user)
    if form.is_valid():
        try:
            services.macro_update(actor=user, macro=macro, data=form.data_for_service(), now=timezone.now())
        except (FieldError, Forbidden) as error:
            show_errors(form, getattr(error, "errors", {"scope": [str(error)]}))
        else:
            messages.success(request, MACRO_SAVED)
            return redirect("macros:index")
    return _form_page(request, form, macro, status=422)


@staff_page
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, macro_id: int) -> HttpResponse:
    user = actor(request)
    macro = selectors.macro_get(user, macro_id)
    if not access.can_edit(user, macro):
        raise NotFound()
    if request.method == "POST":
        services.macro_delete(actor=user, macro=macro)
        messages.success(request, MACRO_DELETED)
        return redirect("macros:index")
    return render(request, "macros/delete.html", {"macro": macro})


@staff_page
@require_POST
def form_preview(request: HttpRequest) -> HttpResponse:
    """The macro form's live preview (htmx): the reply and note as they read with sample values,
    and any placeholder the text uses that does not exist."""
    reply, note = request.POST.get("reply", ""), request.POST.get("note", "")
    problems = [p.message for text in (reply, note) for p in placeholders.problems(text)]
    context = {
        "reply_html": _safe_html(placeholders.fill(reply, SAMPLE)) if reply.strip() else "",
        "note": placeholders.fill(note, SAMPLE),
        "problems": problems,
        "tone": extensions.tone_findings(reply),
    }
    return render(request, "macros/_form_preview.html", context)


# --- on a case ----------------------------------------------------------------------------------


@staff_page
@require_GET
def picker(request: HttpRequest, reference: str) -> HttpResponse:
    """The macros to choose from for a case, filtered by name as the person types."""
    user = actor(request)
    case = policy.access_case(user, reference)
    query = request.GET.get("q", "")[:100]
    page = selectors.macro_page(user, query=query, cursor=None, size=20)
    context = {"case": case, "macros": page.items, "q": query}
    template = "macros/_picker_results.html" if _htmx(request) else "macros/pick.html"
    return render(request, template, context)


def _preview_context(request: HttpRequest, reference: str, macro_id: int) -> dict[str, object]:
    user = actor(request)
    case = policy.access_case(user, reference)
    macro = selectors.macro_get(user, macro_id)
    preview = services.macro_preview(actor=user, case=case, macro=macro, now=timezone.now())
    # reply_html is the sanitised rendering (nh3): markup we trust.
    reply_html = mark_safe(preview.reply_html)  # noqa: S308
    return {
        "case": case,
        "preview": preview,
        "reply_html": reply_html,
        "form": ApplyForm(initial={"version": case.version}),
    }


@staff_page
@require_GET
def case_preview(request: HttpRequest, reference: str, macro_id: int) -> HttpResponse:
    """What the macro would do to the case: the reply as the customer would read it, the changes
    (before → after), and any reason it is refused."""
    context = _preview_context(request, reference, macro_id)
    template = "macros/_case_preview.html" if _htmx(request) else "macros/preview.html"
    return render(request, template, context)


@staff_page
@require_POST
def case_apply(request: HttpRequest, reference: str, macro_id: int) -> HttpResponse:
    user = actor(request)
    case = policy.access_case(user, reference)
    macro = selectors.macro_get(user, macro_id)
    form = ApplyForm(request.POST)
    error, status = "", 422
    if form.is_valid():
        try:
            applied = services.apply_macro(
                actor=user, case=case, macro=macro, version=form.cleaned_data["version"], now=timezone.now()
            )
        except (Conflict, Refused) as refused:
            error, status = refused.message, refused.status
        except FieldError as refused:
            error, status = " ".join(m for ms in refused.errors.values() for m in ms), refused.status
        else:
            # As the reply box does: back to the case (htmx swaps its #main in), focus on the reply.
            anchor = f"message-{applied.reply.pk}" if applied.reply else ""
            messages.success(request, MACRO_APPLIED.format(name=macro.name), extra_tags=anchor)
            url = reverse("cases:detail", args=[applied.case.reference])
            return redirect(f"{url}#{anchor}" if anchor else url)
    else:
        error = " ".join(m for ms in form.errors.values() for m in ms)
    context = _preview_context(request, case.reference, macro.pk)
    context["error"] = error
    return render(request, "macros/preview.html", context, status=status)


# --- signatures ---------------------------------------------------------------------------------


@staff_page
@require_http_methods(["GET", "POST"])
def signatures(request: HttpRequest) -> HttpResponse:
    """One's own signature; a team leader's teams' signatures (a manager's, every team's)."""
    user = actor(request)
    teams = selectors.team_signatures(user)
    form = SignatureForm(initial={"body": selectors.own_signature(user)})
    status = 200
    if request.method == "POST":
        form = SignatureForm(request.POST)
        team = None
        if request.POST.get("team"):
            team = Team.objects.filter(pk=request.POST["team"]).first()
            if team is None or not access.can_sign_for_team(user, team.pk):
                raise NotFound()
        if form.is_valid():
            try:
                services.signature_set(actor=user, body=form.cleaned_data["body"], team=team, now=timezone.now())
            except FieldError as error:
                show_errors(form, error.errors)
            else:
                messages.success(request, SIGNATURE_SAVED)
                return redirect("macros:signatures")
        status = 422
    return render(request, "macros/signatures.html", {"form": form, "teams": teams}, status=status)
