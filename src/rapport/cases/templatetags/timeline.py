"""The case page's timeline entries, written in Python.

A case page shows every message and event of the case; written as template nodes each entry cost
a few dozen variable lookups and filters, a tenth of the page's time. ``{% timeline_entry %}`` gives
the markup the template held (``tests/cases/test_timeline_markup.py`` keeps that template and
compares the two), escaping every text as the template's autoescape did.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from rapport.cases.models import CaseEvent, Message
from rapport.customers.models import CHANNEL_CHOICES, Customer
from rapport.platform.html import sanitise_html
from rapport.web.templatetags.desk import event_value, humanise, remembered_reverse, when

register = template.Library()

_CHANNELS = dict(CHANNEL_CHOICES)
_KINDS = {"note": "Internal note", "inbound": "From the customer"}


@register.simple_tag
def timeline_entry(entry: Any, customer: Customer) -> SafeString:
    """One ``views.Entry``: a message or an event."""
    if entry.message is not None:
        return mark_safe(_message(entry.message, customer))  # noqa: S308 - escaped in _message
    return mark_safe(_event(entry.event))  # noqa: S308 - escaped in _event


def _or(value: Any, fallback: str) -> str:
    """The template's ``|default``: the value's text, or ``fallback`` when it is empty."""
    return escape(value) if value else fallback


def _message(message: Message, customer: Customer) -> str:
    if message.kind == "inbound":
        recorded = message.author and message.author_id != customer.user_id
        author = escape(customer.name) + (f" (recorded by {escape(message.author)})" if recorded else "")
    else:
        author = _or(message.author, "System")
    if message.body_html:
        body = f'<div class="body body-html">{sanitise_html(message.body_html)}</div>'
    else:
        body = f'<div class="body">{escape(message.body)}</div>'
    attachments = message.attachments.all()
    files = ""
    if attachments:
        items = "".join(
            f'<li><a href="{escape(remembered_reverse("attachment", a.pk))}">{escape(a.filename)}</a>'
            f' <span class="muted">({filesizeformat(a.size)})</span></li>\n'
            for a in attachments
        )
        files = f'\n<ul class="attachments" aria-label="Attachments">\n{items}</ul>'
    channel = escape(_CHANNELS.get(message.channel, message.channel))
    return (
        f'\n<li id="message-{message.pk}" class="message message-{escape(message.kind)}">\n<header>\n'
        f'<strong class="kind">{_KINDS.get(message.kind, "Reply to the customer")}</strong>\n'
        f"· {author}\n"
        f"· {channel} · {when(message.created_at)}\n</header>\n"
        f"{body}{files}\n</li>\n"
    )


def _event(event: CaseEvent) -> str:
    if event.kind == "created":
        text = f'<span class="event-kind">Opened</span> by {_or(event.actor, "the system")}'
    elif event.kind == "changed":
        before = _or(event_value(event.before, event.field), "(none)")
        after = _or(event_value(event.after, event.field), "(none)")
        text = (
            f'<span class="event-kind">Changed</span> {_or(event.actor, "The system")} changed '
            f"<strong>{escape(humanise(event.field).lower())}</strong>\n"
            f'from <span class="before">{before}</span>\n'
            '<span aria-hidden="true">→</span><span class="visually-hidden">to</span>\n'
            f'<span class="after">{after}</span>'
        )
    elif event.kind == "first_response":
        text = f'<span class="event-kind">First response</span> sent by {_or(event.actor, "the system")}'
    else:
        field = f" · {escape(humanise(event.field).lower())}" if event.field else ""
        after = f": {escape(event.after)}" if event.after else ""
        text = f'<span class="event-kind">{escape(humanise(event.kind))}</span> {_or(event.actor, "")}{field}{after}'
    return f'\n<li class="event">\n<p>\n{text}\n· {when(event.at)}\n</p>\n</li>\n'
