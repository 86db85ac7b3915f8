"""The RATER send page and the list of sends: find, pick, preview, confirm; errors; pagination."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rapport.customers.models import Customer
from rapport.feedback import services
from rapport.feedback.audiences import Audience
from rapport.feedback.models import RaterCampaign, SurveyInvitation
from tests.web.conftest import signed_in
from tests.web.html_checks import page_problems

URL = "/feedback/rater/"
SENDS = "/feedback/rater/sends/"
SEGMENT = {"send_to": "segment", "within_days": "90", "group": "", "tier": "", "team": ""}


def _people(n: int, now) -> list[Customer]:
    return [
        Customer.objects.create(name=f"Person {i:03}", email=f"p{i}@example.com", created_at=now, updated_at=now)
        for i in range(n)
    ]


def test_only_team_leaders_and_managers_reach_the_pages(agent, team_leader, manager):
    for url in (URL, SENDS):
        assert signed_in(agent).get(url).status_code == 404
        assert signed_in(team_leader).get(url).status_code == 200
        page = signed_in(manager).get(url)
        assert page.status_code == 200
        assert page_problems(page.content.decode()) == []


def test_find_pick_preview_then_send(manager_client, customer, other_customer, now):
    Customer.objects.filter(pk=other_customer.pk).update(email="")
    found = manager_client.post(URL, {**SEGMENT, "send_to": "customers", "q": "alice", "action": "find"})
    html = found.content.decode()
    assert found.status_code == 200
    assert "Alice Jones (alice@example.com)" in html
    assert "Bob Smith" not in html
    picks = {**SEGMENT, "send_to": "customers", "customers": [customer.pk, other_customer.pk], "name": "Pilot"}
    preview = manager_client.post(URL, {**picks, "action": "preview"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert page_problems(html) == []
    assert "2 customers in this group: <strong>1 will be asked</strong>, 1 skipped." in html
    assert '<th scope="row">No email address</th><td>1</td>' in html
    assert "Send to 1 customer" in html
    assert RaterCampaign.objects.count() == 0  # a preview sends nothing
    sent = manager_client.post(URL, {**picks, "action": "send"}, follow=True)
    assert sent.redirect_chain[-1][0] == SENDS
    campaign = RaterCampaign.objects.get()
    assert (campaign.name, campaign.invited, campaign.skipped) == ("Pilot", 1, {"no_email": 1})
    assert list(SurveyInvitation.objects.values_list("customer_id", flat=True)) == [customer.pk]
    html = sent.content.decode()
    assert "RATER questionnaire sent to 1 customer (1 skipped)" in html
    assert "No email address: 1" in html


def test_errors_are_summarised_and_named_beside_their_fields(manager_client):
    nothing = manager_client.post(URL, {**SEGMENT, "action": "preview"})
    assert nothing.status_code == 422
    html = nothing.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_customers"' in html
    assert "Choose customers or a segment" in html
    period = manager_client.post(
        URL, {**SEGMENT, "resolved_from": "2026-03-09", "resolved_to": "2026-03-01", "action": "send"}
    )
    assert period.status_code == 422
    assert "The end of the period must be on or after its start." in period.content.decode()
    days = manager_client.post(URL, {**SEGMENT, "group": "external", "within_days": "0", "action": "preview"})
    assert days.status_code == 422
    assert 'href="#id_within_days"' in days.content.decode()
    assert RaterCampaign.objects.count() == 0


def test_the_sends_list_is_empty_then_paginated_in_constant_queries(manager, manager_client, now):
    empty = manager_client.get(SENDS)
    assert "No RATER questionnaires have been sent yet." in empty.content.decode()
    people = _people(3, now)
    audience = Audience(customer_ids=tuple(p.pk for p in people))
    services.rater_campaign_send(actor=manager, audience=audience, name="Send 0", now=now)
    manager_client.get(SENDS)  # warm the session
    with CaptureQueriesContext(connection) as one:
        manager_client.get(SENDS)
    for i in range(1, 25):
        services.rater_campaign_send(actor=manager, audience=audience, name=f"Send {i}", within_days=1, now=now)
    with CaptureQueriesContext(connection) as many:
        first = manager_client.get(SENDS)
    assert len(many) == len(one)  # 1 send or 25: the same queries
    html = first.content.decode()
    assert page_problems(html) == []
    assert html.count('<th scope="row">Send ') == 20
    assert "Page 1 of 2" in html
    assert 'href="?page=2"' in html
    second = manager_client.get(SENDS + "?page=2").content.decode()
    assert second.count('<th scope="row">Send ') == 5


def test_the_dashboard_links_to_the_rater_pages_for_leads_only(agent_client, manager_client):
    assert 'href="/feedback/rater/"' in manager_client.get("/feedback/").content.decode()
    assert 'href="/feedback/rater/"' not in agent_client.get("/feedback/").content.decode()
    assert timezone.now()
