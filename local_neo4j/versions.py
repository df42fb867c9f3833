"""What is pinned: the Neo4j and Browser versions, the Java releases that run them, and the memory they get."""

NEO4J_VERSION = "5.26.30"
"""Neo4j Community LTS line 5.26; runs on Java 17 (the 2025.x/2026.x calendar releases need 21)."""

BROWSER_VERSION = "5.24.0"
"""Newest org.neo4j.client:neo4j-browser published on Maven Central."""

SUPPORTED_JAVA = (17, 21)
"""Java feature releases Neo4j 5.26 supports, most preferred first."""

NEO4J_USER = "neo4j"
HOST = "127.0.0.1"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474

# Memory, sized for a 2-core / 24 GiB machine shared with other work (docker-compose.yml says the same).
HEAP_INITIAL = "1g"  # = HEAP_MAX: the heap is never resized (a load fills it at once)
HEAP_MAX = "1g"
PAGECACHE = "512m"

MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.server.startup.Neo4jAdminBoot"
IMPORT_CLASS = "org.neo4j.cli.AdminTool"
"""What the distribution's ``neo4j-admin`` runs in the end (``database import full`` among its commands)."""
IMPORT_OFF_HEAP = "1g"
"""``--max-off-heap-memory`` of a bulk import (its default, 90 % of the machine's memory, is not ours to take)."""
