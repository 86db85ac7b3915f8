"""Email and the merge/CC features: replies to a merged case thread into its target; the people a
customer copies are kept, copied on replies unless dropped, and never sent a note."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases import merging
from rapport.cases.models import Case, CaseEvent, Message
from rapport.cases.services import message_add
from rapport.mail import outbound
from rapport.mail.models import Disposition, OutboxEmail
from tests.mail.conftest import build

pytestmark = pytest.mark.django_db

ALICE = "Alice Jones <alice@example.com>"


def _merge(actor, target, source, now):
    versions = {c.reference: Case.objects.get(pk=c.pk).version for c in (target, source)}
    merging.cases_merge(
        actor=actor, target_reference=target.reference, references=[source.reference], versions=versions, now=now
    )


@pytest.fixture
def two_threads(receive, now):
    """Alice emailed twice about the same parcel, opening two cases; the first is merged into the second."""
    first = receive(build(sender=ALICE, message_id="<one@example.com>"), acknowledge=False)
    second = receive(build(sender=ALICE, subject="Parcel again", message_id="<two@example.com>"), acknowledge=False)
    return Case.objects.get(pk=first.case_id), Case.objects.get(pk=second.case_id)


def test_a_reply_to_a_merged_cases_email_threads_into_the_target(receive, two_threads, manager, now):
    merged, target = two_threads
    _merge(manager, target, merged, now + timedelta(hours=1))

    result = receive(
        build(sender=ALICE, subject="Re: x", message_id="<three@example.com>", in_reply_to="<one@example.com>"),
        now=now + timedelta(hours=2),
    )

    assert (result.disposition, result.case_id) == (Disposition.ADDED, target.pk)
    assert Case.objects.get(pk=merged.pk).status == "closed"  # the pointer is not re-opened


def test_a_reply_naming_a_merged_case_in_its_subject_goes_to_the_target(receive, two_threads, manager, now):
    merged, target = two_threads
    _merge(manager, target, merged, now + timedelta(hours=1))

    result = receive(
        build(sender=ALICE, subject=f"Re: parcel [{merged.reference}]", message_id="<four@example.com>"),
        now=now + timedelta(days=30),
    )

    assert result.case_id == target.pk
    assert Message.objects.filter(case=merged).count() == 0


def test_cc_addresses_are_kept_on_the_message_and_the_case(receive, now):
    result = receive(
        build(sender=ALICE, headers={"Cc": "Ben Jones <ben@example.com>, support@rapport.example, alice@example.com"}),
        acknowledge=False,
    )

    case = Case.objects.get(pk=result.case_id)
    assert case.cc == "ben@example.com"
    assert Message.objects.get(case=case).cc == "ben@example.com"
    assert CaseEvent.objects.filter(case=case, kind="cc_changed", after="ben@example.com").exists()


@pytest.fixture
def copied_case(receive):
    result = receive(build(sender=ALICE, headers={"Cc": "ben@example.com"}), acknowledge=False)
    Case.objects.filter(pk=result.case_id).update(team=None)
    return Case.objects.get(pk=result.case_id)


def test_replies_are_copied_to_the_cc_list(agent, copied_case, now):
    message = message_add(actor=agent, reference=copied_case.reference, kind="outbound", body="On its way.", now=now)

    email = OutboxEmail.objects.get(message=message)
    assert email.cc == "ben@example.com"
    assert outbound._build(email, None).cc == ["ben@example.com"]


def test_a_reply_can_drop_the_cc_list(agent, copied_case, now):
    message = message_add(
        actor=agent, reference=copied_case.reference, kind="outbound", body="Just you.", copy_cc=False, now=now
    )

    assert OutboxEmail.objects.get(message=message).cc == ""
    assert message.cc == ""


def test_internal_notes_never_go_to_the_cc_list(agent, copied_case, now):
    note = message_add(actor=agent, reference=copied_case.reference, kind="note", body="Ben is her son.", now=now)

    assert note.cc == ""
    assert not OutboxEmail.objects.filter(message=note).exists()
    assert not OutboxEmail.objects.filter(cc__contains="ben@example.com").exists()


def test_erasing_the_customer_clears_who_their_replies_were_copied_to(agent, copied_case, now):
    from rapport.mail.erasure import customer_mail_erase

    message = message_add(actor=agent, reference=copied_case.reference, kind="outbound", body="On its way.", now=now)

    customer_mail_erase(copied_case.customer, [copied_case.pk], lambda text: text)

    assert OutboxEmail.objects.get(message=message).cc == ""
