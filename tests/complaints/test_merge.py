"""Complaints in a merge: the record and its final-response deadline stay with the target, and two
complaints merge only by a manager's decision (complaints.services.merging)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport import extensions
from rapport.cases import merging
from rapport.cases.models import Case
from rapport.cases.services import case_create
from rapport.complaints.models import Complaint
from rapport.complaints.services.merging import TWO_COMPLAINTS
from rapport.platform.errors import Forbidden


def _merge(actor, target, source, now):
    versions = {c.reference: Case.objects.get(pk=c.pk).version for c in (target, source)}
    return merging.cases_merge(
        actor=actor, target_reference=target.reference, references=[source.reference], versions=versions, now=now
    )


def _open(agent, customer, team, now, *, type="complaint", subject="Rude engineer"):
    return case_create(
        actor=agent, customer=customer, subject=subject, body="Not happy.", type=type, team=team, now=now
    )


def test_a_complaint_merged_into_an_enquiry_keeps_its_record_and_deadline(agent, customer, team, now):
    complaint = _open(agent, customer, team, now)
    enquiry = _open(agent, customer, team, now + timedelta(days=3), type="enquiry", subject="Visit date")
    due = extensions.deadlines_for([complaint])[complaint.pk][0].due

    _merge(agent, enquiry, complaint, now + timedelta(days=4))

    target = Case.objects.get(pk=enquiry.pk)
    assert target.type == "complaint"
    assert Complaint.objects.get().case_id == target.pk
    assert extensions.deadlines_for([target])[target.pk][0].due == due


def test_two_complaints_need_a_manager_and_nothing_changes(agent, customer, team, now):
    first = _open(agent, customer, team, now)
    second = _open(agent, customer, team, now + timedelta(days=2), subject="Still rude")

    with pytest.raises(Forbidden) as refused:
        _merge(agent, second, first, now + timedelta(days=3))

    assert refused.value.message == TWO_COMPLAINTS
    assert Case.objects.get(pk=first.pk).merged_into_id is None
    assert Complaint.objects.get(case=second).received_at == now + timedelta(days=2)


def test_a_manager_merges_two_complaints_and_the_earliest_deadline_is_kept(manager, agent, customer, team, now):
    first = _open(agent, customer, team, now)
    second = _open(agent, customer, team, now + timedelta(days=2), subject="Still rude")
    due = extensions.deadlines_for([first])[first.pk][0].due

    _merge(manager, second, first, now + timedelta(days=3))

    target = Case.objects.get(pk=second.pk)
    assert extensions.deadlines_for([target])[target.pk][0].due == due
    assert Complaint.objects.get(case=first).case_id == first.pk  # its HEAT history stays on the pointer
