"""POST /api/v1/language/review: findings with spans for staff; bad input is a 422 naming the field."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import fields

URL = "/api/v1/language/review"


def post(client, headers, body) -> object:
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


def test_findings_come_with_their_spans_quotes_and_suggestions(client, auth, agent, django_assert_max_num_queries):
    text = "You'll have to wait. Your RMA will be processed in due course."
    with django_assert_max_num_queries(3):
        response = post(client, auth(agent), {"text": text})
    assert response.status_code == 200
    body = response.json()
    found = [(f["code"], f["quote"]) for f in body["findings"]]
    assert found == [
        ("negative_phrasing", "You'll have to wait"),
        ("no_ownership", "Your RMA will be processed"),
        ("jargon", "RMA"),
        ("no_next_step", "in due course"),
    ]
    for finding in body["findings"]:
        assert text[finding["start"] : finding["end"]] == finding["quote"]
        assert finding["explanation"]
    assert body["codes"][0] == "negative_phrasing"


def test_the_complaint_flag_asks_for_empathy(client, auth, agent):
    text = "Your refund will reach you on Monday."
    assert post(client, auth(agent), {"text": text}).json()["codes"] == []
    assert post(client, auth(agent), {"text": text, "complaint": True}).json()["codes"] == ["no_empathy"]


def test_an_organisations_own_terms_are_jargon(client, auth, agent, settings):
    settings.RAPPORT_LANGUAGE_JARGON = ("Genesys",)
    body = post(client, auth(agent), {"text": "I have noted it on Genesys and will call you on Friday."}).json()
    assert [f["quote"] for f in body["findings"]] == ["Genesys"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": 42}, "text"),
        ({"text": "a" * 20_001}, "text"),
        ({"text": "ok", "complaint": "perhaps"}, "complaint"),
        ({"text": "ok", "colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, auth, agent, body, field):
    response = post(client, auth(agent), body)
    assert response.status_code == 422
    assert any(name and field in name for name in fields(response)), fields(response)


def test_customers_and_strangers_cannot_use_it(client, auth, customer_user):
    assert post(client, auth(customer_user), {"text": "We can't."}).status_code == 404
    assert post(client, {}, {"text": "We can't."}).status_code == 401


def test_it_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/language/review"]["post"]
    assert operation["operationId"] == "language_review"
    assert "422" in operation["responses"]
