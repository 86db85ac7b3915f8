"""Raise a case: the customer's words become a case on the portal channel, or nothing is saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from rapport.cases.models import Attachment, Case, CaseEvent, Message
from rapport.cases.services import BODY_REQUIRED, SUBJECT_REQUIRED, SUBJECT_TOO_LONG
from rapport.portal.forms import TYPE_REQUIRED
from tests.portal.conftest import PDF

GOOD = {"subject": "Kettle stopped working", "type": "complaint", "body": "It stopped heating after a week."}


def nothing_saved():
    """No case, message, attachment or event rows, and no file in storage."""
    uploads = Path(settings.MEDIA_ROOT)
    stored = [p for p in uploads.rglob("*") if p.is_file()] if uploads.exists() else []
    return not any(model.objects.exists() for model in (Case, Message, Attachment, CaseEvent)) and stored == []


def test_the_form_says_what_each_kind_of_case_means(portal):
    html = portal.get("/portal/cases/new/").content.decode()

    for words in ("A question", "A request", "A complaint", "put it right", "information or advice"):
        assert words in html


def test_raising_a_case_opens_it_on_the_portal_channel_and_gives_the_reference(portal, customer, customer_user):
    receipt = SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf")
    photo = SimpleUploadedFile("notes.txt", b"Bought on 1 March.", content_type="text/plain")

    response = portal.post("/portal/cases/new/", {**GOOD, "attachments": [receipt, photo]})

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/cases/{case.reference}/"
    assert (case.customer, case.channel, case.type, case.subject) == (
        customer,
        "portal",
        "complaint",
        "Kettle stopped working",
    )
    message = case.messages.get()
    assert (message.kind, message.channel, message.author, message.body) == (
        "inbound",
        "portal",
        customer_user,
        GOOD["body"],
    )
    assert sorted(message.attachments.values_list("filename", flat=True)) == ["notes.txt", "receipt.pdf"]
    page = portal.get(response["Location"]).content.decode()
    assert f"Your reference is {case.reference}" in page
    assert "It stopped heating after a week." in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"subject": ""}, "subject", SUBJECT_REQUIRED),
        ({"subject": "   "}, "subject", SUBJECT_REQUIRED),
        ({"subject": "x" * 201}, "subject", SUBJECT_TOO_LONG),
        ({"type": ""}, "type_0", TYPE_REQUIRED),
        ({"type": "internal_request"}, "type_0", TYPE_REQUIRED),
        ({"body": "  "}, "body", BODY_REQUIRED),
    ],
)
def test_a_form_with_mistakes_comes_back_with_a_summary_and_saves_nothing(portal, change, field, message):
    typed = {**GOOD, **change}

    response = portal.post("/portal/cases/new/", typed)

    html = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in html
    assert f'<a href="#id_{field}">{message}</a>' in html
    assert f'id="id_{field.split("_")[0]}-error"' in html
    assert "<title>Error: Raise a case" in html
    # what they typed is kept
    for name in ("subject", "body"):
        if typed[name].strip() and len(typed[name]) <= 200:
            assert typed[name] in html
    assert nothing_saved()


def test_the_error_summary_names_every_mistake_at_once(portal):
    response = portal.post("/portal/cases/new/", {"subject": "", "body": ""})

    html = response.content.decode()
    assert response.status_code == 422
    for anchor in ("#id_subject", "#id_type_0", "#id_body"):
        assert f'<a href="{anchor}">' in html
    assert nothing_saved()


def test_an_oversized_file_is_refused_with_413_and_nothing_saved(portal, settings):
    settings.RAPPORT_MAX_ATTACHMENT_BYTES = 100
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * 200, content_type="application/pdf")

    response = portal.post("/portal/cases/new/", {**GOOD, "attachments": [big]})

    html = response.content.decode()
    assert response.status_code == 413
    assert "scan.pdf is too big. Each file must be 100\xa0bytes or smaller." in html
    assert '<a href="#id_attachments">' in html
    assert "please choose them again" in html
    assert GOOD["body"] in html
    assert nothing_saved()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("setup.exe", b"MZ\x90\x00binary", "files of this type are not accepted"),
        ("invoice.pdf", b"<html><script>alert(1)</script>", "does not contain what its name says"),
        ("page.svg", b"<svg onload=alert(1)>", "files of this type are not accepted"),
    ],
)
def test_a_file_of_a_refused_type_comes_back_with_422_and_nothing_saved(portal, name, content, words):
    upload = SimpleUploadedFile(name, content)

    response = portal.post("/portal/cases/new/", {**GOOD, "attachments": [upload]})

    html = response.content.decode()
    assert response.status_code == 422
    assert words in html
    assert '<a href="#id_attachments">' in html
    assert nothing_saved()


def test_too_many_files_are_refused_before_any_is_read(portal, settings):
    settings.RAPPORT_MAX_ATTACHMENTS = 2
    files = [SimpleUploadedFile(f"r{i}.pdf", PDF) for i in range(3)]

    response = portal.post("/portal/cases/new/", {**GOOD, "attachments": files})

    assert response.status_code == 422
    assert "You can attach up to 2 files at a time." in response.content.decode()
    assert nothing_saved()


def test_what_the_customer_types_is_escaped(portal):
    response = portal.post(
        "/portal/cases/new/", {**GOOD, "subject": "<script>alert(1)</script>", "body": "<img src=x onerror=alert(1)>"}
    )

    case = Case.objects.get()
    html = portal.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert case.subject == "<script>alert(1)</script>"
