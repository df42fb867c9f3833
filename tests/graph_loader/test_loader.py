"""The loader against the real Neo4j server: counts, idempotence, replacement, atomicity, errors."""

from __future__ import annotations

import neo4j
import pytest

from graph_loader import Plan, parse_text
from graph_loader.cypher import registry
from graph_loader.loader import LoadError, load_plans
from graph_loader.rows import plan_rows

from ..conftest import co_responsible_pairs, label_counts, neo4j_uri, relationship_counts, suite_cypher  # noqa: TID252

_SMALL = """青岛市2026年数据工作要点
一、夯实数据基础
(一)数据资源
1.公共数据。推动公共数据开放,新增不少于5个行业专区。(责任单位:市大数据局、市公安局)
2.数据安全。加强数据安全管理。(牵头单位:市委网信办;责任单位:市大数据局)
"""


def _co_responsible_edges(driver: neo4j.Driver) -> dict[tuple[str, str], list[str]]:
    records, _, _ = driver.execute_query(suite_cypher("stats_co_responsibility"))
    assert all(r["weight"] == len(r["tasks"]) for r in records)
    return {(r["a"], r["b"]): r["tasks"] for r in records}


def _snapshot(driver: neo4j.Driver) -> set[tuple[str, str, str, int]]:
    """Every responsibility edge with its role and position: the content a reload must not damage."""
    records, _, _ = driver.execute_query(
        "MATCH (a:Agency)-[r:RESPONSIBLE_FOR]->(m:Measure) RETURN a.id AS a, m.id AS m, r.role AS role, r.position AS pos"
    )
    return {(r["a"], r["m"], r["role"], r["pos"]) for r in records}


@pytest.mark.neo4j
def test_counts_after_loading_the_plan(empty_neo4j: neo4j.Driver, plan: Plan) -> None:
    report = load_plans(empty_neo4j, [plan])
    assert report.loaded == [plan.document.id]
    assert label_counts(empty_neo4j) == {
        "Document": 1, "Project": 7, "Section": 20, "Task": 54, "Measure": 69,
        "Agency": 59, "Goal": 29, "Topic": 9,
    }
    rels = relationship_counts(empty_neo4j)
    expected = {r: sum(1 for x in plan_rows(plan).rels if x.type == r) for r in
                ("HAS_PROJECT", "HAS_SECTION", "HAS_TASK", "HAS_MEASURE", "RESPONSIBLE_FOR", "SETS", "TOUCHES")}
    assert expected["RESPONSIBLE_FOR"] == 158 and expected["HAS_TASK"] == 54
    assert {k: v for k, v in rels.items() if k != "CO_RESPONSIBLE"} == expected
    assert rels["CO_RESPONSIBLE"] == len(co_responsible_pairs([plan])) == 252
    assert _co_responsible_edges(empty_neo4j) == co_responsible_pairs([plan])


@pytest.mark.neo4j
def test_co_responsibility_weights(empty_neo4j: neo4j.Driver, plan: Plan) -> None:
    load_plans(empty_neo4j, [plan])
    records, _, _ = empty_neo4j.execute_query(
        "MATCH (a:Agency {name: $a})-[r:CO_RESPONSIBLE]-(b:Agency {name: $b}) RETURN r.weight AS w, r.tasks AS tasks",
        a="市大数据局", b="市工业和信息化局",
    )
    shared = sorted(
        t.id for t in plan.tasks
        if {"市大数据局", "市工业和信息化局"} <= {a.name for m in t.measures for a in m.agencies}
    )
    assert records[0]["w"] == len(shared) and records[0]["tasks"] == shared
    assert len(shared) == 4  # tasks 1, 19, 42, 51


@pytest.mark.neo4j
def test_loading_twice_changes_nothing(empty_neo4j: neo4j.Driver, plan: Plan) -> None:
    load_plans(empty_neo4j, [plan])
    before = (label_counts(empty_neo4j), relationship_counts(empty_neo4j), _snapshot(empty_neo4j))
    again = load_plans(empty_neo4j, [plan])
    assert again.unchanged == [plan.document.id] and again.loaded == []
    forced = load_plans(empty_neo4j, [plan], force=True)
    assert forced.loaded == [plan.document.id]
    assert (label_counts(empty_neo4j), relationship_counts(empty_neo4j), _snapshot(empty_neo4j)) == before


@pytest.mark.neo4j
def test_a_document_named_twice_is_written_once(empty_neo4j: neo4j.Driver, plan: Plan) -> None:
    report = load_plans(empty_neo4j, [plan, plan])
    assert report.loaded == [plan.document.id]
    assert relationship_counts(empty_neo4j)["RESPONSIBLE_FOR"] == 158
    assert _co_responsible_edges(empty_neo4j) == co_responsible_pairs([plan])


