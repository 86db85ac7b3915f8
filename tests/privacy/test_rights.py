"""Restriction (UK GDPR Art 18), objection to direct marketing (Art 21(3)) and rectification
(Art 16) carried out from the data request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from rapport import extensions
from rapport.cases.models import Case, CaseEvent, Message
from rapport.cases.services import case_update, message_add
from rapport.customers.services import customer_update
from rapport.domain.case_rules import Channel
from rapport.platform.errors import FieldError, Forbidden, NotFound, Refused
from rapport.privacy import rights
from rapport.privacy.erasure import ErasureHeld, customer_erase
from rapport.privacy.models import Consent, Restriction, RetentionSchedule
from rapport.privacy.retention import RETAINED_MESSAGE, retention_run
from rapport.privacy.services import consent_record, data_request_create

pytestmark = pytest.mark.django_db


def _request(customer_user, customer, kind, now):
    return data_request_create(actor=customer_user, customer=customer, kind=kind, now=now)


@pytest.fixture
def restriction_request(customer_user, customer, now):
    return _request(customer_user, customer, "restriction", now)


@pytest.fixture
def restricted(restriction_request, agent, now):
    return rights.restriction_grant(
        actor=agent,
        reference=restriction_request.case.reference,
        ground="claims",
        reason="Needed for her claim against the landlord",
        now=now,
    )


def _lift(agent, customer, now, **overrides):
    values = {"told_on": now.date().isoformat(), "told_how": "email", "reason": "Claim settled"}
    values.update(overrides)
    return rights.restriction_lift(actor=agent, customer_id=customer.pk, now=now, **values)


# --- granting ----------------------------------------------------------------------------------


def test_granting_puts_the_customer_in_a_restricted_state_with_request_reason_who_and_when(
    restricted, restriction_request, customer, agent, now
):
    assert rights.current_restriction(customer.pk) == restricted
    assert restricted.request == restriction_request
    assert (restricted.ground, restricted.placed_by, restricted.placed_at) == ("claims", agent, now)
    event = CaseEvent.objects.get(case=restriction_request.case, kind="restriction")
    assert event.after.startswith("restricted: Data no longer needed")
    assert event.actor == agent
    restriction_request.refresh_from_db()
    assert "restrict" in restriction_request.steps_done
    with pytest.raises(Refused, match="already restricted"):
        rights.restriction_grant(actor=agent, reference=restriction_request.case.reference, ground="claims", reason="x")


def test_only_restriction_or_objection_requests_restrict_and_bad_input_names_the_field(
    customer_user, customer, agent, now
):
    access = _request(customer_user, customer, "access", now)
    with pytest.raises(Refused, match="Only a restriction or objection"):
        rights.restriction_grant(actor=agent, reference=access.case.reference, ground="claims", reason="x")
    objection = _request(customer_user, customer, "objection", now)
    with pytest.raises(FieldError) as error:
        rights.restriction_grant(actor=agent, reference=objection.case.reference, ground="whim", reason=" ")
    assert set(error.value.errors) == {"ground", "reason"}
    assert not Restriction.objects.exists()
    # Art 18(1)(d): restricted while an objection is checked
    rights.restriction_grant(actor=agent, reference=objection.case.reference, ground="objection", reason="checking")
    assert rights.current_restriction(customer.pk) is not None


def test_customers_cannot_restrict_their_own_data_by_themselves(restriction_request, customer_user):
    with pytest.raises((NotFound, Forbidden)):
        rights.restriction_grant(
            actor=customer_user, reference=restriction_request.case.reference, ground="claims", reason="x"
        )
    assert not Restriction.objects.exists()


# --- effects while restricted ------------------------------------------------------------------


def test_no_surveys_or_marketing_while_restricted(restricted, customer, agent, now):
    consent_record(
        actor=agent,
        customer=customer,
        purpose="marketing",
        channel="email",
        granted=True,
        method="phone",
        wording="Offers by email?",
        now=now - timedelta(days=1),
    )
    assert not extensions.contact_permitted(customer, "survey", "email")
    assert not extensions.contact_permitted(customer, "marketing", "email")
    assert extensions.contact_permitted(customer, "service", "email")
    _lift(agent, customer, now + timedelta(days=1))
    assert extensions.contact_permitted(customer, "survey", "email")
    assert extensions.contact_permitted(customer, "marketing", "email")


def test_survey_invitations_are_suppressed_while_restricted(
    restricted, case, agent, now, django_capture_on_commit_callbacks
):
    from rapport.feedback.models import FeedbackSettings, InvitationStatus, SurveyInvitation
    from rapport.feedback.services import invitations_dispatch

    FeedbackSettings.objects.create(delay_minutes=0)
    case.refresh_from_db()
    case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"status": "resolved"}, now=now
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitations_dispatch(now=now + timedelta(hours=2))
    assert mail.outbox == []
    assert set(SurveyInvitation.objects.values_list("status", flat=True)) == {InvitationStatus.SUPPRESSED}


def test_retention_waits_while_restricted_and_says_why(restricted, case, customer, agent, now):
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=now)
    RetentionSchedule.objects.update_or_create(
        category="closed_cases", defaults={"keep_days": 30, "apply": True, "active": True}
    )
    later = now + timedelta(days=40)
    run = retention_run(now=later, dry_run=False)
    report = next(r for r in run.report if r["category"] == "closed_cases")
    assert report["count"] == 0
    assert report["held"] == [
        f"customer {customer.pk} kept: Processing restricted (Art 18(1)(c)): Needed for her claim against the landlord"
    ]
    assert not Message.objects.filter(case=case, body=RETAINED_MESSAGE).exists()
    _lift(agent, customer, later)
    assert retention_run(now=later, dry_run=False).total == 1
    assert Message.objects.filter(case=case, body=RETAINED_MESSAGE).exists()


def test_erasure_is_held_with_the_reason(restricted, customer, manager):
    with pytest.raises(ErasureHeld) as held:
        customer_erase(actor=manager, customer_id=customer.pk)
    assert held.value.reasons == ["Processing restricted (Art 18(1)(c)): Needed for her claim against the landlord"]


def test_edits_to_the_record_are_refused_until_lifted(restricted, customer, agent, now):
    with pytest.raises(Refused, match=r"restricted \(UK GDPR Art 18\).*cannot be changed"):
        customer_update(actor=agent, customer_id=customer.pk, phone="0113 496 0999")
    customer.refresh_from_db()
    assert customer.phone == ""
    _lift(agent, customer, now)
    customer_update(actor=agent, customer_id=customer.pk, phone="0113 496 0999")
    customer.refresh_from_db()
    assert customer.phone == "0113 496 0999"


def test_the_edit_page_refuses_with_a_clear_message(restricted, customer, agent_client):
    response = agent_client.post(
        f"/customers/{customer.pk}/edit/",
        {"kind": "person", "name": "Alice Changed", "email": "alice@example.com", "preferred_channel": "email"},
    )
    assert response.status_code == 409
    assert "The record cannot be changed until the restriction is lifted" in response.content.decode()
    customer.refresh_from_db()
    assert customer.name == "Alice Jones"


def test_replying_on_the_persons_own_cases_stays_possible(restricted, case, agent):
    message_add(actor=agent, reference=case.reference, kind="outbound", body="We have restricted your data.")
    assert Message.objects.filter(case=case, body="We have restricted your data.").exists()


def test_the_case_and_customer_pages_show_a_banner(restricted, case, customer, agent_client):
    for url in (f"/cases/{case.reference}/", f"/customers/{customer.pk}/"):
        html = agent_client.get(url).content.decode()
        assert "Processing restricted (UK GDPR Art 18)" in html, url
        assert "Needed for her claim against the landlord" in html


def test_no_banner_once_lifted(restricted, case, customer, agent, agent_client, now):
    _lift(agent, customer, now)
    assert (
        "Processing restricted (UK GDPR Art 18)" not in agent_client.get(f"/cases/{case.reference}/").content.decode()
    )


# --- lifting (Art 18(3)) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"told_on": ""}, "told_on", "Art 18(3)"),
        ({"told_on": "tomorrow"}, "told_on", "YYYY-MM-DD"),
        ({"told_on": "2099-01-01"}, "told_on", "before the restriction is lifted"),
        ({"told_on": "2000-01-01"}, "told_on", "before the restriction was placed"),
        ({"told_how": " "}, "told_how", "how the person was told"),
        ({"reason": ""}, "reason", "reason"),
    ],
)
def test_lifting_needs_the_person_told_first(restricted, customer, agent, now, overrides, field, message):
    with pytest.raises(FieldError) as error:
        _lift(agent, customer, now, **overrides)
    assert message in " ".join(error.value.errors[field])
    assert rights.current_restriction(customer.pk) == restricted


def test_lifting_is_a_recorded_event_and_the_history_is_kept(restricted, restriction_request, customer, agent, now):
    lifted = _lift(agent, customer, now + timedelta(days=3), told_on=(now + timedelta(days=2)).date().isoformat())
    assert (lifted.lifted_by, lifted.told_how, lifted.lift_reason) == (agent, "email", "Claim settled")
    assert lifted.told_on == (now + timedelta(days=2)).date()
    event = CaseEvent.objects.filter(case=restriction_request.case, kind="restriction").order_by("id").last()
    assert event.before == "restricted"
    assert "person told on" in event.after
    restriction_request.refresh_from_db()
    assert "notify" in restriction_request.steps_done
    rights.restriction_grant(
        actor=agent, reference=restriction_request.case.reference, ground="accuracy", reason="again"
    )
    assert [r.ground for r in rights.restrictions(customer)] == ["accuracy", "claims"]
    with pytest.raises(NotFound):
        rights.restriction_lift(actor=agent, customer_id=999999, told_on="2026-01-01", told_how="x", reason="x")


def test_the_database_refuses_a_lift_without_telling(restricted, now):
    with pytest.raises(IntegrityError), transaction.atomic():
        Restriction.objects.filter(pk=restricted.pk).update(lifted_at=now)


# --- objection (Art 21(3)) ---------------------------------------------------------------------


def test_an_upheld_marketing_objection_withdraws_consent_on_every_channel(customer_user, customer, agent, now):
    consent_record(
        actor=agent,
        customer=customer,
        purpose="marketing",
        channel="phone",
        granted=True,
        method="phone",
        wording="Calls about offers?",
        now=now - timedelta(days=1),
    )
    objection = _request(customer_user, customer, "objection", now)
    withdrawals = rights.objection_uphold(actor=agent, reference=objection.case.reference, now=now)
    assert {c.channel for c in withdrawals} == {c.value for c in Channel}
    history = Consent.objects.filter(customer=customer, request=objection)
    assert history.count() == len(Channel)
    assert not any(c.granted for c in history)
    assert all(c.method == f"objection upheld ({objection.case.reference})" for c in history)
    for channel in Channel:
        assert not extensions.contact_permitted(customer, "marketing", channel.value)
    assert CaseEvent.objects.filter(case=objection.case, kind="objection", field="marketing").exists()
    objection.refresh_from_db()
    assert {"stop", "consent"} <= set(objection.steps_done)
    with pytest.raises(Refused, match="already been upheld"):
        rights.objection_uphold(actor=agent, reference=objection.case.reference)


def test_only_objections_can_be_upheld(restriction_request, agent):
    with pytest.raises(Refused, match="Only an objection"):
        rights.objection_uphold(actor=agent, reference=restriction_request.case.reference)
    assert not Consent.objects.exists()


# --- rectification (Art 16) --------------------------------------------------------------------


def test_a_rectification_corrects_the_record_with_before_and_after(customer_user, customer, agent, now):
    request = _request(customer_user, customer, "rectification", now)
    rights.rectification_apply(
        actor=agent,
        reference=request.case.reference,
        changes={"name": "Alice Jones-Ward", "email": "alice@example.com", "phone": "0113 496 0123"},
        now=now,
    )
    customer.refresh_from_db()
    assert (customer.name, customer.phone) == ("Alice Jones-Ward", "0113 496 0123")
    events = {e.field: (e.before, e.after) for e in CaseEvent.objects.filter(case=request.case, kind="rectification")}
    assert events == {"name": ("Alice Jones", "Alice Jones-Ward"), "phone": ("", "0113 496 0123")}
    request.refresh_from_db()
    assert "correct" in request.steps_done
    assert "tell" not in request.steps_done  # telling the person is the agent's step
    from rapport.privacy.services import checklist

    assert "tell" in dict(checklist("rectification"))


def test_rectification_refuses_bad_input_other_requests_and_restricted_records(
    customer_user, customer, agent, restricted, now
):
    request = _request(customer_user, customer, "rectification", now)
    with pytest.raises(FieldError) as error:
        rights.rectification_apply(actor=agent, reference=request.case.reference, changes={"tier": "gold"})
    assert "tier" in error.value.errors
    with pytest.raises(FieldError) as error:
        rights.rectification_apply(actor=agent, reference=request.case.reference, changes={"email": "not an email"})
    assert "email" in error.value.errors
    with pytest.raises(Refused, match="Only a rectification"):
        rights.rectification_apply(actor=agent, reference=restricted.request.case.reference, changes={"name": "X Y"})
    with pytest.raises(Refused, match="restriction is lifted"):
        rights.rectification_apply(actor=agent, reference=request.case.reference, changes={"name": "Alice Ward"})
    customer.refresh_from_db()
    assert customer.name == "Alice Jones"
    assert not CaseEvent.objects.filter(kind="rectification").exists()


# --- pages and API -----------------------------------------------------------------------------


def test_the_request_page_grants_and_the_privacy_page_lifts(restriction_request, customer, agent_client, now):
    case_id = restriction_request.case_id
    page = agent_client.get(f"/cases/{restriction_request.case.reference}/").content.decode()
    assert "Grant restriction" in page
    response = agent_client.post(f"/privacy/requests/{case_id}/restrict/", {"ground": "accuracy", "reason": "Checking"})
    assert response.status_code == 302
    assert rights.current_restriction(customer.pk).reason == "Checking"
    response = agent_client.post(f"/privacy/customers/{customer.pk}/restriction/lift/", {"lift-told_how": "email"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required" not in page
    assert "Enter the date the person was told the restriction will be lifted." in page
    assert rights.current_restriction(customer.pk) is not None
    response = agent_client.post(
        f"/privacy/customers/{customer.pk}/restriction/lift/",
        {
            "lift-told_on": timezone.localdate().isoformat(),
            "lift-told_how": "letter",
            "lift-reason": "Checked: accurate",
        },
    )
    assert response.status_code == 302
    assert rights.current_restriction(customer.pk) is None
    page = agent_client.get(f"/privacy/customers/{customer.pk}/").content.decode()
    assert "Checked: accurate" in page
    assert "by letter" in page


def test_the_request_pages_uphold_and_rectify(customer_user, customer, agent_client, now):
    objection = _request(customer_user, customer, "objection", now)
    assert agent_client.post(f"/privacy/requests/{objection.case_id}/object/").status_code == 302
    assert Consent.objects.filter(request=objection).count() == len(Channel)
    rectification = _request(customer_user, customer, "rectification", now)
    response = agent_client.post(f"/privacy/requests/{rectification.case_id}/rectify/", {"name": "Alice Ward"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "Alice Ward"


def test_the_api_restricts_lists_and_lifts(client, auth, agent, customer_user, customer, restriction_request, now):
    reference = restriction_request.case.reference
    bad = client.post(
        f"/api/v1/privacy/requests/{reference}/restriction",
        {"ground": "nope", "reason": "x"},
        content_type="application/json",
        **auth(agent),
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["ground"]
    assert client.post(
        f"/api/v1/privacy/requests/{reference}/restriction",
        {"ground": "claims", "reason": "x"},
        content_type="application/json",
        **auth(customer_user),
    ).status_code in {403, 404}
    made = client.post(
        f"/api/v1/privacy/requests/{reference}/restriction",
        {"ground": "claims", "reason": "For a claim"},
        content_type="application/json",
        **auth(agent),
    )
    assert made.status_code == 201
    assert made.json()["request"] == reference
    again = client.post(
        f"/api/v1/privacy/requests/{reference}/restriction",
        {"ground": "claims", "reason": "For a claim"},
        content_type="application/json",
        **auth(agent),
    )
    assert again.status_code == 409
    listed = client.get(f"/api/v1/privacy/customers/{customer.pk}/restrictions", **auth(agent)).json()
    assert [r["reason"] for r in listed] == ["For a claim"]
    late = client.post(
        f"/api/v1/privacy/customers/{customer.pk}/restriction/lift",
        {"told_on": "", "told_how": "email", "reason": "done"},
        content_type="application/json",
        **auth(agent),
    )
    assert late.status_code == 422
    assert [e["field"] for e in late.json()["errors"]] == ["told_on"]
    lifted = client.post(
        f"/api/v1/privacy/customers/{customer.pk}/restriction/lift",
        {"told_on": timezone.localdate().isoformat(), "told_how": "email", "reason": "done"},
        content_type="application/json",
        **auth(agent),
    )
    assert lifted.status_code == 200
    assert lifted.json()["lifted_at"] is not None


def test_the_api_upholds_objections_and_rectifies(client, auth, agent, customer_user, customer, now):
    objection = _request(customer_user, customer, "objection", now)
    upheld = client.post(f"/api/v1/privacy/requests/{objection.case.reference}/objection", **auth(agent))
    assert upheld.status_code == 200
    assert {c["channel"] for c in upheld.json()} == {c.value for c in Channel}
    rectification = _request(customer_user, customer, "rectification", now)
    fixed = client.post(
        f"/api/v1/privacy/requests/{rectification.case.reference}/rectification",
        {"phone": "0113 496 0123"},
        content_type="application/json",
        **auth(agent),
    )
    assert fixed.status_code == 200
    assert fixed.json()["phone"] == "0113 496 0123"


def test_the_access_bundle_includes_the_restriction_history(restricted, customer, agent, team_leader, now):
    from rapport.privacy.exports import customer_export

    _lift(agent, customer, now)
    data = customer_export(actor=team_leader, customer_id=customer.pk, why="SAR", now=now).data
    assert data["restrictions"] == [
        {
            "ground": restricted.get_ground_display(),
            "reason": "Needed for her claim against the landlord",
            "placed": now.isoformat(),
            "told_before_lifting": now.date().isoformat(),
            "lifted": now.isoformat(),
        }
    ]
