"""Requests no client should send: every route fuzzed from the OpenAPI schema, and parameters past their limits.

Schemathesis generates requests from the app's own OpenAPI schema (schema-valid
and schema-invalid ones) and runs them in process against the embedded store
over source_text/ — what `policykg serve` answers on a fresh machine. No request
may get a 500, a response outside its declared schema, status or content type,
a schema-invalid request must be refused with 4xx, and a 405 must name the
allowed methods. The limits (docs/LIMITS.md) answer 422 in the one error shape.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from api.deps import MAX_MIN_WEIGHT, MAX_OFFSET, MAX_TEXT
from api.settings import Settings
from api.stores.memory import MemoryStore

from .test_errors import assert_error_shape

SERVED = Settings()
APP = create_app(SERVED, MemoryStore.from_directory(SERVED.source_dir, row_cap=SERVED.row_cap))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_route_answers_within_its_schema(case: schemathesis.Case) -> None:
    # Not "schema-valid requests are accepted": two documented rules lie outside what OpenAPI can say
    # (limit at most the row cap, which is a setting; role only with agency) and answer 422 bad_input.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


# -- the limits ------------------------------------------------------------------------------------------------

TOO_LONG = "数" * (MAX_TEXT + 1)


@pytest.mark.parametrize(
    ("path", "params", "loc", "kind"),
    [
        ("/tasks", {"q": "a" * 10_000}, ["query", "q"], "string_too_long"),
        ("/tasks", {"q": TOO_LONG}, ["query", "q"], "string_too_long"),
        ("/tasks", {"project": TOO_LONG}, ["query", "project"], "string_too_long"),
        ("/tasks", {"agency": TOO_LONG}, ["query", "agency"], "string_too_long"),
        ("/goals", {"document": TOO_LONG}, ["query", "document"], "string_too_long"),
        ("/goals", {"topic": TOO_LONG}, ["query", "topic"], "string_too_long"),
        ("/agencies", {"jurisdiction": TOO_LONG}, ["query", "jurisdiction"], "string_too_long"),
        ("/agencies", {"kind": TOO_LONG}, ["query", "kind"], "string_too_long"),
        (f"/agencies/{TOO_LONG}", {}, ["path", "agency"], "string_too_long"),
        (f"/agencies/市大数据局/partners/{TOO_LONG}", {}, ["path", "other"], "string_too_long"),
        (f"/tasks/{TOO_LONG}", {}, ["path", "task_id"], "string_too_long"),
        (f"/exports/topics/{TOO_LONG}", {}, ["path", "topic"], "string_too_long"),
        (f"/exports/documents/{TOO_LONG}", {}, ["path", "document"], "string_too_long"),
        ("/tasks", {"offset": 10**18}, ["query", "offset"], "less_than_equal"),
        ("/documents", {"offset": MAX_OFFSET + 1}, ["query", "offset"], "less_than_equal"),
        ("/network", {"min_weight": 10**30}, ["query", "min_weight"], "less_than_equal"),
        ("/exports/network", {"min_weight": MAX_MIN_WEIGHT + 1}, ["query", "min_weight"], "less_than_equal"),
        ("/exports/agencies/市大数据局/ego", {"radius": 10**9}, ["query", "radius"], "less_than_equal"),
        ("/tasks", {"limit": "9" * 5000}, ["query", "limit"], "int_parsing_size"),
    ],
)
def test_parameters_past_their_limits_answer_422(
    client: TestClient, path: str, params: dict[str, Any], loc: list[str], kind: str
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 422
    body = r.json()
    assert_error_shape(body, 422, "validation_error")
    assert [(e["loc"], e["type"]) for e in body["error"]["details"]["errors"]] == [(loc, kind)]


@pytest.mark.parametrize("limit", [1001, 10**9, 10**30])
def test_a_limit_past_the_row_cap_answers_422(client: TestClient, limit: int) -> None:
    r = client.get("/tasks", params={"limit": limit})
    assert r.status_code == 422
    assert_error_shape(r.json(), 422, "bad_input")
    assert r.json()["error"]["message"] == "limit is at most 1000 (the row cap)"


def test_values_at_the_limits_are_served(client: TestClient) -> None:
    assert client.get("/tasks", params={"q": "数" * MAX_TEXT}).json() == {"data": [], "count": 0, "truncated": False}
    assert client.get("/tasks", params={"offset": MAX_OFFSET, "limit": 1000}).json() == {
        "data": [], "count": 54, "truncated": False,
    }
    r = client.get("/network", params={"min_weight": MAX_MIN_WEIGHT})
    assert r.status_code == 200 and r.json()["edges"]["count"] == 0


# -- odd values that pass the limits, on both stores -------------------------------------------------------------

# A project is named by id or number; digits int() refuses (²) and numbers past any project's name no project
# (0 tasks: a 404 listing the numbers there are).
PROJECTS = {"３": 3, "٣": 3, "三": 3, "三、": 3, "²": 0, "9" * 19: 0, "9" * 200: 0, "青岛-2025-数字青岛行动方案:p3": 3}



@pytest.mark.neo4j
@pytest.mark.parametrize(("project", "tasks"), PROJECTS.items())
def test_odd_project_numbers_answer_alike_on_both_stores(
    client: TestClient, neo4j_client: TestClient, project: str, tasks: int
) -> None:
    embedded = client.get("/tasks", params={"project": project})
    on_neo4j = neo4j_client.get("/tasks", params={"project": project})
    expected = 200 if tasks else 404
    assert (embedded.status_code, on_neo4j.status_code) == (expected, expected)
    if tasks:
        assert embedded.json()["count"] == on_neo4j.json()["count"] == tasks
    assert embedded.json() == on_neo4j.json()
