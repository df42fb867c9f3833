"""The embedded store's subgraphs hold what the plan says; the network and ego network are built as documented."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import pytest

from api.errors import NotFound
from api.stores.memory import MemoryStore
from graph_loader import Plan, parse_text
from graph_loader.subgraphs import UnknownNode, ego_network

_GENERIC_PLAN = """数字威海2025年行动方案
一、夯实数据基础
(一)数据资源
1.公共数据。推动公共数据开放,新增不少于5个行业专区。(责任单位:市大数据局、市公安局、各区市政府)
2.数据安全。加强数据安全管理。(牵头单位:市委网信办;责任单位:市大数据局、各区市政府)
"""


@pytest.fixture(scope="module")
def store(plan: Plan) -> MemoryStore:
    return MemoryStore.from_plans([plan])


@pytest.fixture(scope="module")
def subgraphs(store: MemoryStore, plan: Plan) -> dict[str, nx.Graph]:
    net = store.network_graph()
    return {
        "document": store.document_graph(plan.document.id),
        "topic": store.topic_graph("人工智能"),
        "network": net,
        "ego": ego_network(net, "青岛:市大数据局", radius=1),
    }


def _edges(g: nx.Graph) -> dict[tuple[str, str], dict]:
    if g.is_directed():
        return {(u, v): d for u, v, d in g.edges(data=True)}
    return {tuple(sorted((u, v))): d for u, v, d in g.edges(data=True)}  # type: ignore[misc]


def test_document_subgraph_holds_the_plan(subgraphs: dict[str, nx.Graph], plan: Plan) -> None:
    doc = subgraphs["document"]
    labels = [d["label"] for _, d in doc.nodes(data=True)]
    assert {label: labels.count(label) for label in set(labels)} == {
        "Document": 1, "Project": 7, "Section": 20, "Task": 54, "Measure": 69, "Agency": 59, "Goal": 29, "Topic": 9,
    }
    responsible = [(u, v, d) for u, v, d in doc.edges(data=True) if d["label"] == "RESPONSIBLE_FOR"]
    assert len(responsible) == sum(len(m.agencies) for m in plan.measures()) == 158
    first = doc.edges["青岛:市大数据局", "青岛-2025-数字青岛行动方案:t1:m1"]
    assert (first["role"], first["position"], first["raw"]) == ("lead", 1, "市\n大数据局")


def test_topic_subgraph(subgraphs: dict[str, nx.Graph], plan: Plan) -> None:
    topic = subgraphs["topic"]
    ai_tasks = [t for t in plan.tasks if "人工智能" in {x.name for x in t.topics}]
    tasks = sorted(n for n, d in topic.nodes(data=True) if d["label"] == "Task")
    assert tasks == sorted(t.id for t in ai_tasks)
    agencies = {n for n, d in topic.nodes(data=True) if d["label"] == "Agency"}
    assert agencies == {a.agency_id for t in ai_tasks for m in t.measures for a in m.agencies}
    assert {d["label"] for _, _, d in topic.edges(data=True)} == {"TOUCHES", "HAS_MEASURE", "RESPONSIBLE_FOR", "SETS"}


def test_network_and_ego(subgraphs: dict[str, nx.Graph], plan: Plan) -> None:
    net = subgraphs["network"]
    pairs: dict[tuple[str, str], set[str]] = {}
    for task in plan.tasks:
        owners = sorted({a.agency_id for m in task.measures for a in m.agencies})
        for pair in combinations(owners, 2):
            pairs.setdefault(pair, set()).add(task.id)
    assert _edges(net).keys() == pairs.keys()
    edge = net.edges["青岛:市大数据局", "青岛:市工业和信息化局"]
    assert (edge["weight"], edge["label"]) == (4, "SHARES_TASKS")
    assert edge["tasks"] == sorted(f"青岛-2025-数字青岛行动方案:t{n}" for n in (1, 19, 42, 51))
    ego = subgraphs["ego"]
    assert set(ego) == {"青岛:市大数据局", *net["青岛:市大数据局"]}
    assert ego.nodes["青岛:市大数据局"]["degree"] == 34
    two_steps = ego_network(net, "青岛:市大数据局", radius=2)
    assert set(two_steps) >= set(ego)
    with pytest.raises(UnknownNode):
        ego_network(net, "青岛:联合国", radius=1)


def test_generic_agencies_and_min_weight() -> None:
    store = MemoryStore.from_plans([parse_text(_GENERIC_PLAN)])
    plain = store.network_graph()
    assert "威海:各区市政府" not in plain
    wide = store.network_graph(include_generic=True)
    assert wide.edges["威海:各区市政府", "威海:市大数据局"]["weight"] == 2
    heavy = store.network_graph(include_generic=True, min_weight=2)
    assert list(heavy.edges) == [("威海:各区市政府", "威海:市大数据局")]
    assert heavy.number_of_nodes() == wide.number_of_nodes()  # isolates stay


def test_unknown_centres(store: MemoryStore) -> None:
    with pytest.raises(NotFound):
        store.document_graph("doc-nope")
    with pytest.raises(NotFound):
        store.topic_graph("区块链")
    with pytest.raises(NotFound):
        store.document_graph("青岛-2025-数字青岛行动方案:t1")  # a task, not a document
