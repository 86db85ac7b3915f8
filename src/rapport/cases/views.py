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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from rapport import access as policy
from rapport import extensions
from rapport.cases.models import Case, CaseEvent, Message, MessageKind
from rapport.cases.selectors import case_detail, customer_other_cases
from rapport.cases.services import case_update, message_add, reply_preview
from rapport.platform.errors import Conflict, FieldError
from rapport.platform.html import sanitise_html
from rapport.platform.markdown import MARKDOWN, TEXT
from rapport.web.forms import CaseEditForm, NoteForm, OfferedChoiceField, ReplyForm, show_errors, split_tags, uploads
from rapport.web.views import actor, staff_page

REPLY_SENT = "Reply sent to the customer."
NOTE_ADDED = "Internal note added."
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


def timeline(
    messages_: list[Message], events: list[CaseEvent], badges: Mapping[int, Sequence[extensions.Badge]] | None = None
) -> list[Entry]:
    """Messages and events in the order they happened; at the same moment, the case's opening
    comes first, then what was said, then what changed because of it."""
    badges = badges or {}

    def order(entry: Entry) -> tuple[datetime, int, int]:
        if entry.message is not None:
            return (entry.at, 1, entry.message.pk)
        assert entry.event is not None
        return (entry.at, 0 if entry.event.kind == "created" else 2, entry.event.pk)

    entries = [Entry(at=m.created_at, message=m, badges=badges.get(m.pk, ())) for m in messages_]
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
    conflict: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    case, messages_, events = case_detail(actor(request), reference, why="case page")
    if request.method == "GET" and reference != case.reference:
        return redirect(case_url(case))
    context = {
        "case": case,
        "customer": case.customer,
        "timeline": timeline(messages_, events, extensions.message_badges_for(case, messages_)),
        "reply_form": reply_form or ReplyForm(case=case),
        "note_form": note_form or NoteForm(),
        "edit_form": edit_form or CaseEditForm(case=case),
        "conflict": conflict,
        "other_cases": customer_other_cases(actor(request), case.customer_id, besides=case.pk),
        "panels": extensions.panels_for(extensions.case_panels, request, case),
    }
    return render(request, "cases/case.html", context, status=status)


@staff_page
@require_POST
def case_reply(request: HttpRequest, reference: str) -> HttpResponse:
    case = policy.access_case(actor(request), reference)
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


def _add_message(
    request: HttpRequest, case: Case, form: forms.Form, kind: str, done: str, form_name: str
) -> HttpResponse:
    status = 422
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
            )
        except FieldError as error:
            show_errors(form, error.errors)
            status = error.status
        else:
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
