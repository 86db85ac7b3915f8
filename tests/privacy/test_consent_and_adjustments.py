"""Consent with history, contact permission, reasonable adjustments and their hooks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from rapport import extensions
from rapport.domain.adjustments import CHARGE_REFUSED
from rapport.platform.errors import FieldError
from rapport.privacy.models import Adjustment, Consent
from rapport.privacy.services import adjustment_end, adjustment_record, charge_check, consent_record

pytestmark = pytest.mark.django_db


def consent(customer, actor, now, granted, purpose="marketing", channel="email"):
    return consent_record(
        actor=actor,
        customer=customer,
        purpose=purpose,
        channel=channel,
        granted=granted,
        method="phone call",
        wording="Can we email you offers?",
        now=now,
    )


def test_marketing_needs_a_current_yes_and_history_is_kept(customer, agent, now):
    assert extensions.contact_permitted(customer, "marketing", "email") is False
    consent(customer, agent, now, True)
    assert extensions.contact_permitted(customer, "marketing", "email") is True
    assert extensions.contact_permitted(customer, "marketing", "phone") is False
    consent(customer, agent, now + timedelta(days=1), False)
    assert extensions.contact_permitted(customer, "marketing", "email") is False
    assert [c.granted for c in Consent.objects.filter(customer=customer)] == [False, True]


def test_surveys_go_unless_the_person_said_no(customer, customer_user, now):
    assert extensions.contact_permitted(customer, "survey", "email") is True
    consent(customer, customer_user, now, False, purpose="survey")
    assert extensions.contact_permitted(customer, "survey", "email") is False
    assert extensions.contact_permitted(customer, "service", "email") is True


def test_consent_needs_the_wording_and_is_append_only(customer, agent, now):
    with pytest.raises(FieldError) as refused:
        consent_record(
            actor=agent,
            customer=customer,
            purpose="marketing",
            channel="email",
            granted=True,
            method="",
            wording=" ",
            now=now,
        )
    assert set(refused.value.errors) == {"wording", "method"}
    row = consent(customer, agent, now, True)
    with pytest.raises(ValueError, match="append-only"):
        row.save()


def test_a_customer_cannot_record_consent_for_someone_else(customer_user, other_customer, now):
    from rapport.platform.errors import NotFound

    with pytest.raises(NotFound):
        consent(other_customer, customer_user, now, True)


def test_an_adjustment_is_never_charged_for(customer, agent, now):
    with pytest.raises(FieldError) as refused:
        adjustment_record(actor=agent, customer=customer, kind="large_print", charge_pence=250, now=now)
    assert refused.value.errors == {"charge": [CHARGE_REFUSED]}
    assert not Adjustment.objects.exists()
    # and the database refuses it too, whatever path writes the row
    with pytest.raises(IntegrityError), transaction.atomic():
        Adjustment.objects.create(customer=customer, kind="large_print", charge_pence=1, recorded_at=now)
    with pytest.raises(FieldError):
        charge_check(charge_pence=1000, adjustment=Adjustment(kind="bsl_relay"))
    charge_check(charge_pence=1000, adjustment=None)


def test_adjustments_validate_what_they_need(customer, agent, now):
    with pytest.raises(FieldError) as refused:
        adjustment_record(actor=agent, customer=customer, kind="advocate", now=now)
    assert "contact_name" in refused.value.errors
    with pytest.raises(FieldError):
        adjustment_record(actor=agent, customer=customer, kind="extra_time", extra_minutes=0, now=now)
    with pytest.raises(FieldError):
        adjustment_record(actor=agent, customer=customer, kind="preferred_channel", channel="pigeon", now=now)


def test_outbound_follows_adjustments(customer, agent, now):
    adjustment_record(actor=agent, customer=customer, kind="plain_text", now=now)
    adjustment_record(actor=agent, customer=customer, kind="large_print", detail="18 pt", now=now)
    adjustment_record(actor=agent, customer=customer, kind="advocate", contact_name="Sam Carer", now=now)
    prefs = extensions.preferences_for(customer)
    assert prefs.plain_text_only
    assert prefs.large_print
    assert prefs.contact_name == "Sam Carer"
    assert "Large print: 18 pt" in prefs.notes


def test_extra_time_extends_sla_targets_until_ended(case, customer, agent, now):
    assert extensions.extra_target_time(case) == timedelta()
    found = adjustment_record(actor=agent, customer=customer, kind="extra_time", extra_minutes=120, now=now)
    assert extensions.extra_target_time(case) == timedelta(hours=2)
    adjustment_end(actor=agent, adjustment_id=found.pk, now=now)
    assert extensions.extra_target_time(case) == timedelta()


def test_queue_badges_cost_one_query_per_page(make_cases, customer, agent, now, django_assert_num_queries):
    cases = make_cases(5)
    adjustment_record(actor=agent, customer=customer, kind="bsl_relay", now=now)
    with django_assert_num_queries(1):
        badges = extensions.badges_for(agent, cases)
    assert {c.pk for c in cases} == set(badges)
    assert badges[cases[0].pk][0].text == "Adjustments"
    assert badges[cases[0].pk][0].title == "BSL video relay"
