"""The case page: header, timeline, reply, internal note, edit form and the customer panel.

Every form posts to its own URL and answers with POST-redirect-GET; with htmx the same answer
is swapped into the page (the forms ask for ``#main``), so nothing here branches on htmx.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport import access as policy
from rapport import extensions
from rapport.cases import cc, journal, merging, presence, splitting, wording
from rapport.cases.models import Case, CaseEvent, Message, MessageKind
from rapport.cases.selectors import case_detail, customer_other_cases
from rapport.cases.services import case_update, message_add, reply_preview
from rapport.domain import presence as presence_rules
from rapport.domain.references import format_reference, parse_reference
from rapport.platform.errors import Conflict, FieldError, Forbidden
from rapport.platform.html import sanitise_html
from rapport.platform.markdown import MARKDOWN, TEXT
from rapport.web.forms import (
    CaseEditForm,
    CcForm,
    MergeForm,
    NoteForm,
    OfferedChoiceField,
    ReplyForm,
    SplitForm,
    show_errors,
    split_tags,
    uploads,
)
from rapport.web.views import actor, staff_page

REPLY_SENT = "Reply sent to the customer."
NOTE_ADDED = "Internal note added."
# The name of the reply form's "Check wording" button: its submit reviews, never sends.
CHECK_WORDING = "check-wording"
CASE_UPDATED = "Case updated."
NO_CHANGES = "Nothing changed, so nothing was saved."
# Events that repeat what the timeline already shows as a message.
MESSAGE_EVENTS = frozenset({"message", "note"})


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: a message or an event."""

    at: datetime
    message: Message | None = None
    event: CaseEvent | None = None
    badges: Sequence[extensions.Badge] = ()  # markers other apps put on a message (delivery state)
    split_url: str = ""  # where to split the message off into a new case


def timeline(
    messages_: list[Message],
    events: list[CaseEvent],
    badges: Mapping[int, Sequence[extensions.Badge]] | None = None,
    *,
    split_base: str = "",
) -> list[Entry]:
    """Messages and events in the order they happened; at the same moment, the case's opening
    comes first, then what was said, then what changed because of it. With ``split_base`` (the
    split page's path without the message id) each message offers to be split off."""
    badges = badges or {}

    def order(entry: Entry) -> tuple[datetime, int, int]:
        if entry.message is not None:
            return (entry.at, 1, entry.message.pk)
        assert entry.event is not None
        return (entry.at, 0 if entry.event.kind == "created" else 2, entry.event.pk)

    entries = [
        Entry(
            at=m.created_at,
            message=m,
            badges=badges.get(m.pk, ()),
            split_url=f"{split_base}{m.pk}/" if split_base and len(messages_) > 1 else "",
        )
        for m in messages_
    ]
    entries += [Entry(at=e.at, event=e) for e in events if e.kind not in MESSAGE_EVENTS]
    return sorted(entries, key=order)


def case_url(case: Case, anchor: str = "") -> str:
    url = reverse("cases:detail", args=[case.reference])
    return f"{url}#{anchor}" if anchor else url


@staff_page
@require_GET
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    return _render(request, reference)


