"""The KPIs this app counts from the core's cases, on cases worked through the desk's services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport import extensions
from rapport.cases.services import case_create, case_update, message_add
from rapport.improvement import catalogue

pytestmark = pytest.mark.django_db


def _resolve(agent, case, at):
    case.refresh_from_db()
    return case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"status": "resolved"}, now=at
    )


def test_first_contact_resolution_and_reopen_rate(agent, customer, team, now):
    opened = [
        case_create(
            actor=agent,
            customer=customer,
            subject=f"Kettle {i}",
            body="Broken",
            channel="email",
            team=team,
            now=now + timedelta(minutes=i),
        )
        for i in range(3)
    ]
    # one reply then resolved: first contact; two replies: not; resolved then reopened: not, and reopened
    message_add(
        actor=agent, reference=opened[0].reference, kind="outbound", body="Fixed.", now=now + timedelta(hours=1)
    )
    _resolve(agent, opened[0], now + timedelta(hours=1, minutes=1))
    for minutes in (61, 62):
        message_add(
            actor=agent,
            reference=opened[1].reference,
            kind="outbound",
            body="Sorry.",
            now=now + timedelta(minutes=minutes),
        )
    _resolve(agent, opened[1], now + timedelta(hours=2))
    _resolve(agent, opened[2], now + timedelta(hours=2))
    opened[2].refresh_from_db()
    case_update(
        actor=agent,
        reference=opened[2].reference,
        expected_version=opened[2].version,
        changes={"status": "open"},
        now=now + timedelta(hours=3),
    )
    scope = catalogue.scope("service", "", now - timedelta(days=1), now + timedelta(days=1))

    fcr = catalogue.fcr_sample(scope)
    reopen = catalogue.reopen_sample(scope)

    assert (fcr.n, fcr.total) == (2, 1)  # the reopened case is no longer resolved
    assert (reopen.n, reopen.total) == (3, 1)
    assert catalogue.reopened_cases(scope, 10) == [opened[2].pk]
    assert extensions.kpi(catalogue.FCR, scope) == pytest.approx(50.0)


def test_repeat_contacts_within_seven_days(agent, customer, other_customer, team, now):
    def open_case(who, at):
        return case_create(
            actor=agent, customer=who, subject="Parcel", body="Where is it?", channel="email", team=team, now=at
        )

    open_case(customer, now - timedelta(days=10))
    repeat = open_case(customer, now - timedelta(days=4))  # 6 days after the first: a repeat
    open_case(customer, now + timedelta(days=10))  # 14 days after: not
    open_case(other_customer, now - timedelta(days=4))
    scope = catalogue.scope("service", "", now - timedelta(days=30), now + timedelta(days=30))

    sample = catalogue.repeat_sample(scope)

    assert (sample.n, sample.total) == (4, 1)
    assert catalogue.repeat_cases(scope, 10) == [repeat.pk]


def test_every_registered_kpi_has_a_label_and_the_catalogue_lists_them(db):
    names = [entry.name for entry in catalogue.catalogue()]
    assert {
        "sla_attainment",
        "csat",
        "ces",
        "fcr",
        "reopen_rate",
        "repeat_contact_rate",
        "complaint_rate",
        "first_response_hours",
    } <= set(names)
    assert all(entry.source.label for entry in catalogue.catalogue())


def test_first_response_hours_are_summed_in_the_database(agent, customer, team, now):
    # replies 1.5 h and 4 h after opening, one case never replied to: n 2, sum 5.5, squares 18.25
    cases = [
        case_create(
            actor=agent, customer=customer, subject=f"Bill {i}", body="Wrong", channel="email", team=team, now=now
        )
        for i in range(3)
    ]
    for case, hours in zip(cases, (1.5, 4), strict=False):
        message_add(
            actor=agent, reference=case.reference, kind="outbound", body="Looking.", now=now + timedelta(hours=hours)
        )
    scope = catalogue.scope("service", "", now - timedelta(days=1), now + timedelta(days=1))

    sample = catalogue.first_response_sample(scope)

    assert sample.n == 2
    assert sample.total == pytest.approx(5.5, abs=1e-6)
    assert sample.squares == pytest.approx(1.5**2 + 4**2, abs=1e-5)
    assert extensions.kpi("first_response_hours", scope) == pytest.approx(2.75, abs=1e-6)
