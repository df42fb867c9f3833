"""The local Neo4j's one error type."""


class Neo4jServerError(Exception):
    """The local Neo4j server could not be fetched, configured, started or stopped; ``str()`` is one line."""
