"""The counts each agency keeps on Neo4j (tasks led and supported, measures, goals) stay those the embedded
store computes from the plans: after a first load, after a plan is replaced by a changed version, and for a
graph loaded before agencies kept counts (the next load counts them)."""

from __future__ import annotations

from pathlib import Path

import neo4j
import pytest

from api.stores.base import Window
from api.stores.memory import MemoryStore
from api.stores.neo4j import Neo4jStore
from graph_loader import Plan, parse_file, parse_text
from graph_loader.loader import load_plans, wipe_database

from ..conftest import PLAN_FILE  # noqa: TID252  (importlib mode resolves the package-less tests dir)

SERIES = Path(__file__).resolve().parent / "series"
ALL = Window(limit=1000)


@pytest.fixture(scope="module")
def plans() -> list[Plan]:
    return [parse_file(PLAN_FILE), *(parse_file(SERIES / f"digital-qingdao-{year}.txt") for year in (2024, 2026))]


def _counts(store: MemoryStore | Neo4jStore) -> dict[str, tuple[int, int, int, int, int]]:
    return {a.id: (a.tasks_led, a.tasks_supported, a.measures, a.goals, a.partners)
            for a in store.agencies(ALL, include_generic=True).data}


def _changed(plan: Plan, source: str) -> Plan:
    """The 2026 plan with one more lead for its first task and its second task gone."""
    lines = source.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("1."))
    second = next(i for i, line in enumerate(lines) if line.startswith("2."))
    lines[first] = lines[first].replace("责任单位:", "责任单位:市审计局、", 1)
    del lines[second]
    changed = parse_text("\n".join(lines), document=plan.document.source)
    assert changed.document.id == plan.document.id and len(changed.tasks) == len(plan.tasks) - 1
    return changed


@pytest.mark.neo4j
def test_kept_counts_follow_loads_and_replacements(neo4j_driver: neo4j.Driver, plans: list[Plan]) -> None:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, plans)
    neo = Neo4jStore(neo4j_driver, uri="the test server")
    expected = _counts(MemoryStore.from_plans(plans))
    assert _counts(neo) == expected
    assert expected["青岛:市大数据局"][0] > 10  # a real load, not zeros on both sides

    changed = _changed(plans[2], (SERIES / "digital-qingdao-2026.txt").read_text(encoding="utf-8"))
    load_plans(neo4j_driver, [changed])
    after = _counts(MemoryStore.from_plans([*plans[:2], changed]))
    assert after != expected and "青岛:市审计局" in after
    assert _counts(neo) == after


@pytest.mark.neo4j
def test_a_graph_loaded_before_counts_were_kept_is_counted_by_the_next_load(
    neo4j_driver: neo4j.Driver, plans: list[Plan]
) -> None:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, plans)
    with neo4j_driver.session() as session:
        session.run("MATCH (a:Agency) REMOVE a.count_tasks_led, a.count_tasks_supported, a.count_measures, "
                    "a.count_goals").consume()
    report = load_plans(neo4j_driver, plans)  # every plan unchanged: nothing written but the counts
    assert not report.loaded
    assert _counts(Neo4jStore(neo4j_driver, uri="the test server")) == _counts(MemoryStore.from_plans(plans))
