"""A file whose name cannot be used is refused by name on the desk and portal pages too, through
the same check as the API (``rapport.platform.uploads``), never silently dropped."""

from __future__ import annotations

import pytest

from rapport.cases.models import Attachment, Message
from tests.api.test_robustness import BOUNDARY, multipart

FORM = f"multipart/form-data; boundary={BOUNDARY}"
REFUSED = "&quot;..&quot; cannot be used as a file name: rename the file and attach it again."


def test_the_portal_refuses_a_file_named_dot_dot_beside_the_field(customer_client, case):
    before = Message.objects.count()
    body = multipart({"body": "Here is the receipt."}, [("..", b"Bought on 1 March.")])

    response = customer_client.post(f"/portal/cases/{case.reference}/", body, content_type=FORM)

    assert response.status_code == 422
    assert REFUSED in response.content.decode()
    assert Message.objects.count() == before
    assert not Attachment.objects.exists()


def test_the_portal_raise_form_refuses_it_too(customer_client):
    body = multipart({"subject": "Kettle", "type": "complaint", "body": "It broke."}, [("a/..", b"Receipt")])

    response = customer_client.post("/portal/cases/new/", body, content_type=FORM)

    assert response.status_code == 422
    assert "cannot be used as a file name" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("form", ["reply", "note"])
def test_a_desk_reply_or_note_refuses_it_beside_the_field(agent_client, case, form):
    before = Message.objects.count()
    body = multipart({f"{form}-body": "See attached."}, [("..", b"Notes")], field=f"{form}-attachments")

    response = agent_client.post(f"/cases/{case.reference}/{form}/", body, content_type=FORM)

    assert response.status_code == 422
    assert REFUSED in response.content.decode()
    assert Message.objects.count() == before
