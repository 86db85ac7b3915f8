"""Collision on the case page: who else is here (the cache only), and the warning before sending
when someone else acted on the case after the page was drawn."""

from __future__ import annotations

import re

import pytest

from rapport.accounts.models import Role
from rapport.cases import presence
from rapport.cases.models import Message
from rapport.cases.services import case_update, message_add
from rapport.cases.views import COLLISION_TITLE
from rapport.notifications import services as followers
from tests.conftest import make_user
from tests.web.conftest import signed_in


def url(case, action: str = "") -> str:
    return f"/cases/{case.reference}/{action + '/' if action else ''}"


def seen_of(html: str) -> str:
    return re.search(r'name="seen" value="(\d+)"', html).group(1)


def shown_of(html: str) -> str:
    return re.search(r'id="presence-shown" value="([0-9a-f]+)"', html).group(1)


@pytest.fixture
def colleague(team):
    user = make_user("megan.jones@example.com", Role.AGENT, [team])
    user.name = "Megan Jones"
    user.save()
    return user


# --- presence ----------------------------------------------------------------------------------


def test_a_colleague_on_the_case_is_shown_viewing_then_replying(agent_client, colleague, case):
    signed_in(colleague).get(url(case))
    html = agent_client.get(url(case)).content.decode()
    assert "Megan Jones is viewing." in html
    assert 'role="status" aria-live="polite"' in html

    megan = signed_in(colleague)
    assert megan.post(url(case, "presence"), {"state": "replying"}).status_code == 204
    poll = agent_client.get(url(case, "presence"), {"seen": seen_of(html)})
    assert poll.status_code == 200
    assert "Megan Jones is replying." in poll.content.decode()


def test_a_poll_whose_answer_is_already_shown_is_204_and_announces_nothing(agent_client, colleague, case):
    signed_in(colleague).get(url(case))
    html = agent_client.get(url(case)).content.decode()

    again = agent_client.get(url(case, "presence"), {"seen": seen_of(html), "shown": shown_of(html)})

    assert again.status_code == 204
    assert again.content == b""


def test_a_poll_costs_no_query_beyond_the_session_and_user(agent_client, case, django_assert_num_queries):
    html = agent_client.get(url(case)).content.decode()
    presence.stamp({case.pk: int(seen_of(html))})  # as the journal does when a write commits
    with django_assert_num_queries(2):  # Django's session and user; presence, access and changes: the cache
        response = agent_client.get(url(case, "presence"), {"seen": seen_of(html)})
    assert response.status_code == 200


