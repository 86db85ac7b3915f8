"""Timestamp arithmetic in the database: exact to the microsecond on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F

from rapport.cases.models import Case
from rapport.cases.services import case_create
from rapport.improvement import catalogue
from rapport.platform.timestamps import DaysBefore, HoursBetween

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("micro", [0, 1, 999_999])
def test_days_before_keeps_the_fraction_of_a_second(agent, customer, team, now, micro):
    opened = now.replace(microsecond=micro)
    case = case_create(
        actor=agent, customer=customer, subject="Bill", body="Wrong", channel="email", team=team, now=opened
    )

    week_before = (
        Case.objects.filter(pk=case.pk).annotate(at=DaysBefore(F("created_at"), 7)).values_list("at", flat=True)
    )
    exact = Case.objects.filter(pk=case.pk, created_at__gte=DaysBefore(F("created_at"), 0)).count()
    just_after = Case.objects.filter(pk=case.pk, created_at__lt=DaysBefore(F("created_at"), 0)).count()

    assert (exact, just_after) == (1, 0)
    shifted = week_before.get()
    assert shifted == opened - timedelta(days=7)


def test_a_repeat_contact_is_counted_to_the_microsecond(agent, customer, other_customer, team, now):
    # the repeat-contact KPI: a case exactly 7 days after the customer's last is a repeat; a
    # microsecond later it is not
    later = now.replace(microsecond=500_000)
    for who, gap in ((customer, timedelta(days=7)), (other_customer, timedelta(days=7, microseconds=1))):
        for at in (later - gap, later):
            case_create(actor=agent, customer=who, subject="Parcel", body="Late", channel="email", team=team, now=at)
    scope = catalogue.scope("service", "", later, later + timedelta(seconds=1))

    sample = catalogue.repeat_sample(scope)

    assert (sample.n, sample.total) == (2, 1)
    assert Case.objects.get(pk__in=catalogue.repeat_cases(scope, 10)).customer_id == customer.pk


def test_hours_between(agent, customer, team, now):
    case = case_create(
        actor=agent, customer=customer, subject="Bill", body="Wrong", channel="email", team=team, now=now
    )
    Case.objects.filter(pk=case.pk).update(first_response_at=now + timedelta(hours=2, minutes=15, microseconds=7))

    hours = Case.objects.filter(pk=case.pk).annotate(h=HoursBetween("created_at", "first_response_at")).get().h

    assert hours == pytest.approx(2.25, abs=1e-6)
