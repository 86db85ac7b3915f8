"""A message as staff read it: on the case page (with its attachments) and, shortened and with the
case it belongs to, on the customer page. Built with ``format_html``; the body's HTML is the
sanitised copy. ``tests/web/components/test_message_card.py`` compares it with the template markup
it replaced."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat, truncatechars
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from rapport.cases.models import Message
from rapport.customers.models import CHANNEL_CHOICES, Customer
from rapport.web.html import sanitise_html
from rapport.web.templatetags.desk import remembered_reverse, when

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


def _body(message: Message) -> SafeString:
    if message.body_html:
        # sanitise_html keeps only the allowed tags and attributes: its output is markup we trust.
        return format_html('<div class="body body-html">{}</div>', mark_safe(sanitise_html(message.body_html)))  # noqa: S308
    return format_html('<div class="body">{}</div>', message.body)


def _attachments(message: Message) -> SafeString:
    attachments = message.attachments.all()
    if not attachments:
        return mark_safe("")
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a> <span class="muted">({})</span></li>\n',
        ((remembered_reverse("attachment", a.pk), a.filename, filesizeformat(a.size)) for a in attachments),
    )
    return format_html('\n<ul class="attachments" aria-label="Attachments">\n{}</ul>', items)


def message_card(message: Message, customer: Customer) -> SafeString:
    """The message on its case's page."""
    return format_html(
        '\n<li id="message-{}" class="message message-{}">\n<header>\n'
        '<strong class="kind">{}</strong>\n· {}\n· {} · {}\n</header>\n{}{}\n</li>\n',
        message.pk,
        message.kind,
        kind_label(message.kind),
        _author(message, customer),
        _CHANNELS.get(message.channel, message.channel),
        when(message.created_at),
        _body(message),
        _attachments(message),
    )


def message_summary_card(message: Message, *, case_url: str) -> SafeString:
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
