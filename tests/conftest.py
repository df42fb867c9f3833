from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from graph_loader import Plan, neo4j_server, parse_file
from graph_loader.cypher import query
from graph_loader.loader import wipe_database

ROOT = Path(__file__).resolve().parent.parent
PLAN_FILE = ROOT / "source_text" / "digital-qingdao-2025.txt"


@pytest.fixture(scope="session")
def plan_source() -> str:
    return PLAN_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def plan() -> Plan:
    return parse_file(PLAN_FILE)


# -- the real Neo4j server (started by `make test` through graph_loader.neo4j_server) ----------


def neo4j_uri() -> str:
    """NEO4J_URI, else the local server `make test` starts."""
    return os.environ.get("NEO4J_URI") or neo4j_server.local_bolt_uri()


def neo4j_auth() -> tuple[str, str]:
    return os.environ.get("NEO4J_USER", "neo4j"), neo4j_server.password()


@pytest.fixture(scope="session")
def neo4j_driver() -> Iterator[neo4j.Driver]:
    """A driver to the project's Neo4j. Missing server = failed test, never a skip."""
    driver = neo4j.GraphDatabase.driver(neo4j_uri(), auth=neo4j_auth())
    try:
        driver.verify_connectivity()
    except Exception as e:  # noqa: BLE001 — any failure here means the required server is missing
        driver.close()
        pytest.fail(
            f"Neo4j is required at {neo4j_uri()} and did not answer ({e}); start it with "
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
    records, _, _ = driver.execute_query(query("stats_label_counts"))
    return {r["label"]: r["count"] for r in records}


def relationship_counts(driver: neo4j.Driver) -> dict[str, int]:
    records, _, _ = driver.execute_query(query("stats_relationship_counts"))
    return {r["type"]: r["count"] for r in records}


def co_responsible_pairs(plans: list[Plan]) -> dict[tuple[str, str], list[str]]:
    """Pairs of agencies (ids, a < b) sharing tasks, and the tasks, computed from the parse independently of Cypher."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for plan in plans:
        for task in plan.tasks:
            owners = sorted({a.agency_id for m in task.measures for a in m.agencies})
            for a, b in itertools.combinations(owners, 2):
                pairs.setdefault((a, b), []).append(task.id)
    return {pair: sorted(tasks) for pair, tasks in pairs.items()}
