"""Bouncing addresses are shown to agents on the customer and their cases, with when and how many
bounces, and an agent can clear the flag once the customer confirms the address (audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from rapport.mail.models import FlagClearance, FlaggedAddress
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def flagged(customer, now):
    return FlaggedAddress.objects.create(
        address=customer.email, reason="Delivery failed (Undelivered Mail)", bounces=3, flagged_at=now
    )


def address_url(customer, **query):
    url = reverse("mail:customer_address", args=[customer.pk])
    return url + (f"?next={query['next']}" if query else "")


def test_the_case_page_loads_the_address_panel_without_a_query_of_its_own(agent, case):
    response = signed_in(agent).get(reverse("cases:detail", args=[case.reference]))

    html = response.content.decode()
    assert f'hx-get="{address_url(case.customer)}' in html  # fetched after the page: no extra query


def test_a_flagged_address_shows_when_and_how_many_bounces(agent, case, flagged):
    response = signed_in(agent).get(address_url(case.customer, next=f"/cases/{case.reference}/"), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "emails to alice@example.com are not being delivered" in html
    assert "3 delivery failures, the last on" in html
    assert 'datetime="2026-03-02T10:00:00+00:00"' in html
    assert "Clear the flag" in html
    assert f'name="next" value="/cases/{case.reference}/"' in html


def test_an_address_that_delivers_adds_nothing_to_the_case_page(agent, case):
    response = signed_in(agent).get(address_url(case.customer), **HTMX)

    assert response.status_code == 200
    assert response.content == b""


def test_without_script_the_panel_is_a_page_of_its_own(agent, customer, flagged):
    response = signed_in(agent).get(address_url(customer))

    assert "<h1>Email address of Alice Jones</h1>" in response.content.decode()
    assert "3 delivery failures" in response.content.decode()


def test_the_customer_page_shows_the_flag(agent, customer, flagged):
    response = signed_in(agent).get(reverse("customers:detail", args=[customer.pk]))

    html = response.content.decode()
    assert "emails to alice@example.com are not being delivered" in html
    assert "3 delivery failures" in html


def test_the_customer_page_of_an_address_that_delivers_has_no_flag_panel(agent, customer):
    response = signed_in(agent).get(reverse("customers:detail", args=[customer.pk]))

    assert "not being delivered" not in response.content.decode()


def test_an_agent_clears_the_flag_with_a_note_and_it_is_audited(agent, case, flagged, now):
    back = f"/cases/{case.reference}/"
    response = signed_in(agent).post(
        reverse("mail:customer_address_clear", args=[case.customer.pk]),
        {"note": "Customer confirmed by phone: mailbox was full.", "next": back},
    )

    assert response.status_code == 302
    assert response["Location"] == back
    assert not FlaggedAddress.objects.exists()
    clearance = FlagClearance.objects.get()
    assert clearance.address == "alice@example.com"
    assert clearance.cleared_by == agent
    assert clearance.note == "Customer confirmed by phone: mailbox was full."
    assert clearance.bounces == 3
    assert clearance.flagged_at == now


def test_clearing_needs_a_note(agent, customer, flagged):
    response = signed_in(agent).post(reverse("mail:customer_address_clear", args=[customer.pk]), {"note": "   "})

    assert response.status_code == 422
    assert "Say how the customer confirmed their email address." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert FlaggedAddress.objects.exists()
    assert not FlagClearance.objects.exists()


def test_a_redirect_elsewhere_is_refused(agent, customer, flagged):
    response = signed_in(agent).post(
        reverse("mail:customer_address_clear", args=[customer.pk]),
        {"note": "Confirmed.", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("customers:detail", args=[customer.pk])


def test_customers_cannot_see_or_clear_flags(customer_user, customer, flagged):
    client = signed_in(customer_user)

    assert client.get(address_url(customer), **HTMX).status_code == 404
    response = client.post(reverse("mail:customer_address_clear", args=[customer.pk]), {"note": "Fine."})
    assert response.status_code == 404
    assert FlaggedAddress.objects.exists()


def test_a_bounce_after_clearing_flags_the_address_again(receive, agent, customer, flagged, now):
    from rapport.mail.services import address_flag_clear

    address_flag_clear(actor=agent, customer_id=customer.pk, note="Confirmed.", now=now)
    bounce = (
        b"From: MAILER-DAEMON@mx.example.com\nTo: support@rapport.example\nSubject: Undelivered\n"
        b"Message-ID: <b2@mx.example.com>\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n'
        b"--r\nContent-Type: text/plain\n\nFailed.\n\n--r\nContent-Type: message/delivery-status\n\n"
        b"Reporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822; alice@example.com\nAction: failed\n\n--r--\n"
    )

    receive(bounce, now=now + timedelta(days=1))

    flag = FlaggedAddress.objects.get()
    assert flag.bounces == 1
    assert FlagClearance.objects.count() == 1  # the earlier clearance stays on record
