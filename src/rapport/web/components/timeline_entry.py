"""A timeline entry of the case page: an event, as its kind's renderer in the journal words it
(``cases.journal``), or a message (``message_card``). Built with ``format_html`` so every text is
escaped unless a renderer marked it safe; ``tests/web/components/test_timeline_entry.py`` compares
it with the template it replaced, for every kind of entry and hostile text."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

from rapport.cases import journal
from rapport.cases.models import CaseEvent
from rapport.customers.models import Customer
from rapport.web.components.message_card import staff_card
from rapport.web.components.moment import when


def event_entry(event: CaseEvent) -> SafeString:
    return format_html('\n<li class="event">\n<p>\n{}\n· {}\n</p>\n</li>\n', journal.staff_text(event), when(event.at))


def timeline_entry(entry: Any, customer: Customer) -> SafeString:
    """One ``cases.views.Entry``: a message or an event."""
    if entry.message is not None:
        return staff_card(entry.message, customer, entry.badges, split_url=getattr(entry, "split_url", ""))
    return event_entry(entry.event)
