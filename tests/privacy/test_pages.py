"""The privacy pages, the panels on core pages, the portal form and the API."""

from __future__ import annotations

import io
import zipfile

import pytest

from rapport.privacy.models import AccessLog, DataRequest
from rapport.privacy.services import adjustment_record, data_request_create, legal_hold_place
from tests.web.html_checks import page_problems

pytestmark = pytest.mark.django_db


def test_case_page_shows_adjustments_on_top_and_logs_the_view(agent_client, case, customer, agent, now):
    adjustment_record(actor=agent, customer=customer, kind="large_print", detail="18 pt", now=now)
    html = agent_client.get(f"/cases/{case.reference}/").content.decode()
    assert html.index("Reasonable adjustments: follow these when you reply") < html.index('id="timeline-title"')
    assert "18 pt" in html
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.customer, entry.what) == (agent, customer, f"case {case.reference}")


def test_queue_row_shows_the_adjustment_badge(agent_client, case, customer, agent, now):
    adjustment_record(actor=agent, customer=customer, kind="text_relay", now=now)
    html = agent_client.get("/?queue=all").content.decode()
    assert "Adjustments" in html
    assert "Text relay" in html


def test_data_request_case_shows_deadline_and_checklist(agent_client, customer, customer_user, now):
    found = data_request_create(actor=customer_user, customer=customer, kind="access", now=now)
    html = agent_client.get(f"/cases/{found.case.reference}/").content.decode()
    assert "Response due by Thursday 2 April 2026" in html
    assert "Produce the access bundle" in html
    response = agent_client.post(f"/privacy/requests/{found.case.pk}/", {"steps_done": ["identity"]})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.steps_done == ["identity"]


def test_privacy_pages_are_accessible(manager_client, history, customer):
    for url in ("/privacy/", f"/privacy/customers/{customer.pk}/", "/privacy/adjustments/", "/privacy/access-log/"):
        response = manager_client.get(url)
        assert response.status_code == 200, url
        assert page_problems(response.content.decode()) == [], url


def test_customer_page_links_to_privacy(agent_client, customer):
    html = agent_client.get(f"/customers/{customer.pk}/").content.decode()
    assert f"/privacy/customers/{customer.pk}/" in html


def test_adjustment_form_errors_re_render(agent_client, customer):
    response = agent_client.post(f"/privacy/customers/{customer.pk}/adjustments/", {"adj-kind": "advocate"})
    assert response.status_code == 422
    assert "Give the name of the contact, carer or advocate." in response.content.decode()


def test_erasure_refused_shows_the_reason_and_offers_scheduling(manager_client, manager, customer, now):
    legal_hold_place(actor=manager, customer=customer, reason="Tribunal claim", now=now)
    response = manager_client.post(f"/privacy/customers/{customer.pk}/erase/")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Legal hold: Tribunal claim" in html
    assert "Schedule erasure" in html
    assert manager_client.post(f"/privacy/customers/{customer.pk}/erase/", {"schedule": "1"}).status_code == 302


def test_export_downloads_a_zip_and_is_logged(manager_client, history, customer, manager):
    response = manager_client.post(f"/privacy/customers/{customer.pk}/export/", {"export-reason": "SAR R-1"})
    assert response["Content-Type"] == "application/zip"
    assert "data.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert AccessLog.objects.filter(actor=manager, what="subject access export", why="SAR R-1").exists()


def test_agents_cannot_see_the_access_log_or_erase(agent_client, customer, agent):
    assert agent_client.get(f"/privacy/access-log/staff/{agent.pk}/").status_code == 404
    html = agent_client.get(f"/privacy/customers/{customer.pk}/").content.decode()
    assert "Erase now" not in html
    assert "Who has viewed" not in html


def test_staff_access_report(manager_client, agent_client, agent, case):
    agent_client.get(f"/cases/{case.reference}/")
    html = manager_client.get(f"/privacy/access-log/staff/{agent.pk}/").content.decode()
    assert "Alice Jones" in html
    assert f"case {case.reference}" in html


