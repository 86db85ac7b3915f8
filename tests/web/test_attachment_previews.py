"""Previews on the timeline and in the portal: served through the attachment gate with the
download's headers; a placeholder until drawn; "no preview" when it cannot be; alt text naming the
file; never a note's file for a customer; no extra query on the case page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rapport.cases import previews
from rapport.cases.services import Upload, message_add
from tests.cases.test_previews import pdf, png


def _files(case, author, now, *uploads, kind="outbound"):
    message = message_add(
        actor=author, reference=case.reference, kind=kind, body="Files.", attachments=list(uploads), now=now
    )
    found = list(message.attachments.all())
    for attachment in found:
        previews.preview_draw(attachment_id=attachment.pk)
        attachment.refresh_from_db()
    return found


@pytest.fixture
def photo(case, agent, now):
    return _files(case, agent, now, Upload("parcel <1>.png", png(1200, 900)))[0]


@pytest.fixture
def note_photo(case, agent, now):
    return _files(case, agent, now, Upload("internal.png", png(300, 300)), kind="note")[0]


def test_the_preview_is_served_inline_with_the_downloads_headers(agent_client, photo):
    response = agent_client.get(f"/attachments/{photo.pk}/preview/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[8:12] == b"WEBP"


def test_the_customer_sees_the_preview_of_their_own_public_file(customer_client, photo):
    assert customer_client.get(f"/attachments/{photo.pk}/preview/").status_code == 200


def test_the_customer_never_gets_the_preview_of_a_notes_file(customer_client, agent_client, note_photo):
    assert note_photo.preview_state == "ready"
    assert customer_client.get(f"/attachments/{note_photo.pk}/preview/").status_code == 404
    assert agent_client.get(f"/attachments/{note_photo.pk}/preview/").status_code == 200


def test_another_teams_agent_gets_no_preview(other_agent_client, photo):
    assert other_agent_client.get(f"/attachments/{photo.pk}/preview/").status_code == 404


def test_there_is_no_preview_to_serve_while_it_is_pending_or_impossible(agent_client, case, agent, now):
    pending = message_add(
        actor=agent, reference=case.reference, kind="outbound", body="x", attachments=[Upload("a.png", png(9, 9))]
    ).attachments.get()
    [text] = _files(case, agent, now, Upload("notes.txt", b"plain"))

    assert agent_client.get(f"/attachments/{pending.pk}/preview/").status_code == 404
    assert agent_client.get(f"/attachments/{text.pk}/preview/").status_code == 404


def test_anonymous_visitors_sign_in_first(client, photo):
    assert client.get(f"/attachments/{photo.pk}/preview/").status_code == 302


def test_the_case_page_shows_each_file_as_it_can_be_shown(agent_client, case, agent, now, photo):
    [document, broken, sheet] = _files(
        case,
        agent,
        now,
        Upload("invoice.pdf", pdf()),
        Upload("receipt.pdf", b"%PDF-1.4 broken"),
        Upload("readings.csv", b"date,kwh\n"),
    )
    pending = message_add(
        actor=agent,
        reference=case.reference,
        kind="outbound",
        body="y",
        attachments=[Upload("later.jpg", b"\xff\xd8\xff")],
    ).attachments.get()

    html = agent_client.get(f"/cases/{case.reference}/").content.decode()

    assert (
        f'<img class="attachment-preview" src="/attachments/{photo.pk}/preview/" width="480" height="360" '
        'alt="Preview of parcel &lt;1&gt;.png" loading="lazy">'
    ) in html
    assert f'src="/attachments/{document.pk}/preview/" width="339" height="480" alt="Preview of invoice.pdf"' in html
    assert (
        'receipt.pdf</a> <span class="muted">(PDF document, 15\xa0bytes)</span> · <span class="muted">no preview</span>'
        in html
    )
    type_and_size = '<span class="muted">(CSV spreadsheet, 9\xa0bytes)</span></li>'
    assert f'<a href="/attachments/{sheet.pk}/">readings.csv</a> {type_and_size}' in html
    assert f'<a href="/attachments/{pending.pk}/">later.jpg</a>' in html
    assert "Preview being prepared" in html
    assert broken.preview_state == "none"


def test_the_portal_shows_previews_of_the_customers_own_files_only(customer_client, case, photo, note_photo):
    html = customer_client.get(f"/portal/cases/{case.reference}/").content.decode()

    assert f'src="/attachments/{photo.pk}/preview/"' in html
    assert 'alt="Preview of parcel &lt;1&gt;.png"' in html
    assert "internal.png" not in html
    assert f"/attachments/{note_photo.pk}/" not in html


@pytest.mark.parametrize("files", [1, 6])
def test_previews_add_no_query_to_the_case_page(agent_client, case, agent, now, files, django_assert_num_queries):
    from tests.web.test_case_page import CASE_PAGE_QUERIES

    for n in range(files):
        _files(case, agent, now + timedelta(minutes=n), Upload(f"{n}.png", png(40, 40)), Upload(f"{n}.pdf", pdf()))
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = agent_client.get(f"/cases/{case.reference}/")
    assert response.content.decode().count('class="attachment-preview"') == 2 * files


def test_the_api_lists_the_preview_and_serves_it_through_the_same_gate(
    client, case, agent, customer_user, photo, note_photo
):
    from rapport.accounts.services import token_create

    def bearer(user):
        return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)[1]}"}

    body = client.get(f"/api/v1/cases/{case.reference}/messages", **bearer(agent)).json()
    listed = {a["filename"]: a for m in body["items"] for a in m["attachments"]}
    assert listed["parcel <1>.png"]["preview_state"] == "ready"
    assert listed["parcel <1>.png"]["preview_url"] == f"/api/v1/attachments/{photo.pk}/preview"

    served = client.get(f"/api/v1/attachments/{photo.pk}/preview", **bearer(customer_user))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"
    assert served["Cache-Control"].startswith("private")
    assert client.get(f"/api/v1/attachments/{note_photo.pk}/preview", **bearer(customer_user)).status_code == 404
