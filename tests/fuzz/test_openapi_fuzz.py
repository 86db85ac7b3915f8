"""Every operation of the OpenAPI document, fuzzed by schemathesis: no 5xx, and every answer in the
shape the document gives for its status (``make test-api-fuzz``; not part of ``make test``).

Fixed seed, so a failure is found again by running again. See conftest.py for the data.
"""

from __future__ import annotations

import json
import os

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from rapport.api import api
from rapport.wsgi import application

from .conftest import FIGURES

# Each operation's examples run in a transaction rolled back after them: one operation's writes
# never reach the next operation's requests.
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

SEED = 20261204
EXAMPLES = 25  # per operation, in the fuzzing phase; the examples and coverage phases add their own
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
ROLES = ("manager", "agent", "customer")

# Operations that erase, restrict or overwrite a person's data for good: their path parameters come
# only from the customer seeded for them, never from data the other operations read.
DESTRUCTIVE = frozenset({
    "POST /api/v1/privacy/customers/{customer_id}/erasure",
    "POST /api/v1/privacy/requests/{reference}/restriction",
    "POST /api/v1/privacy/customers/{customer_id}/restriction/lift",
    "POST /api/v1/privacy/requests/{reference}/objection",
    "POST /api/v1/privacy/requests/{reference}/rectification",
    "DELETE /api/v1/customers/{customer_id}",
    "POST /api/v1/customers/{customer_id}/merge",
})  # fmt: skip

# Built from the API object rather than fetched, so loading the tests touches no database.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(), default=str)),
    config=schemathesis.Config.from_dict({"seed": SEED, "generation": {"max-examples": EXAMPLES}}),
)
schema.app = application
if only := os.environ.get("RAPPORT_FUZZ_PATHS"):  # e.g. "^/api/v1/quality/": one area, for a quicker run
    schema = schema.include(path_regex=only)


@schema.parametrize()
@schema.given(data=st.data())
@hypothesis.settings(deadline=None, suppress_health_check=list(hypothesis.HealthCheck), database=None)
def test_every_operation_answers_within_its_document(case, data, desk):
    label = f"{case.method.upper()} {case.path}"
    pool = desk.sacrificial if label in DESTRUCTIVE else desk.shared
    for name, value in list((case.path_parameters or {}).items()):
        if pool.get(name):
            case.path_parameters[name] = data.draw(st.sampled_from([value, *pool[name]]), label=name)
        elif label in DESTRUCTIVE:
            case.path_parameters[name] = data.draw(st.integers(10**6, 10**7), label=name)
    FIGURES.examples[label] += 1
    for role in ROLES:
        response = case.call(headers={"Authorization": f"Bearer {desk.tokens[role]}"})
        FIGURES.statuses[response.status_code] += 1
        if response.status_code >= 500:
            FIGURES.server_errors[label] += 1
        case.validate_response(response, checks=CHECKS)
