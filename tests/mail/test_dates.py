"""Imported and fetched mail keeps its own date: the case, its timeline and its SLA clocks say when
the customer wrote, not when the desk filed it. Old mail (an archive) starts no SLA clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rapport.cases.models import Case, CaseEvent
from rapport.domain import mail_rules
from rapport.mail.imap import internal_date
from rapport.sla.models import Clock
from tests.mail.conftest import build

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


@pytest.fixture(autouse=True)
def policy(db):
    from rapport.sla.models import Calendar, Policy

    calendar = Calendar.objects.create(name="24/7", hours={str(d): [["00:00", "24:00"]] for d in range(7)})
    return Policy.objects.create(name="Standard", calendar=calendar, first_response=4 * H, resolution=16 * H)


def test_a_new_case_is_dated_when_the_customer_wrote(receive, now):
    written = now - 3 * H  # the mailbox was not polled for three hours

    result = receive(build(date=written))

    case = Case.objects.get(pk=result.case_id)
    assert case.created_at == written
    assert case.messages.get().created_at == written
    assert set(CaseEvent.objects.filter(case=case).values_list("at", flat=True)) == {written}
    clocks = {c.target: c for c in Clock.objects.filter(case=case)}
    assert clocks["first_response"].started_at == written
    assert clocks["first_response"].due_at == written + 4 * H  # honest: the customer waited from then


def test_a_reply_is_dated_when_written_and_keeps_the_timeline_in_order(receive, now):
    first = receive(build(message_id="<d1@example.net>", date=now - 5 * H))
    receive(build(message_id="<d2@example.net>", in_reply_to="<d1@example.net>", date=now - 2 * H))

    case = Case.objects.get(pk=first.case_id)
    assert [m.created_at for m in case.messages.order_by("created_at")] == [now - 5 * H, now - 2 * H]
    assert case.updated_at == now - 2 * H


@pytest.mark.parametrize(
    "date",
    [
        None,  # no Date header
        datetime(2031, 1, 1, tzinfo=UTC),  # a sender's clock years ahead
        datetime(1980, 1, 1, tzinfo=UTC),  # before 1990
    ],
)
def test_a_missing_or_absurd_date_falls_back_to_when_it_arrived(receive, now, date):
    arrived = now - 2 * H  # the IMAP server's INTERNALDATE

    result = receive(build(date=date), arrived=arrived)

    assert Case.objects.get(pk=result.case_id).created_at == arrived


def test_without_any_date_the_mail_is_dated_when_filed(receive, now):
    result = receive(build(date=datetime(2031, 1, 1, tzinfo=UTC)))

    assert Case.objects.get(pk=result.case_id).created_at == now


def test_a_date_a_few_minutes_ahead_is_taken_as_now():
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

    assert mail_rules.written_at(now + timedelta(minutes=10), None, now) == now
    assert mail_rules.written_at(now + timedelta(minutes=20), now - H, now) == now - H


def test_old_mail_is_filed_with_its_date_but_starts_no_sla_clock(receive, now, settings):
    settings.RAPPORT_MAIL_HISTORIC_DAYS = 7
    written = now - timedelta(days=400)

    result = receive(build(date=written))

    case = Case.objects.get(pk=result.case_id)
    assert case.created_at == written
    assert not Clock.objects.filter(case=case).exists()  # no breach reported for last year's mail
    assert case.next_breach_at is None


def test_mail_within_the_historic_window_is_measured_from_its_date(receive, now, settings):
    settings.RAPPORT_MAIL_HISTORIC_DAYS = 7
    written = now - timedelta(days=6)

    result = receive(build(date=written))

    clock = Clock.objects.get(case_id=result.case_id, target="first_response")
    assert clock.started_at == written
    assert clock.due_at < now  # already breached on arrival: recorded, as it happened


def test_the_reopen_window_counts_from_when_the_reply_was_written(receive, now, settings):
    settings.RAPPORT_MAIL_REOPEN_DAYS = 14
    first = receive(build(message_id="<w1@example.net>", date=now - timedelta(days=40)))
    Case.objects.filter(pk=first.case_id).update(status="resolved", resolved_at=now - timedelta(days=30))

    # Written 20 days ago (10 days after resolution), imported only now: it re-opens the case.
    result = receive(
        build(message_id="<w2@example.net>", in_reply_to="<w1@example.net>", date=now - timedelta(days=20))
    )

    assert result.case_id == first.case_id
    assert Case.objects.get(pk=first.case_id).status == "open"


def test_the_imap_internal_date_is_read_from_the_fetch_response():
    envelope = b'1 (UID 7 INTERNALDATE "02-Mar-2026 09:15:00 +0100" BODY[] {120}'

    assert internal_date(envelope) == datetime(2026, 3, 2, 8, 15, tzinfo=UTC)
    assert internal_date(b"1 (UID 7 BODY[] {120}") is None
