"""Template helpers for the desk pages: accessible fields, times, search snippets, links."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.forms import BoundField
from django.http import QueryDict
from django.template import defaulttags
from django.template.defaulttags import URLNode
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from rapport.cases.models import PRIORITY_CHOICES, STATUS_CHOICES, Case
from rapport.cases.search import MARK_CLOSE, MARK_OPEN
from rapport.extensions import Badge
from rapport.platform.html import sanitise_html

register = template.Library()

# Header sections: the view each link opens, and the URL namespaces of the pages beneath it.
SECTIONS = {
    "queue": ("home", {"cases"}),
    "customers": ("customers:list", {"customers"}),
    "search": ("search", set()),
}


@register.simple_tag
def field_widget(field: BoundField, extra_describedby: str = "") -> SafeString:
    """The field's widget, tied to its hint and error text so screen readers announce them."""
    described = [extra_describedby] if extra_describedby else []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def field_block(context: template.Context) -> SafeString:
    """``web/_field.html``: a field's label, hint, error and widget, as one Python call.

    Every form on the desk is laid out by this block (about twenty per case page); written as
    template nodes it cost more than the widgets themselves. The markup is the one the template
    held: a fieldset and legend for radio groups, the label after a checkbox, "(optional)" on
    optional fields unless ``quiet``, and hint and error ids that the widget's aria-describedby
    names.
    """
    field: BoundField = context["field"]
    quiet = bool(context.get("quiet"))
    key = _block_key(field, quiet)
    if key is None:
        return _field_block(field, quiet)
    block = _blocks.get(key)
    if block is None:
        if len(_blocks) >= _BLOCKS_KEPT:
            _blocks.clear()
        block = _blocks[key] = _field_block(field, quiet)
    return block


# Laid-out fields of unbound forms, by everything their markup depends on (``_block_key``).
_blocks: dict[tuple[Any, ...], SafeString] = {}
_BLOCKS_KEPT = 4096
_LONGEST_VALUE = 200


