"""The local Neo4j the project runs: loopback only, Browser served, locked to its own origin, Docker in step.

The server tests talk to the one `make test` starts (`policykg neo4j start`); the
unit tests build configurations and files of their own and start nothing.
"""

from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import neo4j
import pytest

from api.settings import Settings, SettingsError
from local_neo4j import HEAP_INITIAL, HEAP_MAX, NEO4J_VERSION, PAGECACHE, LocalNeo4j, Neo4jServerError, ServerConfig
from local_neo4j.install import Paths, write_conf
from local_neo4j.java import find_java
from local_neo4j.process import command

from ..conftest import ROOT, local_neo4j, neo4j_auth, neo4j_uri  # noqa: TID252


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
    info = local_neo4j().status()
    assert info is not None, "make test starts the server with `policykg neo4j start`"
    assert info.version == NEO4J_VERSION == "5.26.30"
    assert urlsplit(info.bolt_uri).hostname == "127.0.0.1"
    assert info.bolt_uri == local_neo4j().bolt_uri == neo4j_uri()
    records, _, _ = neo4j_driver.execute_query("CALL dbms.components() YIELD versions RETURN versions[0] AS v")
    assert records[0]["v"] == NEO4J_VERSION


@pytest.mark.neo4j
def test_browser_is_served(neo4j_driver: neo4j.Driver) -> None:
    info = local_neo4j().status()
    assert info is not None
    with urllib.request.urlopen(f"{info.http_url}/browser/", timeout=10) as response:
        assert response.status == 200
        assert "<title>Neo4j Browser</title>" in response.read().decode("utf-8")


def _cypher_over_http(http_url: str, origin: str | None) -> tuple[int, str | None]:
    user, password = neo4j_auth()
    headers = {"Content-Type": "application/json",
               "Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}
    if origin:
        headers["Origin"] = origin
    request = urllib.request.Request(f"{http_url}/db/neo4j/tx/commit", headers=headers,
                                     data=b'{"statements":[{"statement":"MATCH (d:Document) RETURN count(d)"}]}')
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get("Access-Control-Allow-Origin")


@pytest.mark.neo4j
def test_no_foreign_web_page_may_drive_the_http_api(neo4j_driver: neo4j.Driver) -> None:
    info = local_neo4j().status()
    assert info is not None
    status, allowed = _cypher_over_http(info.http_url, "http://evil.example")
    # A browser only hands the answer to a page whose origin the header names: here only the Browser's own.
    assert allowed == info.http_url and allowed not in ("*", "http://evil.example")
    assert _cypher_over_http(info.http_url, info.http_url) == (200, info.http_url)
    assert _cypher_over_http(info.http_url, None)[0] == 200 == status


@pytest.mark.neo4j
def test_listens_on_loopback_only(neo4j_driver: neo4j.Driver) -> None:
    server = local_neo4j()
    info = server.status()
    assert info is not None
    port = urlsplit(info.bolt_uri).port
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    for address in _non_loopback_addresses():
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=5).close()
    conf = server.conf_path.read_text(encoding="utf-8")
    assert "server.default_listen_address=127.0.0.1" in conf


def test_docker_compose_is_in_step_with_the_local_server() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert f"image: neo4j:{NEO4J_VERSION}-community" in compose
    assert f"NEO4J_server_memory_heap_initial__size: {HEAP_INITIAL}" in compose
    assert f"NEO4J_server_memory_heap_max__size: {HEAP_MAX}" in compose
    assert f"NEO4J_server_memory_pagecache_size: {PAGECACHE}" in compose
    assert '"127.0.0.1:7474:7474"' in compose and '"127.0.0.1:7687:7687"' in compose


# -- without a server --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ports", "message"), [
    ((7687, 7687), "the Bolt and HTTP ports are both 7687"),
    ((0, 7474), "the Bolt port 0 is not a port number (1-65535)"),
    ((7687, 70000), "the HTTP port 70000 is not a port number (1-65535)"),
])
def test_a_config_that_cannot_run_says_why(tmp_path: Path, ports: tuple[int, int], message: str) -> None:
    with pytest.raises(Neo4jServerError) as caught:
        ServerConfig(cache_dir=tmp_path, password="pw", bolt_port=ports[0], http_port=ports[1])
    assert str(caught.value) == message


