"""A message card: as staff read it on the case page (with its attachments), shortened with its case
on the customer page, and as the customer reads it in the portal. One body and one list of files
for all three. Built with ``format_html``; the body's HTML is the sanitised copy.
``tests/web/components/test_message_card.py`` compares each with the template markup it replaced."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.template.defaultfilters import date, filesizeformat, truncatechars
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from rapport.cases.models import Message
from rapport.customers.models import CHANNEL_CHOICES, Customer
from rapport.platform.html import sanitise_html
from rapport.web.components.moment import when
from rapport.web.reversing import remembered_reverse

if TYPE_CHECKING:
    from rapport.extensions import Badge

_CHANNELS = dict(CHANNEL_CHOICES)
_KINDS = {"note": "Internal note", "inbound": "From the customer"}


def kind_label(kind: str) -> str:
    return _KINDS.get(kind, "Reply to the customer")


def _author(message: Message, customer: Customer) -> SafeString:
    if message.kind == "inbound":
        recorded = message.author and message.author_id != customer.user_id
        if recorded:
            return format_html("{} (recorded by {})", customer.name, message.author)
        return format_html("{}", customer.name)
    return format_html("{}", message.author or "System")


def _body(message: Message, *, html_class: str = "body body-html") -> SafeString:
    if message.body_html:
        # sanitise_html keeps only the allowed tags and attributes: its output is markup we trust.
        html = mark_safe(sanitise_html(message.body_html))  # noqa: S308
        return format_html('<div class="{}">{}</div>', html_class, html)
    return format_html('<div class="body">{}</div>', message.body)


def _files(message: Message, *, download: bool) -> SafeString:
    link = '<a href="{}" download>{}</a>' if download else '<a href="{}">{}</a>'
    return format_html_join(
        "",
        f'<li>{link} <span class="muted">({{}})</span></li>\n',
        (
            (remembered_reverse("attachment", a.pk), a.filename, filesizeformat(a.size))
            for a in message.attachments.all()
        ),
    )


def _attachments(message: Message) -> SafeString:
    if not message.attachments.all():
        return mark_safe("")
    return format_html('\n<ul class="attachments" aria-label="Attachments">\n{}</ul>', _files(message, download=False))


def _badges(badges: Sequence[Badge]) -> SafeString:
    """Markers other apps put on a message (an emailed reply's delivery state)."""
    return format_html_join(
        "",
        ' · <span class="{}"{}>{}</span>',
        ((b.css, format_html(' title="{}"', b.title) if b.title else "", b.text) for b in badges),
    )


def _cc(message: Message) -> SafeString:
    """Who else the email was copied to (never on a note)."""
    if not message.cc or message.kind == "note":
        return mark_safe("")
    return format_html('\n<p class="cc muted">CC: {}</p>', message.cc)


def _actions(message: Message, split_url: str) -> SafeString:
    if not split_url:
        return mark_safe("")
    return format_html(
        '\n<p class="message-actions"><a href="{}">Split to a new case'
        '<span class="visually-hidden">: message {}</span>…</a></p>',
        split_url,
        message.pk,
    )


def staff_card(
    message: Message, customer: Customer, badges: Sequence[Badge] = (), *, split_url: str = ""
) -> SafeString:
    """The message on its case's page (with a link to split it off, when given)."""
    return format_html(
        '\n<li id="message-{}" class="message message-{}">\n<header>\n'
        '<strong class="kind">{}</strong>\n· {}\n· {} · {}{}\n</header>\n{}{}{}{}\n</li>\n',
        message.pk,
        message.kind,
        kind_label(message.kind),
        _author(message, customer),
        _CHANNELS.get(message.channel, message.channel),
        when(message.created_at),
        _badges(badges),
        _body(message),
        _cc(message),
        _attachments(message),
        _actions(message, split_url),
    )


def summary_card(message: Message, *, case_url: str) -> SafeString:
    """The message among a customer's recent contact: which case, and the start of what was said."""
    return format_html(
        '\n<li class="message message-{}">\n<header>\n<strong class="kind">{}</strong>\n'
        '· <a href="{}#message-{}">{}</a> {}\n· {} · {}\n</header>\n<div class="body">{}</div>\n</li>\n',
        message.kind,
        kind_label(message.kind),
        case_url,
        message.pk,
        message.case.reference,
        message.case.subject,
        _CHANNELS.get(message.channel, message.channel),
        when(message.created_at),
        truncatechars(message.body, 300),
    )


def customer_card(message: Message, *, organisation: str) -> SafeString:
    """The message as the customer reads it in the portal: who wrote it (them, or someone of the
    organisation) and when, what was said, and the files to download."""
    if message.kind == "inbound":
        who = format_html("{}", gettext("You"))
    elif message.author and message.author.name:
        who = format_html("{}, {}", message.author.name, organisation)
    else:
        who = format_html("{}", organisation)
    files = ""
    if message.attachments.all():
        files = format_html(
            '\n<p>{}</p>\n<ul class="attachments">\n{}</ul>', gettext("Attached files:"), _files(message, download=True)
        )
    return format_html(
        '\n<li class="message message-{}" id="message-{}">\n<header>\n<strong>{}</strong>\n'
        '{} <time datetime="{}">{}</time>\n</header>\n{}{}\n</li>\n',
        message.kind,
        message.pk,
        who,
        gettext("wrote on"),
        date(message.created_at, "c"),
        date(message.created_at, "j F Y, H:i"),
        _body(message, html_class="body-html"),
        files,
    )
