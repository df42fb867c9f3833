"""The networkx graphs users export, built the same way by both stores.

- :func:`subgraph_from_rows` — a cut of the plan graph (a document with all it
  owns, a topic with its tasks …) from node and relationship rows;
- :func:`network_from_rows` — the co-responsibility network: agencies as
  nodes, an edge where two share tasks (``coresponsibility.shared_tasks``),
  weighted by the number of shared tasks, with centrality;
- :func:`capped_network` — the same, cut at a row cap the same way on both stores;
- :func:`ego_network` — an agency's neighbourhood in that network.

Attributes, as built here (and in node-link JSON): node ``label`` is the
graph-model label (Agency, Task …), edge ``label`` the relationship type
(RESPONSIBLE_FOR …; SHARES_TASKS in the network); every other property keeps
its graph-model name (``name``, ``role``, ``position``, ``weight`` …). The
files Gephi opens (GraphML, GEXF) show the Chinese ``name`` as the label and
keep the label in ``type`` (``graph_loader.formats``).
The node ``id`` property is the node key itself and is not repeated as an
attribute. ``None`` means "no value": the attribute is left out (Neo4j does
the same).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

import networkx as nx

NETWORK_EDGE_LABEL = "SHARES_TASKS"
BETWEENNESS_DIGITS = 6


class UnknownNode(LookupError):
    """The subgraph's centre (document, topic, agency) is not in the graph."""


class AgencyRow(TypedDict):
    """An agency as a network node, as both stores read it."""

    id: str
    name: str
    jurisdiction: str
    kind: str
    generic: bool


EdgeRow = tuple[str, str, list[str]]
"""(agency id, agency id, ids of the tasks they share)."""


def subgraph_from_rows(
    nodes: Iterable[tuple[str, Mapping[str, Any]]],
    rels: Iterable[tuple[str, str, str, Mapping[str, Any]]],
) -> nx.DiGraph:
    """A subgraph in export form from ``(id, props with label)`` and ``(start, end, type, props)`` rows.

    Nodes in id order, edges in (start, end) order, attributes in name order,
    no ``None`` values, no ``id`` attribute (the key), edge ``label`` =
    relationship type. The graph model has at most one relationship per
    ordered pair of nodes, so a plain DiGraph loses nothing.
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


def network_from_rows(
    nodes: Iterable[AgencyRow], edges: Iterable[EdgeRow], weights: Mapping[tuple[str, str], int] | None = None
) -> nx.Graph:
    """The network from agency rows and edge rows; adds ``degree``, ``weighted_degree`` and ``betweenness``.

    An edge weighs its tasks, or what ``weights`` says for (lower id, higher id) when its rows list only
    the first of them. Betweenness is networkx's normalised, unweighted betweenness centrality,
    rounded to 6 places so that both stores' answers compare equal.
    """
    net = nx.Graph()
    for row in sorted(nodes, key=lambda r: r["id"]):
        net.add_node(row["id"], label="Agency", name=row["name"], jurisdiction=row["jurisdiction"],
                     kind=row["kind"], generic=bool(row["generic"]))
    for a, b, tasks in sorted((min(a, b), max(a, b), sorted(tasks)) for a, b, tasks in edges):
        weight = weights[a, b] if weights is not None else len(tasks)
        net.add_edge(a, b, label=NETWORK_EDGE_LABEL, weight=weight, tasks=tasks)
    betweenness = nx.betweenness_centrality(net, normalized=True)
    for node in net:
        net.nodes[node]["degree"] = net.degree(node)
        net.nodes[node]["weighted_degree"] = int(net.degree(node, weight="weight"))
        net.nodes[node]["betweenness"] = round(betweenness[node], BETWEENNESS_DIGITS)
    return net


def capped_network(
    nodes: Sequence[AgencyRow], edges: Sequence[EdgeRow], row_cap: int,
    weights: Mapping[tuple[str, str], int] | None = None,
) -> tuple[nx.Graph, bool, bool]:
    """The network from at most ``row_cap`` agency rows (id order) and edge rows (weight order), with
    centrality computed on exactly what is kept; also says whether nodes, edges were cut.

    Both stores fetch up to ``row_cap + 1`` rows and build through here, so
    even a truncated network is the same on both.
    """
    kept_nodes = list(nodes[:row_cap])
    ids = {n["id"] for n in kept_nodes}
    kept_edges = [e for e in edges[:row_cap] if e[0] in ids and e[1] in ids]
    return network_from_rows(kept_nodes, kept_edges, weights), len(nodes) > row_cap, len(edges) > row_cap


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
