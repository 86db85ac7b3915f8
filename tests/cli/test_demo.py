"""The demo data set: realistic, complete (every status, channel, priority and type), made once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Count, Max

from rapport import access as policy
from rapport.accounts.models import Role, User
from rapport.cases.models import Case, CaseEvent, Message
from rapport.cases.search import search
from rapport.customers.models import Customer, CustomerKind
from rapport.domain.case_rules import ACTIVE_STATUSES, CaseType, Channel, Priority, Status
from rapport.seeding import bulk
from rapport.seeding.demo import CUSTOMER, DEMO_CASES, DEMO_LOGINS, MANAGER, seed_demo
from rapport.seeding.scenarios import SCENARIOS, Scenario, request_kind_of
from rapport.seeding.timeshift import demo_shift
from tests.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Made once for the module (it writes through the services: seconds, not milliseconds), inside
    a transaction that is rolled back at the end; each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo(now=NOW, seed=1)
        transaction.set_rollback(True)


def test_demo_data_is_made_once(demo, now):
    # given
    assert demo.created
    first = bulk.counts()

    # when
    again = seed_demo(now=now, seed=1)

    # then
    assert not again.created
    assert bulk.counts() == first
    assert (again.cases, again.customers, again.staff) == (demo.cases, demo.customers, demo.staff)


def test_demo_covers_every_status_channel_priority_and_type(demo):
    assert Case.objects.count() == DEMO_CASES + 2  # and the cases app's demo: one merged, one split off
    assert set(Case.objects.values_list("status", flat=True)) == set(Status)
    assert set(Case.objects.values_list("channel", flat=True)) == set(Channel)
    assert set(Case.objects.values_list("priority", flat=True)) == set(Priority)
    assert set(Case.objects.values_list("type", flat=True)) == set(CaseType)
    assert set(Message.objects.values_list("kind", flat=True)) == {"inbound", "outbound", "note"}
    assert Case.objects.filter(team__isnull=True).exists()  # some still waiting for triage
    assert Case.objects.filter(tags__isnull=False).exists()


def test_demo_has_external_and_internal_customers(demo):
    kinds = dict(Customer.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds[CustomerKind.PERSON] + kinds[CustomerKind.COMPANY] == 60
    assert kinds[CustomerKind.COLLEAGUE] > 0
    assert kinds[CustomerKind.DEPARTMENT] > 0
    assert Case.objects.filter(customer__kind=CustomerKind.DEPARTMENT, type=CaseType.INTERNAL_REQUEST).exists()


def test_some_demo_people_are_served_in_welsh(demo):
    welsh = list(Customer.objects.filter(language="cy").values_list("kind", flat=True))
    people = Customer.objects.filter(kind=CustomerKind.PERSON).count()
    assert len(welsh) == people // 20
    assert set(welsh) == {CustomerKind.PERSON}
    assert Customer.objects.get(email=CUSTOMER.email).language == "en"  # the printed demo customer


def test_demo_times_are_in_the_weeks_before_now(demo, now):
    from datetime import timedelta

    assert not Case.objects.filter(updated_at__gt=now).exists()
    assert not Case.objects.filter(created_at__lt=now - timedelta(weeks=7)).exists()


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.role)
def test_every_printed_login_signs_in(demo, login):
    user = authenticate(username=login.email, password=login.password)
    assert user is not None
    assert user.name == login.name


def test_the_demo_customer_sees_their_own_cases_and_no_notes(demo):
    customer = User.objects.get(email=CUSTOMER.email)
    assert customer.role == Role.CUSTOMER
    cases = policy.visible_cases(customer)
    assert cases.count() >= 6
    assert set(cases.values_list("customer__email", flat=True)) == {CUSTOMER.email}
    for case in cases:
        assert not policy.visible_messages(customer, case).filter(kind="note").exists()


def test_demo_cases_are_searchable(demo):
    manager = User.objects.get(email=MANAGER.email)
    case = Case.objects.order_by("id")[10]
    assert case.pk in {hit.case_id for hit in search(manager, case.subject, limit=200)}


def test_demo_staff_are_in_their_teams(demo):
    teams = dict(User.objects.filter(role=Role.AGENT).values_list("email", "teams__name"))
    assert teams["agent@rapport.example"] == "Front line"
    assert set(teams.values()) == {"Front line", "Billing", "Technical", "Complaints"}


def test_demo_shows_a_restriction_of_processing(demo):
    from rapport.privacy.models import Restriction

    assert Restriction.objects.filter(lifted_at__isnull=True).count() == 1


# --- a real week in a real team ------------------------------------------------------------------

BREACHING_SOON = timedelta(hours=4)


def standing(now) -> dict[str, list[int]]:
    """Open cases with a running target, by where they stand at ``now``, as the queue shows them."""
    found: dict[str, list[int]] = {"within": [], "near": [], "breached": []}
    active = Case.objects.filter(status__in=sorted(ACTIVE_STATUSES), next_breach_at__isnull=False)
    for case_id, due in active.values_list("id", "next_breach_at"):
        if due <= now:
            found["breached"].append(case_id)
        elif due <= now + BREACHING_SOON:
            found["near"].append(case_id)
        else:
            found["within"].append(case_id)
    return found


def test_most_open_cases_are_within_target_a_few_near_and_a_handful_breached(demo, now):
    found = standing(now)
    measured = sum(len(ids) for ids in found.values())

    assert measured >= 30
    assert len(found["within"]) >= 0.6 * measured
    assert 1 <= len(found["near"]) <= 0.25 * measured
    assert 1 <= len(found["breached"]) <= 0.15 * measured


def test_a_later_start_moves_the_demo_to_now_and_keeps_the_picture(demo, now):
    # given: the demo as it was made, and where each open case stood
    before = standing(now)
    first_case = Case.objects.order_by("id").values_list("created_at", flat=True).first()

    # when: it is started again nine days and five hours later
    later = now + timedelta(days=9, hours=5)
    moved = demo_shift(now=later)

    # then: every time moved by the same amount, and every case stands where it stood
    assert moved == later - now
    assert CaseEvent.objects.aggregate(at=Max("at"))["at"] == later
    assert Case.objects.order_by("id").values_list("created_at", flat=True).first() == first_case + moved
    assert standing(later) == before
    assert not Case.objects.filter(updated_at__gt=later).exists()
    assert demo_shift(now=later) == timedelta(0)  # already current: nothing moves


def test_every_data_request_is_the_right_its_words_ask_for(demo):
    from rapport.privacy.models import DataRequest

    requests = list(DataRequest.objects.select_related("case"))
    assert {r.kind for r in requests} == {
        "access",
        "erasure",
        "rectification",
        "restriction",
        "objection",
        "portability",
    }
    for request in requests:
        assert request.kind == request_kind_of(request.case.subject), request.case.subject
    for subject in ("GDPR access request", "Subject access request"):
        assert not DataRequest.objects.filter(case__subject=subject).exclude(kind="access").exists()


def _scenarios_for(subject: str) -> list[Scenario]:
    def pattern(template: str) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\\\{\w+\\\}", ".+", re.escape(template)) + "$")

    return [s for s in SCENARIOS if any(pattern(t).match(subject) for t in s.subjects)]


def test_each_case_is_of_a_type_its_words_fit(demo):
    for subject, case_type, kind in Case.objects.values_list("subject", "type", "customer__kind"):
        scenarios = _scenarios_for(subject)
        assert scenarios, subject
        assert case_type in {t for s in scenarios for t in s.types}, (subject, case_type)
        internal = kind in {CustomerKind.COLLEAGUE, CustomerKind.DEPARTMENT}
        assert (case_type == CaseType.INTERNAL_REQUEST) == internal, (subject, case_type, kind)


def test_no_note_or_message_is_written_twice_on_a_case(demo):
    repeated = Message.objects.values("case_id", "kind", "body").annotate(n=Count("id")).filter(n__gt=1).order_by()
    assert list(repeated) == []


def test_the_demo_team_keeps_saved_views_its_leader_shares(demo):
    from rapport.web.models import SavedView

    assert sorted(SavedView.objects.filter(shared=True).values_list("name", flat=True)) == [
        "Complaints",
        "Urgent, oldest first",
    ]
    assert SavedView.objects.filter(shared=False).count() == 1
