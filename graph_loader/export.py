"""Subgraphs of the plan graph for notebooks and Gephi: GraphML, GEXF and node-link JSON.

Four subgraphs, all cut from the graph :func:`graph_loader.graph.to_networkx`
builds (the embedded store's graph) or assembled from rows of the same shape
(the Neo4j store):

- :func:`document_subgraph` — a document with everything it owns, plus the
  agencies responsible for its measures and the topics its tasks touch;
- :func:`topic_subgraph` — a topic, the tasks touching it, their measures and
  goals, and the agencies responsible for those measures;
- :func:`coresponsibility_network` — agencies as nodes, an edge where two share
  a task (both responsible, any role, for some measure of it), weighted by the
  number of shared tasks;
- :func:`ego_network` — an agency's neighbourhood in that network.

Attributes, in every format:

- node ``label`` is the graph-model label (Agency, Task …), edge ``label`` the
  relationship type (RESPONSIBLE_FOR …; SHARES_TASKS in the network); every
  other property keeps its graph-model name (``name``, ``role``, ``position``,
  ``weight`` …). The node ``id`` property is the node key itself and is not
  repeated as an attribute.
- ``None`` means "no value": the attribute is left out (Neo4j does the same).
- GraphML and GEXF hold only scalars, so :func:`prepare` converts, the same way
  every time: a list (``terms``, ``tasks``) becomes its JSON text
  (``["人工智能", "大模型"]``); an attribute holding both ints and floats across
  the graph becomes float everywhere; in GEXF, edge weights are floats (as GEXF
  reads them back) and every edge gets an ``id`` (``e0``, ``e1`` … in edge
  order). Node-link JSON keeps lists and ints as they are.

What :func:`dumps` writes, :func:`loads` (plain networkx readers) reads back
equal to ``prepare(graph, fmt)``: same nodes, edges and attributes.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from graph_loader.graph import REL_TYPES, topic_id

Format = Literal["graphml", "gexf", "json"]
FORMATS: tuple[Format, ...] = ("graphml", "gexf", "json")
MEDIA_TYPES: dict[str, str] = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
}
NETWORK_EDGE_LABEL = "SHARES_TASKS"
BETWEENNESS_DIGITS = 6


class UnknownNode(LookupError):
    """The subgraph's centre (document, topic, agency) is not in the graph."""


# -- subgraphs of the plan graph -------------------------------------------------------------------


def _label(graph: nx.MultiDiGraph, node: str) -> str | None:
    return graph.nodes[node].get("label") if node in graph else None


def document_subgraph(graph: nx.MultiDiGraph, document_id: str) -> nx.DiGraph:
    """The document, its projects, sections, tasks, measures and goals, their agencies and topics."""
    if _label(graph, document_id) != "Document":
        raise UnknownNode(f"no document {document_id!r}")
    owned = {n for n, d in graph.nodes(data=True) if d.get("document_id") == document_id} | {document_id}
    return _induced(graph, owned | _agencies_of(graph, owned) | _topics_of(graph, owned))


def topic_subgraph(graph: nx.MultiDiGraph, topic: str) -> nx.DiGraph:
    """The topic, the tasks touching it, their measures and goals, and the agencies responsible."""
    tid = topic_id(topic)
    if _label(graph, tid) != "Topic":
        raise UnknownNode(f"no topic {topic!r}")
    tasks = {t for t, _, key in graph.in_edges(tid, keys=True) if key == "TOUCHES"}
    measures = {m for t in tasks for _, m, key in graph.out_edges(t, keys=True) if key == "HAS_MEASURE"}
    goals = {g for m in measures for _, g, key in graph.out_edges(m, keys=True) if key == "SETS"}
    nodes = {tid} | tasks | measures | goals
    return _induced(graph, nodes | _agencies_of(graph, measures))


