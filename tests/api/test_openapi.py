"""The OpenAPI document and the docs page: public, complete, and served without a CDN."""

from __future__ import annotations

import re
import typing

import pydantic
import pytest

PATHS = {
    "/api/v1/cases": {"get", "post"},
    "/api/v1/cases/bulk": {"post"},
    "/api/v1/saved-views": {"get", "post"},
    "/api/v1/saved-views/{view_id}": {"get", "patch", "delete"},
    "/api/v1/cases/{reference}": {"get", "patch"},
    "/api/v1/cases/{reference}/messages": {"get", "post"},
    "/api/v1/cases/{reference}/events": {"get"},
    "/api/v1/customers": {"get", "post"},
    "/api/v1/customers/{customer_id}": {"get", "patch", "delete"},
    "/api/v1/customers/{customer_id}/merge": {"post"},
    "/api/v1/users": {"get", "post"},
    "/api/v1/users/{user_id}": {"get", "patch"},
    "/api/v1/teams": {"get", "post"},
    "/api/v1/teams/{team_id}": {"get", "patch"},
    "/api/v1/exports/cases": {"get"},
    "/api/v1/exports/customers": {"get"},
    "/api/v1/exports/reports": {"get"},
    "/api/v1/exports/reports/{name}": {"get"},
    "/api/v1/exports/jobs/{job_id}": {"get"},
    "/api/v1/exports/jobs/{job_id}/file": {"get"},
    "/api/v1/search": {"get"},
    "/api/v1/me": {"get"},
    "/api/v1/attachments/{attachment_id}": {"get"},
    "/api/v1/attachments/{attachment_id}/preview": {"get"},
    "/api/v1/cases/{reference}/time": {"get", "post"},
    "/api/v1/time/categories": {"get"},
    "/api/v1/time/{entry_id}": {"patch", "delete"},
    "/api/v1/cases/{reference}/merge": {"post"},
    "/api/v1/cases/{reference}/split": {"post"},
    "/api/v1/cases/{reference}/cc": {"put"},
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
    "/api/v1/workforce/forecast": {"get"},
    "/api/v1/workforce/staffing": {"get"},
    "/api/v1/workforce/events": {"get", "post"},
    "/api/v1/workforce/events/{event_id}": {"delete"},
    "/api/v1/workforce/handling-times": {"get", "put"},
    "/api/v1/workforce/status": {"get", "put"},
    "/api/v1/workforce/rotas": {"get", "post"},
    "/api/v1/workforce/actuals": {"get"},
    "/api/v1/plans": {"get", "post"},
    "/api/v1/plans/{plan_id}": {"get", "patch"},
    "/api/v1/plans/{plan_id}/contingencies": {"post"},
    "/api/v1/plans/{plan_id}/firings": {"get"},
    "/api/v1/plans/{plan_id}/versions": {"get"},
    "/api/v1/plans/firings": {"get"},
    "/api/v1/plans/outages": {"get", "post"},
    "/api/v1/plans/outages/{outage_id}/restore": {"post"},
    "/api/v1/coaching/sessions": {"get", "post"},
    "/api/v1/coaching/sessions/{session_id}": {"get"},
    "/api/v1/coaching/sessions/{session_id}/actions": {"post"},
    "/api/v1/coaching/actions/{action_id}/done": {"post"},
    "/api/v1/coaching/targets": {"get", "post"},
    "/api/v1/coaching/appraisals": {"get", "post"},
    "/api/v1/coaching/appraisals/{appraisal_id}/comment": {"post"},
    "/api/v1/coaching/appraisals/{appraisal_id}/sign": {"post"},
    "/api/v1/workforce/shrinkage": {"get", "put"},
    "/api/v1/workforce/skills": {"get"},
    "/api/v1/workforce/skills/{agent_id}": {"put"},
    "/api/v1/outreach": {"get", "post"},
    "/api/v1/outreach/{outreach_id}": {"get"},
    "/api/v1/outreach/{outreach_id}/preview": {"get"},
    "/api/v1/outreach/{outreach_id}/send": {"post"},
    "/api/v1/outreach/{outreach_id}/recipients": {"get"},
    "/api/v1/improvement/standards": {"get"},
    "/api/v1/improvement/journey": {"get"},
    "/api/v1/improvement/gaps": {"get"},
    "/api/v1/improvement/initiatives": {"get", "post"},
    "/api/v1/improvement/initiatives/{initiative_id}": {"get"},
    "/api/v1/improvement/initiatives/{initiative_id}/check": {"get", "post"},
    "/api/v1/improvement/rules": {"get"},
    "/api/v1/improvement/kpis": {"get"},
    "/api/v1/improvement/tone": {"get", "post"},
    "/api/v1/improvement/tone/check": {"post"},
    "/api/v1/improvement/tone/{entry_id}": {"delete"},
    "/api/v1/notifications": {"get"},
    "/api/v1/notifications/read-all": {"post"},
    "/api/v1/notifications/{notification_id}/read": {"post"},
    "/api/v1/notifications/follows/{reference}": {"post", "delete"},
    "/api/v1/webhooks": {"get", "post"},
    "/api/v1/chats": {"get"},
    "/api/v1/chats/{chat_id}/transcript": {"get"},
    "/api/v1/chat/availability": {"get"},
    "/api/v1/webhooks/{webhook_id}": {"get", "patch", "delete"},
    "/api/v1/webhooks/{webhook_id}/rotate-secret": {"post"},
    "/api/v1/webhooks/{webhook_id}/deliveries": {"get"},
    "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver": {"post"},
    "/api/v1/routing/teams": {"get"},
    "/api/v1/routing/teams/{team_id}": {"get", "patch"},
    "/api/v1/routing/agents/{agent_id}/capacity": {"put"},
    "/api/v1/routing/cases/{reference}/route": {"post"},
    "/api/v1/routing/decisions": {"get"},
    "/api/v1/automation/rules": {"get", "post"},
    "/api/v1/automation/rules/{rule_id}": {"get", "patch", "delete"},
    "/api/v1/automation/rules/{rule_id}/dry-run": {"get"},
    "/api/v1/automation/rules/{rule_id}/firings": {"get"},
    "/api/v1/sla/cases/{reference}": {"get"},
    "/api/v1/sla/cases/{reference}/promise": {"post"},
    "/api/v1/sla/report": {"get"},
    "/api/v1/sla/settings": {"get"},
    "/api/v1/kb/articles": {"get", "post"},
    "/api/v1/kb/articles/{article_id}": {"get", "patch"},
    "/api/v1/kb/articles/{article_id}/versions": {"get"},
    "/api/v1/kb/articles/{article_id}/feedback": {"post"},
    "/api/v1/kb/search": {"get"},
    "/api/v1/language/review": {"post"},
    "/api/v1/macros": {"get", "post"},
    "/api/v1/macros/{macro_id}": {"get", "patch", "delete"},
    "/api/v1/cases/{reference}/macros/{macro_id}/apply": {"post"},
    "/api/v1/quality/scorecards": {"get", "post"},
    "/api/v1/quality/scorecards/{scorecard_id}": {"get"},
    "/api/v1/quality/scorecards/{scorecard_id}/versions": {"post"},
    "/api/v1/quality/reviews": {"get", "post"},
    "/api/v1/quality/reviews/{review_id}": {"get", "put"},
    "/api/v1/quality/reviews/{review_id}/replies": {"post"},
    "/api/v1/quality/reviews/{review_id}/dispute": {"post"},
    "/api/v1/quality/reviews/{review_id}/decision": {"post"},
    "/api/v1/quality/report": {"get"},
    "/api/v1/quality/calibrations": {"get", "post"},
    "/api/v1/quality/calibrations/{calibration_id}": {"get"},
    "/api/v1/quality/calibrations/{calibration_id}/reviews": {"post"},
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


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").json()


def operations(spec):
    return [(method, path, op) for path, methods in spec["paths"].items() for method, op in methods.items()]


def test_operation_ids_read_as_names(spec):
    ids = {f"{method} {path}": operation["operationId"] for method, path, operation in operations(spec)}

    assert ids["get /api/v1/cases"] == "cases_list"
    assert ids["post /api/v1/cases"] == "cases_create"
    assert ids["get /api/v1/me"] == "me_get"
    assert ids["get /api/v1/sla/report"] == "sla_report"
    assert ids["post /api/v1/complaints/approvals/{approval_id}/decision"] == "complaints_decide"
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)+", name) for name in ids.values()), ids
    assert not [name for name in ids.values() if "rapport" in name or "_api_" in name]
    assert len(set(ids.values())) == len(ids)


