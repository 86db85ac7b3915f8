"""One action on many cases (``cases.bulk``): each case checked on its own by the policy and the
version it was read at, one outcome per case, a refusal never stopping the others."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport import extensions
from rapport.cases import bulk
from rapport.cases.models import Case, CaseEvent
from rapport.cases.services import VERSION_CONFLICT, case_create, case_update
from rapport.platform.errors import Conflict, FieldError, NotFound


@pytest.fixture
def three(agent, customer, team, now):
    return [
        case_create(actor=agent, customer=customer, subject=f"Case {n}", body="b", team=team, now=now) for n in range(3)
    ]


def read(cases) -> dict[str, int]:
    return {case.reference: case.version for case in cases}


def test_assigning_many_cases_changes_each_and_records_each_change(agent, team_leader, three, now):
    outcomes = bulk.cases_bulk(
        actor=team_leader, action="assign", params={"owner": agent.pk}, cases=read(three), now=now
    )

    assert [(o.reference, o.status, o.error) for o in outcomes] == [(c.reference, 200, None) for c in three]
    assert set(Case.objects.values_list("owner_id", flat=True)) == {agent.pk}
    events = CaseEvent.objects.filter(case__in=three, field="owner")
    assert events.count() == 3
    assert {e.actor_id for e in events} == {team_leader.pk}


def test_a_case_changed_since_it_was_read_is_a_409_for_that_case_alone(agent, team_leader, three, now):
    asked = read(three)
    moved = three[1]
    case_update(actor=team_leader, reference=moved.reference, expected_version=1, changes={"priority": "high"})

    outcomes = bulk.cases_bulk(actor=agent, action="priority", params={"priority": "urgent"}, cases=asked, now=now)

    assert [o.status for o in outcomes] == [200, 409, 200]
    assert outcomes[1].error == VERSION_CONFLICT
    moved.refresh_from_db()
    assert moved.priority == 3  # what the team leader set stays
    assert Case.objects.filter(priority=4).count() == 2


def test_a_case_the_person_may_not_see_is_refused_as_not_found(agent, three, other_case, now):
    asked = {**read(three[:1]), other_case.reference: 1, "C-999999": 1, "nonsense": 1}

    outcomes = bulk.cases_bulk(actor=agent, action="status", params={"status": "open"}, cases=asked, now=now)

    assert [(o.status, o.error) for o in outcomes] == [
        (200, None),
        (404, "No case with that reference."),
        (404, "No case with that reference."),
        (404, "No case with that reference."),
    ]
    other_case.refresh_from_db()
    assert other_case.status == "new"


def test_a_rule_refusing_one_case_names_the_rule_for_it_and_changes_the_others(agent, three, now):
    closed = case_update(actor=agent, reference=three[0].reference, expected_version=1, changes={"status": "closed"})

    outcomes = bulk.cases_bulk(
        actor=agent,
        action="status",
        params={"status": "waiting_on_customer"},
        cases={closed.reference: closed.version, **read(three[1:])},
        now=now,
    )

    assert [o.status for o in outcomes] == [422, 200, 200]
    assert outcomes[0].error == "A closed case cannot move to waiting on customer."
    closed.refresh_from_db()
    assert closed.status == "closed"


def test_tags_are_added_to_and_removed_from_what_each_case_has(agent, three, now):
    case_update(actor=agent, reference=three[0].reference, expected_version=1, changes={"tags": ["kettle"]})
    for case in three:
        case.refresh_from_db()

    bulk.cases_bulk(actor=agent, action="tags_add", params={"tags": "Refund, kettle"}, cases=read(three), now=now)
    for case in three:
        case.refresh_from_db()
    assert [sorted(c.tags.values_list("name", flat=True)) for c in three] == [["kettle", "refund"]] * 3

    bulk.cases_bulk(actor=agent, action="tags_remove", params={"tags": ["kettle"]}, cases=read(three), now=now)
    assert [sorted(c.tags.values_list("name", flat=True)) for c in three] == [["refund"]] * 3


@pytest.mark.parametrize(
    ("action", "params", "cases", "field", "message"),
    [
        ("", {}, {"C-000001": 1}, "action", bulk.CHOOSE_ACTION),
        ("delete_everything", {}, {"C-000001": 1}, "action", bulk.UNKNOWN_ACTION),
        ("assign", {"owner": 1}, {}, "cases", bulk.CHOOSE_CASES),
        ("assign", {"owner": "abc"}, {"C-000001": 1}, "owner", bulk.CHOOSE_OWNER),
        ("assign", {"owner": 999999}, {"C-000001": 1}, "owner", bulk.CHOOSE_OWNER),
        ("assign", {"owner": "²"}, {"C-000001": 1}, "owner", bulk.CHOOSE_OWNER),
        ("team", {"team": 999999}, {"C-000001": 1}, "team", bulk.CHOOSE_TEAM),
        ("status", {"status": "lost"}, {"C-000001": 1}, "status", None),
        ("tags_add", {"tags": " , "}, {"C-000001": 1}, "tags", bulk.GIVE_TAGS),
        ("assign", {"owner": ""}, {"C-000001": "1"}, "cases", bulk.BAD_VERSION),
        ("assign", {"owner": ""}, {f"C-{n}": 1 for n in range(1, 502)}, "cases", bulk.TOO_MANY_CASES),
    ],
)
def test_a_request_that_cannot_be_done_at_all_is_one_error_and_changes_nothing(
    agent, case, action, params, cases, field, message
):
    with pytest.raises(FieldError) as refused:
        bulk.cases_bulk(actor=agent, action=action, params=params, cases=cases)

    assert field in refused.value.errors
    if message:
        assert refused.value.errors[field] == [message]
    case.refresh_from_db()
    assert (case.version, case.owner_id) == (1, None)


def test_customers_cannot_use_bulk_actions(customer_user, case):
    with pytest.raises(NotFound):
        bulk.cases_bulk(actor=customer_user, action="status", params={"status": "closed"}, cases=read([case]))


@pytest.fixture
def flagged():
    """A capability's own bulk actions, one case by case and one on the whole group."""
    seen: list[tuple[str, ...]] = []

    def flag(actor, case, version, params, now):
        if params.get("why") == "refuse":
            raise Conflict("Flagged elsewhere.")
        seen.append(("each", case.reference, params["why"]))

    def gather(actor, pairs, params, now):
        seen.append(("together", *sorted(case.reference for case, _ in pairs)))
        return {case.reference: None for case, _ in pairs}

    extensions.bulk_actions.register("flag", extensions.BulkAction("Flag", lambda actor: True, "why", each=flag))
    extensions.bulk_actions.register(
        "gather", extensions.BulkAction("Gather", lambda actor: actor.role == "manager", together=gather)
    )
    yield seen
    for name in ("flag", "gather"):
        extensions.bulk_actions._entries.pop(name)


