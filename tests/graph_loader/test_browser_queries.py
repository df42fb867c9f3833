"""Every saved Browser query in cypher/browser/ runs as pasted and returns what the plan says."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import neo4j
import pytest

from graph_loader import Plan, parse_file
from graph_loader.cypher import CYPHER_DIR
from graph_loader.diff import facts_from_plan
from graph_loader.loader import load_plans
from graph_loader.series import compare

BROWSER_DIR = CYPHER_DIR / "browser"


def _run_saved(driver: neo4j.Driver, name: str) -> list[dict[str, object]]:
    text = (BROWSER_DIR / f"{name}.cypher").read_text(encoding="utf-8")
    records, _, _ = driver.execute_query(text)
    return [r.data() for r in records]


@pytest.fixture
def loaded(empty_neo4j: neo4j.Driver, plan: Plan) -> neo4j.Driver:
    load_plans(empty_neo4j, [plan])
    return empty_neo4j


def test_every_saved_query_is_tested() -> None:
    saved = {p.stem for p in Path(BROWSER_DIR).glob("*.cypher")}
    tested = {"shared_tasks", "ai_tasks_and_owners", "agency_dependencies", "targets_by_owner", "plan_changes",
              "agency_across_years", "agency_shared_tasks", "ai_task_owners"}  # the last two: tests/e2e/test_browser.py
    assert saved == tested


@pytest.mark.neo4j
def test_shared_tasks(loaded: neo4j.Driver, plan: Plan) -> None:
    shared: dict[tuple[str, str], set[int]] = {}
    for t in plan.tasks:
        owners = sorted({a.name for m in t.measures for a in m.agencies})
        for a, b in itertools.combinations(owners, 2):
            shared.setdefault((a, b), set()).add(t.number)
    rows = _run_saved(loaded, "shared_tasks")
    assert len(rows) == 25
    top_weight = max(len(v) for v in shared.values())
    assert rows[0]["shared_tasks"] == top_weight
    for row in rows:
        pair = tuple(sorted((row["agency"], row["partner"])))  # type: ignore[arg-type]
        assert row["tasks"] == sorted(shared[pair])  # type: ignore[index]
        assert row["shared_tasks"] == len(shared[pair])  # type: ignore[index]
    weights = [r["shared_tasks"] for r in rows]
    assert weights == sorted(weights, reverse=True)


@pytest.mark.neo4j
def test_ai_tasks_and_owners(loaded: neo4j.Driver, plan: Plan) -> None:
    rows = _run_saved(loaded, "ai_tasks_and_owners")
    ai_tasks = [t for t in plan.tasks if any(x.name == "人工智能" for x in t.topics)]
    assert [r["task"] for r in rows] == [t.number for t in ai_tasks]
    for row, task in zip(rows, ai_tasks, strict=True):
        leads = {a.name for m in task.measures for a in m.agencies if a.role == "lead"}
        cos = {a.name for m in task.measures for a in m.agencies if a.role == "co"}
        assert set(row["leads"]) == leads and set(row["supporting"]) == cos  # type: ignore[arg-type]
        assert row["terms"] == next(x.terms for x in task.topics if x.name == "人工智能")
    assert rows[-1]["task"] == 42 and rows[-1]["leads"] == ["市工业和信息化局"]


@pytest.mark.neo4j
def test_agency_dependencies(loaded: neo4j.Driver, plan: Plan) -> None:
    expected: Counter[tuple[str, str]] = Counter()
    for m in plan.measures():
        names = {a.name: a.role for a in m.agencies}
        if names.get("市大数据局") == "lead":
            expected.update(("supports me", n) for n, r in names.items() if r == "co")
        elif names.get("市大数据局") == "co":
            expected.update(("I support", n) for n, r in names.items() if r == "lead")
    rows = _run_saved(loaded, "agency_dependencies")
    assert {(r["direction"], r["agency"]): r["measures"] for r in rows} == dict(expected)
    assert ("I support", "市委网信办") in expected  # task 52: 市委网信办 leads, 市大数据局 supports


@pytest.mark.neo4j
def test_targets_by_owner(loaded: neo4j.Driver, plan: Plan) -> None:
    rows = _run_saved(loaded, "targets_by_owner")
    measures = {m.id: m for m in plan.measures()}
    expected = sorted(
        (measures[g.measure_id].agencies[0].name, t.number, g.metric, g.value)
        for t in plan.tasks
        for g in t.goals
    )
    assert sorted((r["lead"], r["task"], r["metric"], r["value"]) for r in rows) == expected
    row42 = [r for r in rows if r["task"] == 42]
    assert [(r["value"], r["unit"], r["supporting"]) for r in row42] == [
        (65000, "架", ["市大数据局"]),
        (35, "%", ["市大数据局"]),
    ]


# -- plans over time: the seed and the two variants of tests/graph_loader/series/ ------------------------------

SERIES = Path(__file__).resolve().parent / "series"


@pytest.fixture
def series(empty_neo4j: neo4j.Driver, plan: Plan) -> list[Plan]:
    plans = [parse_file(SERIES / "digital-qingdao-2024.txt"), plan, parse_file(SERIES / "digital-qingdao-2026.txt")]
    load_plans(empty_neo4j, plans)
    return plans


@pytest.mark.neo4j
def test_plan_changes(empty_neo4j: neo4j.Driver, series: list[Plan]) -> None:
    rows = _run_saved(empty_neo4j, "plan_changes")
    for before, after in itertools.pairwise(series):
        changes = compare(facts_from_plan(before), facts_from_plan(after))
        mine = [r for r in rows if (r["from_year"], r["to_year"]) == (before.document.year, after.document.year)]
        assert [r["task"] for r in mine if r["change"] == "added"] == [t.number for t in changes.added]
        assert [r["task"] for r in mine if r["change"] == "dropped"] == [t.number for t in changes.dropped]
        moved = {c.new.number: ({o.name for o in c.owners_added}, {o.name for o in c.owners_removed})
                 for c in changes.continued if c.owners_added or c.owners_removed}
        assert {r["task"]: (set(r["joined"]), set(r["left"])) for r in mine if r["change"] == "continued"} == moved
        assert moved  # the variants move owners: the comparison is not of empty sets
    assert {r["series"] for r in rows} == {"青岛-数字青岛行动方案"}


@pytest.mark.neo4j
def test_agency_across_years(empty_neo4j: neo4j.Driver, series: list[Plan]) -> None:
    rows = _run_saved(empty_neo4j, "agency_across_years")
    first, second = (compare(facts_from_plan(a), facts_from_plan(b)) for a, b in itertools.pairwise(series))
    (c1,) = [c for c in first.agencies if c.name == "市大数据局"]
    (c2,) = [c for c in second.agencies if c.name == "市大数据局"]
    assert [(r["year"], r["led"], r["supported"]) for r in rows] == [
        (2024, c1.lead_before, c1.co_before), (2025, c1.lead_after, c1.co_after), (2026, c2.lead_after, c2.co_after)
    ]
    went_on = {c.new.id for c in (*first.continued, *second.continued)}
    for row, plan in zip(rows, series, strict=True):
        owned = {t.id for t in plan.tasks for m in t.measures for a in m.agencies if a.name == "市大数据局"}
        assert (row["continued"], row["new"]) == (len(owned & went_on), len(owned - went_on))
    assert rows[0]["continued"] == 0 and rows[1]["continued"] > 0
