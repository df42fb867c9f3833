"""What the explorer's pages show, shaped from the API's answers: highlighted text, graphs for the drawing, links.

Pure functions over response models (``api.schemas``) and the networkx graphs the stores give; no store
is called here, so the pages say exactly what the JSON endpoints say.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, urlencode

import networkx as nx

from api.schemas import DocumentOut, Network, NetworkNode, TaskDetail, TaskSummary
from api.stores import answers
from graph_loader import coresponsibility, subgraphs
from graph_loader.text import fold

PREFIX = "/explore"
Centrality = Literal["degree", "weighted_degree", "betweenness"]
CENTRALITIES: dict[str, str] = {
    "degree": "degree (partners)",
    "weighted_degree": "weighted degree (shared tasks)",
    "betweenness": "betweenness",
}


# -- links ------------------------------------------------------------------------------------------------


def agency_url(agency_id: str) -> str:
    return f"{PREFIX}/agencies/{quote(agency_id, safe='')}"


def task_url(task_id: str) -> str:
    return f"{PREFIX}/tasks/{quote(task_id, safe='')}"


def network_url(**params: Any) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{PREFIX}/network" + (f"?{urlencode(kept)}" if kept else "")


def diff_url(old: str, new: str) -> str:
    return f"{PREFIX}/diff/{quote(old, safe='')}/{quote(new, safe='')}"


def api_url(path: str, **params: Any) -> str:
    """A JSON endpoint's address (path segments already quoted by the caller), for the page's "fed by" link."""
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + (f"?{urlencode(kept)}" if kept else "")


def q(part: str) -> str:
    """One path segment, percent-encoded."""
    return quote(part, safe="")


# -- plans over time: which documents to compare ---------------------------------------------------------


def previous_in_series(documents: Sequence[DocumentOut]) -> dict[str, DocumentOut]:
    """For each document, the latest document of its series from an earlier year (among ``documents``)."""
    out: dict[str, DocumentOut] = {}
    by_series: dict[str, list[DocumentOut]] = {}
    for d in documents:
        if d.year is not None:
            by_series.setdefault(d.series, []).append(d)
    for docs in by_series.values():
        docs.sort(key=lambda d: (d.year or 0, d.id))
        for d in docs:
            earlier = [e for e in docs if (e.year or 0) < (d.year or 0)]
            if earlier:
                out[d.id] = earlier[-1]
    return out


# -- the task's source text with its facts marked --------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """A fact at a span of the source file's text: an owner list entry, a goal, a topic term."""

    start: int
    end: int
    kind: Literal["owner", "goal", "topic"]
    label: str


@dataclass(frozen=True)
class Part:
    """A run of text inside a block: plain, or a topic term (``topic`` says which topics and terms)."""

    text: str
    topic: str | None = None


@dataclass(frozen=True)
class Block:
    """A run of the source text: plain, or one owner or goal at its span, with the topic terms inside it."""

    parts: tuple[Part, ...]
    kind: Literal["owner", "goal"] | None = None
    label: str = ""
    span: tuple[int, int] | None = None


def task_marks(task: TaskDetail) -> list[Mark]:
    """Every owner, goal and topic term of ``task`` at its span (file offsets, as the API gives them)."""
    marks = [
        Mark(o.span[0], o.span[1], "owner", f"{o.agency.name} ({'lead' if o.role == 'lead' else 'supporting'})")
        for m in task.measures for o in m.owners
    ]
    marks += [Mark(g.span[0], g.span[1], "goal", f"goal: {g.text}") for g in task.goals]
    # Topic evidence comes as terms, not spans: each term is marked wherever the task's text has it.
    text, start = task.source_text, task.span[0]
    folded = fold(text)
    searched = folded if len(folded) == len(text) else text
    for topic in task.topic_matches:
        for term in topic.terms:
            at = searched.find(term)
            while at >= 0:
                marks.append(Mark(start + at, start + at + len(term), "topic", f"{topic.name}: {term}"))
                at = searched.find(term, at + len(term))
    return marks


def _merged(marks: Iterable[Mark]) -> list[Mark]:
    """Overlapping topic marks merged into one (算力 inside 智能算力), their labels joined."""
    out: list[Mark] = []
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        if out and m.start < out[-1].end:
            last = out[-1]
            label = last.label if m.label in last.label.split("; ") else f"{last.label}; {m.label}"
            out[-1] = Mark(last.start, max(last.end, m.end), "topic", label)
        else:
            out.append(m)
    return out


