"""Files on new cases and messages: multipart forms, size and type refusals, and guarded downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rapport.cases.models import Attachment, Case, Message
from rapport.cases.services import Upload, message_add

from .conftest import PDF, fields


def pdf(name="receipt.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def form(customer, case):
    """The form fields for each endpoint that takes files."""
    return {
        "case": ("/api/v1/cases", {"customer": customer.pk, "subject": "Refund", "body": "Receipt attached."}),
        "message": (f"/api/v1/cases/{case.reference}/messages", {"kind": "inbound", "body": "Receipt attached."}),
    }


def counts():
    return Case.objects.count(), Message.objects.count(), Attachment.objects.count()


def test_a_case_opened_with_a_form_keeps_its_files(client, auth, agent, customer, team):
    response = client.post(
        "/api/v1/cases",
        {"customer": customer.pk, "subject": "Refund", "body": "Receipts attached.", "team": team.pk,
         "tags": ["refund", "receipt"], "attachments": [pdf(), pdf("second.pdf", PDF + b" 2")]},
        **auth(agent),
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert response.json()["tags"] == ["receipt", "refund"]
    first = case.messages.get().attachments.order_by("id").first()
    assert (first.filename, first.content_type, first.size) == ("receipt.pdf", "application/pdf", len(PDF))


def test_a_message_with_a_file_lists_it_with_a_download_link(client, auth, customer_user, case):
    response = client.post(
        f"/api/v1/cases/{case.reference}/messages",
        {"kind": "inbound", "body": "Here is the receipt.", "attachments": pdf()},
        **auth(customer_user),
    )

    assert response.status_code == 201, response.json()
    [listed] = response.json()["attachments"]
    attachment = Attachment.objects.get()
    assert listed == {
        "id": attachment.pk, "filename": "receipt.pdf", "content_type": "application/pdf", "size": len(PDF),
        "url": f"/api/v1/attachments/{attachment.pk}", "preview_state": "pending", "preview_url": None,
    }  # fmt: skip
    download = client.get(listed["url"], **auth(customer_user))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="receipt.pdf"'


@pytest.mark.parametrize("endpoint", ["case", "message"])
def test_an_oversize_file_is_a_413_and_nothing_is_saved(client, auth, agent, settings, form, endpoint):
    settings.RAPPORT_MAX_ATTACHMENT_BYTES = 1000
    path, fields_ = form[endpoint]
    before = counts()

    response = client.post(path, {**fields_, "attachments": pdf(content=PDF + b"x" * 2000)}, **auth(agent))

    assert response.status_code == 413
    assert fields(response) == {"attachments": ["receipt.pdf is 2,018 bytes; the limit is 1,000 bytes."]}
    assert counts() == before


@pytest.mark.parametrize("endpoint", ["case", "message"])
def test_an_oversize_request_is_a_413_before_it_is_read(client, auth, agent, settings, form, endpoint):
    settings.RAPPORT_MAX_ATTACHMENT_BYTES = 10
    settings.RAPPORT_MAX_ATTACHMENTS = 1
    path, fields_ = form[endpoint]
    before = counts()

    response = client.post(path, {**fields_, "attachments": pdf(content=PDF + b"x" * 1_100_000)}, **auth(agent))

    assert response.status_code == 413
    assert list(fields(response)) == ["attachments"]
    assert counts() == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("setup.exe", b"MZ\x90\x00"), "setup.exe: files of this type are not accepted"),
        (("invoice.pdf", b"MZ\x90\x00"), "invoice.pdf does not contain what its name says"),
        (("page.html", b"<script>"), "page.html: files of this type are not accepted"),
    ],
)
@pytest.mark.parametrize("endpoint", ["case", "message"])
def test_a_refused_file_type_is_a_422_and_nothing_is_saved(client, auth, agent, form, endpoint, upload, message):
    path, fields_ = form[endpoint]
    before = counts()

    response = client.post(path, {**fields_, "attachments": [pdf(), SimpleUploadedFile(*upload)]}, **auth(agent))

    assert response.status_code == 422
    [said] = fields(response)["attachments"]
    assert said.startswith(message)
    assert counts() == before


def test_files_in_another_field_are_refused_not_dropped(client, auth, agent, form):
    path, fields_ = form["message"]

    response = client.post(path, {**fields_, "file": pdf()}, **auth(agent))

    assert response.status_code == 422
    assert list(fields(response)) == ["file"]


def test_a_bad_form_field_is_named_like_a_bad_json_field(client, auth, agent, form):
    path, fields_ = form["case"]

    response = client.post(path, {**fields_, "priority": "extreme", "attachments": pdf()}, **auth(agent))

    assert response.status_code == 422
    assert fields(response) == {"priority": ["Choose one of: low, normal, high, urgent."]}
    assert Attachment.objects.count() == 0


def test_a_customer_cannot_download_a_file_on_an_internal_note(client, auth, agent, customer_user, case):
    message_add(
        actor=agent, reference=case.reference, kind="note", body="Fraud check.",
        attachments=[Upload("check.pdf", PDF)],
    )  # fmt: skip
    attachment = Attachment.objects.get()

    assert client.get(f"/api/v1/attachments/{attachment.pk}", **auth(customer_user)).status_code == 404
    assert client.get(f"/api/v1/attachments/{attachment.pk}", **auth(agent)).status_code == 200
