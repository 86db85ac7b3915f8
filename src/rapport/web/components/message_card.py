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
from django.utils.translation import gettext, gettext_lazy

from rapport.cases.models import Attachment, Message
from rapport.customers.models import CHANNEL_CHOICES, Customer
from rapport.domain.previews import PreviewState, preview_kind
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


# What a file is, in words, beside its size (everything without a preview is shown this way).
_TYPE_WORDS = {
    "application/pdf": gettext_lazy("PDF document"),
    "image/png": gettext_lazy("PNG image"),
    "image/jpeg": gettext_lazy("JPEG image"),
    "image/gif": gettext_lazy("GIF image"),
    "image/webp": gettext_lazy("WebP image"),
    "text/plain": gettext_lazy("Text file"),
    "text/csv": gettext_lazy("CSV spreadsheet"),
    "message/rfc822": gettext_lazy("Email message"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": gettext_lazy("Word document"),
    "application/msword": gettext_lazy("Word document"),
    "application/vnd.oasis.opendocument.text": gettext_lazy("OpenDocument text"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": gettext_lazy("Excel spreadsheet"),
    "application/vnd.ms-excel": gettext_lazy("Excel spreadsheet"),
    "application/vnd.oasis.opendocument.spreadsheet": gettext_lazy("OpenDocument spreadsheet"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": gettext_lazy("PowerPoint slides"),
}


def type_words(content_type: str) -> str:
    return str(_TYPE_WORDS.get(content_type, gettext_lazy("File")))


def _preview(attachment: Attachment) -> SafeString:
    """The preview the worker drew (served through the same gate as the file), a placeholder until
    it is ready, "no preview" when it could not be drawn; nothing for files that have none."""
    if attachment.preview_state == PreviewState.READY:
        return format_html(
            '\n<img class="attachment-preview" src="{}" width="{}" height="{}" alt="{}" loading="lazy">',
            remembered_reverse("attachment_preview", attachment.pk),
            attachment.preview_width,
            attachment.preview_height,
            gettext("Preview of %(name)s") % {"name": attachment.filename},
        )
    if preview_kind(attachment.content_type) is None:
        return mark_safe("")
    if attachment.preview_state == PreviewState.PENDING:
        return format_html(
            '\n<span class="attachment-preview attachment-preview-pending">{}</span>', gettext("Preview being prepared")
        )
    return format_html(' · <span class="muted">{}</span>', gettext("no preview"))


def _files(message: Message, *, download: bool) -> SafeString:
    link = '<a href="{}" download>{}</a>' if download else '<a href="{}">{}</a>'
    return format_html_join(
        "",
        f'<li>{link} <span class="muted">({{}}, {{}})</span>{{}}</li>\n',
        (
            (
                remembered_reverse("attachment", a.pk),
                a.filename,
                type_words(a.content_type),
                filesizeformat(a.size),
                _preview(a),
            )
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