def test_capabilities_add_actions_through_the_registry(agent, manager, three, flagged, now):
    outcomes = bulk.cases_bulk(actor=agent, action="flag", params={"why": "check"}, cases=read(three), now=now)
    assert [o.status for o in outcomes] == [200] * 3
    refused = bulk.cases_bulk(actor=agent, action="flag", params={"why": "refuse"}, cases=read(three[:1]), now=now)
    assert [(o.status, o.error) for o in refused] == [(409, "Flagged elsewhere.")]

    # an action that takes the group at once; who may use it is the action's own rule
    with pytest.raises(FieldError):
        bulk.cases_bulk(actor=agent, action="gather", params={}, cases=read(three), now=now)
    together = bulk.cases_bulk(actor=manager, action="gather", params={}, cases=read(three), now=now)

    assert [o.status for o in together] == [200] * 3
    assert flagged[-1] == ("together", *sorted(c.reference for c in three))
    assert "gather" not in dict(bulk.actions_for(agent))
    assert "gather" in dict(bulk.actions_for(manager))


def _queries(agent, customer, team, now, n: int) -> int:
    agent = type(agent).objects.get(pk=agent.pk)  # as a request would load them: nothing remembered
    cases = [case_create(actor=agent, customer=customer, subject="q", body="b", team=team, now=now) for _ in range(n)]
    with CaptureQueriesContext(connection) as captured:
        outcomes = bulk.cases_bulk(actor=agent, action="assign", params={"owner": agent.pk}, cases=read(cases))
    assert all(o.changed for o in outcomes)
    return len(captured)


