"""Exports: the subgraphs hold what the plan says, and every format reads back as written."""

from __future__ import annotations

import json
from itertools import combinations

import networkx as nx
import pytest

from graph_loader import Plan, parse_text
from graph_loader import export as ex
from graph_loader.graph import to_networkx

_GENERIC_PLAN = """数字威海2025年行动方案
一、夯实数据基础
(一)数据资源
1.公共数据。推动公共数据开放,新增不少于5个行业专区。(责任单位:市大数据局、市公安局、各区市政府)
2.数据安全。加强数据安全管理。(牵头单位:市委网信办;责任单位:市大数据局、各区市政府)
"""


@pytest.fixture(scope="module")
def graph(plan: Plan) -> nx.MultiDiGraph:
    return to_networkx([plan])


@pytest.fixture(scope="module")
def subgraphs(graph: nx.MultiDiGraph, plan: Plan) -> dict[str, nx.Graph]:
    net = ex.coresponsibility_network(graph)
    return {
        "document": ex.document_subgraph(graph, plan.document.id),
        "topic": ex.topic_subgraph(graph, "人工智能"),
        "network": net,
        "ego": ex.ego_network(net, "青岛:市大数据局", radius=1),
    }


def _edges(g: nx.Graph) -> dict[tuple[str, str], dict]:
    if g.is_directed():
        return {(u, v): d for u, v, d in g.edges(data=True)}
    return {tuple(sorted((u, v))): d for u, v, d in g.edges(data=True)}  # type: ignore[misc]


@pytest.mark.parametrize("fmt", ex.FORMATS)
@pytest.mark.parametrize("which", ["document", "topic", "network", "ego"])
def test_round_trip(subgraphs: dict[str, nx.Graph], which: str, fmt: ex.Format) -> None:
    written = ex.prepare(subgraphs[which], fmt)
    read = ex.loads(ex.dumps(subgraphs[which], fmt), fmt)
    assert read.is_directed() == written.is_directed()
    assert dict(read.nodes(data=True)) == dict(written.nodes(data=True))
    assert _edges(read) == _edges(written)
    assert read.number_of_nodes() > 0 and read.number_of_edges() > 0


def test_conversions_for_xml_formats(subgraphs: dict[str, nx.Graph]) -> None:
    doc = subgraphs["document"]
    touches = next(d for _, _, d in doc.edges(data=True) if d["label"] == "TOUCHES")
    assert isinstance(touches["terms"], list)
    for fmt in ("graphml", "gexf"):
        prepared = ex.prepare(doc, fmt)
        values = [v for _, d in prepared.nodes(data=True) for v in d.values()]
        values += [v for _, _, d in prepared.edges(data=True) for v in d.values()]
        assert all(isinstance(v, str | int | float | bool) for v in values)
        t10 = prepared.edges["doc-0d51d59d77:t10", "topic:人工智能"]
        assert json.loads(t10["terms"]) == ["大模型"]
    # A task's section_id is None where it hangs under its project: the attribute is left out.
    assert "section_id" not in doc.nodes["doc-0d51d59d77:t50"]
    assert doc.nodes["doc-0d51d59d77:t1"]["section_id"] == "doc-0d51d59d77:s1"
    assert "id" not in doc.nodes["doc-0d51d59d77:t1"]  # the node key is the id


def test_mixed_numbers_become_floats_in_xml() -> None:
    g = nx.DiGraph()
    g.add_node("a", value=3)
    g.add_node("b", value=6.5)
    g.add_node("c", value=True)
    prepared = ex.prepare(g, "graphml")
    assert [prepared.nodes[n]["value"] for n in "abc"] == [3.0, 6.5, True]
    assert isinstance(prepared.nodes["a"]["value"], float)
    assert ex.prepare(g, "json").nodes["a"]["value"] == 3


def test_document_subgraph_holds_the_plan(subgraphs: dict[str, nx.Graph], plan: Plan) -> None:
    doc = subgraphs["document"]
    labels = [d["label"] for _, d in doc.nodes(data=True)]
    assert {label: labels.count(label) for label in set(labels)} == {
        "Document": 1, "Project": 7, "Section": 20, "Task": 54, "Measure": 69, "Agency": 59, "Goal": 29, "Topic": 8,
    }
    responsible = [(u, v, d) for u, v, d in doc.edges(data=True) if d["label"] == "RESPONSIBLE_FOR"]
    assert len(responsible) == sum(len(m.agencies) for m in plan.measures()) == 158
    first = doc.edges["青岛:市大数据局", "doc-0d51d59d77:t1:m1"]
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
    assert edge["tasks"] == sorted(f"doc-0d51d59d77:t{n}" for n in (1, 19, 42, 51))
    ego = subgraphs["ego"]
    assert set(ego) == {"青岛:市大数据局", *net["青岛:市大数据局"]}
    assert ego.nodes["青岛:市大数据局"]["degree"] == 34
    two_steps = ex.ego_network(net, "青岛:市大数据局", radius=2)
    assert set(two_steps) >= set(ego)
    with pytest.raises(ex.UnknownNode):
        ex.ego_network(net, "青岛:联合国", radius=1)


def test_generic_agencies_and_min_weight() -> None:
    graph = to_networkx([parse_text(_GENERIC_PLAN)])
    plain = ex.coresponsibility_network(graph)
    assert "威海:各区市政府" not in plain
    wide = ex.coresponsibility_network(graph, include_generic=True)
    assert wide.edges["威海:各区市政府", "威海:市大数据局"]["weight"] == 2
    heavy = ex.coresponsibility_network(graph, include_generic=True, min_weight=2)
    assert list(heavy.edges) == [("威海:各区市政府", "威海:市大数据局")]
    assert heavy.number_of_nodes() == wide.number_of_nodes()  # isolates stay


def test_unknown_centres(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(ex.UnknownNode):
        ex.document_subgraph(graph, "doc-nope")
    with pytest.raises(ex.UnknownNode):
        ex.topic_subgraph(graph, "区块链")
    with pytest.raises(ex.UnknownNode):
        ex.document_subgraph(graph, "doc-0d51d59d77:t1")  # a task, not a document


def test_write_to_a_file(subgraphs: dict[str, nx.Graph], tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ego.gexf"
    ex.write(subgraphs["ego"], "gexf", path)
    assert path.read_bytes().startswith(b"<?xml")
    assert set(ex.loads(path.read_bytes(), "gexf")) == set(subgraphs["ego"])
