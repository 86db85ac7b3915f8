"""A promise in words: whole sentences with named placeholders, the same code for the acknowledgement,
the portal, a revised promise and the reply placeholder."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from rapport.platform import promises

LONDON = ZoneInfo("Europe/London")


def test_the_acknowledgement_names_the_day_and_date_even_tomorrow():
    # Friday 11 December 2026 at 13:00 GMT
    assert promises.reply_promise(datetime(2026, 12, 11, 13, tzinfo=UTC), LONDON) == (
        "We will reply by 1pm on Friday 11 December."
    )


def test_summer_time_is_read_on_the_organisations_clock():
    assert promises.reply_promise(datetime(2026, 7, 3, 8, 30, tzinfo=UTC), LONDON) == (
        "We will reply by 9:30am on Friday 3 July."
    )


def test_midnight_reads_as_the_end_of_the_day_before():
    assert promises.reply_promise(datetime(2026, 12, 12, 0, tzinfo=UTC), LONDON) == (
        "We will reply by midnight on Friday 11 December."
    )


def test_revised_and_late_promises_are_whole_sentences():
    due = datetime(2026, 12, 14, 12, tzinfo=UTC)
    assert promises.revised_promise(due, LONDON).endswith("We will now reply by midday on Monday 14 December.")
    assert promises.late_promise(due, LONDON).startswith("We said we would reply by midday on Monday 14 December.")


def test_each_sentence_is_one_message_so_a_translation_can_reorder_it(monkeypatch):
    seen = []

    def fake_gettext(message):
        seen.append(message)
        return message

    monkeypatch.setattr(promises, "gettext", fake_gettext)
    promises.reply_promise(datetime(2026, 12, 11, 13, tzinfo=UTC), LONDON)
    assert seen == ["We will reply by %(time)s on %(weekday)s %(date)s."]


def test_the_reply_placeholder_uses_the_same_module():
    from rapport.macros import services

    assert services.wording is promises
    with translation.override("en-gb"):
        from rapport.domain.promises import promise

        found = promise(datetime(2026, 12, 11, 13, tzinfo=UTC), datetime(2026, 12, 7, 9, tzinfo=UTC), LONDON)
        assert promises.promise_words(found) == "by 1pm on Friday"