def test_every_operation_has_a_description(spec):
    undescribed = [f"{method.upper()} {path}" for method, path, operation in operations(spec)
                   if not operation.get("description", "").strip()]  # fmt: skip

    assert undescribed == []


def _models_in(annotation):
    """Every pydantic model an annotation names, however deeply (lists, unions, dicts)."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models_in(field.annotation)
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def test_no_two_schemas_share_a_name():
    # The document names each schema by its class name: two classes with one name means one
    # operation is documented with the other's shape (as the SLA report once had the complaint report's).
    from rapport.api import api

    seen: dict[str, set[str]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                responses = [m for m in operation.response_models.values() if isinstance(m, type)]
                wrappers = [*operation.models, *responses]
                for wrapper in wrappers:
                    for field in wrapper.model_fields.values():
                        for model in _models_in(field.annotation):
                            seen.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")

    assert {name: places for name, places in seen.items() if len(places) > 1} == {}
    assert {"AttainmentReportOut", "ComplaintReportOut"} <= set(seen)


def test_the_sla_report_is_documented_with_its_own_shape(spec):
    response = spec["paths"]["/api/v1/sla/report"]["get"]["responses"]["200"]
    name = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]

    assert set(spec["components"]["schemas"][name]["properties"]) == {"start", "end", "overall", "rows"}


@pytest.mark.parametrize(
    "path", ["/api/v1/complaints/approvals/{approval_id}/decision", "/api/v1/complaints/{reference}/final-response"]
)
def test_the_conflicts_of_a_decision_and_a_final_response_are_documented(spec, path):
    response = spec["paths"][path]["post"]["responses"]["409"]

    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


def test_attachments_are_documented_as_the_types_they_are_served_with(spec):
    from rapport.domain.attachments import ALLOWED

    content = spec["paths"]["/api/v1/attachments/{attachment_id}"]["get"]["responses"]["200"]["content"]

    assert set(content) == {kind.content_type for kind in ALLOWED.values()}
    assert "application/octet-stream" not in content
