"""The local Neo4j the project runs: loopback only, Browser served, Docker settings in step."""

from __future__ import annotations

import socket
import urllib.request
from urllib.parse import urlsplit

import neo4j
import pytest

from graph_loader import neo4j_server

from ..conftest import ROOT  # noqa: TID252


def _non_loopback_addresses() -> list[str]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        # No packet is sent: connect() on UDP only picks the interface a route would use.
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return []
    return [] if address.startswith("127.") else [address]


@pytest.mark.neo4j
def test_the_server_runs_where_status_says(neo4j_driver: neo4j.Driver) -> None:
    info = neo4j_server.status()
    assert info is not None, "make test starts the server with `policykg neo4j start`"
    assert info.version == neo4j_server.NEO4J_VERSION == "5.26.30"
    assert urlsplit(info.bolt_uri).hostname == "127.0.0.1"
    assert info.bolt_uri == neo4j_server.local_bolt_uri()
    records, _, _ = neo4j_driver.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v")
    assert records[0]["v"] == neo4j_server.NEO4J_VERSION


@pytest.mark.neo4j
def test_browser_is_served(neo4j_driver: neo4j.Driver) -> None:
    info = neo4j_server.status()
    assert info is not None
    with urllib.request.urlopen(f"{info.http_url}/browser/", timeout=10) as response:
        assert response.status == 200
        assert "<title>Neo4j Browser</title>" in response.read().decode("utf-8")


@pytest.mark.neo4j
def test_listens_on_loopback_only(neo4j_driver: neo4j.Driver) -> None:
    info = neo4j_server.status()
    assert info is not None
    port = urlsplit(info.bolt_uri).port
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    for address in _non_loopback_addresses():
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=5).close()
    conf = (neo4j_server.cache_dir() / "conf" / "neo4j.conf").read_text(encoding="utf-8")
    assert "server.default_listen_address=127.0.0.1" in conf


def test_docker_compose_is_in_step_with_the_local_server() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert f"image: neo4j:{neo4j_server.NEO4J_VERSION}-community" in compose
    assert f"NEO4J_server_memory_heap_initial__size: {neo4j_server.HEAP_INITIAL}" in compose
    assert f"NEO4J_server_memory_heap_max__size: {neo4j_server.HEAP_MAX}" in compose
    assert f"NEO4J_server_memory_pagecache_size: {neo4j_server.PAGECACHE}" in compose
    assert '"127.0.0.1:7474:7474"' in compose and '"127.0.0.1:7687:7687"' in compose
