"""Plans over time on both stores: the CONTINUES links the loader and the embedded store make, and the diff.

The series is the seed (2025) and the two variants written for the tests (2024, 2026,
tests/graph_loader/series/). Both stores must hold the links that lineage gives for consecutive
years, and answer a diff as the files compared directly do.
"""

from __future__ import annotations

from pathlib import Path

import neo4j
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.stores.memory import MemoryStore
from api.stores.neo4j import Neo4jStore
from graph_loader import Plan, parse_file
from graph_loader.diff import facts_from_plan
from graph_loader.lineage import task_texts
from graph_loader.loader import load_plans, wipe_database
from graph_loader.metrics import names_of, network_metrics, owners_of
from graph_loader.series import SeriesDocument, compare, series_continuations

from ...conftest import PLAN_FILE, suite_cypher  # noqa: TID252

SERIES = Path(__file__).resolve().parents[2] / "graph_loader" / "series"
IDS = ["青岛-2024-数字青岛行动方案", "青岛-2025-数字青岛行动方案", "青岛-2026-数字青岛行动方案"]


@pytest.fixture(scope="module")
def plans() -> list[Plan]:
    return [parse_file(SERIES / "digital-qingdao-2024.txt"), parse_file(PLAN_FILE),
            parse_file(SERIES / "digital-qingdao-2026.txt")]


def _expected(plans: list[Plan]) -> set[tuple[str, str, float]]:
    links = series_continuations(SeriesDocument(p.document.id, p.document.year, task_texts(p)) for p in plans)
    return {(c.new, c.old, c.score) for c in links}


def _stored(driver: neo4j.Driver) -> set[tuple[str, str, float]]:
    records, _, _ = driver.execute_query(suite_cypher("stats_continues"))
    return {(r["new"], r["old"], r["score"]) for r in records}


def test_the_series_is_one_plan_line(plans: list[Plan]) -> None:
    assert [p.document.series for p in plans] == ["青岛-数字青岛行动方案"] * 3
    assert [p.document.id for p in plans] == IDS


def test_the_embedded_store_links_each_year_to_the_one_before(plans: list[Plan]) -> None:
    store = MemoryStore.from_plans(plans)
    links = {(n, o, d["score"]) for n, o, k, d in store.graph.edges(keys=True, data=True) if k == "CONTINUES"}
    assert links == _expected(plans)
    assert len(links) == 100  # 50 tasks continue 2024 → 2025, 50 continue 2025 → 2026
    assert {(n.split(":")[0], o.split(":")[0]) for n, o, _ in links} == {(IDS[1], IDS[0]), (IDS[2], IDS[1])}


@pytest.mark.neo4j
def test_the_loader_links_a_year_loaded_between_two(neo4j_driver: neo4j.Driver, plans: list[Plan]) -> None:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, [plans[0], plans[2]])
    assert _stored(neo4j_driver) == _expected([plans[0], plans[2]])  # 2024 → 2026, with no 2025 yet
    assert len(_stored(neo4j_driver)) == 46
    load_plans(neo4j_driver, [plans[1]])
    assert _stored(neo4j_driver) == _expected(plans)  # 2025 in between: the 2024 → 2026 links are gone
    changed = plans[1].model_copy(update={"tasks": plans[1].tasks[:40]})  # a new version of 2025, shorter
    load_plans(neo4j_driver, [changed])
    assert _stored(neo4j_driver) == _expected([plans[0], changed, plans[2]])


@pytest.mark.neo4j
@pytest.mark.parametrize(("old", "new"), [(0, 1), (1, 2), (0, 2), (2, 0)])
def test_the_diff_is_the_same_on_both_stores_and_from_the_files(
    neo4j_driver: neo4j.Driver, plans: list[Plan], old: int, new: int
) -> None:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, plans)
    expected = compare(facts_from_plan(plans[old]), facts_from_plan(plans[new])).model_dump(mode="json")
    for store in (MemoryStore.from_plans(plans), Neo4jStore(neo4j_driver, uri="the test server")):
        with TestClient(create_app(Settings(), store)) as client:
            answer = client.get(f"/documents/{IDS[old]}/diff/{IDS[new]}")
            assert answer.status_code == 200, answer.text
            assert answer.json() == expected
    assert len(expected["continued"]) == {(0, 1): 50, (1, 2): 50, (0, 2): 46, (2, 0): 46}[(old, new)]


