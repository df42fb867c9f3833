"""The graph stores behind the API, and the factory that picks one from the settings."""

from __future__ import annotations

import gc

from api.settings import Settings
from api.stores.base import GraphStore, TaskFilter, Window


def make_store(settings: Settings) -> GraphStore:
    """Neo4j when ``NEO4J_URI`` is set, else the embedded store over ``POLICYKG_SOURCE_DIR``.

    The Neo4j store is handed the settings' driver; it closes it in ``close()``.
    Raises PlanParseError when a plan of the source directory cannot be read.
    """
    if settings.neo4j_uri:
        from api.stores.neo4j import Neo4jStore

        return Neo4jStore(settings.driver(), database=settings.neo4j_database, timeout=settings.query_timeout,
                          row_cap=settings.row_cap, uri=settings.neo4j_uri)
    from api.stores.memory import MemoryStore

    store = MemoryStore.from_directory(settings.source_dir, row_cap=settings.row_cap)
    # What the store holds lives as long as the server. Moved out of the collector's generations, it is no
    # longer walked by every full collection, nor all at once by the first one after the build (which
    # pauses the collector): at 1,000 plans that first walk took 2 s of the first request.
    gc.freeze()
    return store


__all__ = ["GraphStore", "TaskFilter", "Window", "make_store"]
