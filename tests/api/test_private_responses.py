"""What the API returns is about people: no shared cache or browser disk keeps a copy, and a file
is sent with the same protective headers as from the desk page (``rapport.platform.downloads``)."""

from __future__ import annotations

import pytest

from rapport.cases.models import Attachment
from rapport.cases.services import Upload, message_add
from rapport.platform.downloads import PRIVATE, SANDBOX

from .conftest import PDF


def no_store(response) -> bool:
    return {part.strip() for part in response["Cache-Control"].split(",")} >= {"private", "no-store"}


@pytest.mark.parametrize(
    "path", ["/api/v1/cases", "/api/v1/cases/{case}", "/api/v1/customers", "/api/v1/me", "/api/v1/cases/C-999999",
             "/api/v1/nothing-here"],
)  # fmt: skip
def test_every_json_answer_is_private_and_never_stored(client, auth, agent, case, path):
    response = client.get(path.format(case=case.reference), **auth(agent))

    assert response["Content-Type"].startswith("application/json")
    assert no_store(response)


def test_a_refusal_before_sign_in_is_private_too(client):
    response = client.get("/api/v1/cases")

    assert response.status_code == 401
    assert no_store(response)


@pytest.fixture
def attachment(agent, case, now):
    message_add(actor=agent, reference=case.reference, kind="outbound", body="Your receipt.",
                attachments=[Upload("receipt.pdf", PDF)], now=now)  # fmt: skip
    return Attachment.objects.get()


def test_an_api_download_carries_the_same_headers_as_the_page(client, auth, agent, attachment):
    from tests.web.conftest import signed_in

    api = client.get(f"/api/v1/attachments/{attachment.pk}", **auth(agent))
    page = signed_in(agent).get(f"/attachments/{attachment.pk}/")

    assert api.status_code == page.status_code == 200
    for response in (api, page):
        assert response["Cache-Control"] == PRIVATE
        assert response["Content-Security-Policy"] == SANDBOX
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="receipt.pdf"'


def test_a_file_missing_from_storage_is_a_404_in_the_error_shape_not_a_crash(client, auth, agent, attachment):
    attachment.file.delete(save=False)

    response = client.get(f"/api/v1/attachments/{attachment.pk}", **auth(agent))

    assert response.status_code == 404
    assert response.json() == {"detail": "The file is missing from storage.", "errors": []}
