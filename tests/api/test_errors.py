"""Every error answers in one JSON shape, with the status its class carries, and never a stack trace."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import ApiError, BadInput, NotFound, QueryTimeout, StoreError, StoreUnavailable
from api.settings import Settings
from api.stores.memory import MemoryStore


def assert_error_shape(body: dict[str, Any], status: int, code: str) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)


def test_unknown_agency(client: TestClient) -> None:
    r = client.get("/agencies/大数据局")
    assert r.status_code == 404
    assert_error_shape(r.json(), 404, "not_found")
    assert r.json()["error"]["details"]["suggestions"][0] == {"id": "青岛:市大数据局", "name": "市大数据局"}


def test_fastapi_validation_errors_take_the_same_shape(client: TestClient) -> None:
    r = client.get("/agencies", params={"limit": 0})
    assert r.status_code == 422
    body = r.json()
    assert_error_shape(body, 422, "validation_error")
    assert body["error"]["details"]["errors"] == [
        {"loc": ["query", "limit"], "message": "Input should be greater than or equal to 1", "type": "greater_than_equal"}
    ]


def test_bad_input_from_the_api(client: TestClient) -> None:
    r = client.get("/agencies", params={"limit": 1001})
    assert r.status_code == 422
    assert_error_shape(r.json(), 422, "bad_input")
    assert r.json()["error"]["message"] == "limit is at most 1000 (the row cap)"


def test_unknown_route_and_method(client: TestClient) -> None:
    r = client.get("/no/such/thing")
    assert r.status_code == 404
    assert_error_shape(r.json(), 404, "not_found")
    r = client.post("/agencies")
    assert r.status_code == 405
    assert_error_shape(r.json(), 405, "method_not_allowed")


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (NotFound("gone"), 404, "not_found"),
        (BadInput("bad"), 422, "bad_input"),
        (StoreUnavailable("Neo4j is not reachable"), 503, "store_unavailable"),
        (QueryTimeout("too slow"), 504, "query_timeout"),
        (StoreError("bug"), 500, "store_error"),
    ],
)
def test_each_error_class_carries_its_status(store: MemoryStore, error: ApiError, status: int, code: str) -> None:
    app = create_app(Settings(), store)

    def fail() -> None:
        raise error

    app.add_api_route("/fail", fail)
    r = TestClient(app).get("/fail")
    assert r.status_code == status == error.status
    assert_error_shape(r.json(), status, code)
    assert r.json()["error"]["message"] == error.message


def test_unexpected_errors_hide_the_trace(store: MemoryStore) -> None:
    app = create_app(Settings(), store)

    def crash() -> None:
        raise RuntimeError("secret internals at /srv/app.py line 12")

    app.add_api_route("/crash", crash)
    r = TestClient(app, raise_server_exceptions=False).get("/crash")
    assert r.status_code == 500
    assert_error_shape(r.json(), 500, "internal_error")
    assert "secret" not in r.text and "Traceback" not in r.text


def test_openapi_documents_the_error_shape(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/agencies/{agency}"]["get"]["responses"]
    assert responses["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