@pytest.mark.neo4j
def test_a_changed_plan_replaces_only_its_own_subgraph(
    empty_neo4j: neo4j.Driver, plan: Plan, plan_source: str
) -> None:
    small = parse_text(_SMALL, document="small.txt")
    load_plans(empty_neo4j, [plan, small])
    small_edges = {e for e in _snapshot(empty_neo4j) if e[1].startswith(small.document.id)}
    assert len(small_edges) == 4

    # The new version drops 市委宣传部 from task 54 and gives task 1 a single owner.
    changed_source = plan_source.replace("(责任单位:市大数据局、市委宣传部)", "(责任单位:市大数据局)").replace(
        "(责任单位:市\n大数据局、市工业和信息化局)", "(责任单位:市工业和信息化局)"
    )
    changed = parse_text(changed_source, document=plan.document.source)
    assert changed.document.id == plan.document.id
    report = load_plans(empty_neo4j, [changed, small])
    assert report.loaded == [plan.document.id] and report.unchanged == [small.document.id]

    edges = _snapshot(empty_neo4j)
    assert {e for e in edges if e[1].startswith(small.document.id)} == small_edges
    task1 = f"{plan.document.id}:t1:m1"
    assert {(e[0], e[2]) for e in edges if e[1] == task1} == {("青岛:市工业和信息化局", "lead")}
    counts = label_counts(empty_neo4j)
    # 市委宣传部 still leads task 24 and supports task 26, so it stays; 市大数据局 is shared by both documents.
    assert counts["Agency"] == 59 and counts["Document"] == 2 and counts["Task"] == 56
    assert relationship_counts(empty_neo4j)["RESPONSIBLE_FOR"] == 158 - 2 + 4
    assert _co_responsible_edges(empty_neo4j) == co_responsible_pairs([changed, small])


@pytest.mark.neo4j
def test_orphaned_agencies_go_with_the_document_that_named_them(empty_neo4j: neo4j.Driver) -> None:
    first = parse_text(_SMALL, document="small.txt")
    second = parse_text(_SMALL.replace("市公安局", "市财政局"), document="small.txt")
    load_plans(empty_neo4j, [first])
    load_plans(empty_neo4j, [second])
    names = {r["name"] for r in empty_neo4j.execute_query("MATCH (a:Agency) RETURN a.name AS name")[0]}
    assert names == {"市大数据局", "市财政局", "市委网信办"}


@pytest.mark.neo4j
def test_failure_mid_load_leaves_the_old_version_complete(
    empty_neo4j: neo4j.Driver, plan: Plan, plan_source: str
) -> None:
    load_plans(empty_neo4j, [plan])
    before = (label_counts(empty_neo4j), relationship_counts(empty_neo4j), _snapshot(empty_neo4j))
    renamed = plan_source.replace("市大数据局", "市数据局").replace("市\n大数据局", "市\n数据局")
    changed = parse_text(renamed, document=plan.document.source)
    statements = 0

    def crash_after_five(event: str, n: int) -> None:
        nonlocal statements
        if event == "statement":
            statements += 1
            if statements == 5:  # the old version is deleted and half the new one written
                raise RuntimeError("injected failure")

    with pytest.raises(RuntimeError, match="injected failure"):
        load_plans(empty_neo4j, [changed], progress=crash_after_five)
    assert statements == 5
    assert (label_counts(empty_neo4j), relationship_counts(empty_neo4j), _snapshot(empty_neo4j)) == before
    # and the load, run again without the fault, completes the change
    load_plans(empty_neo4j, [changed])
    assert _co_responsible_edges(empty_neo4j) == co_responsible_pairs([changed])
    names = {r["name"] for r in empty_neo4j.execute_query("MATCH (a:Agency) RETURN a.name AS name")[0]}
    assert "市数据局" in names and "市大数据局" not in names


@pytest.mark.neo4j
def test_full_text_index_finds_chinese_terms(empty_neo4j: neo4j.Driver, plan: Plan) -> None:
    load_plans(empty_neo4j, [plan])
    # A phrase query: the CJK analyzer indexes bigrams, so unquoted 大模型 also matches 决策模型.
    records, _, _ = empty_neo4j.execute_query(suite_cypher("search_plan_text"), text='"大模型"', limit=100)
    found_tasks = {r["id"] for r in records if r["label"] == "Task"}
    expected = {t.id for t in plan.tasks if "大模型" in t.text}
    assert found_tasks == expected and len(expected) == 6


@pytest.mark.neo4j
def test_wrong_password_is_one_clear_error(neo4j_driver: neo4j.Driver, plan: Plan) -> None:
    with (
        neo4j.GraphDatabase.driver(neo4j_uri(), auth=("neo4j", "not-the-password")) as bad,
        pytest.raises(LoadError, match="refused the credentials"),
    ):
        load_plans(bad, [plan])


def test_server_down_is_one_clear_error(plan: Plan) -> None:
    with (
        neo4j.GraphDatabase.driver("bolt://127.0.0.1:9", auth=("neo4j", "x")) as down,
        pytest.raises(LoadError, match="not reachable"),
    ):
        load_plans(down, [plan])


@pytest.mark.neo4j
def test_statements_that_keep_their_first_plan_seek_by_index(empty_neo4j: neo4j.Driver) -> None:
    """`CYPHER replan=skip` keeps the plan a statement got on its first run, perhaps in an empty database (a
    load's statistics change so fast that it was replanned some 50 times a load, ~20 % of the server's time):
    so the plan, made here in an empty database, must find its rows by index (a topic scan for orphans aside)."""
    frozen = {name: f for name, f in registry().items() if "CYPHER replan=skip" in f.body}
    assert {"load_nodes_measure", "load_co_responsibility_add", "load_delete_documents"} <= set(frozen)
    scans = {}
    for name, cypher in frozen.items():
        (statement,) = cypher.statements
        params: dict[str, object] = {p: [] for p in cypher.used_parameters} | {"sign": 1}
        plan = empty_neo4j.execute_query("EXPLAIN " + statement, params).summary.plan
        operators, todo = [], [plan]
        while todo:
            node = todo.pop()
            operators.append(node["operatorType"].split("@")[0])
            todo += node.get("children", [])
        scans[name] = sorted(op for op in operators if "Scan" in op)
    assert {name: ops for name, ops in scans.items() if ops} == {"load_delete_orphans": ["NodeByLabelScan"]}
