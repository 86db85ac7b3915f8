"""The notifications pages: the list (newest first, a page at a time), opening and marking read,
preferences, and following a case."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.notifications import selectors, services
from rapport.notifications.forms import PreferencesForm
from rapport.platform.errors import FieldError
from rapport.web.views import actor, staff_page

ALL_READ = "All notifications marked read."
MARKED_READ = "Notification marked read."
SAVED = "Your notification choices are saved."
FOLLOWING = "You are following this case: you will hear of its customer replies and SLA alerts."
UNFOLLOWED = "You no longer follow this case."


def _back(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("notifications:index")


@staff_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    problem, status = "", 200
    try:
        page = selectors.notifications_page(
            actor(request), cursor=request.GET.get("cursor") or None, unread_only=unread_only
        )
    except FieldError as error:  # a cursor edited by hand: say so, and show the first page
        problem, status = " ".join(error.errors.get("cursor", [])), 400
        page = selectors.notifications_page(actor(request), cursor=None, unread_only=unread_only)
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread": selectors.unread_count(actor(request)),
        "problem": problem,
    }
    return render(request, "notifications/index.html", context, status=status)


@staff_page
@require_POST
def open_one(request: HttpRequest, notification_id: int) -> HttpResponse:
    found = services.mark_read(actor=actor(request), notification_id=notification_id)
    return redirect(reverse("cases:detail", args=[found.case.reference]))


@staff_page
@require_POST
def read_one(request: HttpRequest, notification_id: int) -> HttpResponse:
    services.mark_read(actor=actor(request), notification_id=notification_id)
    messages.success(request, MARKED_READ)
    return redirect(_back(request))


@staff_page
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(actor=actor(request))
    messages.success(request, ALL_READ)
    return redirect(_back(request))


@staff_page
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    form = PreferencesForm(request.POST or None, initial=selectors.preferences(user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(actor=user, chosen=dict(form.cleaned_data))
        messages.success(request, SAVED)
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form}, status=422 if form.errors else 200)


@staff_page
@require_POST
def follow(request: HttpRequest, reference: str) -> HttpResponse:
    user = actor(request)
    if request.POST.get("action") == "unfollow":
        case = services.unfollow(actor=user, reference=reference)
        messages.success(request, UNFOLLOWED, extra_tags="follow-title")
    else:
        case = services.follow(actor=user, reference=reference)
        messages.success(request, FOLLOWING, extra_tags="follow-title")
    return redirect(reverse("cases:detail", args=[case.reference]) + "#follow-title")
