"""The counts each agency keeps on Neo4j (tasks led and supported, measures, goals) stay those the embedded
store computes from the plans: after a first load, after a plan is replaced by a changed version, and for a
graph loaded before agencies kept counts (the next load counts them)."""

from __future__ import annotations

import neo4j
import pytest

from api.stores.base import Window
from api.stores.memory import MemoryStore
from api.stores.neo4j import Neo4jStore
from graph_loader import Plan
from graph_loader.loader import load_plans, wipe_database

ALL = Window(limit=1000)


def _counts(store: MemoryStore | Neo4jStore) -> dict[str, tuple[int, int, int, int, int]]:
    return {a.id: (a.tasks_led, a.tasks_supported, a.measures, a.goals, a.partners)
            for a in store.agencies(ALL, include_generic=True).data}


@pytest.mark.neo4j
def test_kept_counts_follow_loads_and_replacements(
    neo4j_driver: neo4j.Driver, series_plans: list[Plan], replaced_2026: Plan
) -> None:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, series_plans)
    neo = Neo4jStore(neo4j_driver, uri="the test server")
    expected = _counts(MemoryStore.from_plans(series_plans))
    assert _counts(neo) == expected
    assert expected["青岛:市大数据局"][0] > 10  # a real load, not zeros on both sides

    load_plans(neo4j_driver, [replaced_2026])
    after = _counts(MemoryStore.from_plans([*series_plans[:2], replaced_2026]))
    assert after != expected and "青岛:市审计局" in after
    assert _counts(neo) == after


@pytest.mark.neo4j
def test_a_graph_loaded_before_counts_were_kept_is_counted_by_the_next_load(
    neo4j_driver: neo4j.Driver, series_plans: list[Plan]
) -> None:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, series_plans)
    with neo4j_driver.session() as session:
        session.run("MATCH (a:Agency) REMOVE a.count_tasks_led, a.count_tasks_supported, a.count_measures, "
                    "a.count_goals").consume()
    report = load_plans(neo4j_driver, series_plans)  # every plan unchanged: nothing written but the counts
    assert not report.loaded
    assert _counts(Neo4jStore(neo4j_driver, uri="the test server")) == _counts(MemoryStore.from_plans(series_plans))
