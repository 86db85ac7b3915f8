"""The OpenAPI document and the docs page: public, complete, and served without a CDN."""

from __future__ import annotations

import pytest

PATHS = {
    "/api/v1/cases": {"get", "post"},
    "/api/v1/cases/{reference}": {"get", "patch"},
    "/api/v1/cases/{reference}/messages": {"get", "post"},
    "/api/v1/cases/{reference}/events": {"get"},
    "/api/v1/customers": {"get", "post"},
    "/api/v1/customers/{customer_id}": {"get"},
    "/api/v1/search": {"get"},
    "/api/v1/me": {"get"},
    "/api/v1/attachments/{attachment_id}": {"get"},
    "/api/v1/privacy/requests": {"post"},
    "/api/v1/privacy/requests/{reference}": {"get"},
    "/api/v1/privacy/customers/{customer_id}/adjustments": {"get", "post"},
    "/api/v1/privacy/customers/{customer_id}/consents": {"get", "post"},
    "/api/v1/privacy/customers/{customer_id}/access-log": {"get"},
    "/api/v1/privacy/customers/{customer_id}/export": {"post"},
    "/api/v1/privacy/customers/{customer_id}/erasure": {"post"},
    "/api/v1/privacy/requests/{reference}/restriction": {"post"},
    "/api/v1/privacy/customers/{customer_id}/restriction/lift": {"post"},
    "/api/v1/privacy/customers/{customer_id}/restrictions": {"get"},
    "/api/v1/privacy/requests/{reference}/objection": {"post"},
    "/api/v1/privacy/requests/{reference}/rectification": {"post"},
    "/api/v1/complaints/{reference}": {"get"},
    "/api/v1/complaints/{reference}/assessment": {"get", "put"},
    "/api/v1/complaints/{reference}/hear": {"post"},
    "/api/v1/complaints/{reference}/empathise": {"post"},
    "/api/v1/complaints/{reference}/apologise": {"post"},
    "/api/v1/complaints/{reference}/ownership": {"post"},
    "/api/v1/complaints/{reference}/outcome": {"post"},
    "/api/v1/complaints/{reference}/escalate": {"post"},
    "/api/v1/complaints/{reference}/override": {"post"},
    "/api/v1/complaints/{reference}/awards": {"post"},
    "/api/v1/complaints/{reference}/final-response": {"post"},
    "/api/v1/complaints/approvals/{approval_id}/decision": {"post"},
    "/api/v1/complaints/reports/{name}": {"get"},
    "/api/v1/feedback/kpis": {"get"},
    "/api/v1/feedback/surveys/{token}/answer": {"post"},
    "/api/v1/feedback/customers/{customer_id}/orders": {"post"},
    "/api/v1/feedback/customers/{customer_id}/value": {"get"},
    "/api/v1/feedback/rater-invitations": {"get", "post"},
    "/api/v1/learning/units": {"get"},
    "/api/v1/learning/units/{unit_id}": {"get"},
    "/api/v1/learning/questions/{question_id}/answers": {"post"},
    "/api/v1/learning/answers/{answer_id}": {"get"},
    "/api/v1/sla/cases/{reference}": {"get"},
    "/api/v1/sla/report": {"get"},
    "/api/v1/sla/settings": {"get"},
}


def test_the_openapi_document_lists_every_path(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    spec = response.json()
    assert spec["info"]["title"] == "Rapport API"
    assert {path: set(methods) for path, methods in spec["paths"].items()} == PATHS
    assert set(spec["components"]["securitySchemes"]) == {"BearerToken", "SessionWithCsrf"}


def test_uploads_are_documented_as_json_or_a_form_with_files(client):
    spec = client.get("/api/v1/openapi.json").json()

    content = spec["paths"]["/api/v1/cases"]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    assert content["multipart/form-data"]["schema"]["properties"]["attachments"]["items"]["format"] == "binary"
    priority = content["application/json"]["schema"]["properties"]["priority"]
    assert priority["enum"] == ["low", "normal", "high", "urgent"]


@pytest.mark.parametrize("code", ["401", "404", "422"])
def test_errors_are_documented_with_the_one_error_shape(client, code):
    spec = client.get("/api/v1/openapi.json").json()

    response = spec["paths"]["/api/v1/cases"]["post"]["responses"][code]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert set(spec["components"]["schemas"]["ErrorOut"]["properties"]) == {"detail", "errors"}


def test_the_docs_page_loads_its_scripts_from_this_site(client, settings):
    # ninja serves its own copy of Swagger UI only when "ninja" is an installed app (else a CDN).
    if "ninja" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "ninja"]

    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/openapi.json" in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
