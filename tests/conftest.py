from __future__ import annotations

import itertools
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import neo4j
import pytest

from api.settings import Settings, SettingsError
from graph_loader import Plan, parse_file
from graph_loader.cypher import registry
from graph_loader.loader import wipe_database

if TYPE_CHECKING:
    from local_neo4j import LocalNeo4j

ROOT = Path(__file__).resolve().parent.parent
PLAN_FILE = ROOT / "source_text" / "digital-qingdao-2025.txt"
TESTS_CYPHER_DIR = Path(__file__).resolve().parent / "cypher"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def user_env(**extra: str) -> dict[str, str]:
    """A user's environment for a `policykg` subprocess: none of our settings but the plans folder, then ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "POLICYKG_"))}
    return env | {"POLICYKG_SOURCE_DIR": str(ROOT / "source_text")} | extra


def suite_cypher(name: str) -> str:
    """The one statement of ``tests/cypher/<name>.cypher``: Cypher only the tests run (counts, full-text search)."""
    (statement,) = registry(TESTS_CYPHER_DIR)[name].statements
    return statement


@pytest.fixture(scope="session")
def plan_source() -> str:
    return PLAN_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def plan() -> Plan:
    return parse_file(PLAN_FILE)


# -- the real Neo4j server (started by `make test` with `policykg neo4j start`) ----------


def neo4j_uri() -> str:
    """The Neo4j the suite uses, as `policykg load` picks it: NEO4J_URI, else the local Neo4j of this checkout."""
    try:
        return Settings.from_env().neo4j_target()
    except SettingsError as e:
        pytest.fail(f"Neo4j is required: {e}", pytrace=False)


def neo4j_auth() -> tuple[str, str]:
    settings = Settings.from_env()
    return settings.neo4j_user, settings.neo4j_password


def local_neo4j() -> LocalNeo4j:
    """The local Neo4j this checkout runs (`policykg neo4j start`), as the settings name it."""
    return Settings.from_env().local_neo4j()


@pytest.fixture(scope="session")
def neo4j_driver() -> Iterator[neo4j.Driver]:
    """A driver to the Neo4j `policykg load` would write to. Missing server = failed test, never a skip."""
    uri = neo4j_uri()
    driver = Settings.from_env().driver(uri)
    try:
        driver.verify_connectivity()
    except Exception as e:  # noqa: BLE001 — any failure here means the required server is missing
        driver.close()
        pytest.fail(
            f"Neo4j is required at {uri} and did not answer ({e}); start it with "
            "`.venv/bin/policykg neo4j start` (make test does this)",
            pytrace=False,
        )
    yield driver
    driver.close()


@pytest.fixture
def empty_neo4j(neo4j_driver: neo4j.Driver) -> neo4j.Driver:
    """The driver, with the database wiped before the test."""
    wipe_database(neo4j_driver)
    return neo4j_driver


def label_counts(driver: neo4j.Driver) -> dict[str, int]:
    records, _, _ = driver.execute_query(suite_cypher("stats_label_counts"))
    return {r["label"]: r["count"] for r in records}


def relationship_counts(driver: neo4j.Driver) -> dict[str, int]:
    records, _, _ = driver.execute_query(suite_cypher("stats_relationship_counts"))
    return {r["type"]: r["count"] for r in records}


def co_responsible_pairs(plans: list[Plan]) -> dict[tuple[str, str], list[str]]:
    """Pairs of agencies (ids, a < b) sharing tasks, and the tasks: the tests' own oracle, written apart from
    ``graph_loader.coresponsibility`` so that a mistake there cannot hide in both."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for plan in plans:
        for task in plan.tasks:
            owners = sorted({a.agency_id for m in task.measures for a in m.agencies})
            for a, b in itertools.combinations(owners, 2):
                pairs.setdefault((a, b), []).append(task.id)
    return {pair: sorted(tasks) for pair, tasks in pairs.items()}