def _render(
    request: HttpRequest,
    reference: str,
    *,
    reply_form: ReplyForm | None = None,
    note_form: NoteForm | None = None,
    edit_form: CaseEditForm | None = None,
    cc_form: CcForm | None = None,
    conflict: dict[str, Any] | None = None,
    collision: dict[str, Any] | None = None,
    wording: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    case, messages_, events = case_detail(actor(request), reference, why="case page")
    if request.method == "GET" and reference != case.reference:
        return redirect(case_url(case))
    seen = max((e.pk for e in events), default=0)
    presence.grant(actor(request), case.pk)  # this view's access check vouches for the page's polls
    other_cases = list(customer_other_cases(actor(request), case.customer_id, besides=case.pk))
    # A merged case is a pointer: nothing is split off it, nothing merged into it.
    split_base = "" if case.merged_into_id else reverse("cases:split", args=[case.reference, 0])[:-2]
    context = {
        "case": case,
        "customer": case.customer,
        "merged_into": format_reference(case.merged_into_id) if case.merged_into_id else "",
        "timeline": timeline(messages_, events, extensions.message_badges_for(case, messages_), split_base=split_base),
        "reply_form": reply_form or ReplyForm(case=case),
        "note_form": note_form or NoteForm(),
        "edit_form": edit_form or CaseEditForm(case=case),
        "cc_form": cc_form or CcForm(initial={"cc": case.cc, "version": case.version}),
        "conflict": conflict,
        "collision": collision,
        "wording": wording,
        "seen": seen,
        "presence": _presence(request, case, None, state=None),
        "other_cases": other_cases,
        "can_merge": merging.merge_offered(case, other_cases),
        "panels": extensions.panels_for(extensions.case_panels, request, case),
    }
    return render(request, "cases/case.html", context, status=status)


# --- collision: who else is here, and what changed before sending -------------------------------

COLLISION_TITLE = "Not sent yet: the case changed while you were writing"
COLLISION_ACTIONS = {
    "reply_form": "Send reply anyway",
    "note_form": "Add note anyway",
    "edit_form": "Save changes anyway",
}


def _presence(request: HttpRequest, case: Case, seen: int | None, *, state: str | None) -> dict[str, Any]:
    """Record this person on the case and say who else is, and for a poll (``seen``: the newest
    event its page shows) whether the case changed since (the cache only: no query)."""
    user, case_id = actor(request), case.pk
    others = presence.arrive(case_id, user, state=state, now=timezone.now().timestamp())
    changed = presence.latest_event(case_id) > seen if seen is not None else False
    return {
        "others": others,
        "sentence": presence_rules.sentence(others),
        "changed": changed,
        "digest": presence.digest(others, changed),
        "poll_seconds": presence.POLL_SECONDS,
        "case_url": case_url(case),
    }


def _seen(request: HttpRequest) -> int | None:
    """The newest event the sender's page showed (None: a client that did not say)."""
    raw = request.POST.get("seen", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


def _news(request: HttpRequest, case: Case) -> list[CaseEvent]:
    seen = _seen(request)
    if seen is None:
        return []
    return presence.since(case.pk, seen, actor(request), quiet=journal.quiet_kinds())


def _collision(news: list[CaseEvent], form_name: str, attached: bool = False) -> dict[str, Any]:
    """What others did since the page was drawn, as the warning lists it: messages by their first
    words (one query for them all), other events as the timeline words them."""
    journal.resolve_people(news)
    ids = [
        int(e.after.rsplit("#", 1)[1])
        for e in news
        if e.kind in MESSAGE_EVENTS and e.after.rsplit("#", 1)[-1].isdigit()
    ]
    bodies = dict(Message.objects.filter(pk__in=ids).values_list("pk", "body")) if ids else {}
    items = []
    for event in news:
        number = event.after.rsplit("#", 1)[-1]
        if event.kind in MESSAGE_EVENTS and number.isdigit():
            body = " ".join(bodies.get(int(number), "").split())
            inbound = event.after.startswith(MessageKind.INBOUND)
            who = "The customer" if inbound or not event.actor else str(event.actor)
            verb = "added an internal note" if event.kind == "note" else "wrote"
            items.append(
                {"at": event.at, "who": who, "verb": verb, "excerpt": body[:160] + ("…" if len(body) > 160 else "")}
            )
        else:
            items.append({"at": event.at, "text": journal.staff_text(event)})
    return {
        "form": form_name,
        "title": COLLISION_TITLE,
        "items": items,
        "action": COLLISION_ACTIONS[form_name],
        "attached": attached,
    }


@staff_page
@require_http_methods(["GET", "POST"])
def case_presence(request: HttpRequest, reference: str) -> HttpResponse:
    """The case page's poll (GET, every ``POLL_SECONDS``) and its "I am writing" signal (POST).

    Answers from the cache alone while the page view's access check stands (``presence.grant``);
    a GET whose answer the page already shows (``shown``) is a 204, so nothing is swapped and the
    live region announces only changes."""
    user = actor(request)
    number = parse_reference(reference)
    if number is None:
        raise Http404
    if not presence.granted(user, number):
        case = policy.access_case(user, number, why="case page")
        presence.grant(user, case.pk)
    if request.method == "POST":
        state = request.POST.get("state", "")
        presence.arrive(number, user, state=state, now=timezone.now().timestamp())
        return HttpResponse(status=204)
    raw = request.GET.get("seen", "")
    seen = int(raw) if raw.isdigit() and len(raw) < 19 else 0
    context = _presence(request, Case(pk=number), seen, state=None)
    if request.GET.get("shown") == context["digest"]:
        return HttpResponse(status=204)
    return render(request, "cases/_presence.html", {"presence": context})


@staff_page
@require_POST
def case_reply(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.access_case(actor(request), reference)
    if CHECK_WORDING in request.POST:
        # "Check wording" without JavaScript: the page again, the reply kept, the hints shown.
        # Nothing is sent; files chosen must be chosen again (a browser never resends them).
        text = request.POST.get("reply-body", "")
        kept = ReplyForm(initial={"body": text}, case=case)  # unbound: a check shows no form errors
        return _render(request, case.reference, reply_form=kept, wording=_wording(case, text))
    form = ReplyForm(request.POST, request.FILES, case=case)
    return _add_message(request, case, form, MessageKind.OUTBOUND, REPLY_SENT, "reply_form")


@staff_page
@require_POST
def case_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.access_case(actor(request), reference)
    form = NoteForm(request.POST, request.FILES)
    return _add_message(request, case, form, MessageKind.NOTE, NOTE_ADDED, "note_form")


@staff_page
@require_POST
def case_reply_preview(request: HttpRequest, reference: str) -> HttpResponse:
    """The reply as the customer will read it (htmx, beside the reply box): Markdown rendered and
    sanitised, signed, or as plain text for a customer whose adjustments ask for it."""
    case = policy.access_case(actor(request), reference)
    preview = reply_preview(actor=actor(request), case=case, body=request.POST.get("reply-body", ""))
    # sanitise_html keeps only the allowed tags and attributes: its output is markup we trust.
    html = mark_safe(sanitise_html(preview.html))  # noqa: S308
    return render(request, "cases/_reply_preview.html", {"preview": preview, "html": html})


@staff_page
@require_POST
def case_reply_wording(request: HttpRequest, reference: str) -> HttpResponse:
    """Hints on the reply's wording (htmx, as the agent pauses typing, or the "Check wording"
    button): suggestions only, never a bar to sending."""
    case = policy.access_case(actor(request), reference)
    wording_ = _wording(case, request.POST.get("reply-body", ""))
    return render(request, "cases/_reply_wording.html", {"wording": wording_})


def _wording(case: Case, text: str) -> dict[str, Any]:
    if not text.strip():
        return {"checked": False}
    if len(text) > wording.MAX_REVIEW_CHARS:
        return {"checked": True, "too_long": True, "hints": ()}
    return {"checked": True, "too_long": False, "hints": wording.reply_hints(case=case, text=text)}


def _add_message(
    request: HttpRequest, case: Case, form: forms.Form, kind: str, done: str, form_name: str
) -> HttpResponse:
    status = 422
    if form.is_valid() and (news := _news(request, case)):
        # Someone else answered, noted or changed something since this page was drawn: show it
        # (the page is drawn again with it) and keep what was written; sending again sends.
        collision = _collision(news, form_name, attached=bool(form.cleaned_data.get("attachments")))
        return _render(request, case.reference, status=409, collision=collision, **{form_name: form})
    if form.is_valid():
        try:
            message = message_add(
                actor=actor(request),
                reference=case.reference,
                kind=kind,
                body=form.cleaned_data["body"],
                status_after=form.cleaned_data.get("status_after") or None,
                attachments=uploads(form.cleaned_data["attachments"]),
                body_format=MARKDOWN if kind == MessageKind.OUTBOUND else TEXT,
                copy_cc=not form.cleaned_data.get("drop_cc"),
            )
        except FieldError as error:
            show_errors(form, error.errors)
            status = error.status
        else:
            presence.arrive(case.pk, actor(request), state=presence_rules.VIEWING, now=timezone.now().timestamp())
            # The page takes focus to the new message (app.js), not back to the top.
            messages.success(request, done, extra_tags=f"message-{message.pk}")
            return redirect(case_url(case, f"message-{message.pk}"))
    return _render(request, case.reference, status=status, **{form_name: form})


@staff_page
@require_POST
def case_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.access_case(actor(request), reference)
    form = CaseEditForm(request.POST, case=case)
    if not form.is_valid():
        return _render(request, case.reference, edit_form=form, status=422)
    if news := _news(request, case):
        # The choices are kept at the version the case holds now: saving again is a decision.
        data = request.POST.copy()
        data["edit-version"] = str(case.version)
        kept = CaseEditForm(data, case=case)
        kept.is_valid()
        return _render(request, case.reference, edit_form=kept, collision=_collision(news, "edit_form"), status=409)
    try:
        updated = case_update(
            actor=actor(request),
            reference=case.reference,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        )
    except Conflict as conflict:
        # Nothing was written. Show what the case holds now beside what this person chose, and a
        # fresh form at the current version: saving again is then a decision, not an accident.
        return _render(request, case.reference, conflict=_conflict(conflict, form), status=409)
    except FieldError as error:
        show_errors(form, error.errors)
        return _render(request, case.reference, edit_form=form, status=error.status)
    messages.success(request, CASE_UPDATED if updated.version != form.cleaned_data["version"] else NO_CHANGES)
    return redirect(case_url(updated))


def _conflict(conflict: Conflict, form: CaseEditForm) -> dict[str, Any]:
    current: Case = conflict.current
    now_form = CaseEditForm(case=current)
    rows = []
    for name in ("status", "priority", "type", "owner", "team", "tags"):
        field = now_form[name]
        if name == "tags":
            yours = ", ".join(split_tags(form.cleaned_data[name]))
            theirs = now_form.initial[name]
        else:
            yours = _shown(form.fields[name], form.cleaned_data[name])
            theirs = _shown(field.field, now_form.initial[name])
        if yours != theirs:
            rows.append({"label": field.label, "yours": yours, "current": theirs})
    return {"message": conflict.message, "rows": rows}


def _shown(field: forms.Field, value: Any) -> str:
    """A value as the form shows it: the label of a choice, a name, or the text."""
    if isinstance(field, forms.ModelChoiceField):
        if value in (None, ""):
            return str(field.empty_label or "")
        if isinstance(value, int | str):
            value = field.queryset.filter(pk=value).first()
        return field.label_from_instance(value) if value is not None else ""
    if isinstance(field, OfferedChoiceField):
        return str(field.labels.get(str(value), value))
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): v for k, v in field.choices}
        return str(labels.get(str(value), value))
    return str(value or "")


# --- merge, split, CC ----------------------------------------------------------------------------

MERGED = "Merged {merged} into this case."
SPLIT_DONE = "Split into this new case from {reference}."
CC_SAVED = "CC list saved."


def _merge_choices(candidates: Sequence[Case]) -> list[tuple[str, str]]:
    return [(c.reference, f"{c.reference} {c.subject}") for c in candidates]


@staff_page
def case_merge(request: HttpRequest, reference: str) -> HttpResponse:
    """Choose other open cases of the customer, preview what would move, confirm."""
    user = actor(request)
    case = policy.access_case(user, reference, why="merge")
    candidates = merging.merge_candidates(user, case)
    status = 200
    error = ""
    data = request.POST if request.method == "POST" else (request.GET if "merge-cases" in request.GET else None)
    form = MergeForm(data, choices=_merge_choices(candidates))
    preview = None
    if data is not None and form.is_valid():
        chosen = form.cleaned_data["cases"]
        if request.method == "POST":
            try:
                result = merging.cases_merge(
                    actor=user,
                    target_reference=case.reference,
                    references=chosen,
                    versions=form.read_versions(),
                    notify=form.cleaned_data["notify"],
                )
            except Conflict as conflict:
                error, status = conflict.message, 409
            except (FieldError, Forbidden) as refused:
                error = (
                    " ".join(m for ms in refused.errors.values() for m in ms)
                    if isinstance(refused, FieldError)
                    else refused.message
                )
                status = refused.status
            else:
                messages.success(request, MERGED.format(merged=", ".join(c.reference for c in result.merged)))
                return redirect(case_url(result.target))
        preview = merging.merge_preview(user, case.reference, chosen)
    elif data is not None:
        status = 422
    context = {
        "case": case,
        "candidates": candidates,
        "form": form,
        "preview": preview,
        "versions": ",".join(
            f"{c.reference}:{c.version}" for c in ([preview.target, *(r.case for r in preview.rows)] if preview else [])
        ),
        "error": error,
    }
    return render(request, "cases/merge.html", context, status=status)


@staff_page
def case_split(request: HttpRequest, reference: str, message_id: int) -> HttpResponse:
    """Move a message (and, if chosen, what follows it) to a new case."""
    user = actor(request)
    case = policy.access_case(user, reference, why="split")
    message = policy.visible_messages(user, case).filter(pk=message_id).first()
    if message is None:
        raise Http404(splitting.NO_MESSAGE)
    status = 200
    if request.method == "POST":
        form = SplitForm(request.POST)
        if form.is_valid():
            try:
                new = splitting.case_split(
                    actor=user,
                    reference=case.reference,
                    message_id=message.pk,
                    following=form.cleaned_data["following"],
                    expected_version=form.cleaned_data["version"],
                    subject=form.cleaned_data["subject"],
                )
            except Conflict as conflict:
                form.add_error(None, conflict.message)
                status = 409
            except FieldError as error:
                show_errors(form, {("__all__" if k == "message" else k): v for k, v in error.errors.items()})
                status = error.status
            else:
                messages.success(request, SPLIT_DONE.format(reference=case.reference))
                return redirect(case_url(new))
        else:
            status = 422
    else:
        form = SplitForm(initial={"subject": case.subject, "version": case.version})
    return render(request, "cases/split.html", {"case": case, "message": message, "form": form}, status=status)


@staff_page
@require_POST
def case_cc(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.access_case(actor(request), reference)
    form = CcForm(request.POST)
    if form.is_valid():
        try:
            cc.case_cc_set(
                actor=actor(request),
                reference=case.reference,
                expected_version=form.cleaned_data["version"],
                addresses=form.cleaned_data["cc"],
            )
        except Conflict as conflict:
            form.add_error(None, conflict.message)
            return _render(request, case.reference, cc_form=form, status=409)
        except FieldError as error:
            show_errors(form, error.errors)
            return _render(request, case.reference, cc_form=form, status=error.status)
        messages.success(request, CC_SAVED)
        return redirect(case_url(case, "cc-title"))
    return _render(request, case.reference, cc_form=form, status=422)
