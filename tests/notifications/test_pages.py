"""The notifications pages, the unread count in the header, following from the case page, the API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases.services import case_update, message_add
from rapport.domain import notifications as rules
from rapport.notifications.models import Follow, Notification, Preference
from rapport.notifications.views import ALL_READ, FOLLOWING, UNFOLLOWED
from tests.api.conftest import auth  # noqa: F401 - the fixture
from tests.web.conftest import signed_in
from tests.web.html_checks import page_problems


@pytest.fixture
def told(agent, colleague, case, now, deliver):
    case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"owner": colleague}, now=now
    )
    for i in range(3):
        message_add(
            actor=agent,
            reference=case.reference,
            kind="note",
            body=f"@megan.jones note {i}",
            now=now + timedelta(minutes=i + 1),
        )
    deliver()
    return list(Notification.objects.filter(recipient=colleague).order_by("-created_at", "-id"))


def test_the_header_shows_the_unread_count(colleague, told):
    html = signed_in(colleague).get("/").content.decode()
    link = 'class="header-link" href="/notifications/">Notifications <span class="count">4'
    assert link + '<span class="visually-hidden"> unread</span>' in html


def test_the_list_shows_newest_first_with_the_case_and_no_customer(colleague, told, case):
    response = signed_in(colleague).get("/notifications/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f'id="notification-{told[0].pk}"') < html.index(f'id="notification-{told[-1].pk}"')
    assert "Assigned to you by Agent" in html
    assert "Broken kettle" in html
    assert case.reference in html
    assert "Alice" not in html
    assert page_problems(html) == []


@pytest.mark.parametrize("size", [2, 6])
def test_the_list_costs_the_same_whatever_its_length(
    agent, colleague, case, now, deliver, size, django_assert_num_queries
):
    for i in range(size):
        message_add(
            actor=agent, reference=case.reference, kind="note", body=f"@megan.jones {i}", now=now + timedelta(minutes=i)
        )
    deliver()
    client = signed_in(colleague)
    # session, user, the agent's teams, the page (with its cases and actors), the unread count (once:
    # the header reuses it), and the header's "email is failing" and knowledge "reviews due" checks
    with django_assert_num_queries(7):
        response = client.get("/notifications/")
    assert response.content.decode().count('class="notification-unread"') == size


def test_the_list_pages_with_a_cursor(colleague, told):
    from rapport.notifications import selectors

    first = selectors.notifications_page(colleague, cursor=None, size=3)
    rest = signed_in(colleague).get("/notifications/", {"cursor": first.next_cursor}).content.decode()
    assert f'id="notification-{told[3].pk}"' in rest
    assert f'id="notification-{told[0].pk}"' not in rest
    bad = signed_in(colleague).get("/notifications/", {"cursor": "nonsense"})
    assert bad.status_code == 400
    assert "This cursor is not valid" in bad.content.decode()
    assert f'id="notification-{told[0].pk}"' in bad.content.decode()


def test_opening_marks_read_and_goes_to_the_case(colleague, told, case):
    client = signed_in(colleague)
    response = client.post(f"/notifications/{told[0].pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"
    told[0].refresh_from_db()
    assert told[0].read_at is not None
    assert (
        "Unread"
        not in client.get("/notifications/?show=unread").content.decode().split(f"notification-{told[0].pk}")[0][-5:]
    )


def test_mark_one_and_mark_all_read(colleague, told):
    client = signed_in(colleague)
    client.post(f"/notifications/{told[1].pk}/read/", {"next": "/notifications/?show=unread"})
    assert Notification.objects.filter(recipient=colleague, read_at__isnull=True).count() == 3
    response = client.post("/notifications/read-all/", follow=True)
    assert ALL_READ in response.content.decode()
    assert not Notification.objects.filter(recipient=colleague, read_at__isnull=True).exists()
    assert '<span class="count">' not in client.get("/").content.decode()


def test_an_offsite_next_is_ignored(colleague, told):
    response = signed_in(colleague).post("/notifications/read-all/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


def test_someone_elses_notification_is_404(agent_client, told):
    assert agent_client.post(f"/notifications/{told[0].pk}/read/").status_code == 404
    assert agent_client.post(f"/notifications/{told[0].pk}/open/").status_code == 404


def test_customers_have_no_notifications_page(customer_client):
    assert customer_client.get("/notifications/").status_code == 404


def test_preferences_are_saved_per_kind(colleague):
    client = signed_in(colleague)
    form = {kind: rules.IN_APP for kind in rules.KINDS} | {rules.ASSIGNED: rules.BOTH, rules.SLA_WARNING: rules.NONE}
    page = client.get("/notifications/preferences/").content.decode()
    assert page_problems(page) == []
    assert client.post("/notifications/preferences/", form).status_code == 302
    assert dict(Preference.objects.filter(user=colleague).values_list("kind", "channel"))[rules.ASSIGNED] == rules.BOTH
    bad = client.post("/notifications/preferences/", {**form, rules.MENTIONED: "fax"})
    assert bad.status_code == 422
    assert "Choose in the app, by email, both or not at all." in bad.content.decode()


# --- following on the case page ---------------------------------------------------------------


def test_follow_and_unfollow_from_the_case_page(agent_client, agent, case):
    page = agent_client.get(f"/cases/{case.reference}/").content.decode()
    assert "Nobody follows this case." in page
    assert "Follow this case" in page
    response = agent_client.post(f"/notifications/follow/{case.reference}/", {"action": "follow"}, follow=True)
    html = response.content.decode()
    assert FOLLOWING in html
    assert "Agent (you)" in html
    assert "Stop following" in html
    assert Follow.objects.filter(case=case, user=agent).exists()
    html = agent_client.post(
        f"/notifications/follow/{case.reference}/", {"action": "unfollow"}, follow=True
    ).content.decode()
    assert UNFOLLOWED in html
    assert not Follow.objects.exists()


def test_a_case_out_of_sight_cannot_be_followed(other_agent_client, case):
    assert other_agent_client.post(f"/notifications/follow/{case.reference}/", {"action": "follow"}).status_code == 404


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_and_marks_read(client, auth, colleague, told, case):  # noqa: F811
    listed = client.get("/api/v1/notifications", {"limit": 2}, **auth(colleague)).json()
    assert listed["unread"] == 4
    assert [n["id"] for n in listed["items"]] == [told[0].pk, told[1].pk]
    assert listed["items"][0]["case"] == case.reference
    assert listed["items"][0]["subject"] == "Broken kettle"
    assert listed["next_cursor"]
    read = client.post(f"/api/v1/notifications/{told[0].pk}/read", **auth(colleague))
    assert read.status_code == 200
    assert read.json()["read_at"]
    assert client.get("/api/v1/notifications", {"unread": True}, **auth(colleague)).json()["unread"] == 3
    assert client.post("/api/v1/notifications/read-all", **auth(colleague)).json() == {"marked": 3}
    assert client.post("/api/v1/notifications/99999/read", **auth(colleague)).status_code == 404
    assert client.post("/api/v1/notifications/x/read", **auth(colleague)).status_code == 404


def test_api_follow_and_unfollow(client, auth, agent, other_agent, case):  # noqa: F811
    assert client.post(f"/api/v1/notifications/follows/{case.reference.lower()}", **auth(agent)).json() == {
        "case": case.reference,
        "following": True,
    }
    assert client.delete(f"/api/v1/notifications/follows/{case.reference}", **auth(agent)).json()["following"] is False
    assert client.post(f"/api/v1/notifications/follows/{case.reference}", **auth(other_agent)).status_code == 404


def test_api_refuses_customers(client, auth, customer_user):  # noqa: F811
    assert client.get("/api/v1/notifications", **auth(customer_user)).status_code == 404
