"""The graph stores behind the API, and the factory that picks one from the settings."""

from __future__ import annotations

from api.settings import Settings
from api.stores.base import GraphStore, TaskFilter, Window


def make_store(settings: Settings) -> GraphStore:
    """Neo4j when ``NEO4J_URI`` is set, else the embedded store over ``POLICYKG_SOURCE_DIR``.

    The Neo4j store is handed a driver made here; it closes it in ``close()``.
    Raises PlanParseError when a plan of the source directory cannot be read.
    """
    if settings.neo4j_uri:
        import neo4j

        from api.stores.neo4j import Neo4jStore

        driver = neo4j.GraphDatabase.driver(
            settings.neo4j_uri,
            auth=(settings.neo4j_user, settings.neo4j_password),
            # An unreachable server answers 503 within about the query timeout, not after
            # the driver's default 30 s of retries.
            connection_timeout=min(settings.query_timeout, 5.0),
            max_transaction_retry_time=settings.query_timeout,
        )
        return Neo4jStore(driver, database=settings.neo4j_database, timeout=settings.query_timeout,
                          row_cap=settings.row_cap, uri=settings.neo4j_uri)
    from api.stores.memory import MemoryStore

    return MemoryStore.from_directory(settings.source_dir, row_cap=settings.row_cap)


__all__ = ["GraphStore", "TaskFilter", "Window", "make_store"]