def test_adjustments_report_shows_whether_replies_followed(manager_client, history, customer, agent, now):
    from rapport.cases.services import message_add

    adjustment_record(actor=agent, customer=customer, kind="plain_text", now=now)
    case = history["cases"][0]
    message_add(actor=agent, reference=case.reference, kind="outbound", body="plain", now=now)
    message_add(actor=agent, reference=case.reference, kind="outbound", body="rich", body_html="<p>rich</p>", now=now)
    html = manager_client.get("/privacy/adjustments/").content.decode()
    assert "1 of 4 replies did not follow it" in html


def test_customers_get_404_on_privacy_desk_pages(customer_client, customer):
    assert customer_client.get(f"/privacy/customers/{customer.pk}/").status_code == 404


def test_portal_form_raises_a_data_request(customer_client, customer):
    assert customer_client.get("/").status_code in (200, 302)
    page = customer_client.get("/privacy/request/")
    assert page.status_code == 200
    assert page_problems(page.content.decode()) == []
    assert customer_client.post("/privacy/request/", {}).status_code == 422
    response = customer_client.post("/privacy/request/", {"kind": "erasure", "details": "Please delete my account."})
    assert response.status_code == 302
    found = DataRequest.objects.get()
    assert found.kind == "erasure"
    assert found.case.customer == customer


def test_api_request_adjustment_and_erasure(client, auth, customer, customer_user, manager, agent, now):
    created = client.post(
        "/api/v1/privacy/requests", {"kind": "access"}, content_type="application/json", **auth(customer_user)
    )
    assert created.status_code == 201
    assert created.json()["kind"] == "access"
    assert created.json()["steps"]

    charged = client.post(
        f"/api/v1/privacy/customers/{customer.pk}/adjustments",
        {"kind": "large_print", "charge_pence": 500},
        content_type="application/json",
        **auth(agent),
    )
    assert charged.status_code == 422
    assert charged.json()["errors"][0]["field"] == "charge"

    legal_hold_place(actor=manager, customer=customer, reason="Claim", now=now)
    refused = client.post(f"/api/v1/privacy/customers/{customer.pk}/erasure", **auth(manager))
    assert refused.status_code == 409
    assert "Legal hold: Claim" in refused.json()["detail"]
    assert refused.json()["errors"] == []


def test_api_reads_by_staff_are_logged(client, auth, agent, customer):
    assert client.get(f"/api/v1/privacy/customers/{customer.pk}/consents", **auth(agent)).status_code == 200
    assert AccessLog.objects.get().what == "consents"


def test_api_customers_see_only_their_own_consents(client, auth, customer_user, other_customer):
    assert (
        client.get(f"/api/v1/privacy/customers/{other_customer.pk}/consents", **auth(customer_user)).status_code == 404
    )


@pytest.mark.parametrize("count", [1, 6])
def test_list_pages_run_a_constant_number_of_queries(
    manager_client, manager, agent, customer, customer_user, now, count, django_assert_num_queries
):
    from rapport.privacy.services import consent_record

    for i in range(count):
        data_request_create(actor=customer_user, customer=customer, kind="access", now=now)
        adjustment_record(actor=agent, customer=customer, kind="large_print", detail=f"n{i}", now=now)
        consent_record(
            actor=agent,
            customer=customer,
            purpose="marketing",
            channel="email",
            granted=bool(i % 2),
            method="phone",
            wording="Offers by email?",
            now=now,
        )
        AccessLog.objects.create(actor=agent, customer=customer, at=now, what=f"case {i}")
    # session + user, then the page's own reads (and, on the person's page, the access-log write)
    expected = {
        # and the header's "email is failing" and knowledge "reviews due" checks and unread notifications
        # count, then reused by the pages after it
        "/privacy/": 7,
        "/privacy/adjustments/": 3,
        # 12 for privacy (with the restriction history and the restriction's legal-hold check); the
        # complaints app adds its legal-hold check (open complaints, referral windows)
        f"/privacy/customers/{customer.pk}/": 14,
        f"/privacy/access-log/staff/{agent.pk}/": 4,
    }
    for url, queries in expected.items():
        with django_assert_num_queries(queries):
            assert manager_client.get(url).status_code == 200


