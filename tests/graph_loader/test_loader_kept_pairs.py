"""The clause-level and lead → supporting shares the loader keeps on CO_RESPONSIBLE answer partners and the
network at level measure and dependencies as the embedded store computes them from the same plans: after a
first load, after a plan is replaced by a version with different owners and roles, and for a graph loaded
before the shares were kept (the next load fills them). The loader removes no document on its own (a
document leaves only when replaced), so there is no removal to test."""

from __future__ import annotations

from typing import Any

import neo4j
import pytest

from api.stores.base import Window
from api.stores.memory import MemoryStore
from api.stores.neo4j import Neo4jStore
from graph_loader import Plan
from graph_loader.loader import load_plans, wipe_database

ALL = Window(limit=1000)
BIG_DATA = "青岛:市大数据局"
KEPT = ("measures", "measure_weight", "measure_tasks", "lower_leads_measures", "lower_leads_tasks",
        "higher_leads_measures", "higher_leads_tasks")
ALL_PAIRS = "MATCH (a)-[r:CO_RESPONSIBLE]->(b) RETURN a.id AS a, b.id AS b, properties(r) AS props ORDER BY a, b"


def _answers(store: MemoryStore | Neo4jStore) -> dict[str, Any]:
    """Every agency's partners by clause and dependencies, and the clause network, generic agencies included."""
    agencies = [a.id for a in store.agencies(ALL, include_generic=True).data]
    return {
        "partners by clause": {a: store.partners(a, ALL, include_generic=True, level="measure").model_dump()
                               for a in agencies},
        "dependencies": {a: store.dependencies(a, ALL, include_generic=True).model_dump() for a in agencies},
        "network of clauses": store.network(level="measure", include_generic=True).model_dump(),
        "network of clauses, heavy": store.network(level="measure", min_weight=3).model_dump(),
    }


def _dependencies_of(answers: dict[str, Any], agency: str) -> set[tuple[str, str, int]]:
    return {(d["direction"], d["lead"]["id"] if d["direction"] == "in" else d["supporting"]["id"], d["measures"])
            for d in answers["dependencies"][agency]["data"]}


@pytest.mark.neo4j
def test_kept_shares_follow_loads_and_replacements(
    neo4j_driver: neo4j.Driver, series_plans: list[Plan], replaced_2026: Plan
) -> None:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, series_plans)
    neo = Neo4jStore(neo4j_driver, uri="the test server")
    expected = _answers(MemoryStore.from_plans(series_plans))
    assert _answers(neo) == expected
    # real answers, not empty lists on both sides
    assert len(expected["dependencies"][BIG_DATA]["data"]) > 10
    assert expected["network of clauses"]["edges"]["count"] > 100

    load_plans(neo4j_driver, [replaced_2026])
    after = _answers(MemoryStore.from_plans([*series_plans[:2], replaced_2026]))
    assert "青岛:市审计局" in after["dependencies"]
    assert _dependencies_of(after, "青岛:市审计局") != _dependencies_of(expected, "青岛:市审计局")
    assert after["network of clauses"] != expected["network of clauses"]
    assert _answers(neo) == after


@pytest.mark.neo4j
def test_a_graph_loaded_before_the_shares_were_kept_is_filled_by_the_next_load(
    neo4j_driver: neo4j.Driver, series_plans: list[Plan]
) -> None:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, series_plans)
    with neo4j_driver.session() as session:
        before = session.run(ALL_PAIRS).data()
        session.run("MATCH ()-[r:CO_RESPONSIBLE]->() REMOVE " + ", ".join(f"r.{k}" for k in KEPT)).consume()
    neo = Neo4jStore(neo4j_driver, uri="the test server")
    expected = _answers(MemoryStore.from_plans(series_plans))
    assert not any(d["data"] for d in _answers(neo)["dependencies"].values())  # what such a graph answers before the next load
    report = load_plans(neo4j_driver, series_plans)  # every plan unchanged: nothing written but the shares
    assert not report.loaded
    with neo4j_driver.session() as session:
        filled = session.run(ALL_PAIRS).data()
    assert filled == before and any(row["props"].get("higher_leads_tasks") for row in filled)
    assert _answers(neo) == expected
