"""Lists inside list answers hold at most NESTED_CAP items, those with the lowest ids, and count them all.

Two agencies that share a task in each of 25 plans: their partner row, their
dependency and their network edge name 25 tasks, of which the answer lists
the first 20 — alike on both stores — and says 25 beside them.
"""

from __future__ import annotations

import neo4j
import pytest

from api.schemas import NESTED_CAP
from api.stores.base import GraphStore, Window
from api.stores.memory import MemoryStore
from api.stores.neo4j import Neo4jStore
from graph_loader import Plan, parse_text
from graph_loader.loader import load_plans, wipe_database

PLANS = 25
LEAD, SUPPORT = "青岛:市大数据局", "青岛:市工业和信息化局"


def _text(i: int) -> str:
    return (f"数字青岛{2000 + i}年行动方案\n一、夯实数据基础\n"
            f"{i % 7 + 1}.公共数据。推动公共数据开放。(牵头单位:市大数据局;配合单位:市工业和信息化局)\n")


@pytest.fixture(scope="module")
def plans() -> list[Plan]:
    return [parse_text(_text(i), document=f"plan-{i}.txt") for i in range(PLANS)]


@pytest.fixture(scope="module")
def stores(neo4j_driver: neo4j.Driver, plans: list[Plan]) -> dict[str, GraphStore]:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, plans)
    return {"memory": MemoryStore.from_plans(plans), "neo4j": Neo4jStore(neo4j_driver, uri="the test server")}


def _first_tasks(plans: list[Plan]) -> list[str]:
    """Of every plan's one task, the NESTED_CAP with the lowest ids, in answer order (document, task number)."""
    tasks = sorted((t.id, p.document.id, t.number) for p in plans for t in p.tasks)
    assert len(tasks) == PLANS > NESTED_CAP
    return [task for _, _, task in sorted((doc, number, task) for task, doc, number in tasks[:NESTED_CAP])]


@pytest.mark.neo4j
@pytest.mark.parametrize("kind", ["memory", "neo4j"])
def test_a_partner_lists_the_first_tasks_and_counts_them_all(
    kind: str, stores: dict[str, GraphStore], plans: list[Plan]
) -> None:
    (partner,) = stores[kind].partners(LEAD, Window()).data
    assert (partner.agency.id, partner.shared_tasks) == (SUPPORT, PLANS)
    assert [t.id for t in partner.tasks] == _first_tasks(plans)


@pytest.mark.neo4j
@pytest.mark.parametrize("kind", ["memory", "neo4j"])
def test_a_dependency_lists_the_first_tasks_and_counts_them_all(
    kind: str, stores: dict[str, GraphStore], plans: list[Plan]
) -> None:
    (link,) = stores[kind].dependencies(LEAD, Window()).data
    assert (link.direction, link.supporting.id, link.measures, link.task_count) == ("out", SUPPORT, PLANS, PLANS)
    assert [t.id for t in link.tasks] == _first_tasks(plans)


@pytest.mark.neo4j
@pytest.mark.parametrize("kind", ["memory", "neo4j"])
def test_a_network_edge_lists_the_first_task_ids_and_weighs_them_all(
    kind: str, stores: dict[str, GraphStore], plans: list[Plan]
) -> None:
    (edge,) = stores[kind].network().edges.data
    assert (edge.source, edge.target, edge.weight) == (LEAD, SUPPORT, PLANS)
    assert edge.tasks == sorted(t.id for p in plans for t in p.tasks)[:NESTED_CAP]
    # An export is for analysis: it keeps every task.
    exported = stores[kind].network_graph()
    assert len(exported.edges[LEAD, SUPPORT]["tasks"]) == PLANS


@pytest.mark.neo4j
def test_both_stores_answer_alike(stores: dict[str, GraphStore]) -> None:
    memory, neo = stores["memory"], stores["neo4j"]
    assert memory.partners(LEAD, Window()) == neo.partners(LEAD, Window())
    assert memory.dependencies(SUPPORT, Window()) == neo.dependencies(SUPPORT, Window())
    assert memory.network(level="measure") == neo.network(level="measure")
