"""The Neo4j store's own concerns: its Cypher files, and errors when the server is away or refuses us."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import neo4j
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import StoreUnavailable
from api.settings import Settings
from api.stores import make_store
from api.stores.base import Window
from api.stores.neo4j import Neo4jStore
from graph_loader.cypher import CYPHER_DIR, registry

STORE_SOURCE = (Path(__file__).resolve().parents[3] / "api" / "stores" / "neo4j.py").read_text(encoding="utf-8")
_CALL = re.compile(r"self\.(_rows|_list|_paged|_subgraph)\(\s*\"(\w+)\"")
# Files of the loader, the schema and the lead's tools; every other file is a query of this store.
_NOT_QUERIES = re.compile(r"^(load_|schema|admin_)")


def _calls() -> dict[str, str]:
    """Query file -> how the store runs it (_rows: one-off, _list / _subgraph: capped list, _paged: a count and
    a page)."""
    return {name: how for how, name in _CALL.findall(STORE_SOURCE)}


def test_the_store_runs_only_files_of_the_registry() -> None:
    calls = _calls()
    assert len(calls) >= 18
    assert set(calls) <= set(registry())
    assert "subgraph_rels" in calls and "health_documents" in calls


def test_every_query_file_is_run_by_the_store() -> None:
    queries = {name for name in registry() if not _NOT_QUERIES.match(name)}
    assert queries == set(_calls())


@pytest.mark.parametrize("name", sorted(_calls()))
def test_headers_match_the_parameters(name: str) -> None:
    cypher = registry()[name]
    assert cypher.header.startswith(f"{name}: ")
    assert cypher.declared_parameters == cypher.used_parameters
    assert "Result columns:" in cypher.header
    assert len(cypher.statements) == 1
    if _calls()[name] in ("_list", "_subgraph"):  # capped lists end with LIMIT $limit
        assert re.search(r"LIMIT \$limit\s*$", cypher.body), f"{name} is a list and must end with LIMIT $limit"
    if _calls()[name] == "_paged":  # counts at most $limit rows, projects $take of them, returns one row
        assert "LIMIT $limit" in cypher.body and "[$skip..($skip + $take)]" in cypher.body
        assert re.search(r"RETURN size\(found\) AS found, page\s*$", cypher.body)
    assert (CYPHER_DIR / f"{name}.cypher").is_file()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def unreachable() -> Neo4jStore:
    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{_closed_port()}", query_timeout=1)
    store = make_store(settings)
    assert isinstance(store, Neo4jStore)
    return store


def test_an_unreachable_server_answers_503(unreachable: Neo4jStore) -> None:
    with pytest.raises(StoreUnavailable) as caught:
        unreachable.documents(Window())
    assert isinstance(caught.value.__cause__, neo4j.exceptions.ServiceUnavailable)
    client = TestClient(create_app(Settings(), unreachable))
    r = client.get("/agencies/市大数据局/partners")
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "store_unavailable"
    assert r.json()["error"]["message"].endswith("is not reachable")
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json() | {"detail": None} == {"store": "neo4j", "reachable": False, "documents": None,
                                                "detail": None}
    unreachable.close()


@pytest.mark.neo4j
def test_refused_credentials_answer_503(neo4j_driver: neo4j.Driver) -> None:
    (address,) = [neo4j_driver.get_server_info().address]
    driver = neo4j.GraphDatabase.driver(f"bolt://{address[0]}:{address[1]}", auth=("neo4j", "not-the-password"))
    store = Neo4jStore(driver, uri="the test server")
    try:
        with pytest.raises(StoreUnavailable) as caught:
            store.topics(Window())
        assert "refused the credentials" in caught.value.message
        assert isinstance(caught.value.__cause__, neo4j.exceptions.AuthError)
        assert store.health().reachable is False
    finally:
        store.close()
