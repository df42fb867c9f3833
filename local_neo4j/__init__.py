"""A local Neo4j Community server (with Neo4j Browser) for development and tests.

A dev tool of its own: assembled from Maven Central jars (``pom.xml``), configured
to listen on loopback only, started detached from the caller. It reads no
environment: it is handed its cache folder, password, ports and preferred JDK
(``api.settings.Settings.local_neo4j`` does that). Notes on the choices made:
``NOTES.md`` beside this file.

- ``java``: finding a JDK that runs Neo4j 5.26 (17 or 21);
- ``install``: the jars with Maven, neo4j.conf, the initial password;
- ``process``: pid file, lock, launch, readiness, stop;
- ``server``: :class:`LocalNeo4j`, the one surface.
"""

from local_neo4j.errors import Neo4jServerError
from local_neo4j.server import LocalNeo4j, ServerConfig, ServerInfo
from local_neo4j.versions import (
    BROWSER_VERSION,
    DEFAULT_BOLT_PORT,
    DEFAULT_HTTP_PORT,
    HEAP_INITIAL,
    HEAP_MAX,
    HOST,
    NEO4J_USER,
    NEO4J_VERSION,
    PAGECACHE,
)

__all__ = [
    "BROWSER_VERSION",
    "DEFAULT_BOLT_PORT",
    "DEFAULT_HTTP_PORT",
    "HEAP_INITIAL",
    "HEAP_MAX",
    "HOST",
    "NEO4J_USER",
    "NEO4J_VERSION",
    "PAGECACHE",
    "LocalNeo4j",
    "Neo4jServerError",
    "ServerConfig",
    "ServerInfo",
]
