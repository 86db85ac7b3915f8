"""Routing a case: each method, availability (status, rota, capacity), skills, the named contact,
routing on arrival, and the record of every decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport import extensions
from rapport.cases import journal
from rapport.cases.models import Case, CaseEvent
from rapport.customers.models import Customer
from rapport.platform.errors import FieldError
from rapport.privacy.models import Adjustment
from rapport.routing import services
from rapport.routing.hooks import ARRIVAL_SUBSCRIBER
from rapport.routing.models import AgentCapacity, Decision, TeamRouting
from rapport.workforce.models import AgentSkill, Shift
from tests.conftest import make_user
from tests.routing.conftest import set_status


def route(case, now, method=""):
    return services.case_route(case=case, method=method, now=now)


def owner_of(case):
    return Case.objects.get(pk=case.pk).owner_id


def test_round_robin_gives_cases_out_in_turn_and_records_each_decision(crew, raise_case, now):
    cases = [raise_case(f"Case {i}") for i in range(4)]

    outcomes = [route(c, now) for c in cases]

    assert [o.user_id for o in outcomes] == [crew[0].pk, crew[1].pk, crew[2].pk, crew[0].pk]
    assert outcomes[0].reason == "round-robin in Billing"
    assert [owner_of(c) for c in cases] == [o.user_id for o in outcomes]
    decision = Decision.objects.get(case=cases[0])
    assert (decision.agent_id, decision.rule, decision.method, decision.first) == (
        crew[0].pk,
        "round_robin",
        "round_robin",
        True,
    )
    assert decision.arrived_at == cases[0].created_at
    assert decision.decided_at == now
    routed = CaseEvent.objects.get(case=cases[0], kind="routed")
    assert routed.after == "round-robin in Billing"
    owner_change = CaseEvent.objects.get(case=cases[0], kind="changed", field="owner")
    assert owner_change.actor.email == services.ROUTING_EMAIL


def test_the_routing_hook_answers_for_automation_and_chat(crew, raise_case, now):
    case = raise_case()

    outcome = extensions.route(case, "least_loaded", now)

    assert outcome == extensions.RoutingOutcome(crew[0].pk, "least-loaded in Billing")


@pytest.mark.parametrize("status", ["away", "off_shift", "on_break", "training", "busy"])
def test_never_assigns_to_someone_absent(crew, raise_case, now, status):
    for person in crew[:2]:
        set_status(person, status, now - timedelta(minutes=5))

    outcomes = [route(raise_case(f"Case {i}"), now).user_id for i in range(3)]

    assert outcomes == [crew[2].pk] * 3


def test_with_everyone_absent_the_case_stays_with_its_team_and_the_decision_says_why(crew, raise_case, now):
    for person in crew:
        set_status(person, "away", now - timedelta(minutes=5))
    case = raise_case()

    outcome = route(case, now)

    assert outcome == extensions.RoutingOutcome(None, "nobody available in Billing")
    assert owner_of(case) is None
    assert Decision.objects.get(case=case).rule == "none"


def test_status_is_read_as_it_was_at_the_decision_not_later(crew, raise_case, now):
    for person in crew[1:]:
        set_status(person, "away", now + timedelta(minutes=5))  # after the decision

    assert route(raise_case(), now, "least_loaded").user_id == crew[0].pk
    assert route(raise_case(), now, "round_robin").user_id == crew[1].pk


def test_the_rota_keeps_work_from_an_agent_on_a_break(crew, raise_case, now):
    shift = {"starts_at": now - timedelta(hours=2), "ends_at": now + timedelta(hours=6)}
    Shift.objects.create(agent=crew[0], activity="work", **shift)
    Shift.objects.create(
        agent=crew[0], activity="break", starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(minutes=20)
    )
    Shift.objects.create(agent=crew[1], activity="work", **shift)

    outcomes = [route(raise_case(f"Case {i}"), now).user_id for i in range(2)]

    assert crew[0].pk not in outcomes


def test_an_agent_at_capacity_is_passed_over(crew, raise_case, now):
    AgentCapacity.objects.create(agent=crew[0], capacity=0)
    TeamRouting.objects.create(team=crew[0].teams.get(), capacity=1)

    first, second, third = (route(raise_case(f"Case {i}"), now) for i in range(3))

    assert (first.user_id, second.user_id) == (crew[1].pk, crew[2].pk)
    assert third == extensions.RoutingOutcome(None, "nobody available in Billing")


def test_least_loaded_weighs_open_cases_by_priority(crew, raise_case, now, agent):
    urgent = raise_case("Urgent", priority="urgent")
    lows = [raise_case(f"Low {i}", priority="low") for i in range(3)]
    Case.objects.filter(pk=urgent.pk).update(owner=crew[0])  # load 4
    Case.objects.filter(pk__in=[c.pk for c in lows]).update(owner=crew[1])  # load 3
    Case.objects.filter(pk=lows[0].pk).update(status="closed")  # closed cases carry no load: 2

    case = raise_case("New")
    outcome = route(case, now, "least_loaded")

    assert outcome.user_id == crew[2].pk  # no load at all
    assert (
        route(raise_case("Next"), now, "least_loaded").user_id == crew[2].pk
    )  # 2 (one normal) vs 2 ties → fewest cases...
    assert services.loads([p.pk for p in crew]) == {crew[0].pk: (1, 4), crew[1].pk: (2, 2), crew[2].pk: (2, 4)}


def test_the_loads_of_a_team_are_one_query(crew, django_assert_num_queries):
    with django_assert_num_queries(1):
        services.loads([p.pk for p in crew])


def test_routing_costs_the_same_number_of_queries_whatever_the_team_size(billing, crew, raise_case, now):
    route(raise_case("warm up"), now, "least_loaded")  # the routing account and settings exist from here
    case = raise_case("Small")
    with CaptureQueriesContext(connection) as small:
        route(case, now, "least_loaded")
    more = [make_user(f"extra{i}@example.com", "agent", [billing]) for i in range(12)]
    for person in more:
        set_status(person, "available", now - timedelta(hours=1))
    case = raise_case("Large")
    with CaptureQueriesContext(connection) as large:
        route(case, now, "least_loaded")

    assert len(large) == len(small)


def test_a_welsh_speaking_customer_goes_to_a_welsh_speaker(crew, raise_case, now):
    Customer.objects.update(language="cy")

    outcomes = {route(raise_case(f"Case {i}"), now, "skills").user_id for i in range(3)}

    assert outcomes == {crew[0].pk}


def test_with_no_welsh_speaker_available_nobody_is_assigned_and_the_reason_says_so(crew, raise_case, now):
    Customer.objects.update(language="cy")
    set_status(crew[0], "away", now - timedelta(minutes=1))
    case = raise_case()

    outcome = route(case, now, "skills")

    assert outcome == extensions.RoutingOutcome(None, "no Welsh speaker available in Billing")
    assert owner_of(case) is None


@pytest.mark.parametrize(("case_type", "skill"), [("complaint", "complaints"), ("data_request", "data_protection")])
def test_complaints_and_data_requests_go_to_those_trained(crew, raise_case, now, case_type, skill):
    AgentSkill.objects.create(agent=crew[2], skill=skill)

    assert route(raise_case(type=case_type), now, "skills").user_id == crew[2].pk


def test_a_customer_who_uses_bsl_relay_goes_to_an_agent_who_does(crew, raise_case, customer, manager, now):
    AgentSkill.objects.create(agent=crew[1], skill="bsl_relay")
    Adjustment.objects.create(customer=customer, kind="bsl_relay", recorded_by=manager, recorded_at=now)

    assert route(raise_case(), now, "skills").user_id == crew[1].pk


def test_a_case_tagged_with_a_product_goes_to_someone_who_knows_it(crew, raise_case, now):
    AgentSkill.objects.create(agent=crew[2], skill="product", detail="Broadband")

    assert route(raise_case(tags=["broadband"]), now, "skills").user_id == crew[2].pk
    assert route(raise_case(tags=["kettles"]), now, "skills").user_id in {p.pk for p in crew}  # nobody knows kettles


def test_the_named_contact_wins_when_available_whatever_the_method(crew, raise_case, customer, manager, now):
    Adjustment.objects.create(
        customer=customer, kind="named_contact", contact_name=crew[2].name.upper(), recorded_by=manager, recorded_at=now
    )

    outcomes = [
        route(raise_case(f"Case {i}"), now, method)
        for i, method in enumerate(["round_robin", "least_loaded", "skills"])
    ]

    assert {o.user_id for o in outcomes} == {crew[2].pk}
    assert outcomes[0].reason == f"named contact {crew[2].name}"
    assert Decision.objects.filter(rule="named_contact").count() == 3
    assert TeamRouting.objects.get().last_agent_id is None  # the turn is not used up by a named contact


def test_an_absent_named_contact_falls_back_to_the_team_and_says_why(crew, raise_case, customer, manager, now):
    Adjustment.objects.create(
        customer=customer, kind="named_contact", contact_name=crew[2].name, recorded_by=manager, recorded_at=now
    )
    set_status(crew[2], "away", now - timedelta(minutes=1))

    outcome = route(raise_case(), now)

    assert outcome == extensions.RoutingOutcome(
        crew[0].pk, f"named contact {crew[2].name} is away; round-robin in Billing"
    )


def test_an_advocate_who_is_not_staff_is_no_named_contact(crew, raise_case, customer, manager, now):
    Adjustment.objects.create(
        customer=customer, kind="advocate", contact_name="Margaret Jones", recorded_by=manager, recorded_at=now
    )

    assert route(raise_case(), now) == extensions.RoutingOutcome(crew[0].pk, "round-robin in Billing")


def test_teams_route_new_cases_on_arrival_once(crew, billing, raise_case, now):
    TeamRouting.objects.create(team=billing, route_on_arrival=True, method="least_loaded")
    case = raise_case()

    journal.deliver(ARRIVAL_SUBSCRIBER)
    journal.deliver(ARRIVAL_SUBSCRIBER)

    assert owner_of(case) == crew[0].pk
    assert Decision.objects.filter(case=case, trigger="arrival").count() == 1
    assert services.cases_arrived([case.pk], now=now) == 0  # owned: left alone


def test_without_route_on_arrival_nothing_is_owed(crew, raise_case):
    raise_case()

    assert journal.deliver(ARRIVAL_SUBSCRIBER) == 0


def test_an_unknown_method_is_refused_naming_the_field(crew, raise_case, now):
    case = raise_case()

    with pytest.raises(FieldError) as refused:
        route(case, now, "alphabetical")

    assert refused.value.errors == {"method": [services.BAD_METHOD]}
    assert not Decision.objects.exists()


def test_closed_cases_and_cases_without_a_team_are_not_routed(crew, raise_case, now):
    closed = raise_case("Closed")
    Case.objects.filter(pk=closed.pk).update(status="closed")
    teamless = raise_case("No team", team=None)

    assert route(closed, now) == extensions.RoutingOutcome(None, services.CLOSED)
    assert route(teamless, now) == extensions.RoutingOutcome(None, services.NO_TEAM_ON_CASE)
    assert owner_of(teamless) is None


def test_routing_again_records_a_decision_that_is_not_a_first_assignment(crew, raise_case, now):
    case = raise_case()
    route(case, now)

    route(case, now + timedelta(minutes=5))

    assert list(Decision.objects.filter(case=case).order_by("id").values_list("first", flat=True)) == [True, False]
