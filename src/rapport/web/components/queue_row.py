"""A case as a row of a table of cases: the queue's ten cells, or the customer page's five.

A queue page shows up to a hundred rows, and written as template nodes each row cost about thirty
variable lookups (a third of the page's time), so a row is one Python call. The markup is the one
the templates held (``tests/web/components/test_queue_row.py`` keeps those templates and compares);
every text goes through ``format_html``, so it is escaped unless it is markup built here. Plain
texts are escaped ahead with ``escaping.text`` (the same escaping, a third of the cost), so the
row costs about what it cost as an f-string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from rapport.cases.models import PRIORITY_CHOICES, STATUS_CHOICES, Case
from rapport.domain.case_rules import Priority
from rapport.extensions import Badge
from rapport.web.components.escaping import text
from rapport.web.components.moment import when
from rapport.web.reversing import case_path


def _row(*cells: str) -> str:
    """A row's format string: one cell a line, indented as the table's template is."""
    return "\n      <tr>\n" + "".join(f"        {cell}\n" for cell in cells) + "      </tr>\n      "


_REFERENCE = '<th scope="row"><a href="{}">{}</a></th>'
_CELL = "<td>{}</td>"
# The row's tick box belongs to the action bar's form (``form="bulk"``), which sits outside the
# table, and carries the version the row was read at, so a bulk action can tell who changed what.
_SELECT = (
    '<td class="select"><input type="checkbox" name="case" value="{}:{}" form="bulk" id="select-{}"'
    ' aria-label="Select {}"></td>'
)

QUEUE_ROW = _row(_SELECT, _REFERENCE, "<td>{}{}</td>", "<td>{} {}</td>", *[_CELL] * 5, "<td>{}{}</td>", _CELL)
CUSTOMER_ROW = _row(_REFERENCE, *[_CELL] * 4)


def _muted(text: str) -> SafeString:
    return format_html('<span class="muted">{}</span>', text)


# Cells that are the same for every case with the same value are laid out once.
_STATUS = {
    value: format_html('<span class="status status-{}">{}</span>', value, label) for value, label in STATUS_CHOICES
}
_PRIORITY_LABELS = dict(PRIORITY_CHOICES)
_PRIORITY = {
    p.value: format_html('<span class="priority priority-{}">{}</span>', p.label, _PRIORITY_LABELS[p.value])
    for p in Priority
}
_MARKER = {
    True: format_html('<span class="marker marker-{}">{}</span>', "internal", "Internal"),
    False: format_html('<span class="marker marker-{}">{}</span>', "external", "External"),
}
_NOBODY, _NO_TEAM, _NO_TAGS, _NO_TARGET = map(_muted, ("Nobody", "None", "None", "No running target"))
_BREACHED = format_html('<span class="breach-overdue">{}</span> ', "Breached")
_NOTHING = SafeString("")  # an empty cell part: already safe, so format_html passes it straight through


def queue_rows(cases: Iterable[Case], badges: Mapping[int, Sequence[Badge]], now: datetime) -> SafeString:
    """Every row of a queue page in one call: a template loop around ``queue_row`` cost more per
    row than the row's own escaping."""
    return _joined(queue_row(case, badges, now) for case in cases)


def queue_selection(cases: Iterable[Case]) -> SafeString:
    """What "select every case on this page" sends without JavaScript: each row's reference and
    the version it was read at, as hidden fields of the action bar's form."""
    return format_html_join(
        _NOTHING,
        '<input type="hidden" name="shown" value="{}:{}" form="bulk">',
        ((text(case.reference), case.version) for case in cases),
    )


def customer_case_rows(cases: Iterable[Case]) -> SafeString:
    """Every row of the customer page's table of cases in one call."""
    return _joined(customer_case_row(case) for case in cases)


def _joined(rows: Iterable[SafeString]) -> SafeString:
    return mark_safe("".join(rows))  # noqa: S308 - each row is a SafeString from format_html


def queue_row(case: Case, badges: Mapping[int, Sequence[Badge]], now: datetime) -> SafeString:
    """The queue's row of ``case``: a tick box for the action bar, reference, subject and badges,
    customer, status, priority, owner, team, tags, next breach and last update. ``case`` comes
    with its customer, owner and team joined and its tags prefetched (``cases.selectors``), so a
    row costs no query."""
    row_badges = badges.get(case.pk)
    tags = case.tags.all()
    breach_at = case.next_breach_at
    reference = text(case.reference)
    return format_html(
        QUEUE_ROW,
        reference,
        case.version,
        reference,
        reference,
        *_reference_and_subject(case),
        format_html_join(_NOTHING, ' <span class="{}"{}>{}</span>', map(_badge, row_badges))
        if row_badges
        else _NOTHING,
        text(case.customer.name),
        _MARKER[case.customer.is_internal],
        _status(case),
        _PRIORITY[case.priority],
        _owner(case),
        text(case.team) if case.team_id else _NO_TEAM,
        format_html_join(_NOTHING, '<span class="tag">{}</span> ', ((text(tag.name),) for tag in tags))
        if tags
        else _NO_TAGS,
        _BREACHED if breach_at and breach_at <= now else _NOTHING,
        when(breach_at) if breach_at else _NO_TARGET,
        when(case.updated_at),
    )


def customer_case_row(case: Case) -> SafeString:
    """The customer page's row of ``case``: reference, subject, status, owner and when it opened
    (``case`` comes with its owner joined)."""
    return format_html(
        CUSTOMER_ROW,
        *_reference_and_subject(case),
        _status(case),
        _owner(case),
        when(case.created_at),
    )


def _reference_and_subject(case: Case) -> tuple[SafeString, SafeString, SafeString]:
    """What every row begins with: the case page's path and the reference that links to it, then
    the subject."""
    reference = text(case.reference)
    return text(case_path(case.reference)), reference, text(case.subject)


def _status(case: Case) -> SafeString:
    try:
        return _STATUS[case.status]
    except KeyError:  # a status this release does not know: shown as stored
        return format_html('<span class="status status-{}">{}</span>', case.status, case.status)


def _owner(case: Case) -> SafeString:
    return text(case.owner) if case.owner_id else _NOBODY


def _badge(badge: Badge) -> tuple[SafeString, SafeString, SafeString]:
    title = format_html(' title="{}"', text(badge.title)) if badge.title else _NOTHING
    return text(badge.css), title, text(badge.text)