def test_a_poll_says_the_case_changed_after_a_colleague_wrote(
    agent_client, colleague, case, now, django_capture_on_commit_callbacks
):
    html = agent_client.get(url(case)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        message_add(actor=colleague, reference=case.reference, kind="outbound", body="Replacement sent.", now=now)

    poll = agent_client.get(url(case, "presence"), {"seen": seen_of(html)}).content.decode()

    assert "This case has changed since you opened it." in poll
    assert f'href="{url(case)}"' in poll


def test_someone_who_cannot_see_the_case_cannot_poll_it(other_agent_client, case):
    assert other_agent_client.get(url(case, "presence")).status_code == 404
    assert other_agent_client.post(url(case, "presence"), {"state": "replying"}).status_code == 404
    assert presence.arrive(case.pk, make_user("x@example.com", Role.MANAGER), state=None, now=0) == []


def test_customers_cannot_reach_presence(customer_client, case):
    assert customer_client.get(url(case, "presence")).status_code == 404


def test_sending_a_reply_turns_replying_back_into_viewing(agent_client, agent, colleague, case):
    html = agent_client.get(url(case)).content.decode()
    agent_client.post(url(case, "presence"), {"state": "replying"})
    agent_client.post(url(case, "reply"), {"reply-body": "On its way.", "seen": seen_of(html)})

    assert "Agent is viewing." in signed_in(colleague).get(url(case)).content.decode()


# --- the warning before sending -----------------------------------------------------------------


def test_a_reply_after_a_customer_message_is_held_with_what_arrived(agent_client, customer_user, case, now):
    html = agent_client.get(url(case)).content.decode()
    message_add(
        actor=customer_user, reference=case.reference, kind="inbound", body="Actually it works now, thanks!", now=now
    )
    before = Message.objects.filter(case=case).count()

    response = agent_client.post(
        url(case, "reply"), {"reply-body": "We will send a new kettle.", "seen": seen_of(html)}
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert Message.objects.filter(case=case).count() == before  # nothing sent
    assert COLLISION_TITLE in page
    assert "The customer</strong> wrote: “Actually it works now, thanks!”" in page
    assert "We will send a new kettle." in page  # what was written is kept
    assert "Send reply anyway" in page
    # sending again from the warning (the page now shows the new message) sends
    again = agent_client.post(url(case, "reply"), {"reply-body": "We will send a new kettle.", "seen": seen_of(page)})
    assert again.status_code == 302
    assert Message.objects.filter(case=case).count() == before + 1


def test_a_note_after_a_colleague_changed_the_case_is_held_with_the_change(agent_client, colleague, case, now):
    html = agent_client.get(url(case)).content.decode()
    case_update(
        actor=colleague,
        reference=case.reference,
        expected_version=case.version,
        changes={"priority": "urgent"},
        now=now,
    )

    response = agent_client.post(url(case, "note"), {"note-body": "Waiting on stock.", "seen": seen_of(html)})

    page = response.content.decode()
    assert response.status_code == 409
    assert "Megan Jones" in page
    assert "Urgent" in page.split(COLLISION_TITLE, 1)[1].split("</ul>", 1)[0]
    assert "Add note anyway" in page


def test_an_edit_after_a_colleague_noted_is_held_and_kept_at_the_current_version(agent_client, colleague, case, now):
    html = agent_client.get(url(case)).content.decode()
    message_add(
        actor=colleague, reference=case.reference, kind="note", body="Customer rang: please call back.", now=now
    )
    form = {"edit-version": case.version, "edit-status": "open", "edit-priority": 3, "edit-type": case.type,
            "edit-team": case.team_id, "edit-tags": "", "seen": seen_of(html)}  # fmt: skip

    response = agent_client.post(url(case, "edit"), form)

    page = response.content.decode()
    assert response.status_code == 409
    assert "Megan Jones</strong> added an internal note: “Customer rang: please call back.”" in page
    assert "Save changes anyway" in page
    case.refresh_from_db()
    assert case.priority != 3  # not saved
    saved = agent_client.post(url(case, "edit"), {**form, "seen": seen_of(page)})
    assert saved.status_code == 302


def test_my_own_changes_and_a_colleague_following_do_not_hold_my_reply(agent_client, agent, colleague, case, now):
    html = agent_client.get(url(case)).content.decode()
    case_update(
        actor=agent, reference=case.reference, expected_version=case.version, changes={"priority": "high"}, now=now
    )
    followers.follow(actor=colleague, reference=case.reference, now=now)

    response = agent_client.post(url(case, "note"), {"note-body": "Chased the courier.", "seen": seen_of(html)})

    assert response.status_code == 302
    assert Message.objects.filter(case=case, body="Chased the courier.").exists()


def test_a_client_that_sends_no_seen_is_not_held(agent_client, colleague, case, now):
    message_add(actor=colleague, reference=case.reference, kind="note", body="Hello", now=now)
    assert agent_client.post(url(case, "note"), {"note-body": "Fine."}).status_code == 302


def test_with_htmx_the_warning_is_swapped_into_the_page(agent_client, colleague, case, now):
    html = agent_client.get(url(case)).content.decode()
    message_add(actor=colleague, reference=case.reference, kind="note", body="Hold on", now=now)
    response = agent_client.post(
        url(case, "reply"),
        {"reply-body": "Done.", "seen": seen_of(html)},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="main",
    )
    assert response.status_code == 409  # app.js swaps 409 answers like a success
    assert '<main id="main"' in response.content.decode()
    assert 'class="error-summary collision" tabindex="-1"' in response.content.decode()
