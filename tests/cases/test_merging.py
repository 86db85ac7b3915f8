"""Merging cases of one customer: what moves, the pointers left behind, the rules and the all-or-
nothing version check (docs/merge.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases import merging
from rapport.cases.models import Case, CaseEvent, Message, SearchDocument
from rapport.cases.services import MERGED_CASE, case_create, case_update, message_add
from rapport.domain.case_merge import ALREADY_MERGED, NOT_ITSELF, OTHER_CUSTOMER
from rapport.platform.errors import Conflict, FieldError


@pytest.fixture
def second(agent, customer, team, now):
    """A second case of the same customer, opened an hour after ``case``, with a tag and a file."""
    from rapport.cases.services import Upload

    return case_create(
        actor=agent,
        customer=customer,
        subject="Kettle again",
        body="Still broken, photo attached.",
        channel="email",
        team=team,
        tags=["kettles"],
        attachments=[Upload("kettle.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)],
        now=now + timedelta(hours=1),
    )


def _merge(actor, target, *sources, now, notify=False):
    versions = {c.reference: Case.objects.get(pk=c.pk).version for c in (target, *sources)}
    return merging.cases_merge(
        actor=actor,
        target_reference=target.reference,
        references=[s.reference for s in sources],
        versions=versions,
        notify=notify,
        now=now,
    )


def test_messages_files_events_and_tags_move_to_the_target_in_time_order(agent, case, second, now):
    later = now + timedelta(hours=2)
    result = _merge(agent, case, second, now=later)

    target = Case.objects.get(pk=case.pk)
    bodies = list(Message.objects.filter(case=target).order_by("created_at", "id").values_list("body", flat=True))
    assert bodies == ["It stopped heating after a week.", "Still broken, photo attached."]
    assert Message.objects.get(body__startswith="Still").attachments.get().filename == "kettle.png"
    assert [t.name for t in target.tags.all()] == ["kettles"]
    assert result.messages == 1
    # The second case's own history (its opening) is on the target now, beside the merge.
    assert CaseEvent.objects.filter(case=target, kind="created", after=second.reference).exists()
    merged = CaseEvent.objects.get(case=target, kind="merged")
    assert (merged.actor_id, merged.after) == (agent.pk, second.reference)
    assert target.version == case.version + 1


def test_a_merged_case_becomes_a_closed_pointer_with_its_event(agent, case, second, now):
    _merge(agent, case, second, now=now + timedelta(hours=2))

    pointer = Case.objects.get(pk=second.pk)
    assert pointer.merged_into_id == case.pk
    assert pointer.status == "closed"
    assert not pointer.is_active
    assert list(CaseEvent.objects.filter(case=pointer).values_list("kind", "after")) == [
        ("changed", "closed"),
        ("merged_into", case.reference),
    ]


def test_nothing_more_is_written_to_a_merged_case(agent, case, second, now):
    _merge(agent, case, second, now=now)
    pointer = Case.objects.get(pk=second.pk)

    with pytest.raises(Conflict, match="merged into"):
        message_add(actor=agent, reference=pointer.reference, kind="note", body="Late note", now=now)
    with pytest.raises(Conflict, match=MERGED_CASE.split(":")[0][:20]):
        case_update(
            actor=agent, reference=pointer.reference, expected_version=pointer.version, changes={"priority": "high"}
        )


def test_search_finds_moved_messages_on_the_target(agent, case, second, now):
    _merge(agent, case, second, now=now)
    moved = Message.objects.get(body__startswith="Still")

    assert SearchDocument.objects.get(kind="message", object_id=moved.pk).case_id == case.pk


@pytest.mark.parametrize("rule", ["itself", "other customer", "already merged"])
def test_the_core_rules_refuse_and_change_nothing(rule, agent, case, second, other_case, manager, customer, now):
    if rule == "itself":
        sources, reason = [case], NOT_ITSELF
    elif rule == "other customer":
        sources, reason = [other_case], OTHER_CUSTOMER.format(reference=other_case.reference)
    else:
        third = case_create(actor=agent, customer=customer, subject="Third", body="Again", channel="email", now=now)
        _merge(agent, third, second, now=now)
        sources, reason = (
            [Case.objects.get(pk=second.pk)],
            ALREADY_MERGED.format(reference=second.reference, into=third.reference),
        )
    before = list(Message.objects.order_by("pk").values_list("pk", "case_id"))

    with pytest.raises(FieldError) as refused:
        _merge(manager, case, *sources, now=now)

    assert reason in refused.value.errors["cases"]
    assert list(Message.objects.order_by("pk").values_list("pk", "case_id")) == before
    assert Case.objects.get(pk=case.pk).version == case.version


def test_a_stale_version_of_any_case_is_a_conflict_and_nothing_moves(agent, case, second, now):
    read = {case.reference: case.version, second.reference: second.version}
    case_update(actor=agent, reference=second.reference, expected_version=second.version, changes={"priority": "high"})

    with pytest.raises(Conflict) as conflict:
        merging.cases_merge(
            actor=agent, target_reference=case.reference, references=[second.reference], versions=read, now=now
        )

    assert {c.reference for c in conflict.value.current} == {case.reference, second.reference}
    assert Case.objects.get(pk=second.pk).merged_into_id is None
    assert Message.objects.filter(case=second).count() == 1
    assert not CaseEvent.objects.filter(kind__in=["merged", "merged_into"]).exists()


def test_cases_the_actor_cannot_see_are_not_found(other_agent, case, second, now):
    from rapport.platform.errors import NotFound

    with pytest.raises(NotFound):
        _merge(other_agent, case, second, now=now)
    assert Case.objects.get(pk=second.pk).merged_into_id is None


def test_the_customer_is_told_through_the_normal_reply_path(agent, case, second, now):
    result = _merge(agent, case, second, now=now, notify=True)

    assert result.notified is not None
    assert result.notified.kind == "outbound"
    assert result.notified.case_id == case.pk
    assert second.reference in result.notified.body


def test_the_preview_counts_what_moves_in_a_fixed_number_of_queries(
    agent, case, second, customer, team, now, django_assert_num_queries
):
    more = [
        case_create(actor=agent, customer=customer, subject=f"More {i}", body="x", team=team, now=now) for i in range(3)
    ]

    def preview(refs):
        return merging.merge_preview(agent, case.reference, refs)

    preview([])  # the actor's teams, read once and remembered
    # The target, its access log line, the chosen cases with their counts, their tags, their log line.
    with django_assert_num_queries(5):
        first = preview([second.reference])
    with django_assert_num_queries(5):
        many = preview([second.reference, *(c.reference for c in more)])

    assert [(r.messages, r.attachments, r.tags) for r in first.rows] == [(1, 1, ["kettles"])]
    assert len(many.rows) == 4
    assert many.problems == []


def test_candidates_are_the_customers_other_open_cases(agent, case, second, other_case, now):
    closed = case_create(actor=agent, customer=case.customer, subject="Old", body="x", now=now)
    case_update(actor=agent, reference=closed.reference, expected_version=closed.version, changes={"status": "closed"})

    assert [c.pk for c in merging.merge_candidates(agent, case)] == [second.pk]
