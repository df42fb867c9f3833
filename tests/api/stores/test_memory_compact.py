"""The embedded store's graph with equal values shared (api.stores.compact): the same graph, in less memory."""

from __future__ import annotations

import pickle

import networkx as nx
import pytest

from api.stores.compact import compact
from api.stores.memory import MemoryStore
from graph_loader import parse_file
from graph_loader.rows import to_networkx

from ...conftest import PLAN_FILE, ROOT  # noqa: TID252  (importlib mode resolves the package-less tests dir)

FILES = [PLAN_FILE, *sorted((ROOT / "tests" / "graph_loader" / "series").glob("*.txt"))]


@pytest.fixture(scope="module")
def graphs() -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    plans = [parse_file(f) for f in FILES]
    return to_networkx(plans), compact(to_networkx(plans))  # compact changes the graph it is given


def test_the_compact_graph_is_the_same_graph_in_the_same_order(graphs: tuple[nx.MultiDiGraph, ...]) -> None:
    plain, small = graphs
    assert len(small) == len(plain) > 500 and small.number_of_edges() == plain.number_of_edges() > 500
    assert list(small.nodes(data=True)) == list(plain.nodes(data=True))
    assert list(small.edges(keys=True, data=True)) == list(plain.edges(keys=True, data=True))
    assert list(small.in_edges(keys=True, data=True)) == list(plain.in_edges(keys=True, data=True))
    assert small.graph == plain.graph


def _shared(graph: nx.MultiDiGraph) -> None:
    task = next(n for n, label in graph.nodes(data="label") if label == "Task")
    document = graph.nodes[task]["document_id"]
    doc_key = next(n for n in graph if n == document)
    # One string for the document's id: its node's key, its id property, and every node of it.
    assert graph.nodes[doc_key]["id"] is doc_key
    same_document = [props["document_id"] for n, props in graph.nodes(data=True) if props.get("document_id") == document]
    assert len(same_document) > 50 and all(d is doc_key for d in same_document)
    # Relationships whose only property is their type: one attribute dict and one key dict per type.
    has_measure = [(u, v) for u, v, k in graph.edges(keys=True) if k == "HAS_MEASURE"]
    assert len(has_measure) > 50
    assert len({id(graph._succ[u][v]) for u, v in has_measure}) == 1
    assert len({id(graph._succ[u][v]["HAS_MEASURE"]) for u, v in has_measure}) == 1
    assert all(graph._pred[v][u] is graph._succ[u][v] for u, v in has_measure)
    # Relationships with properties of their own keep their own dicts.
    responsible = [d for _, _, k, d in graph.edges(keys=True, data=True) if k == "RESPONSIBLE_FOR"]
    assert len({id(d) for d in responsible}) == len(responsible) > 50


def test_equal_values_are_one_object_also_after_a_pickle_round_trip(graphs: tuple[nx.MultiDiGraph, ...]) -> None:
    plain, small = graphs
    _shared(small)
    _shared(pickle.loads(pickle.dumps(small, protocol=pickle.HIGHEST_PROTOCOL)))
    with pytest.raises(AssertionError):
        _shared(plain)


def test_the_shared_graph_is_frozen(graphs: tuple[nx.MultiDiGraph, ...]) -> None:
    _, small = graphs
    u, v, k = next(iter(small.edges(keys=True)))
    for change in (lambda g: g.add_edge(u, v, key="X"), lambda g: g.remove_edge(u, v, key=k),
                   lambda g: g.add_node("new")):
        with pytest.raises(nx.NetworkXError, match="Frozen"):
            change(small)
    assert nx.is_frozen(pickle.loads(pickle.dumps(small)))


def test_the_store_keeps_its_graph_compact() -> None:
    store = MemoryStore.from_plans([parse_file(f) for f in FILES])
    assert nx.is_frozen(store.graph)
    _shared(store.graph)
    # One response model for each (topic, terms) matched, however many tasks match it.
    matches = [m for ms in store._topic_terms.values() for m in ms]
    assert len({id(m) for m in matches}) == len({(m.name, tuple(m.terms)) for m in matches}) < len(matches)