def _block_key(field: BoundField, quiet: bool) -> tuple[Any, ...] | None:
    """What a field's block is a function of, or None when it should be laid out afresh.

    A field of a form nobody has submitted, with no errors, lays out the same whenever its widget
    (class and every attribute of it, choices included), name, id, value, label, hint and flags are
    the same: the case page and the complaint panel lay out forty such fields on every view, mostly
    the same selects with the same options. Submitted forms, errors, choices read lazily from the
    database and anything unhashable are never remembered.
    """
    form = field.form
    if form.is_bound or form._errors:
        return None
    widget = field.field.widget
    state: list[tuple[str, Any]] = []
    for name, value in vars(widget).items():
        if name == "attrs":
            value = tuple(sorted(value.items()))
        elif name in ("choices", "_choices"):
            if not isinstance(value, list | tuple):
                return None  # a queryset's iterator: reading it for a key would cost a query
            value = tuple(value)
        state.append((name, value))
    value = field.value()
    if isinstance(value, str) and len(value) > _LONGEST_VALUE:
        return None  # a paragraph someone wrote: rarely shown twice, and not worth the memory
    key = (
        type(field.field),
        type(widget),
        tuple(state),
        field.html_name,
        field.auto_id,
        type(value),  # 0 and False are equal keys, but a checkbox shows them apart
        value,
        field.label,
        field.help_text,
        field.field.required,
        field.field.disabled,
        field.field.show_hidden_initial,
        form.use_required_attribute,
        type(form.renderer),
        quiet,
    )
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _field_block(field: BoundField, quiet: bool) -> SafeString:
    if field.is_hidden:
        return mark_safe(str(field))  # noqa: S308 - Django's own widget markup, escaped by it
    kind = field.widget_type
    hint = format_html('<p class="hint" id="{}-hint">{}</p>', field.auto_id, field.help_text) if field.help_text else ""
    error = (
        format_html(
            '<p class="error-message" id="{}-error"><span class="visually-hidden">Error:</span> {}</p>',
            field.auto_id,
            mark_safe(" ".join(conditional_escape(e) for e in field.errors)),  # noqa: S308 - each escaped
        )
        if field.errors
        else ""
    )
    widget = field_widget(field)
    css = "field" + (" field-error" if field.errors else "") + (" field-checkbox" if kind == "checkbox" else "")
    if kind == "radioselect":
        inner = format_html(
            "<fieldset>\n<legend>{}</legend>\n{}\n{}\n{}\n</fieldset>", field.label, hint, error, widget
        )
    elif kind == "checkbox":
        label = format_html('<label for="{}">{}</label>', field.id_for_label, field.label)
        inner = format_html("{}\n{}\n{}\n{}", error, widget, label, hint)
    else:
        optional = (
            mark_safe(' <span class="optional">(optional)</span>') if not field.field.required and not quiet else ""
        )
        label = format_html('<label for="{}">{}{}</label>', field.id_for_label, field.label, optional)
        inner = format_html("{}\n{}\n{}\n{}", label, hint, error, widget)
    return format_html('\n<div class="{}">\n{}\n</div>\n', css, inner)


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where an error-summary link should take focus: the first radio of a group, else the field."""
    if field.widget_type == "radioselect":
        return f"{field.auto_id}_0"
    return str(field.auto_id)


@register.filter
def marked(snippet: str) -> SafeString:
    """A search snippet with its «match» markers shown as <mark>: escaped first, then marked up.

    Markers from the text itself cannot unbalance the HTML: a mark only closes if it is open,
    and one left open is closed at the end.
    """
    out: list[str] = []
    open_mark = False
    for part in _split_markers(snippet or ""):
        if part == MARK_OPEN:
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif part == MARK_CLOSE:
            if open_mark:
                out.append("</mark>")
                open_mark = False
        else:
            out.append(escape(part))
    if open_mark:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every text part is escaped above


def _split_markers(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch in (MARK_OPEN, MARK_CLOSE):
            if current:
                parts.append("".join(current))
                current = []
            parts.append(ch)
        else:
            current.append(ch)
    if current:
        parts.append("".join(current))
    return parts


@register.filter
def sanitised(html: str) -> SafeString:
    """Stored message HTML, sanitised again on the way out (platform.html)."""
    return mark_safe(sanitise_html(html or ""))  # noqa: S308 - nh3 removes anything unsafe


@register.filter
def humanise(value: Any) -> str:
    """``waiting_on_customer`` → ``Waiting on customer``."""
    text = str(value or "").replace("_", " ")
    return text[:1].upper() + text[1:]


@register.filter
def duration_words(value: timedelta) -> str:
    """A span as people say it: "4 hours", "1 hour 30 minutes", "2 days", "15 minutes"."""
    minutes = value // timedelta(minutes=1)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    return " ".join(f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n) or "0 minutes"


@register.filter
def event_value(value: str, field: str) -> str:
    """A before/after value of an event as people read it: codes humanised, names as written."""
    return humanise(value) if field in {"status", "type", "priority"} else value


class _Plural:
    """A unit for ``timesince``'s ``time_strings``: English singular or plural, chosen without a
    gettext lookup per call (the desk speaks en-GB; the lookups were a tenth of a queue page)."""

    def __init__(self, unit: str) -> None:
        self.one, self.many = f"%(num)d {unit}", f"%(num)d {unit}s"

    def __mod__(self, values: dict[str, int]) -> str:
        return (self.one if values["num"] == 1 else self.many) % values


_UNITS = {unit: _Plural(unit) for unit in ("year", "month", "week", "day", "hour", "minute")}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@register.simple_tag
def when(moment: datetime | None) -> SafeString:
    """A <time> with a relative phrase for scanning and the absolute local time for certainty."""
    if moment is None:
        return format_html('<span class="muted">{}</span>', "Not yet")
    local = timezone.localtime(moment)
    # date_format(local, "j M Y, H:i") in en-GB, without the formatter's per-call lookups
    # (this tag runs for every row of every queue page).
    absolute = f"{local.day} {_MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"
    now = timezone.now()
    if abs((now - moment).total_seconds()) < 60:
        relative = "just now"
    elif moment <= now:
        relative = f"{timesince(moment, now, depth=1, time_strings=_UNITS)} ago"  # type: ignore[arg-type]
    else:
        relative = f"in {timesince(now, moment, depth=1, time_strings=_UNITS)}"  # type: ignore[arg-type]
    return format_html(
        '<time datetime="{}">{} <span class="absolute">({})</span></time>', local.isoformat(), relative, absolute
    )


@register.simple_tag(takes_context=True)
def query(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced; ``None`` or "" drops one."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for name, value in changes.items():
        if value in (None, ""):
            params.pop(name, None)
        else:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def nav_state(context: template.Context, section: str) -> str:
    """``page`` on the page a header link opens, ``true`` on the pages beneath it, else ""."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None or section not in SECTIONS:
        return ""
    page, namespaces = SECTIONS[section]
    if match.view_name == page:
        return "page"
    return "true" if match.namespace in namespaces else ""


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]``, or an empty tuple when it is missing (queue badges by case id)."""
    try:
        return mapping.get(key, ())
    except AttributeError:
        return ()


@register.simple_tag(takes_context=True)
def nav_item_state(context: template.Context, namespace: str, url_name: str) -> str:
    """``page`` on the page a plugged-in header link opens, ``true`` on the rest of its app."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    if match.view_name == url_name:
        return "page"
    return "true" if match.namespace == namespace else ""


