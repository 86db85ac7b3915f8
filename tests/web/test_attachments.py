"""Attachment downloads go through the permission policy and are always downloads."""

from __future__ import annotations

import pytest

from rapport.cases.services import Upload, message_add

PDF = b"%PDF-1.4 the customer's receipt"


@pytest.fixture
def public_file(case, customer_user, now):
    """A file the customer sent on their own case."""
    message = message_add(
        actor=customer_user,
        reference=case.reference,
        kind="inbound",
        body="Receipt attached.",
        attachments=[Upload("receipt.pdf", PDF)],
        now=now,
    )
    return message.attachments.get()


@pytest.fixture
def note_file(case, agent, now):
    message = message_add(
        actor=agent,
        reference=case.reference,
        kind="note",
        body="Staff only.",
        attachments=[Upload("staff.txt", b"x")],
        now=now,
    )
    return message.attachments.get()


@pytest.fixture
def others_file(other_case, other_agent, now):
    message = message_add(
        actor=other_agent,
        reference=other_case.reference,
        kind="outbound",
        body="Your refund.",
        attachments=[Upload("refund.pdf", PDF)],
        now=now,
    )
    return message.attachments.get()


def test_the_customer_downloads_their_own_public_attachment(customer_client, public_file):
    response = customer_client.get(f"/attachments/{public_file.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="receipt.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_staff_download_notes_attachments(agent_client, note_file):
    response = agent_client.get(f"/attachments/{note_file.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("which", ["note_file", "others_file"])
def test_the_customer_cannot_get_a_note_or_another_customers_file(customer_client, request, which):
    attachment = request.getfixturevalue(which)

    response = customer_client.get(f"/attachments/{attachment.pk}/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_agent_cannot_get_a_file_from_another_teams_case(agent_client, others_file):
    assert agent_client.get(f"/attachments/{others_file.pk}/").status_code == 404


def test_a_missing_attachment_is_a_404(agent_client, db):
    assert agent_client.get("/attachments/999999/").status_code == 404


def test_anonymous_visitors_sign_in_first(client, public_file):
    response = client.get(f"/attachments/{public_file.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/attachments/")


def test_the_case_page_links_to_the_download(agent_client, case, public_file):
    html = agent_client.get(f"/cases/{case.reference}/").content.decode()
    assert f'<a href="/attachments/{public_file.pk}/">receipt.pdf</a>' in html