# A case's own write: its lock and read through the gate, a savepoint and its release, the save, the
# event, and what the apps that listen to changes write (SLA clocks follow the owner; the owner's
# notification is owed as a delivery row, sent by the job after the commit).
PER_CASE = 8


def test_the_work_per_case_is_only_what_its_write_needs(agent, customer, team, now):
    three, six = _queries(agent, customer, team, now, 3), _queries(agent, customer, team, now, 6)

    assert six - three == 3 * PER_CASE
    # once for the request: the person's teams, the owner, the cases and their tags
    assert three - 3 * PER_CASE == 4


# --- merging the ticked cases ----------------------------------------------------------------------


def test_ticked_cases_of_one_customer_merge_into_the_one_named(agent, three, now):
    target = three[1]
    outcomes = bulk.cases_bulk(
        actor=agent, action="merge", params={"into": target.reference.lower()}, cases=read(three), now=now
    )

    assert [(o.status, o.error) for o in outcomes] == [(200, None)] * 3
    merged = {c.reference: c.merged_into_id for c in Case.objects.filter(pk__in=[c.pk for c in three])}
    assert merged == {three[0].reference: target.pk, three[1].reference: None, three[2].reference: target.pk}


def test_without_a_target_the_oldest_ticked_case_is_kept(agent, customer, team, now):
    from datetime import timedelta

    cases = [
        case_create(
            actor=agent, customer=customer, subject=f"Case {n}", body="b", team=team, now=now - timedelta(days=n)
        )
        for n in range(3)
    ]
    outcomes = bulk.cases_bulk(actor=agent, action="merge", params={}, cases=read(cases), now=now)

    assert {o.status for o in outcomes} == {200}
    assert Case.objects.get(pk=cases[0].pk).merged_into_id == cases[2].pk
    assert Case.objects.get(pk=cases[2].pk).merged_into_id is None


def test_a_merge_refused_refuses_every_ticked_case_and_changes_none(agent, customer, other_customer, team, now):
    mine = case_create(actor=agent, customer=customer, subject="Mine", body="b", team=team, now=now)
    theirs = case_create(actor=agent, customer=other_customer, subject="Theirs", body="b", team=team, now=now)

    outcomes = bulk.cases_bulk(actor=agent, action="merge", params={}, cases=read([mine, theirs]), now=now)

    assert len({(o.status, o.error) for o in outcomes}) == 1
    assert outcomes[0].status >= 400
    assert outcomes[0].error
    assert not Case.objects.filter(merged_into__isnull=False).exists()


def test_a_merge_needs_two_cases_and_a_target_among_them(agent, three, now):
    alone = bulk.cases_bulk(actor=agent, action="merge", params={}, cases=read(three[:1]), now=now)
    assert [(o.status, o.error) for o in alone] == [(422, bulk.MERGE_NEEDS_TWO)]

    elsewhere = bulk.cases_bulk(actor=agent, action="merge", params={"into": "C-999999"}, cases=read(three), now=now)
    assert {(o.status, o.error) for o in elsewhere} == {(422, bulk.MERGE_INTO_TICKED)}
    with pytest.raises(FieldError):
        bulk.cases_bulk(actor=agent, action="merge", params={"into": "not a reference"}, cases=read(three), now=now)
    assert not Case.objects.filter(merged_into__isnull=False).exists()
