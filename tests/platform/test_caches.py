"""One registry of per-process caches: each names its key, age limit and what clears it; a write
of what it copies clears it at once and again on commit; the suite empties them all."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction

import rapport
from rapport.platform import caches
from rapport.platform.shortlived import ShortLivedCopy

SRC = Path(rapport.__file__).parent
# Ways a module could remember something between requests without the registry.
UNREGISTERED = re.compile(r"@(functools\.)?(lru_cache|cache)\b|=\s*ShortLivedCopy\(")
# The registry itself, and the pure rules (which cannot import it: it registers their memos).
EXEMPT = {Path("platform/caches.py")}


def test_every_memo_in_the_code_goes_through_the_registry():
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        if path.parent.name != "migrations"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if UNREGISTERED.search(line)
        and path.relative_to(SRC) not in EXEMPT
        and path.relative_to(SRC).parts[0] != "domain"
    ]
    assert offenders == []


def test_the_domains_memos_are_registered_from_above_it():
    domain_memos = {
        f"{path.stem}.{match.group(1)}"
        for path in (SRC / "domain").rglob("*.py")
        for match in re.finditer(r"@lru_cache\(maxsize=\d+\)\ndef (\w+)", path.read_text())
    }
    registered = {entry.name for entry in caches.registered()}
    assert domain_memos == {
        "bank_holidays.bank_holidays",
        "calendar._offset_segments",
        "marking.stem",
        "language._term_pattern",
        "language._known",
    }
    assert {
        "domain.bank_holidays",
        "domain.calendar.offset_segments",
        "domain.marking.stem",
        "domain.language.term_pattern",
        "domain.language.known",
    } <= registered


def test_each_cache_names_its_key_age_limit_and_what_it_copies():
    import rapport.feedback.clock
    import rapport.mail.parsing
    import rapport.mail.selectors
    import rapport.sla.selectors
    import rapport.web.templatetags.desk  # noqa: F401 - registers the desk's caches

    entries = {entry.name: entry for entry in caches.registered()}

    assert entries["sla.breaching_soon"].max_age == 60.0
    assert entries["sla.breaching_soon"].copies == ("sla.SlaSettings",)
    assert entries["web.shown_staff"].copies == ("accounts.User",)
    assert entries["web.shown_teams"].copies == ("accounts.Team",)
    assert entries["web.url_reversals"].max_age is None
    assert entries["mail.failing"].max_age == 60.0
    assert {"web.field_blocks", "mail.parsed_headers", "feedback.office_calendar"} <= set(entries)
    assert all(entry.key for entry in entries.values())
    # Only a pure function of its key may live without an age limit, and such a thing copies nothing.
    assert all(entry.copies == () for entry in entries.values() if entry.max_age is None)


def test_a_name_is_registered_once():
    with pytest.raises(ValueError, match="already registered"):
        caches.register("web.url_reversals", clear=lambda: None, key="x", max_age=None)


def test_clear_all_empties_the_breaching_soon_window(db):
    from rapport.sla.models import SlaSettings
    from rapport.sla.selectors import breaching_soon

    SlaSettings.objects.update_or_create(pk=1, defaults={"breaching_soon": timedelta(hours=2)})
    assert breaching_soon() == timedelta(hours=2)
    SlaSettings.objects.filter(pk=1).update(breaching_soon=timedelta(hours=6))  # no signal: as another process
    assert breaching_soon() == timedelta(hours=2)

    caches.clear_all()

    assert breaching_soon() == timedelta(hours=6)


def test_a_write_clears_at_once_and_again_on_commit(db, django_capture_on_commit_callbacks):
    from rapport.accounts.models import Team
    from rapport.web.forms import shown_teams

    assert shown_teams() == []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        team = Team.objects.create(name="Complaints")
        assert shown_teams() == [(team.pk, "Complaints")]  # at once, for the rest of this request
        Team.objects.filter(pk=team.pk).update(name="Complaints desk")
        assert shown_teams() == [(team.pk, "Complaints")]  # read between the write and the commit

    assert shown_teams() == [(team.pk, "Complaints desk")]  # cleared again when it committed


def test_a_delete_clears_too(db):
    from rapport.accounts.models import Team
    from rapport.web.forms import shown_teams

    team = Team.objects.create(name="Complaints")
    assert shown_teams() == [(team.pk, "Complaints")]

    team.delete()

    assert shown_teams() == []


def test_a_short_lived_copy_is_read_again_after_its_age_limit():
    now = [0.0]
    loads = []
    copy = ShortLivedCopy(lambda: loads.append(now[0]) or len(loads), ttl=30.0, clock=lambda: now[0])

    assert copy() == 1
    now[0] = 29.9
    assert copy() == 1
    now[0] = 30.0
    assert copy() == 2
    copy.clear()
    assert copy() == 3
    assert loads == [0.0, 30.0, 30.0]
