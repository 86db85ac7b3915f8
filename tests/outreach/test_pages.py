"""The proactive pages: list, new, the preview before sending, progress and recipients, CSVs, the
customer's page; and the API at /api/v1/outreach."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from rapport.outreach import services
from rapport.outreach.models import Outreach, OutreachState, Recipient
from tests.api.conftest import fields
from tests.outreach.conftest import TAG

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Outage notice",
    "purpose": "service",
    "subject": "Our online service was down",
    "body": "It was down this morning; nothing was taken twice.",
    "open_case_tag": TAG,
}


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_list_is_empty_first_and_agents_cannot_write(client, agent):
    client.force_login(agent)
    page = client.get("/outreach/")
    assert page.status_code == 200
    assert "No proactive messages yet." in page.content.decode()
    assert client.get("/outreach/new/").status_code == 404


def test_a_team_leader_drafts_previews_and_sends_from_the_pages(
    client, team_leader, group, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(team_leader)
    bad = client.post("/outreach/new/", {**FORM, "title": "", "open_case_tag": "nothing-tagged"})
    assert bad.status_code == 422
    assert "Enter the title." in bad.content.decode()
    unknown = client.post("/outreach/new/", {**FORM, "open_case_tag": "nothing-tagged"})
    assert unknown.status_code == 422
    assert "No tag with that name." in unknown.content.decode()
    assert not Outreach.objects.exists()

    made = client.post("/outreach/new/", FORM)
    assert made.status_code == 302
    outreach = Outreach.objects.get()
    with django_assert_max_num_queries(30):
        page = client.get(f"/outreach/{outreach.pk}/")
    html = page.content.decode()
    assert (
        "6 customers in the group: 2 will be emailed, 1 listed to call or post (their preferred channel), 3 skipped."
        in html
    )
    assert "Tom Evans</a>: Processing restricted (UK GDPR Art 18(2))" in html
    assert "Legitimate interests (UK GDPR Art 6(1)(f))" in html
    assert "Send to 3 customers" in html
    skipped = _rows(client.get(f"/outreach/{outreach.pk}/skipped.csv"))
    assert skipped[0] == ["Customer id", "Customer", "Skipped because"]
    assert len(skipped) == 4

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/outreach/{outreach.pk}/send/").status_code == 302
    outreach.refresh_from_db()
    assert outreach.state == OutreachState.SENT
    with django_assert_max_num_queries(30):
        done = client.get(f"/outreach/{outreach.pk}/").content.decode()
    assert "Customers dealt with: 6 of 6" in done
    assert '<caption id="recipients-caption">' in done
    recipients = _rows(client.get(f"/outreach/{outreach.pk}/recipients.csv"))
    assert len(recipients) == 7
    listed = _rows(client.get("/outreach/?format=csv"))
    assert listed[1][0] == "Outage notice"
    assert listed[1][-1] == "3"
    with django_assert_max_num_queries(20):
        assert "Outage notice" in client.get("/outreach/").content.decode()


def test_the_customer_page_shows_their_proactive_messages(client, team_leader, group):
    outreach = services.outreach_draft(
        actor=team_leader,
        title="Outage notice",
        subject="Down",
        body="Sorry.",
        segment={"open_case_tag": TAG},
        now=timezone.now(),
    )
    services.outreach_send(actor=team_leader, outreach_id=outreach.pk, now=timezone.now())
    services.outreach_deliver(outreach_id=outreach.pk, now=timezone.now())
    client.force_login(team_leader)
    html = client.get(f"/customers/{group.plain.pk}/").content.decode()
    assert "Proactive messages" in html
    assert "Outage notice" in html
    case = group.plain.cases.get()
    timeline = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Proactive message</span> Outage notice: Emailed (through the outbox)" in timeline
    restricted = client.get(f"/customers/{group.restricted.pk}/").content.decode()
    assert "Processing restricted" in restricted


def test_api_create_preview_send_and_recipients(client, auth, team_leader, group, django_capture_on_commit_callbacks):
    created = client.post(
        "/api/v1/outreach",
        {
            "title": "Outage notice",
            "subject": "Our online service was down",
            "body": "Sorry.",
            "segment": {"open_case_tag": TAG},
        },
        content_type="application/json",
        **auth(team_leader),
    )
    assert created.status_code == 201, created.content
    outreach_id = created.json()["id"]
    assert created.json()["state"] == "draft"
    preview = client.get(f"/api/v1/outreach/{outreach_id}/preview", **auth(team_leader)).json()
    assert preview["matched"] == 6
    assert preview["to_send"] == 3
    assert {s["reason"] for s in preview["skipped"]} == {"erased", "restricted", "no_address"}
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/api/v1/outreach/{outreach_id}/send", **auth(team_leader))
    assert sent.status_code == 202
    assert sent.json()["state"] == "sending"  # the job runs after the commit
    after = client.get(f"/api/v1/outreach/{outreach_id}", **auth(team_leader)).json()
    assert after["progress"] == 1.0
    assert after["sent"] == 2
    assert after["state"] == "sent"
    again = client.post(f"/api/v1/outreach/{outreach_id}/send", **auth(team_leader))
    assert again.status_code == 409
    page = client.get(f"/api/v1/outreach/{outreach_id}/recipients?limit=4", **auth(team_leader)).json()
    assert len(page["items"]) == 4
    assert page["next_cursor"]
    rest = client.get(
        f"/api/v1/outreach/{outreach_id}/recipients?cursor={page['next_cursor']}", **auth(team_leader)
    ).json()
    assert len(rest["items"]) == 2
    assert Recipient.objects.count() == 6
    listing = client.get("/api/v1/outreach", **auth(team_leader)).json()
    assert [o["id"] for o in listing["items"]] == [outreach_id]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "", "subject": "s", "body": "b", "segment": {"open_case_tag": TAG}}, "title"),
        ({"title": "t", "subject": "s", "body": "b", "segment": {}}, "open_case_tag"),
        ({"title": "t", "subject": "s", "body": "b", "segment": {"group": "martians"}}, "group"),
        ({"title": "t", "subject": "s", "body": "b", "purpose": "spam", "segment": {"open_case_tag": TAG}}, "purpose"),
        ({"title": "t", "subject": "s", "body": "b", "segment": {"open_case_type": "x"}}, "open_case_type"),
    ],
)
def test_api_bad_input_is_a_422_naming_the_field(client, auth, team_leader, group, payload, field):
    response = client.post("/api/v1/outreach", payload, content_type="application/json", **auth(team_leader))
    assert response.status_code == 422
    assert field in fields(response)


def test_api_agents_read_but_do_not_send(client, auth, agent, team_leader, group):
    response = client.post(
        "/api/v1/outreach",
        {"title": "t", "subject": "s", "body": "b", "segment": {"open_case_tag": TAG}},
        content_type="application/json",
        **auth(agent),
    )
    assert response.status_code == 403
    assert client.get("/api/v1/outreach", **auth(agent)).status_code == 200
    assert client.get("/api/v1/outreach/999999999999999999999", **auth(agent)).status_code in (404, 422)
