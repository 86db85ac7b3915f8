"""Data requests in a merge: the statutory date is never moved later, and merging one into a case
that is not a data request needs a manager (privacy.merging)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from rapport import extensions
from rapport.cases import merging
from rapport.cases.models import Case
from rapport.cases.services import case_create
from rapport.platform.errors import Forbidden
from rapport.privacy.merging import INTO_NON_REQUEST
from rapport.privacy.models import DataRequest
from rapport.privacy.services import data_request_create

pytestmark = pytest.mark.django_db

JAN31 = datetime(2025, 1, 31, 9, 0, tzinfo=UTC)


def _merge(actor, target, source, now):
    versions = {c.reference: Case.objects.get(pk=c.pk).version for c in (target, source)}
    return merging.cases_merge(
        actor=actor, target_reference=target.reference, references=[source.reference], versions=versions, now=now
    )


@pytest.fixture
def enquiry(agent, customer):
    return case_create(actor=agent, customer=customer, subject="My account", body="Please check it.", now=JAN31)


def test_a_data_request_into_another_case_needs_a_manager_and_says_why(agent, customer, customer_user, enquiry):
    request = data_request_create(actor=customer_user, customer=customer, kind="access", now=JAN31)

    with pytest.raises(Forbidden) as refused:
        _merge(agent, enquiry, request.case, JAN31 + timedelta(days=1))

    assert refused.value.message == INTO_NON_REQUEST
    assert DataRequest.objects.get().case_id == request.case_id
    assert Case.objects.get(pk=request.case_id).merged_into_id is None


def test_a_manager_merges_it_and_the_record_and_deadline_move_to_the_target(manager, customer, customer_user, enquiry):
    request = data_request_create(actor=customer_user, customer=customer, kind="access", now=JAN31)

    _merge(manager, enquiry, request.case, JAN31 + timedelta(days=1))

    target = Case.objects.get(pk=enquiry.pk)
    assert target.type == "data_request"
    assert DataRequest.objects.get().case_id == target.pk
    assert extensions.deadlines_for([target])[target.pk][0].due.date() == date(2025, 2, 28)


def test_two_requests_keep_the_earliest_statutory_date(agent, customer, customer_user):
    first = data_request_create(actor=customer_user, customer=customer, kind="access", now=JAN31)
    second = data_request_create(actor=customer_user, customer=customer, kind="access", now=JAN31 + timedelta(days=9))

    _merge(agent, second.case, first.case, JAN31 + timedelta(days=10))

    kept = DataRequest.objects.get(case=second.case)
    assert kept.received_on == date(2025, 1, 31)
    target = Case.objects.get(pk=second.case_id)
    assert extensions.deadlines_for([target])[target.pk][0].due.date() == date(2025, 2, 28)
