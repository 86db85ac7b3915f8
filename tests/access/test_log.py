"""The access log's core side: who is logged, once per request, in one insert, and only through a sink."""

from __future__ import annotations

import pytest

from rapport import access as policy
from rapport.access import log
from rapport.platform.errors import NotFound
from rapport.privacy.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def batches(monkeypatch):
    """Every batch the gates hand to the sinks, instead of the privacy app's table."""
    seen: list[list[log.Access]] = []
    monkeypatch.setattr(log, "sinks", [lambda batch: seen.append(list(batch))])
    return seen


def test_a_staff_read_through_the_gate_is_logged(batches, agent, case):
    policy.access_case(agent, case.reference, why="case page")
    [[entry]] = batches
    assert (entry.actor_id, entry.customer_id, entry.what, entry.why) == (
        agent.pk,
        case.customer_id,
        f"case {case.reference}",
        "case page",
    )


def test_a_customer_reading_their_own_case_is_not_logged(batches, customer_user, case):
    policy.access_case(customer_user, case.reference)
    policy.access_customer(customer_user, case.customer_id)
    assert batches == []


def test_a_write_is_left_to_the_journal(batches, agent, case, customer):
    policy.access_case(agent, case.reference, for_update=True)
    policy.access_customer(agent, customer.pk, for_write=True)
    assert batches == []


def test_a_refused_read_logs_nothing(batches, other_agent, case):
    with pytest.raises(NotFound):
        policy.access_case(other_agent, case.reference)
    assert batches == []


def test_within_a_request_each_person_and_thing_is_logged_once(batches, agent, case, customer, other_customer):
    with log.request_scope():
        policy.access_case(agent, case.reference)
        policy.access_case(agent, case.reference)
        policy.accessed(agent, [customer.pk, other_customer.pk, other_customer.pk], what=f"case {case.reference}")
        policy.access_customer(agent, customer.pk, what="subject access export")
    assert [[(a.customer_id, a.what) for a in batch] for batch in batches] == [
        [(customer.pk, f"case {case.reference}")],
        [(other_customer.pk, f"case {case.reference}")],
        [(customer.pk, "subject access export")],
    ]


def test_outside_a_request_every_read_is_written(batches, agent, case):
    policy.access_case(agent, case.reference)
    policy.access_case(agent, case.reference)
    assert len(batches) == 2


def test_many_people_are_written_in_one_insert(agent, customer, other_customer, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert policy.accessed(agent, [customer.pk, other_customer.pk], what="complaint report") == 2
    assert set(AccessLog.objects.values_list("customer_id", flat=True)) == {customer.pk, other_customer.pk}


def test_without_a_sink_nothing_is_written(monkeypatch, agent, case, django_assert_num_queries):
    monkeypatch.setattr(log, "sinks", [])
    with django_assert_num_queries(2):  # the agent's teams, the case: no insert
        policy.access_case(agent, case.reference)
    assert not AccessLog.objects.exists()
