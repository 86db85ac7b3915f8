"""The permission policy: who sees which cases, messages, attachments and search hits."""

from __future__ import annotations

import pytest

from rapport import access as policy
from rapport.cases import search
from rapport.cases.selectors import case_detail
from rapport.cases.services import Upload, case_create, message_add
from rapport.platform.errors import NotFound


def test_customer_sees_only_their_own_cases(case, other_case, customer_user):
    assert list(policy.visible_cases(customer_user)) == [case]
    with pytest.raises(NotFound) as missing:
        policy.access_case(customer_user, other_case.reference)
    with pytest.raises(NotFound) as forbidden:
        policy.access_case(customer_user, "C-999999")
    assert str(missing.value) == str(forbidden.value)


def test_agents_see_their_teams_cases_and_managers_see_all(case, other_case, agent, other_agent, manager):
    assert set(policy.visible_cases(agent)) == {case}
    assert set(policy.visible_cases(other_agent)) == {other_case}
    assert set(policy.visible_cases(manager)) == {case, other_case}


def test_untriaged_cases_are_visible_to_all_agents(agent, other_agent, customer, now):
    triage = case_create(actor=agent, customer=customer, subject="No team yet", body="Hello", channel="email", now=now)
    assert triage in policy.visible_cases(other_agent)


def test_internal_notes_never_reach_a_customer(case, agent, customer_user):
    note = message_add(
        actor=agent,
        reference=case.reference,
        kind="note",
        body="Customer sounds angry; refund?",
        attachments=[Upload("internal.txt", b"staff only")],
    )
    _, messages, events = case_detail(customer_user, case.reference)
    assert note not in messages
    assert events == []
    with pytest.raises(NotFound):
        policy.access_attachment(customer_user, note.attachments.get().pk)
    assert search.search(customer_user, "refund angry") == []
    assert [h.object_id for h in search.search(agent, "refund angry")] == [note.pk]


def test_search_ranks_and_respects_scope(case, other_case, agent, manager, customer_user):
    assert {h.case_id for h in search.search(agent, "kettle")} == {case.pk}
    assert search.search(agent, "duplicate charge") == []
    assert {h.case_id for h in search.search(manager, "duplicate charge")} == {other_case.pk}
    assert search.search(customer_user, "duplicate") == []
    assert {h.case_id for h in search.search(customer_user, "kettle")} == {case.pk}
