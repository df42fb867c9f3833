"""A LocalNeo4j of the test's own: started from a fresh folder on free ports, asked, refused, stopped.

It never touches the project's server (``.cache/neo4j``'s conf, data, pid) nor ports 7687/7474; it
only borrows that folder's Maven repository (``m2/``), read-only, so that no 300 MB are fetched again.
"""

from __future__ import annotations

import base64
import socket
import stat
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from local_neo4j import NEO4J_VERSION, LocalNeo4j, Neo4jServerError, ServerConfig
from local_neo4j.java import find_java

ROOT = Path(__file__).resolve().parents[2]
PROJECT_M2 = ROOT / ".cache" / "neo4j" / "m2"
PASSWORD = "pw-test-1"
COMMIT_BODY = b'{"statements":[{"statement":"RETURN 1"}]}'


def _free_ports() -> tuple[int, int]:
    """Two distinct free loopback ports, neither of them the project server's 7687/7474."""
    sockets: list[socket.socket] = []
    try:
        while len(sockets) < 2:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            if sock.getsockname()[1] in (7687, 7474):
                sock.close()
                continue
            sockets.append(sock)
        return sockets[0].getsockname()[1], sockets[1].getsockname()[1]
    finally:
        for sock in sockets:
            sock.close()


def _commit(http_url: str, password: str, origin: str | None) -> tuple[int, str | None]:
    """``RETURN 1`` over the HTTP API; the status and the Access-Control-Allow-Origin answered."""
    headers = {
        "Content-Type": "application/json",
        "Authorization": "Basic " + base64.b64encode(f"neo4j:{password}".encode()).decode(),
    }
    if origin is not None:
        headers["Origin"] = origin
    request = urllib.request.Request(f"{http_url}/db/neo4j/tx/commit", data=COMMIT_BODY, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get("Access-Control-Allow-Origin")


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    cache = tmp_path_factory.mktemp("local-neo4j")
    if PROJECT_M2.is_dir():
        (cache / "m2").symlink_to(PROJECT_M2, target_is_directory=True)
    bolt_port, http_port = _free_ports()
    server = LocalNeo4j(ServerConfig(cache_dir=cache, password=PASSWORD, bolt_port=bolt_port, http_port=http_port))
    try:
        server.start(timeout=180)
        yield server
    finally:
        server.stop()


@pytest.mark.neo4j
class TestOwnServer:
    def test_status_reports_it_on_loopback(self, own_server: LocalNeo4j) -> None:
        info = own_server.status()
        config = own_server.config
        assert info is not None
        assert info.version == NEO4J_VERSION == "5.26.30"
        assert info.bolt_uri == own_server.bolt_uri == f"bolt://127.0.0.1:{config.bolt_port}"
        assert info.http_url == f"http://127.0.0.1:{config.http_port}"
        assert (config.cache_dir / "neo4j.pid").read_text().strip() == str(info.pid)
        assert urlsplit(info.bolt_uri).hostname == urlsplit(info.http_url).hostname == "127.0.0.1"
        with socket.create_connection(("127.0.0.1", config.bolt_port), timeout=5):
            pass

    def test_the_browser_is_served(self, own_server: LocalNeo4j) -> None:
        info = own_server.status()
        assert info is not None
        with urllib.request.urlopen(f"{info.http_url}/browser/", timeout=10) as response:
            assert response.status == 200
            assert "<title>Neo4j Browser</title>" in response.read().decode("utf-8")

    def test_a_foreign_origin_is_not_allowed(self, own_server: LocalNeo4j) -> None:
        info = own_server.status()
        assert info is not None
        _, allowed = _commit(info.http_url, PASSWORD, "http://evil.example")
        assert allowed not in ("*", "http://evil.example")
        assert allowed in (None, info.http_url)
        assert _commit(info.http_url, PASSWORD, None)[0] == 200

    def test_another_password_is_reported_in_one_line(self, own_server: LocalNeo4j) -> None:
        config = own_server.config
        other = LocalNeo4j(ServerConfig(cache_dir=config.cache_dir, password="not-pw-test-1",
                                        bolt_port=config.bolt_port, http_port=config.http_port))
        with pytest.raises(Neo4jServerError) as caught:
            other.start(timeout=30)
        message = str(caught.value)
        assert "\n" not in message
        assert "rejected user neo4j with the configured password (HTTP 401 Unauthorized)" in message
        assert "created with another password" in message and str(config.cache_dir / "data") in message
        assert own_server.status() is not None, "a refused start leaves the running server alone"

    def test_start_again_with_the_password_only_waits(self, own_server: LocalNeo4j) -> None:
        before = own_server.status()
        assert own_server.start(timeout=30) == before

    def test_stop_leaves_nothing_running(self, own_server: LocalNeo4j) -> None:
        assert own_server.stop() is True
        assert own_server.status() is None
        assert not (own_server.config.cache_dir / "neo4j.pid").exists()
        assert own_server.stop() is False


# -- without a server: what test_server.py does not already pin --------------------------------------------------


def test_an_empty_password_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Neo4jServerError) as caught:
        ServerConfig(cache_dir=tmp_path, password="")
    assert str(caught.value) == "the password of user neo4j is empty"


def test_the_defaults_are_the_usual_ports(tmp_path: Path) -> None:
    config = ServerConfig(cache_dir=tmp_path, password="pw")
    assert (config.bolt_port, config.http_port, config.java_home) == (7687, 7474, None)
    assert LocalNeo4j(config).bolt_uri == "bolt://127.0.0.1:7687"
    assert LocalNeo4j(config).conf_path == tmp_path.resolve() / "conf" / "neo4j.conf"


def test_a_java_21_home_is_taken_as_given(tmp_path: Path) -> None:
    home = tmp_path / "jdk-21"
    (home / "bin").mkdir(parents=True)
    java = home / "bin" / "java"
    java.write_text("#!/bin/sh\nexit 1\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    (home / "release").write_text('IMPLEMENTOR="test"\nJAVA_VERSION="21.0.5"\n')
    assert find_java(home) == home
