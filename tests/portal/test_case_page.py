"""The case page: the conversation without internal notes, attachments, and the customer's reply."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rapport.cases.models import Message
from rapport.cases.services import BODY_REQUIRED, Upload, case_update, message_add
from tests.portal.conftest import PDF

NOTE = "Customer sounds cross - check the warranty register first"


def test_the_page_shows_the_case_and_public_conversation(portal, case, agent, now):
    message_add(
        actor=agent, reference=case.reference, kind="outbound", body="Sorry to hear that.", now=now + timedelta(hours=1)
    )

    response = portal.get(f"/portal/cases/{case.reference}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Broken kettle</h1>" in html
    assert case.reference in html
    assert "It stopped heating after a week." in html
    assert "Sorry to hear that." in html
    assert "Agent, " in html  # the staff author is named; owner names are fine
    assert "We&#x27;re working on it" in html


def test_internal_notes_and_their_files_never_reach_the_customer(portal, case, agent, now):
    # Given an internal note with a file, written by an agent
    message_add(
        actor=agent,
        reference=case.reference,
        kind="note",
        body=NOTE,
        attachments=[Upload("warranty-register.pdf", PDF)],
        now=now,
    )
    message_add(actor=agent, reference=case.reference, kind="outbound", body="We're looking into it.", now=now)

    html = portal.get(f"/portal/cases/{case.reference}/").content.decode()

    assert NOTE not in html
    assert "warranty register" not in html
    assert "warranty-register.pdf" not in html
    assert "Internal note" not in html
    assert "We&#x27;re looking into it." in html


def test_the_staff_timeline_is_not_shown(portal, case, agent, now):
    case_update(
        actor=agent,
        reference=case.reference,
        expected_version=1,
        changes={"priority": "urgent", "tags": ["vip-escalation"]},
        now=now,
    )

    html = portal.get(f"/portal/cases/{case.reference}/").content.decode()

    assert "vip-escalation" not in html
    assert "urgent" not in html.lower()
    assert "priority" not in html.lower()


def test_attachments_on_public_messages_link_to_their_download(portal, case, agent, now):
    reply = message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="Here is the form.",
        attachments=[Upload("returns-form.pdf", PDF)],
        now=now,
    )
    attachment = reply.attachments.get()

    html = portal.get(f"/portal/cases/{case.reference}/").content.decode()

    assert f'href="/attachments/{attachment.pk}/"' in html
    assert "returns-form.pdf" in html


def test_a_reply_adds_an_inbound_message_and_reopens_a_resolved_case(portal, resolved_case, customer_user):
    assert resolved_case.status == "resolved"
    upload = SimpleUploadedFile("photo.pdf", PDF)

    response = portal.post(
        f"/portal/cases/{resolved_case.reference}/", {"body": "It has broken again.", "attachments": [upload]}
    )

    message = Message.objects.filter(case=resolved_case).latest("id")
    assert response.status_code == 302
    assert response["Location"] == f"/portal/cases/{resolved_case.reference}/#message-{message.pk}"
    assert (message.kind, message.channel, message.author, message.body) == (
        "inbound",
        "portal",
        customer_user,
        "It has broken again.",
    )
    assert list(message.attachments.values_list("filename", flat=True)) == ["photo.pdf"]
    resolved_case.refresh_from_db()
    assert resolved_case.status == "open"
    assert "We&#x27;ve added your message" in portal.get(response["Location"]).content.decode()


def test_a_case_looked_up_by_a_loose_reference_still_opens(portal, case):
    response = portal.get(f"/portal/cases/c-{case.pk}/")

    assert response.status_code == 200
    assert "Broken kettle" in response.content.decode()


def test_an_empty_reply_comes_back_with_422_and_changes_nothing(portal, resolved_case):
    before = Message.objects.count()

    response = portal.post(f"/portal/cases/{resolved_case.reference}/", {"body": "   "})

    html = response.content.decode()
    assert response.status_code == 422
    assert f'<a href="#id_body">{BODY_REQUIRED}</a>' in html
    assert Message.objects.count() == before
    resolved_case.refresh_from_db()
    assert resolved_case.status == "resolved"


def test_an_oversized_reply_file_is_413_and_changes_nothing(portal, case, settings):
    settings.RAPPORT_MAX_ATTACHMENT_BYTES = 10
    before = Message.objects.count()

    response = portal.post(
        f"/portal/cases/{case.reference}/",
        {"body": "See attached.", "attachments": [SimpleUploadedFile("big.pdf", PDF)]},
    )

    assert response.status_code == 413
    assert "See attached." in response.content.decode()
    assert Message.objects.count() == before


@pytest.mark.parametrize("reference", ["other", "C-999999"])
def test_replying_to_a_case_that_is_not_theirs_is_not_found_and_adds_nothing(portal, other_case, reference):
    if reference == "other":
        reference = other_case.reference
    before = Message.objects.count()

    response = portal.post(f"/portal/cases/{reference}/", {"body": "Let me in."})

    assert response.status_code == 404
    assert Message.objects.count() == before
    other_case.refresh_from_db()
    assert other_case.version == 1
