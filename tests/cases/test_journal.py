"""The event journal (rapport.cases.journal): registered kinds, the only way to write an event,
and subscribers with their ordering and delivery guarantees (ADR 0009)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import transaction

import rapport
from rapport.cases import journal
from rapport.cases.models import CaseEvent, JournalDelivery

SRC = Path(rapport.__file__).parent
# Constructing or inserting a CaseEvent anywhere but the journal (reads and erasure's rewrites are fine).
WRITES = re.compile(r"(?<!class )CaseEvent\(|CaseEvent\.objects\.(create|bulk_create|get_or_create|update_or_create)\b")


def test_nothing_but_the_journal_writes_case_events():
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and path != SRC / "cases" / "journal.py"
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if WRITES.search(line)
    ]
    assert offenders == []


def test_a_kind_is_registered_once():
    with pytest.raises(journal.KindAlreadyRegistered, match="'changed' is registered already"):
        journal.register(journal.EventKind("changed", "elsewhere", journal.generic))
    assert journal.kinds()["changed"].app == "cases"


def test_capabilities_register_their_own_kinds():
    owners = {name: kind.app for name, kind in journal.kinds().items()}
    assert owners["created"] == "cases"
    assert owners["sla_warning"] == "sla"
    assert owners["heat_hear"] == "complaints"
    assert owners["erased"] == "privacy"
    assert owners["survey_answered"] == "feedback"


def test_an_unknown_kind_or_field_is_refused_and_nothing_is_written(case, now):
    with pytest.raises(journal.UnknownKind):
        journal.record(case=case, kind="made_up", at=now)
    with pytest.raises(ValueError, match="cannot name the field 'colour'"):
        journal.record(case=case, kind="changed", at=now, field="colour", before="red", after="blue")
    assert not CaseEvent.objects.filter(case=case, kind__in=["made_up", "changed"]).exists()


def test_values_are_stored_as_text(case, now):
    event = journal.record(case=case, kind="first_response", at=now, before=None, after=now)
    event.refresh_from_db()
    assert (event.before, event.after) == ("", now.isoformat())


@pytest.fixture
def heard():
    """Subscribers added for one test, removed after it."""
    names: list[str] = []

    def subscribe(kind, handler, delivery, name):
        journal.subscribe(kind, handler, delivery=delivery, name=name)
        names.append(name)

    yield subscribe
    for name in names:
        journal.unsubscribe(name)


def test_in_transaction_subscribers_run_inside_the_write_in_order(case, now, heard):
    calls = []
    heard(
        "note",
        lambda events: calls.append(("first", [e.after for e in events])),
        journal.Delivery.IN_TRANSACTION,
        "t.first",
    )
    heard(
        "note",
        lambda events: calls.append(("second", [e.after for e in events])),
        journal.Delivery.IN_TRANSACTION,
        "t.second",
    )
    # when two notes and a message are recorded together
    journal.record_many(
        [
            journal.Entry(case, "note", now, after="one"),
            journal.Entry(case, "message", now, after="not a note"),
            journal.Entry(case, "note", now, after="two"),
        ]
    )
    # then each subscriber, in the order it subscribed, saw the notes in the order they were recorded
    assert calls == [("first", ["one", "two"]), ("second", ["one", "two"])]


def test_a_failing_in_transaction_subscriber_undoes_the_write(case, now, heard):
    def refuse(events):
        raise RuntimeError("no")

    heard("note", refuse, journal.Delivery.IN_TRANSACTION, "t.refuse")
    with pytest.raises(RuntimeError), transaction.atomic():
        journal.record(case=case, kind="note", at=now, after="kept?")
    assert not CaseEvent.objects.filter(case=case, after="kept?").exists()


def test_on_commit_subscribers_hear_only_what_committed(case, now, heard, django_capture_on_commit_callbacks):
    calls = []
    heard("note", lambda events: calls.append([e.after for e in events]), journal.Delivery.ON_COMMIT, "t.commit")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            journal.record(case=case, kind="note", at=now, after="rolled back")
            transaction.set_rollback(True)
        assert calls == []
        journal.record(case=case, kind="note", at=now, after="committed")
        assert calls == []  # not yet: the write has not committed
    assert calls == [["committed"]]


def test_job_subscribers_are_delivered_at_least_once_in_order(
    case, now, heard, django_capture_on_commit_callbacks, monkeypatch
):
    seen: list[list[str]] = []
    enqueued: list[str] = []
    monkeypatch.setattr(journal.jobs, "enqueue_coalesced", lambda job, subscriber: enqueued.append(subscriber))
    failing = [True]

    def handler(events):
        seen.append([e.after for e in events])
        if failing[0]:
            raise RuntimeError("the webhook is down")

    heard("note", handler, journal.Delivery.JOB, "t.job")
    # given two notes recorded (the job queued on commit is not run here)
    with django_capture_on_commit_callbacks(execute=True):
        journal.record(case=case, kind="note", at=now, after="one")
        journal.record(case=case, kind="note", at=now, after="two")
    # a job asked for after each write (other apps' subscribers too); a worker coalesces them
    assert enqueued.count("t.job") == 2
    assert JournalDelivery.objects.filter(subscriber="t.job").count() == 2
    # when the subscriber fails, the events stay owed
    with pytest.raises(RuntimeError):
        journal.deliver("t.job")
    assert JournalDelivery.objects.filter(subscriber="t.job").count() == 2
    # then the next delivery (the job again, or the periodic sweep) gives them again, oldest first
    failing[0] = False
    assert journal.deliver_all() >= 2  # with what other apps' subscribers were owed
    assert seen == [["one", "two"], ["one", "two"]]
    assert not JournalDelivery.objects.filter(subscriber="t.job").exists()
    assert journal.deliver("t.job") == 0


def test_a_subscriber_name_is_taken_once(heard):
    heard("note", lambda events: None, journal.Delivery.ON_COMMIT, "t.once")
    with pytest.raises(journal.KindAlreadyRegistered):
        journal.subscribe("message", lambda events: None, delivery=journal.Delivery.ON_COMMIT, name="t.once")
