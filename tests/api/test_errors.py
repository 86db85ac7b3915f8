"""One error shape for every failure, whoever raises it: services, ninja, Django or the router."""

from __future__ import annotations

import pytest

from rapport.api import NO_ENDPOINT, SERVER_ERROR, TOO_LARGE
from rapport.cases.models import Case
from rapport.platform.textinput import NOT_JSON

from .conftest import fields


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("post", "/api/v1/cases", b'{"subject": "x",'), ("patch", "/api/v1/cases/C-000001", b"{nope"),
     ("post", "/api/v1/customers", b"\xff\xfe not utf-8"), ("post", "/api/v1/cases/C-000001/messages", b"[1,")],
)  # fmt: skip
def test_malformed_json_is_a_400_in_the_error_shape(client, auth, agent, case, method, path, body):
    response = getattr(client, method)(path, body, content_type="application/json", **auth(agent))

    assert response.status_code == 400
    assert response.json() == {"detail": NOT_JSON, "errors": []}


@pytest.mark.parametrize("body", [b"[]", b'"a case"', b"null"])
def test_json_that_is_not_an_object_is_a_422(client, auth, agent, customer, body):
    response = client.post("/api/v1/cases", body, content_type="application/json", **auth(agent))

    assert response.status_code == 422
    assert None in fields(response)
    assert Case.objects.count() == 0


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/cases/C-000001/widgets", "/api/v1/cases/"])
def test_an_unknown_path_is_a_404_in_the_error_shape(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": NO_ENDPOINT, "errors": []}


def test_a_body_over_djangos_limit_is_a_413(client, auth, agent, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    response = client.post(
        "/api/v1/cases", {"subject": "x" * 200, "body": "y"}, content_type="application/json", **auth(agent)
    )

    assert response.status_code == 413
    assert response.json() == {"detail": TOO_LARGE, "errors": []}


def test_a_path_parameter_of_the_wrong_type_is_named(client, auth, agent):
    response = client.get("/api/v1/customers/alice", **auth(agent))

    assert response.status_code == 422
    assert list(fields(response)) == ["customer_id"]


def test_every_field_error_is_reported_at_once(client, auth, agent, customer):
    response = client.post(
        "/api/v1/cases",
        {"customer": customer.pk, "type": "moan", "priority": "extreme", "channel": "pigeon"},
        content_type="application/json",
        **auth(agent),
    )

    assert response.status_code == 422
    assert set(fields(response)) == {"subject", "body", "type", "priority", "channel"}
    assert fields(response)["subject"] == ["Enter the subject."]  # as the pages say it


def test_a_bug_is_a_500_in_the_error_shape_and_still_reaches_the_logs(client, auth, agent, monkeypatch, caplog):
    # given a list that fails in a way no one planned for
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("rapport.cases.selectors.case_list", broken)
    client.raise_request_exception = False

    response = client.get("/api/v1/cases", **auth(agent))

    assert response.status_code == 500
    assert response.json() == {"detail": SERVER_ERROR, "errors": []}
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)