def _agencies_of(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> set[str]:
    return {a for m in nodes for a, _, key in graph.in_edges(m, keys=True) if key == "RESPONSIBLE_FOR"}


def _topics_of(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> set[str]:
    return {t for n in nodes for _, t, key in graph.out_edges(n, keys=True) if key == "TOUCHES"}


def _induced(graph: nx.MultiDiGraph, nodes: set[str]) -> nx.DiGraph:
    """Nodes in id order and every graph-model relationship among them, as a plain DiGraph.

    The graph model has at most one relationship per ordered pair of nodes, so
    nothing is lost by leaving the multigraph.
    """
    node_rows = [(n, graph.nodes[n]) for n in sorted(nodes)]
    rel_rows = [
        (u, v, key, data)
        for u, v, key, data in graph.edges(sorted(nodes), keys=True, data=True)
        if v in nodes and key in REL_TYPES
    ]
    return subgraph_from_rows(node_rows, rel_rows)


def subgraph_from_rows(
    nodes: Iterable[tuple[str, Mapping[str, Any]]],
    rels: Iterable[tuple[str, str, str, Mapping[str, Any]]],
) -> nx.DiGraph:
    """A subgraph in export form from ``(id, props with label)`` and ``(start, end, type, props)`` rows.

    Both stores build their subgraphs through this, so they agree on the form:
    nodes in id order, edges in (start, end) order, attributes in name order,
    no ``None`` values, no ``id`` attribute (the key), edge ``label`` =
    relationship type.
    """
    out = nx.DiGraph()
    for node, props in sorted(nodes, key=lambda row: row[0]):
        out.add_node(node, **_clean(props, drop=("id",)))
    for start, end, rel_type, props in sorted(rels, key=lambda row: (row[0], row[1], row[2])):
        out.add_edge(start, end, label=rel_type, **_clean(props, drop=("type", "label")))
    return out


def _clean(props: Mapping[str, Any], drop: tuple[str, ...]) -> dict[str, Any]:
    """Attributes in name order (so files come out byte for byte the same from either store), no None."""
    return {
        k: (list(v) if isinstance(v, tuple) else v) for k, v in sorted(props.items()) if v is not None and k not in drop
    }


# -- the co-responsibility network --------------------------------------------------------------------


def coresponsibility_network(
    graph: nx.MultiDiGraph,
    *,
    include_generic: bool = False,
    min_weight: int = 1,
    document_id: str | None = None,
) -> nx.Graph:
    """Agencies responsible for measures (of ``document_id``, or of every document) and the tasks they share.

    Generic agencies (各区市政府 …) are left out unless ``include_generic``.
    Edges lighter than ``min_weight`` are dropped; agencies left without edges
    stay, as isolates.
    """
    nodes, edges = coresponsibility_rows(graph, include_generic=include_generic, min_weight=min_weight,
                                         document_id=document_id)
    return network_from_rows(nodes, edges)


NodeRow = dict[str, Any]
EdgeRow = tuple[str, str, list[str]]


def coresponsibility_rows(
    graph: nx.MultiDiGraph,
    *,
    include_generic: bool = False,
    min_weight: int = 1,
    document_id: str | None = None,
) -> tuple[list[NodeRow], list[EdgeRow]]:
    """The network's rows, as the Neo4j store's Cypher returns them: agencies in id order, and
    ``(lower id, higher id, sorted task ids)`` edges by weight desc, then ids."""
    owners: dict[str, set[str]] = defaultdict(set)  # task id -> agency ids
    for agency, measure, key in graph.edges(keys=True):
        if key != "RESPONSIBLE_FOR":
            continue
        if not include_generic and graph.nodes[agency].get("generic"):
            continue
        m = graph.nodes[measure]
        if document_id is None or m.get("document_id") == document_id:
            owners[m["task_id"]].add(agency)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for task, agencies in owners.items():
        for pair in combinations(sorted(agencies), 2):
            shared[pair].append(task)
    nodes = [{"id": a, **graph.nodes[a]} for a in sorted(set().union(*owners.values()))]
    edges = sorted(
        ((a, b, sorted(tasks)) for (a, b), tasks in shared.items() if len(tasks) >= min_weight),
        key=lambda e: (-len(e[2]), e[0], e[1]),
    )
    return nodes, edges


def network_from_rows(nodes: Iterable[Mapping[str, Any]], edges: Iterable[tuple[str, str, Iterable[str]]]) -> nx.Graph:
    """The network from agency rows (``id``, ``name``, ``jurisdiction``, ``kind``, ``generic``) and edge rows
    ``(agency id, agency id, shared task ids)``; adds ``degree``, ``weighted_degree`` and ``betweenness``.

    Betweenness is networkx's normalised, unweighted betweenness centrality,
    rounded to 6 places so that both stores' answers compare equal.
    """
    net = nx.Graph()
    for row in sorted(nodes, key=lambda r: r["id"]):
        net.add_node(row["id"], label="Agency", name=row["name"], jurisdiction=row["jurisdiction"],
                     kind=row["kind"], generic=bool(row["generic"]))
    for a, b, tasks in sorted((min(a, b), max(a, b), sorted(tasks)) for a, b, tasks in edges):
        net.add_edge(a, b, label=NETWORK_EDGE_LABEL, weight=len(tasks), tasks=tasks)
    betweenness = nx.betweenness_centrality(net, normalized=True)
    for node in net:
        net.nodes[node]["degree"] = net.degree(node)
        net.nodes[node]["weighted_degree"] = int(net.degree(node, weight="weight"))
        net.nodes[node]["betweenness"] = round(betweenness[node], BETWEENNESS_DIGITS)
    return net


def ego_network(network: nx.Graph, agency_id: str, radius: int = 1) -> nx.Graph:
    """The agency and every agency within ``radius`` shared-task steps, with the edges among them.

    Node attributes (degree, betweenness …) stay those of the whole network.
    """
    if agency_id not in network:
        raise UnknownNode(f"agency {agency_id!r} is not in the network")
    ego = nx.ego_graph(network, agency_id, radius=radius)
    out = nx.Graph()
    out.add_nodes_from(sorted(ego.nodes(data=True)))
    out.add_edges_from(sorted((min(a, b), max(a, b), d) for a, b, d in ego.edges(data=True)))
    return out


# -- writing and reading ---------------------------------------------------------------------------------


def prepare(graph: nx.Graph, fmt: Format) -> nx.Graph:
    """A copy of ``graph`` holding only what ``fmt`` can store (see the module docstring)."""
    out = graph.copy()
    out.graph.clear()
    if fmt == "json":
        return out
    for items in (list(out.nodes.values()), [d for _, _, d in out.edges(data=True)]):
        floats = {k for d in items for k, v in d.items() if isinstance(v, float)}
        for d in items:
            for k, v in list(d.items()):
                if isinstance(v, list | tuple | dict | set):
                    d[k] = json.dumps(sorted(v) if isinstance(v, set) else v, ensure_ascii=False)
                elif k in floats and isinstance(v, int) and not isinstance(v, bool):
                    d[k] = float(v)
    if fmt == "gexf":
        for i, (_, _, d) in enumerate(out.edges(data=True)):
            d["id"] = f"e{i}"
            if "weight" in d:
                d["weight"] = float(d["weight"])
    return out


def dumps(graph: nx.Graph, fmt: Format) -> bytes:
    """``graph`` as a GraphML, GEXF or node-link JSON document (UTF-8)."""
    prepared = prepare(graph, fmt)
    if fmt == "json":
        data = nx.node_link_data(prepared, edges="edges")
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(prepared, buffer, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(prepared, buffer, encoding="utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return buffer.getvalue()


def loads(data: bytes, fmt: Format) -> nx.Graph:
    """Read back what :func:`dumps` wrote, with networkx's own readers."""
    if fmt == "json":
        return nx.node_link_graph(json.loads(data), edges="edges")
    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(data))
    if fmt == "gexf":
        return nx.read_gexf(io.BytesIO(data))
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def write(graph: nx.Graph, fmt: Format, path: str | Path) -> None:
    Path(path).write_bytes(dumps(graph, fmt))
