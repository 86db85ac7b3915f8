"""Bad input is a 4xx in the one error shape, naming the problem, on SQLite and PostgreSQL alike:
forms that cannot be read, JSON no database can store, text with NUL characters."""

from __future__ import annotations

import pytest

from rapport.api import NO_BOUNDARY, PART_HEADERS_TOO_LONG
from rapport.cases.models import Attachment, Case, Message
from rapport.customers.models import Customer
from rapport.platform.textinput import HAS_NUL, HAS_SURROGATE, TOO_DEEP

from .conftest import fields

BOUNDARY = "rapport-test-boundary"


def multipart(values: dict[str, str], files: list[tuple[str, bytes]] = (), field: str = "attachments") -> bytes:
    """A multipart/form-data body written by hand, so a file name reaches the server exactly as sent."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in values.items()
    ]
    parts += [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
        f"Content-Type: text/plain\r\n\r\n".encode()
        + content
        + b"\r\n"
        for name, content in files
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


FORM = f"multipart/form-data; boundary={BOUNDARY}"


@pytest.fixture
def endpoints(customer, case):
    """Each endpoint that takes a form, with fields that would otherwise be accepted."""
    return {
        "case": ("/api/v1/cases", {"customer": str(customer.pk), "subject": "Refund", "body": "Receipt attached."}),
        "message": (f"/api/v1/cases/{case.reference}/messages", {"kind": "inbound", "body": "Receipt attached."}),
    }


def counts():
    return Case.objects.count(), Message.objects.count(), Attachment.objects.count(), Customer.objects.count()


@pytest.mark.parametrize("endpoint", ["case", "message"])
def test_a_form_without_a_boundary_is_a_400_that_says_so(client, auth, agent, endpoints, endpoint):
    path, values = endpoints[endpoint]
    before = counts()

    response = client.post(path, multipart(values), content_type="multipart/form-data", **auth(agent))

    assert response.status_code == 400
    assert response.json() == {"detail": NO_BOUNDARY, "errors": []}
    assert counts() == before


@pytest.mark.parametrize("endpoint", ["case", "message"])
def test_a_file_name_of_a_thousand_characters_is_a_400_that_says_so(client, auth, agent, endpoints, endpoint):
    path, values = endpoints[endpoint]
    before = counts()

    body = multipart(values, [("a" * 996 + ".txt", b"hello")])
    response = client.post(path, body, content_type=FORM, **auth(agent))

    assert response.status_code == 400
    assert response.json() == {"detail": PART_HEADERS_TOO_LONG, "errors": []}
    assert counts() == before


@pytest.mark.parametrize("endpoint", ["case", "message"])
@pytest.mark.parametrize("name", ["..", "a/..", "\x01\x02", "   "])
def test_an_upload_whose_name_cleans_to_nothing_is_refused_by_name(client, auth, agent, endpoints, endpoint, name):
    # given a file Django's parser would silently drop (the request then succeeding without it)
    path, values = endpoints[endpoint]
    before = counts()

    response = client.post(path, multipart(values, [(name, b"hello")]), content_type=FORM, **auth(agent))

    assert response.status_code == 422
    [message] = fields(response)["attachments"]
    assert "cannot be used as a file name" in message
    assert counts() == before


def test_the_refusal_names_the_file_as_sent(client, auth, agent, endpoints):
    path, values = endpoints["message"]

    response = client.post(path, multipart(values, [("..", b"hello")]), content_type=FORM, **auth(agent))

    assert fields(response)["attachments"] == [
        '".." cannot be used as a file name: rename the file and attach it again.'
    ]


def test_a_well_named_file_next_to_the_check_is_still_kept(client, auth, agent, endpoints):
    path, values = endpoints["message"]

    response = client.post(path, multipart(values, [("notes.txt", b"hello")]), content_type=FORM, **auth(agent))

    assert response.status_code == 201, response.json()
    assert Attachment.objects.get().filename == "notes.txt"


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("post", "/api/v1/cases", b'{"subject": ' + DEEP + b"}"), ("patch", "/api/v1/cases/C-000001", DEEP),
     ("post", "/api/v1/customers", b'{"name": ' + DEEP + b"}"), ("post", "/api/v1/cases/C-000001/messages", DEEP),
     ("post", "/api/v1/customers", b'{"name": ' + b'{"a": ' * 40 + b"1" + b"}" * 41)],
)  # fmt: skip
def test_json_nested_too_deep_is_a_400_that_says_so(client, auth, agent, case, method, path, body):
    before = counts()

    response = getattr(client, method)(path, body, content_type="application/json", **auth(agent))

    assert response.status_code == 400
    assert response.json() == {"detail": TOO_DEEP, "errors": []}
    assert counts() == before


def json_with(field: str, raw: str, **others: object) -> bytes:
    """A JSON object whose ``field`` holds ``raw`` exactly as written (an escape sequence stays one)."""
    import json

    rest = "".join(f", {json.dumps(name)}: {json.dumps(value)}" for name, value in others.items())
    return f'{{"{field}": "{raw}"{rest}}}'.encode()


@pytest.mark.parametrize(("raw", "problem"), [("\\ud800", HAS_SURROGATE), ("Kettle\\u0000", HAS_NUL)])
@pytest.mark.parametrize("field", ["subject", "body"])
def test_unstorable_text_in_a_new_case_is_a_422_naming_the_field(client, auth, agent, customer, field, raw, problem):
    values = {"customer": customer.pk, "subject": "Refund", "body": "Receipt attached."}
    values.pop(field)
    before = counts()

    response = client.post("/api/v1/cases", json_with(field, raw, **values), content_type="application/json",
                           **auth(agent))  # fmt: skip

    assert response.status_code == 422
    assert fields(response) == {field: [problem]}
    assert counts() == before


@pytest.mark.parametrize(("raw", "problem"), [("\\ud800", HAS_SURROGATE), ("Alice\\u0000", HAS_NUL)])
def test_unstorable_text_in_a_customer_name_is_a_422_naming_it(client, auth, agent, raw, problem):
    before = counts()

    response = client.post("/api/v1/customers", json_with("name", raw, email="a@example.com"),
                           content_type="application/json", **auth(agent))  # fmt: skip

    assert response.status_code == 422
    assert fields(response) == {"name": [problem]}
    assert counts() == before


def test_unstorable_text_in_a_change_goes_through_ninjas_parser_too(client, auth, agent, case):
    response = client.patch(f"/api/v1/cases/{case.reference}", json_with("subject", "\\ud800"),
                            content_type="application/json", **auth(agent))  # fmt: skip

    assert response.status_code == 422
    assert fields(response) == {"subject": [HAS_SURROGATE]}
    case.refresh_from_db()
    assert case.subject == "Broken kettle"


def test_a_nul_in_a_form_field_is_named(client, auth, agent, endpoints):
    path, values = endpoints["message"]
    before = counts()

    response = client.post(path, multipart({**values, "body": "Receipt\x00"}), content_type=FORM, **auth(agent))

    assert response.status_code == 422
    assert fields(response) == {"body": [HAS_NUL]}
    assert counts() == before


@pytest.mark.parametrize(("path", "param"), [("/api/v1/customers?q=Al%00", "q"), ("/api/v1/cases?tag=%00", "tag"),
                                             ("/api/v1/search?q=%00", "q")])  # fmt: skip
def test_a_nul_in_a_query_parameter_is_a_422_naming_it(client, auth, agent, case, path, param):
    response = client.get(path, **auth(agent))

    assert response.status_code == 422
    assert fields(response) == {param: [HAS_NUL]}


@pytest.mark.parametrize(("path", "param"), [("/api/v1/cases/C-00%00", "reference"),
                                             ("/api/v1/sla/cases/%00", "reference")])  # fmt: skip
def test_a_nul_in_a_path_parameter_is_a_422_naming_it(client, auth, agent, path, param):
    response = client.get(path, **auth(agent))

    assert response.status_code == 422
    assert fields(response) == {param: [HAS_NUL]}
