"""Splitting messages off into a new case, and the case's CC list (cases.splitting, cases.cc)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases import cc, splitting
from rapport.cases.models import Case, CaseEvent, Message
from rapport.cases.personal_data import CC_SECTION, cc_erase, cc_section
from rapport.cases.services import message_add
from rapport.platform.errors import Conflict, FieldError


@pytest.fixture
def thread(case, agent, customer_user, now):
    """The case's opening, a reply, and two more customer messages on a new subject."""
    message_add(
        actor=agent, reference=case.reference, kind="outbound", body="Sorry to hear it.", now=now + timedelta(hours=1)
    )
    message_add(
        actor=customer_user,
        reference=case.reference,
        kind="inbound",
        body="Also: my toaster.",
        now=now + timedelta(hours=2),
    )
    message_add(
        actor=customer_user,
        reference=case.reference,
        kind="inbound",
        body="Toaster photo.",
        now=now + timedelta(hours=3),
    )
    case.refresh_from_db()
    return case


def _split(agent, case, body, now, **kwargs):
    message = Message.objects.get(case=case, body=body)
    return splitting.case_split(
        actor=agent, reference=case.reference, message_id=message.pk, expected_version=case.version, now=now, **kwargs
    )


def test_a_message_and_those_after_it_move_to_a_new_case_linked_both_ways(agent, thread, now):
    new = _split(agent, thread, "Also: my toaster.", now + timedelta(hours=4), following=True, subject="Toaster")

    assert list(Message.objects.filter(case=new).values_list("body", flat=True)) == [
        "Also: my toaster.",
        "Toaster photo.",
    ]
    assert Message.objects.filter(case=thread).count() == 2
    assert (new.subject, new.customer_id, new.created_at) == ("Toaster", thread.customer_id, now + timedelta(hours=2))
    assert CaseEvent.objects.get(case=thread, kind="split_to").after == new.reference
    assert CaseEvent.objects.get(case=new, kind="split_from").after == thread.reference
    assert Case.objects.get(pk=thread.pk).version == thread.version + 1


def test_only_the_chosen_message_moves_unless_asked(agent, thread, now):
    new = _split(agent, thread, "Also: my toaster.", now)

    assert list(Message.objects.filter(case=new).values_list("body", flat=True)) == ["Also: my toaster."]
    assert Message.objects.filter(case=thread, body="Toaster photo.").exists()


def test_splitting_everything_or_a_stale_version_is_refused_and_nothing_moves(agent, thread, now):
    with pytest.raises(FieldError) as refused:
        _split(agent, thread, "It stopped heating after a week.", now, following=True)
    assert refused.value.errors["message"] == [splitting.NOT_ALL]

    message = Message.objects.get(body="Toaster photo.")
    with pytest.raises(Conflict):
        splitting.case_split(
            actor=agent, reference=thread.reference, message_id=message.pk, expected_version=thread.version - 1, now=now
        )
    assert Case.objects.count() == 1
    assert Message.objects.filter(case=thread).count() == 4


def test_staff_set_the_cc_list_checked_and_versioned(agent, case, now):
    changed = cc.case_cc_set(
        actor=agent,
        reference=case.reference,
        expected_version=case.version,
        addresses="Ben@Example.com; ben@example.com\ncarer@example.org",
        now=now,
    )

    assert changed.cc == "ben@example.com, carer@example.org"
    assert CaseEvent.objects.get(case=case, kind="cc_changed").after == changed.cc
    with pytest.raises(FieldError) as refused:
        cc.case_cc_set(
            actor=agent, reference=case.reference, expected_version=changed.version, addresses="not-an-address", now=now
        )
    assert refused.value.errors["cc"] == ["not-an-address is not an email address."]
    with pytest.raises(Conflict):
        cc.case_cc_set(actor=agent, reference=case.reference, expected_version=case.version, addresses="", now=now)
    assert Case.objects.get(pk=case.pk).cc == "ben@example.com, carer@example.org"


def test_cc_addresses_are_in_subject_access_and_go_on_erasure(agent, case, other_case, customer, now):
    cc.case_cc_set(
        actor=agent, reference=case.reference, expected_version=case.version, addresses="ben@example.com", now=now
    )
    Case.objects.filter(pk=other_case.pk).update(cc="alice@example.com, dan@example.com")

    title, records = cc_section(customer)
    assert (title, records) == (CC_SECTION, [{"case": case.reference, "copied": "ben@example.com"}])

    counts = cc_erase(customer, [case.pk], lambda text: text)

    assert Case.objects.get(pk=case.pk).cc == ""
    assert Case.objects.get(pk=other_case.pk).cc == "dan@example.com"  # her address where she was copied
    assert counts == {"CC lists cleared": 1, "CC entries removed elsewhere": 1}