def highlight(text: str, offset: int, marks: Iterable[Mark]) -> list[Block]:
    """``text`` (which starts at file offset ``offset``) cut into blocks: plain runs, and each owner and goal at
    its span; inside every block, the topic terms. An owner or goal overlapping an earlier one is left unmarked."""
    marks = list(marks)
    outer: list[Mark] = []
    for m in sorted((m for m in marks if m.kind != "topic"), key=lambda m: (m.start, m.end)):
        if offset <= m.start < m.end <= offset + len(text) and (not outer or m.start >= outer[-1].end):
            outer.append(m)
    topics = _merged(m for m in marks if m.kind == "topic")

    def parts(start: int, end: int) -> tuple[Part, ...]:
        out: list[Part] = []
        at = start
        for t in topics:
            a, b = max(t.start, start), min(t.end, end)
            if a >= b:
                continue
            if a > at:
                out.append(Part(text[at - offset : a - offset]))
            out.append(Part(text[a - offset : b - offset], t.label))
            at = b
        if at < end:
            out.append(Part(text[at - offset : end - offset]))
        return tuple(out)

    blocks: list[Block] = []
    at = offset
    for m in outer:
        if m.start > at:
            blocks.append(Block(parts(at, m.start)))
        blocks.append(Block(parts(m.start, m.end), m.kind, m.label, (m.start, m.end)))  # type: ignore[arg-type]
        at = m.end
    if at < offset + len(text):
        blocks.append(Block(parts(at, offset + len(text))))
    return blocks


# -- graphs for the drawing (vis-network) ----------------------------------------------------------------


def _node(n: NetworkNode | dict[str, Any], node_id: str, centre: str | None = None) -> dict[str, Any]:
    d = n.model_dump() if isinstance(n, NetworkNode) else n
    return {
        "id": node_id, "label": d["name"], "url": agency_url(node_id), "kind": d.get("kind", ""),
        "degree": d["degree"], "weighted_degree": d["weighted_degree"], "betweenness": d["betweenness"],
        "centre": node_id == centre,
    }


def network_drawing(net: Network) -> dict[str, Any]:
    """The network answer as the page's script draws it: nodes with their centralities and links, weighted edges."""
    return {
        "nodes": [_node(n, n.id) for n in net.nodes.data],
        "edges": [{"from": e.source, "to": e.target, "weight": e.weight} for e in net.edges.data],
    }


def graph_drawing(graph: nx.Graph, centre: str | None = None) -> dict[str, Any]:
    """A networkx co-responsibility graph (an ego network) as the page's script draws it."""
    return {
        "nodes": [_node(d, n, centre) for n, d in graph.nodes(data=True)],
        "edges": [{"from": a, "to": b, "weight": d["weight"]} for a, b, d in graph.edges(data=True)],
    }


def topic_network(net: Network, tasks: Sequence[TaskSummary], *, min_weight: int = 1) -> Network:
    """The co-responsibility network of the tasks given (those touching a topic): their owners, tied by the given
    tasks they share (``coresponsibility.shared_tasks``, the one definition of the pairs) from ``min_weight``, with
    centralities computed as the stores compute them (``subgraphs.network_from_rows``). ``net`` (the network of
    the same scope) gives the agencies' attributes; owners it leaves out (collective placeholders) stay out."""
    known = {n.id: n for n in net.nodes.data}
    owners = {t.id: [o.agency.id for o in t.owners if o.agency.id in known] for t in tasks}
    rows: list[subgraphs.AgencyRow] = [
        {"id": n.id, "name": n.name, "jurisdiction": n.jurisdiction, "kind": n.kind, "generic": n.generic}
        for n in (known[a] for a in sorted({a for ids in owners.values() for a in ids}))
    ]
    edges: list[subgraphs.EdgeRow] = [
        (a, b, shared) for (a, b), shared in coresponsibility.shared_tasks(owners).items() if len(shared) >= min_weight
    ]
    return answers.network_model(subgraphs.network_from_rows(rows, edges), net.nodes.truncated, False)


def ranked(nodes: Sequence[NetworkNode], by: Centrality) -> list[NetworkNode]:
    """Nodes by the chosen centrality, highest first, then by id."""
    return sorted(nodes, key=lambda n: (-getattr(n, by), n.id))