def test_case_page_with_privacy_panels_is_accessible(agent_client, agent, customer, customer_user, now):
    found = data_request_create(actor=customer_user, customer=customer, kind="rectification", now=now)
    adjustment_record(actor=agent, customer=customer, kind="easy_read", now=now)
    html = agent_client.get(f"/cases/{found.case.reference}/").content.decode()
    assert "Correct the record" in html
    assert page_problems(html) == []


def test_portal_choices_record_consent_with_the_wording_shown(customer_client, customer):
    from rapport import extensions
    from rapport.privacy.models import Consent

    page = customer_client.get("/privacy/choices/")
    assert page.status_code == 200
    assert page_problems(page.content.decode()) == []
    assert extensions.contact_permitted(customer, "marketing", "email") is False

    response = customer_client.post("/privacy/choices/", {"choice-0": "yes", "choice-2": "yes"})

    assert response.status_code == 302
    assert extensions.contact_permitted(customer, "marketing", "email") is True
    assert extensions.contact_permitted(customer, "marketing", "phone") is False
    latest = Consent.objects.filter(customer=customer, purpose="marketing", channel="email").get()
    assert latest.wording == "Email me about offers and new products."
    assert latest.method == "portal form"
    # saving again without changes adds nothing
    customer_client.post("/privacy/choices/", {"choice-0": "yes", "choice-2": "yes"})
    assert Consent.objects.filter(customer=customer).count() == 3


# --- overdue requests stand out wherever they are listed ---------------------------------------------


@pytest.fixture
def overdue_request(customer, customer_user):
    """An access request received 45 days ago: its month has run out."""
    from datetime import timedelta

    from django.utils import timezone

    found = data_request_create(actor=customer_user, customer=customer, kind="access")
    DataRequest.objects.filter(pk=found.pk).update(received_on=timezone.localdate() - timedelta(days=45))
    found.refresh_from_db()
    return found


def test_the_privacy_page_marks_overdue_requests_and_counts_them(
    manager_client, overdue_request, customer, customer_user
):
    data_request_create(actor=customer_user, customer=customer, kind="erasure")  # received today: on time
    html = manager_client.get("/privacy/").content.decode()
    assert '<strong class="sla-breached">Overdue by ' in html
    assert 'Overdue: <strong class="sla-breached">1</strong>' in html
    assert "Open: <strong>2</strong>" in html
    assert "On time" in html
    assert page_problems(html) == []


def test_the_case_page_and_the_queue_mark_an_overdue_request(agent_client, overdue_request):
    ref = overdue_request.case.reference
    case_page = agent_client.get(f"/cases/{ref}/").content.decode()
    assert '<strong class="sla-breached">Overdue by ' in case_page
    queue = agent_client.get("/?queue=all").content.decode()
    assert "Data request overdue" in queue


def test_completing_the_request_clears_the_marker(agent_client, overdue_request):
    from django.utils import timezone

    DataRequest.objects.filter(pk=overdue_request.pk).update(completed_on=timezone.localdate())
    assert "Data request overdue" not in agent_client.get("/?queue=all").content.decode()


def test_the_api_says_a_request_is_overdue(client, auth, agent, overdue_request):
    body = client.get(f"/api/v1/privacy/requests/{overdue_request.case.reference}", **auth(agent)).json()
    assert body["overdue"] is True
    assert body["days_overdue"] >= 1
    assert body["completed_on"] is None