def test_the_settings_hand_the_server_its_environment(tmp_path: Path) -> None:
    settings = Settings.from_env({"POLICYKG_CACHE_DIR": str(tmp_path), "POLICYKG_NEO4J_BOLT_PORT": "17687",
                                  "POLICYKG_NEO4J_HTTP_PORT": "17474", "NEO4J_PASSWORD": "secret-1",
                                  "JAVA_HOME": str(tmp_path / "jdk")})
    config = settings.local_neo4j().config
    assert config == ServerConfig(cache_dir=tmp_path.resolve(), password="secret-1", bolt_port=17687,
                                  http_port=17474, java_home=tmp_path / "jdk")
    assert settings.local_neo4j().bolt_uri == "bolt://127.0.0.1:17687"
    with pytest.raises(SettingsError, match="the Bolt and HTTP ports are both 7000"):
        Settings.from_env({"POLICYKG_NEO4J_BOLT_PORT": "7000", "POLICYKG_NEO4J_HTTP_PORT": "7000"}).local_neo4j()


def test_the_written_conf_is_loopback_only_and_locked_to_its_browser(tmp_path: Path) -> None:
    paths = Paths(tmp_path)
    write_conf(paths, 17687, 17474)
    conf = dict(line.split("=", 1) for line in paths.conf.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#"))
    assert conf["server.default_listen_address"] == "127.0.0.1"
    assert conf["server.bolt.listen_address"] == "127.0.0.1:17687"
    assert conf["server.http.listen_address"] == "127.0.0.1:17474"
    assert conf["server.https.enabled"] == "false"
    assert conf["dbms.security.http_access_control_allow_origin"] == "http://127.0.0.1:17474"
    assert (conf["server.memory.heap.max_size"], conf["server.memory.pagecache.size"]) == (HEAP_MAX, PAGECACHE)
    server = LocalNeo4j(ServerConfig(cache_dir=tmp_path, password="pw", bolt_port=7687, http_port=7474))
    assert server.bolt_uri == "bolt://127.0.0.1:17687", "the written conf's ports are the ones a server uses"


def test_a_fresh_folder_runs_nothing_and_a_stale_pid_is_forgotten(tmp_path: Path) -> None:
    server = LocalNeo4j(ServerConfig(cache_dir=tmp_path, password="pw", bolt_port=17687, http_port=17474))
    assert server.status() is None
    (tmp_path / "neo4j.pid").write_text(f"{os.getpid()}\n")  # a live process, but not this folder's Neo4j
    assert server.status() is None
    assert not (tmp_path / "neo4j.pid").exists()
    assert server.stop() is False and server.kill() is False


def test_java_home_is_used_only_when_it_can_run_neo4j(tmp_path: Path) -> None:
    not_a_jdk = tmp_path / "not-a-jdk"
    not_a_jdk.mkdir()
    found = find_java(not_a_jdk)
    assert found != not_a_jdk and (found / "bin" / "java").is_file()
    assert find_java(found) == found
    fake = tmp_path / "jdk-8"
    (fake / "bin").mkdir(parents=True)
    (fake / "bin" / "java").write_text("#!/bin/sh\nexit 1\n")
    (fake / "bin" / "java").chmod(0o755)
    (fake / "release").write_text('JAVA_VERSION="1.8.0_412"\n')
    assert find_java(fake) == found


def test_settings_handed_over_replace_ours_in_the_conf(tmp_path: Path) -> None:
    paths = Paths(tmp_path)
    write_conf(paths, 17687, 17474, {"db.tx_state.memory_allocation": "OFF_HEAP", "db.checkpoint.iops.limit": "-1"})
    lines = [line for line in paths.conf.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert "db.tx_state.memory_allocation=OFF_HEAP" in lines and "db.checkpoint.iops.limit=-1" in lines
    assert [line.split("=", 1)[0] for line in lines].count("db.tx_state.memory_allocation") == 1


def test_jvm_flags_handed_over_come_last_and_a_collector_replaces_ours(tmp_path: Path) -> None:
    ours = command(Paths(tmp_path), tmp_path / "jdk")
    collectors = [flag for flag in ours if flag.startswith("-XX:+Use") and flag.endswith("GC")]
    assert len(collectors) == 1
    theirs = command(Paths(tmp_path), tmp_path / "jdk", ["-XX:+UseSerialGC", "-Xms768m"])
    assert [flag for flag in theirs if flag.endswith("GC") and flag.startswith("-XX:+Use")] == ["-XX:+UseSerialGC"]
    assert theirs.index("-Xms768m") > theirs.index(f"-Xms{HEAP_INITIAL}")
    assert theirs[-3:] == ours[-3:] and theirs[-3] == "org.neo4j.server.CommunityEntryPoint"
