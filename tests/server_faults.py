"""Taking the suite's Neo4j away in fault tests: only the server the tests use, and always bringing it back.

The server is the local Neo4j the settings name (POLICYKG_CACHE_DIR and its
ports; ``make test`` starts it). A fault test stops or kills it, so before anything
is done we check that it is the very server the tests connect to (conftest's
``neo4j_uri()``): stopping another one would break someone else's work and prove
nothing here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from local_neo4j import ServerInfo

from .conftest import local_neo4j, neo4j_uri


def _port(uri: str) -> int | None:
    return urlsplit(uri).port


@contextlib.contextmanager
def server_under_test(start_timeout: float = 180) -> Iterator[ServerInfo]:
    """The running local server the tests use, to stop or kill; started again on the way out, whatever happened."""
    server = local_neo4j()
    info = server.status()
    if info is None:
        pytest.fail(
            f"the fault tests stop and start the local Neo4j of {server.config.cache_dir}, which is not running; "
            "start it with `.venv/bin/policykg neo4j start` (make test does this)",
            pytrace=False,
        )
    if _port(info.bolt_uri) != _port(neo4j_uri()):
        pytest.fail(
            f"the tests connect to {neo4j_uri()} but the local server of {server.config.cache_dir} listens on "
            f"{info.bolt_uri}; set NEO4J_URI, POLICYKG_CACHE_DIR and POLICYKG_NEO4J_BOLT_PORT to one server",
            pytrace=False,
        )
    try:
        yield info
    finally:
        server.start(timeout=start_timeout)
