"""Data subject requests as cases: the form, the deadline the SLA views show, the checklist."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from rapport import extensions
from rapport.platform.errors import FieldError
from rapport.privacy.models import DataRequest
from rapport.privacy.services import EXTENSION_LATE, data_request_create, data_request_update, request_deadline

pytestmark = pytest.mark.django_db

JAN31 = datetime(2025, 1, 31, 9, 0, tzinfo=UTC)


def test_a_request_is_a_data_request_case_with_the_statutory_deadline(customer, customer_user):
    found = data_request_create(actor=customer_user, customer=customer, kind="access", now=JAN31)
    assert found.case.type == "data_request"
    assert found.case.channel == "portal"
    assert found.received_on == date(2025, 1, 31)
    # 31 Jan: no 31 Feb, so 28 Feb (a Friday)
    assert request_deadline(found).due == date(2025, 2, 28)
    deadlines = extensions.deadlines_for([found.case])
    assert deadlines[found.case.pk][0].due.date() == date(2025, 2, 28)
    assert "The response is due by Friday 28 February 2025." in deadlines[found.case.pk][0].basis


def test_unknown_right_is_refused(customer, customer_user):
    with pytest.raises(FieldError) as refused:
        data_request_create(actor=customer_user, customer=customer, kind="everything", now=JAN31)
    assert "kind" in refused.value.errors
    assert not DataRequest.objects.exists()


def test_clarification_pause_and_identity_move_the_deadline(customer, customer_user, agent):
    found = data_request_create(actor=customer_user, customer=customer, kind="access", now=JAN31)
    data_request_update(
        actor=agent,
        reference=found.case.reference,
        changes={
            "identity_received_on": "2025-02-03",
            "clarification_asked_on": "2025-02-10",
            "clarification_received_on": "2025-02-12",
        },
        now=JAN31,
    )
    found.refresh_from_db()
    # clock from 3 Feb -> 3 Mar, plus 3 paused days -> 6 Mar (Thursday)
    assert request_deadline(found).due == date(2025, 3, 6)
    assert found.case.events.filter(kind="data_request").count() == 3


def test_a_late_extension_is_refused(customer, customer_user, agent):
    found = data_request_create(actor=customer_user, customer=customer, kind="access", now=JAN31)
    with pytest.raises(FieldError) as refused:
        data_request_update(
            actor=agent, reference=found.case.reference, changes={"extension_told_on": "2025-03-01"}, now=JAN31
        )
    assert refused.value.errors["extension_told_on"] == [EXTENSION_LATE.format(deadline="Friday 28 February 2025")]
    found.refresh_from_db()
    assert found.extension_told_on is None


def test_a_timely_extension_gives_three_months_from_the_start(customer, customer_user, agent):
    found = data_request_create(actor=customer_user, customer=customer, kind="access", now=JAN31)
    data_request_update(
        actor=agent, reference=found.case.reference, changes={"extension_told_on": "2025-02-20"}, now=JAN31
    )
    found.refresh_from_db()
    assert request_deadline(found).due == date(2025, 4, 30)


def test_checklist_steps_are_recorded_and_unknown_ones_refused(customer, customer_user, agent):
    found = data_request_create(actor=customer_user, customer=customer, kind="erasure", now=JAN31)
    data_request_update(
        actor=agent, reference=found.case.reference, changes={"steps_done": ["identity", "holds"]}, now=JAN31
    )
    found.refresh_from_db()
    assert found.steps_done == ["holds", "identity"]
    with pytest.raises(FieldError):
        data_request_update(actor=agent, reference=found.case.reference, changes={"steps_done": ["export"]}, now=JAN31)


def test_customers_cannot_update_the_request(customer, customer_user):
    from rapport.platform.errors import Forbidden

    found = data_request_create(actor=customer_user, customer=customer, kind="access", now=JAN31)
    with pytest.raises(Forbidden):
        data_request_update(
            actor=customer_user, reference=found.case.reference, changes={"completed_on": "2025-02-01"}, now=JAN31
        )