_STATUS_LABELS = dict(STATUS_CHOICES)
_PRIORITY_LABELS = dict(PRIORITY_CHOICES)
_MUTED = '<span class="muted">%s</span>'
_MARKERS = {
    True: '<span class="marker marker-internal">Internal</span>',
    False: '<span class="marker marker-external">External</span>',
}


@register.simple_tag
def queue_row(case: Case, badges: Mapping[int, Sequence[Badge]], now: datetime) -> SafeString:
    """One row of the queue table, as one Python call.

    A queue page shows up to a hundred rows, and written as template nodes each row cost about
    thirty variable lookups: the rows were a third of the page's time. The markup is the one the
    template held (``tests/web/test_queue_rows.py`` keeps that template and compares the two), with
    every text escaped as the template's autoescape did.
    """
    row_badges = "".join(_badge(badge) for badge in badges.get(case.pk, ()))
    tags = "".join(f'<span class="tag">{escape(tag.name)}</span> ' for tag in case.tags.all())
    if case.next_breach_at:
        overdue = '<span class="breach-overdue">Breached</span> ' if case.next_breach_at <= now else ""
        breach = f"{overdue}{when(case.next_breach_at)}"
    else:
        breach = _MUTED % "No running target"
    reference = case.reference
    return mark_safe(  # noqa: S308 - every text part is escaped here
        "\n      <tr>\n"
        f'        <th scope="row"><a href="{case_path(reference)}">{reference}</a></th>\n'
        f"        <td>{escape(case.subject)}{row_badges}</td>\n"
        f"        <td>{escape(case.customer.name)} {_MARKERS[case.customer.is_internal]}</td>\n"
        f'        <td><span class="status status-{escape(case.status)}">'
        f"{escape(_STATUS_LABELS.get(case.status, case.status))}</span></td>\n"
        f'        <td><span class="priority priority-{case.priority_label}">'
        f"{escape(_PRIORITY_LABELS.get(case.priority, case.priority))}</span></td>\n"
        f"        <td>{escape(case.owner) if case.owner else _MUTED % 'Nobody'}</td>\n"
        f"        <td>{escape(case.team) if case.team else _MUTED % 'None'}</td>\n"
        f"        <td>{tags or _MUTED % 'None'}</td>\n"
        f"        <td>{breach}</td>\n"
        f"        <td>{when(case.updated_at)}</td>\n"
        "      </tr>\n      "
    )


def _badge(badge: Badge) -> str:
    title = f' title="{escape(badge.title)}"' if badge.title else ""
    return f' <span class="{escape(badge.css)}"{title}>{escape(badge.text)}</span>'


class _RememberedURLNode(URLNode):
    """Django's ``{% url %}`` node, reversing through ``_reverse`` (same answers, remembered)."""

    def render(self, context: template.Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(sorted((k, v.resolve(context)) for k, v in self.kwargs.items()))
        view_name = self.view_name.resolve(context)
        try:  # as URLNode does: the request's current app, else the namespace it was resolved in
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            try:
                url = _reverse(*_where(), current_app, view_name, args, kwargs)
            except TypeError:  # an argument that cannot be a cache key: reverse it afresh
                url = reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@lru_cache(maxsize=8192)
def _reverse(
    urlconf: str,
    prefix: str,
    current_app: str | None,
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> str:
    """A reversal is a pure function of the URLconf, the script prefix and its arguments; a
    case page makes about thirty, a tenth of its time, so each is remembered (the cache is keyed
    by all of them and bounded)."""
    del prefix  # part of the key: reverse() reads it itself
    return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


def remembered_reverse(view_name: str, *args: Any) -> str:
    """``reverse(view_name, args=args)`` for Python that renders markup, remembered as ``{% url %}`` is."""
    return _reverse(*_where(), None, view_name, args, ())


def _where() -> tuple[str, str]:
    """The URLconf and script prefix in force, which every remembered reversal is keyed by."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


@register.tag("url")
def url(parser: template.base.Parser, token: template.base.Token) -> _RememberedURLNode:
    """``{% url %}`` exactly as Django parses and renders it, for the templates that load this
    library; only the reversing is remembered (``_reverse``)."""
    node = defaulttags.url(parser, token)
    return _RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@register.filter
def case_path(reference: str) -> str:
    """``{% url 'cases:detail' reference %}`` for queue rows: the URL is reversed once, not per row."""
    return _case_path_template().replace("C-000000", reference)


@cache
def _case_path_template() -> str:
    return reverse("cases:detail", args=["C-000000"])
