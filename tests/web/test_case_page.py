"""The case page: what staff see, and replying, noting and editing (plain POST and htmx)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rapport.accounts.models import Role, Team, User
from rapport.cases.models import Attachment, Case, CaseEvent, Message
from rapport.cases.services import VERSION_CONFLICT, Upload, case_update, message_add
from rapport.cases.views import CASE_UPDATED, NO_CHANGES, NOTE_ADDED, REPLY_SENT
from tests.conftest import make_user
from tests.web.html_checks import page_problems

PDF = b"%PDF-1.4 a small test file"


def url(case, action: str = "") -> str:
    return f"/cases/{case.reference}/{action + '/' if action else ''}"


def counts(case) -> tuple[int, int, int]:
    return (case.messages.count(), case.events.count(), Attachment.objects.filter(message__case=case).count())


def test_staff_see_the_header_timeline_notes_and_events(agent_client, case, agent, now):
    message_add(actor=agent, reference=case.reference, kind="note", body="Check the warranty first.", now=now)
    case_update(actor=agent, reference=case.reference, expected_version=1, changes={"priority": "high"}, now=now)

    response = agent_client.get(url(case))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{case.reference} Broken kettle" in html
    assert "From the customer" in html
    assert "Internal note" in html
    assert "Check the warranty first." in html
    assert 'class="message message-note"' in html
    # An event says who changed which field from what to what.
    assert "Agent changed <strong>priority</strong>" in html
    assert '<span class="before">Normal</span>' in html
    assert '<span class="after">High</span>' in html
    assert page_problems(html) == []


def test_message_text_is_escaped(agent_client, case, agent, now):
    message_add(actor=agent, reference=case.reference, kind="note", body="<script>alert(1)</script>", now=now)

    html = agent_client.get(url(case)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_customer_panel_shows_contact_details_and_other_cases(agent_client, make_cases, customer):
    first, second = make_cases(2)
    customer.phone = "01632 960123"
    customer.save()

    html = agent_client.get(url(first)).content.decode()

    assert "mailto:alice@example.com" in html
    assert "01632 960123" in html
    assert f'<a href="/cases/{second.reference}/">{second.reference}</a>' in html
    assert f'<a href="/cases/{first.reference}/">{first.reference}</a>' not in html


@pytest.mark.parametrize("reference", ["C-999999", "nonsense"])
def test_a_missing_case_is_the_404_page(agent_client, db, reference):
    response = agent_client.get(f"/cases/{reference}/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_case_outside_the_agents_teams_is_the_same_404(other_agent_client, case):
    response = other_agent_client.get(url(case))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_loose_reference_redirects_to_the_proper_one(agent_client, case):
    response = agent_client.get(f"/cases/c-{case.pk}/")
    assert response["Location"] == url(case)


# --- reply -------------------------------------------------------------------------------------


def test_reply_then_redirect_to_the_new_message(agent_client, case):
    response = agent_client.post(url(case, "reply"), {"reply-body": "Sorry to hear that.", "reply-status_after": ""})

    message = case.messages.latest("id")
    assert response.status_code == 302
    assert response["Location"] == f"{url(case)}#message-{message.pk}"
    assert (message.kind, message.body) == ("outbound", "Sorry to hear that.")
    case.refresh_from_db()
    assert case.status == "open"
    assert case.first_response_at is not None
    assert REPLY_SENT in agent_client.get(response["Location"]).content.decode()


def test_reply_with_a_status_and_attachments(agent_client, case):
    files = [SimpleUploadedFile("receipt.pdf", PDF), SimpleUploadedFile("notes.txt", b"plain words")]

    agent_client.post(
        url(case, "reply"),
        {"reply-body": "Please confirm.", "reply-status_after": "waiting_on_customer", "reply-attachments": files},
    )

    case.refresh_from_db()
    message = case.messages.latest("id")
    assert case.status == "waiting_on_customer"
    assert sorted(a.filename for a in message.attachments.all()) == ["notes.txt", "receipt.pdf"]
    assert message.attachments.get(filename="receipt.pdf").content_type == "application/pdf"


@pytest.mark.parametrize(
    ("data", "files", "status", "message"),
    [
        ({"reply-body": ""}, [], 422, "Write a reply."),
        ({"reply-body": "  \n "}, [], 422, "Write a reply."),  # spaces only: the same mistake, the same words
        ({"reply-body": "Hi", "reply-status_after": "lost"}, [], 422, "Select a valid choice."),
        ({"reply-body": "Hi"}, [("evil.exe", b"MZ\x90\x00")], 422, "files of this type are not accepted"),
        ({"reply-body": "Hi"}, [("fake.pdf", b"not a pdf")], 422, "does not contain what its name says"),
    ],
)
def test_a_bad_reply_is_shown_beside_its_field_and_saves_nothing(agent_client, case, data, files, status, message):
    before = counts(case)
    payload = dict(data)
    if files:
        payload["reply-attachments"] = [SimpleUploadedFile(name, content) for name, content in files]

    response = agent_client.post(url(case, "reply"), payload)

    html = response.content.decode()
    assert response.status_code == status
    assert message in html
    assert "There is a problem" in html
    assert counts(case) == before
    assert page_problems(html) == []


def test_an_oversized_file_is_refused_before_it_is_read(agent_client, case, settings):
    settings.RAPPORT_MAX_ATTACHMENT_BYTES = 10
    before = counts(case)

    response = agent_client.post(
        url(case, "reply"), {"reply-body": "Hi", "reply-attachments": [SimpleUploadedFile("big.pdf", PDF)]}
    )

    assert response.status_code == 413
    assert "the limit is 10 bytes" in response.content.decode()
    assert counts(case) == before


def test_an_illegal_status_after_reply_is_explained(agent_client, case, agent):
    case_update(actor=agent, reference=case.reference, expected_version=1, changes={"status": "closed"})
    before = counts(case)

    response = agent_client.post(url(case, "reply"), {"reply-body": "Hi", "reply-status_after": "waiting_on_customer"})

    assert response.status_code == 422
    assert "A closed case cannot move to waiting on customer." in response.content.decode()
    assert counts(case) == before


# --- note --------------------------------------------------------------------------------------


def test_note(agent_client, case):
    response = agent_client.post(
        url(case, "note"),
        {"note-body": "Called the supplier.", "note-attachments": [SimpleUploadedFile("a.txt", b"x")]},
    )

    note = case.messages.latest("id")
    assert response.status_code == 302
    assert (note.kind, note.body, note.attachments.count()) == ("note", "Called the supplier.", 1)
    assert NOTE_ADDED in agent_client.get(url(case)).content.decode()


def test_an_empty_note_saves_nothing(agent_client, case):
    before = counts(case)

    response = agent_client.post(url(case, "note"), {"note-body": ""})

    assert response.status_code == 422
    assert "Write a note." in response.content.decode()
    assert counts(case) == before


def test_the_note_form_is_marked_internal(agent_client, case):
    html = agent_client.get(url(case)).content.decode()

    assert '<span class="internal-flag">Internal</span> Add a note for staff' in html
    assert "The customer never sees them." in html


# --- edit --------------------------------------------------------------------------------------


def edit_data(case, **changes):
    data = {
        "edit-version": case.version,
        "edit-status": case.status,
        "edit-priority": case.priority,
        "edit-type": case.type,
        "edit-owner": case.owner_id or "",
        "edit-team": case.team_id or "",
        "edit-tags": "",
    }
    data.update({f"edit-{name}": value for name, value in changes.items()})
    return data


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (
            "kettle, <script>x</script>",
            "Tags can only use letters, numbers and hyphens: change “&lt;script&gt;x&lt;/script&gt;”.",
        ),
        ("caf\u00e9", "Tags can only use letters, numbers and hyphens: change “caf\u00e9”."),
        ("x" * 60, "Keep each tag to 50 characters or fewer"),
    ],
)
def test_a_tag_that_would_be_changed_is_refused_beside_the_tags_field(agent_client, case, tags, message):
    # when an agent saves tags that could only be stored altered
    response = agent_client.post(url(case, "edit"), edit_data(case, tags=tags))

    # then nothing is saved and the tags field says why
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert '<a href="#id_edit-tags">' + message in html  # the summary links to the field it names
    case.refresh_from_db()
    assert list(case.tags.all()) == []
    assert case.version == 1


def test_capitals_and_spaces_in_tags_are_only_tidied(agent_client, case):
    response = agent_client.post(url(case, "edit"), edit_data(case, tags="Repeat Customer, Kettle"))

    assert response.status_code == 302
    assert sorted(t.name for t in case.tags.all()) == ["kettle", "repeat-customer"]


def test_edit_changes_the_case_and_records_events(agent_client, case, agent):
    response = agent_client.post(url(case, "edit"), edit_data(case, priority=4, owner=agent.pk, tags="Kettle, refund"))

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.priority, case.owner_id, case.status, case.version) == (4, agent.pk, "open", 2)
    assert sorted(case.tags.values_list("name", flat=True)) == ["kettle", "refund"]
    assert set(case.events.filter(kind="changed").values_list("field", flat=True)) == {
        "priority",
        "owner",
        "status",
        "tags",
    }
    assert CASE_UPDATED in agent_client.get(url(case)).content.decode()


def test_saving_an_unchanged_form_says_so(agent_client, case):
    agent_client.post(url(case, "edit"), edit_data(case))

    case.refresh_from_db()
    assert case.version == 1
    assert NO_CHANGES in agent_client.get(url(case)).content.decode()


def test_a_stale_edit_is_a_conflict_showing_current_values(agent_client, case, team_leader, agent, now):
    stale = edit_data(case, priority=1, owner=agent.pk)
    case_update(
        actor=team_leader,
        reference=case.reference,
        expected_version=1,
        changes={"priority": "urgent", "status": "closed"},
        now=now,
    )
    events_before = case.events.count()

    response = agent_client.post(url(case, "edit"), stale)

    html = response.content.decode()
    assert response.status_code == 409
    assert "Your changes were not saved" in html
    assert VERSION_CONFLICT.replace("'", "&#x27;") in html
    assert '<th scope="row">Priority</th><td>Low</td><td>Urgent</td>' in html
    assert '<th scope="row">Status</th><td>New</td><td>Closed</td>' in html
    # The form now carries the current version and values: saving again is a deliberate act.
    assert 'name="edit-version" value="2"' in html
    assert '<option value="4" selected>Urgent</option>' in html
    case.refresh_from_db()
    assert (case.priority, case.owner_id, case.version) == (4, None, 2)
    assert case.events.count() == events_before
    assert page_problems(html) == []


def test_an_illegal_status_move_is_explained(agent_client, case, agent):
    case_update(actor=agent, reference=case.reference, expected_version=1, changes={"status": "closed"})
    case.refresh_from_db()

    response = agent_client.post(url(case, "edit"), edit_data(case, status="waiting_on_customer"))

    assert response.status_code == 422
    assert "A closed case cannot move to waiting on customer." in response.content.decode()
    case.refresh_from_db()
    assert case.status == "closed"


def test_an_edit_without_a_version_is_refused(agent_client, case):
    data = edit_data(case, priority=4)
    del data["edit-version"]

    response = agent_client.post(url(case, "edit"), data)

    assert response.status_code == 422
    case.refresh_from_db()
    assert case.priority == 2


@pytest.mark.parametrize("action", ["reply", "note", "edit"])
def test_forms_need_a_post(agent_client, case, action):
    assert agent_client.get(url(case, action)).status_code == 405


@pytest.mark.parametrize("action", ["reply", "note", "edit"])
def test_posting_to_a_case_the_agent_cannot_see_is_a_404(other_agent_client, case, action):
    before = (counts(case), Case.objects.get(pk=case.pk).version)

    response = other_agent_client.post(url(case, action), {"reply-body": "x", "note-body": "x", **edit_data(case)})

    assert response.status_code == 404
    assert (counts(case), Case.objects.get(pk=case.pk).version) == before


# --- htmx --------------------------------------------------------------------------------------


def test_forms_post_with_htmx_into_the_main_region(agent_client, case):
    html = agent_client.get(url(case)).content.decode()

    for action in ("reply", "note", "edit"):
        assert f'hx-post="{url(case, action)}" hx-target="#main" hx-select="#main" hx-swap="outerHTML"' in html
        assert f'method="post" action="{url(case, action)}"' in html


def test_an_htmx_post_with_errors_answers_with_the_page_to_swap(agent_client, case):
    response = agent_client.post(url(case, "note"), {"note-body": ""}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")

    html = response.content.decode()
    assert response.status_code == 422
    assert '<main id="main"' in html
    assert "Write a note." in html


# --- cost --------------------------------------------------------------------------------------

# Session, user, the case (with customer, owner, team), the agent's teams, messages, their
# attachments, events, tags, the customer's other cases, and the owner and team choices (loaded
# on the process's first view, then reused: see test_owner_and_team_lists_are_reused).
CASE_PAGE_QUERIES = 23  # 11 for the core; privacy: the access-log row, the adjustments panel and the
# restriction banner (UK GDPR Art 18: everyone working a case of a restricted person must see it);
# mail: the emailed replies' delivery states, and whether email is failing (the header's warning,
# read on the process's first view, then reused for a minute); time tracking: the case's total
# with the person's timer (one query), and the reasons offered (first view, then reused);
# feedback: the customer's latest CSAT and CES; notifications: the followers, and the unread count
# in the header (cached, then reused until a notification arrives or is read). Presence (collision)
# reads the cache only. Knowledge: whether the agent owns articles due for review (once a minute
# per process). Imports: whether the desk imported anything (first view, then reused for a minute;
# a desk that did pays one query for the case's imported data).


@pytest.mark.parametrize("extra_messages", [1, 11])
def test_case_page_query_count_does_not_grow_with_messages(
    agent_client, case, agent, now, extra_messages, django_assert_num_queries
):
    for i in range(extra_messages):
        message_add(
            actor=agent,
            reference=case.reference,
            kind="note" if i % 2 else "outbound",
            body=f"Message {i}",
            attachments=[Upload(f"{i}.txt", b"x")],
            now=now + timedelta(minutes=i),
        )
    assert Message.objects.filter(case=case).count() == extra_messages + 1
    assert CaseEvent.objects.filter(case=case).exists()

    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = agent_client.get(url(case))

    assert response.status_code == 200


def test_owner_and_team_lists_are_reused_by_later_views(agent_client, case, django_assert_num_queries):
    agent_client.get(url(case))
    with django_assert_num_queries(
        CASE_PAGE_QUERIES - 8
    ):  # the lists, the time reasons, the email, reviews and imports checks and the unread count reused
        response = agent_client.get(url(case))
    assert response.status_code == 200


def test_a_new_colleague_is_offered_as_owner_at_once(agent_client, case, team):
    agent_client.get(url(case))
    make_user("new.colleague@example.com", Role.AGENT, teams=[team])  # named "New.Colleague"
    Team.objects.create(name="Escalations")  # saving a team or user clears this process's lists
    html = agent_client.get(url(case)).content.decode()
    assert ">New.Colleague</option>" in html
    assert ">Escalations</option>" in html


def test_a_colleague_deactivated_elsewhere_cannot_be_saved_as_owner(agent_client, case, agent, team):
    leaver = make_user("leaver@example.com", Role.AGENT, teams=[team])
    agent_client.get(url(case))  # the list this process shows now includes the leaver
    User.objects.filter(pk=leaver.pk).update(is_active=False)  # another process: no signal here
    assert f'value="{leaver.pk}"' in agent_client.get(url(case)).content.decode()
    response = agent_client.post(
        url(case, "edit"),
        {
            "edit-status": case.status,
            "edit-priority": case.priority,
            "edit-type": case.type,
            "edit-owner": leaver.pk,
            "edit-team": team.pk,
            "edit-tags": "",
            "edit-version": case.version,
        },
    )
    assert response.status_code == 422
    case.refresh_from_db()
    assert case.owner_id != leaver.pk
