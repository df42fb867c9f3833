"""The API on Neo4j while the server goes away and comes back.

With the server stopped, every query answers 503 in the one error shape, soon
(within about the query timeout, not the driver's 30 s of retries), and /health
says the store is unreachable. Started again, the same app — the same store and
driver objects, no restart — answers exactly as before.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import neo4j
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.stores.neo4j import Neo4jStore
from graph_loader import Plan
from graph_loader.loader import load_plans

from ..conftest import local_neo4j, neo4j_auth, neo4j_uri  # noqa: TID252
from ..server_faults import server_under_test  # noqa: TID252
from .test_errors import assert_error_shape

QUERY_TIMEOUT = 2.0
# Reads of every kind: lists, a name to resolve first, one task, the network, a file export.
PATHS = (
    "/documents",
    "/tasks?q=人工智能",
    "/tasks/{task}",
    "/agencies/市大数据局/partners",
    "/goals?topic=人工智能",
    "/network",
    "/exports/network?format=json",
)


@pytest.fixture
def stoppable_neo4j(empty_neo4j: neo4j.Driver, plan: Plan) -> Iterator[neo4j.Driver]:
    """The suite's server holding the plan; the test may stop it, and it runs again afterwards."""
    load_plans(empty_neo4j, [plan])
    with server_under_test():
        yield empty_neo4j


@pytest.mark.neo4j
def test_neo4j_stopped_then_started_while_the_api_serves(stoppable_neo4j: neo4j.Driver, plan: Plan) -> None:
    uri = neo4j_uri()
    user, password = neo4j_auth()
    settings = Settings(neo4j_uri=uri, neo4j_user=user, neo4j_password=password, query_timeout=QUERY_TIMEOUT)
    paths = [p.format(task=plan.tasks[2].id) for p in PATHS]
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        assert isinstance(store, Neo4jStore)
        driver = store.driver
        before = {path: client.get(path) for path in paths}
        assert {path: r.status_code for path, r in before.items()} == dict.fromkeys(paths, 200)
        assert before["/documents"].json()["count"] == 1
        assert before[f"/tasks/{plan.tasks[2].id}"].json()["title"] == "产业集群培育"
        assert client.get("/health").json() == {
            "store": "neo4j", "reachable": True, "documents": 1, "detail": f"Neo4j at {uri}, 1 document(s)",
        }

        assert local_neo4j().stop() is True
        for path in paths:
            started = time.perf_counter()
            r = client.get(path)
            seconds = time.perf_counter() - started
            assert r.status_code == 503, (path, r.text)
            assert_error_shape(r.json(), 503, "store_unavailable")
            assert r.json()["error"]["message"] == f"Neo4j at {uri} is not reachable"
            assert seconds < QUERY_TIMEOUT + 8, f"{path} took {seconds:.1f} s to say 503"
        health = client.get("/health")
        assert health.status_code == 200
        assert health.json() == {
            "store": "neo4j", "reachable": False, "documents": None, "detail": f"Neo4j at {uri} is not reachable",
        }

        local_neo4j().start()
        # A server just started may take longer than the 2 s query timeout for each path's first, cold
        # query (504; on a loaded machine, one path after another): the same app must answer every path
        # again by itself within a minute, each as it did before.
        deadline = time.monotonic() + 60
        after = {path: client.get(path) for path in paths}
        while (failing := {path: r.status_code for path, r in after.items() if r.status_code != 200}):
            assert set(failing.values()) <= {503, 504}, failing
            assert time.monotonic() < deadline, f"not answering again within 60 s of Neo4j's start: {failing}"
            time.sleep(0.5)
            after |= {path: client.get(path) for path in failing}
        assert {path: r.content for path, r in after.items()} == {path: r.content for path, r in before.items()}
        assert client.get("/health").json()["reachable"] is True
        assert client.app.state.store is store and store.driver is driver  # type: ignore[attr-defined]
