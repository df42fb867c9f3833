"""More documents than the row cap: every resolver still finds the last one, alike on both stores.

Lookups by id or name go through indexed queries (Neo4j) or the whole index
(embedded), never through a list cut at the row cap; only the suggestions of
a 404 are drawn from a capped list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import neo4j
import pytest

from api.errors import ApiError
from api.stores.base import GraphStore, TaskFilter, Window
from api.stores.memory import MemoryStore
from api.stores.neo4j import Neo4jStore
from graph_loader import Plan, parse_text
from graph_loader.loader import load_plans, wipe_database
from graph_loader.models import document_id

ROW_CAP = 10
CITIES = ("青岛", "威海", "烟台", "潍坊", "淄博", "日照", "临沂", "济宁", "泰安", "德州", "聊城", "滨州")
LAST = max(CITIES, key=lambda city: document_id(city, 2025, f"数字{city}行动方案"))


def _text(city: str) -> str:
    extra = "依托政务大模型提升服务。(责任单位:市数据资源中心)" if city == LAST else ""
    return (f"数字{city}2025年行动方案\n一、夯实数据基础\n(一)数据资源\n"
            f"1.公共数据。推动公共数据开放。(责任单位:市大数据局、市{city}发展局)\n"
            f"2.数据服务。{extra or '完善数据目录。(责任单位:市大数据局)'}\n")


@pytest.fixture(scope="module")
def plans() -> list[Plan]:
    parsed = [parse_text(_text(city), document=f"{city}.txt") for city in CITIES]
    assert len(parsed) > ROW_CAP
    return parsed


@pytest.fixture(scope="module")
def last(plans: list[Plan]) -> Plan:
    (plan,) = [p for p in plans if p.document.jurisdiction == LAST]
    assert plan.document.id == max(p.document.id for p in plans), "the last document in every listing order"
    return plan


@pytest.fixture(scope="module")
def stores(neo4j_driver: neo4j.Driver, plans: list[Plan]) -> dict[str, GraphStore]:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, plans)
    return {"memory": MemoryStore.from_plans(plans, row_cap=ROW_CAP),
            "neo4j": Neo4jStore(neo4j_driver, row_cap=ROW_CAP, uri="the test server")}


Case = Callable[[GraphStore, Plan], Any]

CASES: dict[str, Case] = {
    "document by id": lambda s, p: s.resolve_document(p.document.id),
    "document by its old id": lambda s, p: s.resolve_document(p.document.legacy_id),
    "document by title": lambda s, p: s.resolve_document(f"《{p.document.title}》"),
    "agency only it names": lambda s, p: s.resolve_agency(f"市{LAST}发展局"),
    "agency by id": lambda s, p: s.resolve_agency(f"{LAST}:市数据资源中心"),
    "agency with its jurisdiction in front": lambda s, p: s.resolve_agency(f"{LAST}市大数据局"),
    "topic only it touches": lambda s, p: s.resolve_topic("人工智能"),
    "its jurisdiction": lambda s, p: s.resolve_jurisdiction(LAST),
    "its tasks": lambda s, p: s.tasks(Window(), TaskFilter(document_id=p.document.id)),
    "its topics": lambda s, p: s.topics(Window(), document_id=p.document.id),
    "its network": lambda s, p: s.network(document_id=p.document.id),
    "its subgraph, too large for the cap": lambda s, p: s.document_graph(p.document.id),
    "an agency no document names": lambda s, p: s.resolve_agency("市大数局"),
    "task 2": lambda s, p: s.task(f"{p.document.id}:t2"),
    "an unknown document": lambda s, p: s.resolve_document("数字上海2025年行动方案"),
}


def _answer(case: Case, store: GraphStore, plan: Plan) -> Any:
    try:
        got = case(store, plan)
    except ApiError as e:
        return (type(e).__name__, e.message, e.details)
    return got.model_dump() if hasattr(got, "model_dump") else got


@pytest.mark.neo4j
@pytest.mark.parametrize("name", list(CASES))
def test_found_past_the_row_cap_alike(name: str, stores: dict[str, GraphStore], last: Plan) -> None:
    memory, on_neo4j = (_answer(CASES[name], stores[k], last) for k in ("memory", "neo4j"))
    assert memory == on_neo4j
    if name == "an unknown document":
        assert memory[0] == "NotFound" and 0 < len(memory[2]["documents"]) <= 5
    elif name == "an agency no document names":
        assert memory[0] == "NotFound" and 0 < len(memory[2]["suggestions"]) <= 5
    elif name == "its subgraph, too large for the cap":
        assert memory[0] == "BadInput" and memory[2] == {"row_cap": ROW_CAP}
    else:
        assert not (isinstance(memory, tuple) and memory[0] in ("NotFound", "BadInput")), memory


@pytest.mark.neo4j
def test_the_lists_are_cut_and_say_so(stores: dict[str, GraphStore]) -> None:
    for store in stores.values():
        documents = store.documents(Window(limit=ROW_CAP))
        assert (documents.count, documents.truncated) == (ROW_CAP, True)