def test_a_diff_of_an_unknown_document_is_404(plans: list[Plan]) -> None:
    with TestClient(create_app(Settings(), MemoryStore.from_plans(plans))) as client:
        answer = client.get(f"/documents/{IDS[0]}/diff/青岛-2023-数字青岛行动方案")
    assert answer.status_code == 404
    assert answer.json()["error"]["message"].startswith("no document 青岛-2023-数字青岛行动方案")


@pytest.mark.neo4j
@pytest.mark.parametrize("level", ["task", "measure"])
def test_the_series_metrics_are_the_same_on_both_stores(
    neo4j_driver: neo4j.Driver, plans: list[Plan], level: str
) -> None:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, plans)
    expected = [network_metrics(owners_of([p], level), names_of([p]), level=level).model_dump(mode="json")
                for p in plans]  # type: ignore[arg-type]
    for store in (MemoryStore.from_plans(plans), Neo4jStore(neo4j_driver, uri="the test server")):
        with TestClient(create_app(Settings(), store)) as client:
            body = client.get("/series/青岛-数字青岛行动方案/metrics", params={"level": level}).json()
            assert [y["document"]["year"] for y in body["years"]] == [2024, 2025, 2026]
            assert [y["metrics"] for y in body["years"]] == expected
            seed = client.get(f"/documents/{IDS[1]}/metrics", params={"level": level}).json()
            assert seed == expected[1]
    assert expected[1]["edges"] == {"task": 252, "measure": 185}[level]


def test_an_unknown_series_is_404(plans: list[Plan]) -> None:
    with TestClient(create_app(Settings(), MemoryStore.from_plans(plans))) as client:
        answer = client.get("/series/青岛-数字青岛规划/metrics")
    assert answer.status_code == 404
    assert answer.json()["error"]["message"].startswith("no documents in series 青岛-数字青岛规划")


@pytest.mark.neo4j
def test_the_network_of_a_series_or_a_year(neo4j_driver: neo4j.Driver, plans: list[Plan]) -> None:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, plans)
    for store in (MemoryStore.from_plans(plans), Neo4jStore(neo4j_driver, uri="the test server")):
        whole = store.network(series="青岛-数字青岛行动方案").model_dump()
        assert whole == store.network().model_dump()  # the three plans are the whole series
        for year, plan in zip((2024, 2025, 2026), plans, strict=True):
            by_year = store.network(year=year)
            assert by_year.model_dump() == store.network(document_id=plan.document.id).model_dump()
            assert by_year.edges.count == len(_pairs(plan))
        assert store.network(series="青岛-数字青岛行动方案", year=2026, document_id=IDS[0]).edges.count == 0
        with TestClient(create_app(Settings(), store)) as client:
            gone = client.get("/network", params={"year": 2030})
            assert gone.status_code == 404 and gone.json()["error"]["message"].startswith("no documents in year 2030")
            export = client.get("/exports/network", params={"series": "青岛-数字青岛行动方案", "year": 2025,
                                                            "format": "csv-edges"})
            assert export.status_code == 200 and export.text.count("\n") == len(_pairs(plans[1])) + 1


def _pairs(plan: Plan) -> set[tuple[str, str]]:
    """Pairs of specific agencies named in one task, written apart from the stores."""
    pairs = set()
    for task in plan.tasks:
        named = sorted({a.agency_id for m in task.measures for a in m.agencies if not a.generic})
        pairs |= {(a, b) for i, a in enumerate(named) for b in named[i + 1 :]}
    return pairs
