"""The plan model as graph rows: the one shape both stores load.

``plan_rows`` flattens a :class:`Plan` into nodes and relationships exactly as
the graph model names them (Document, Project, Section, Task, Measure, Agency,
Goal, Topic; HAS_PROJECT … TOUCHES). The Neo4j loader sends these rows as
parameters; ``to_networkx`` builds the embedded store's graph from the same
rows, so the two stores cannot drift apart in what they hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph_loader.models import Plan

LABELS = ("Document", "Project", "Section", "Task", "Measure", "Agency", "Goal", "Topic")
"""The graph model's labels, parents before children (the loader writes nodes in this order)."""
REL_TYPES = ("HAS_PROJECT", "HAS_SECTION", "HAS_TASK", "HAS_MEASURE", "RESPONSIBLE_FOR", "SETS", "TOUCHES")

Props = dict[str, Any]
"""A node's or relationship's properties, by graph-model name."""


@dataclass(frozen=True)
class NodeRow:
    label: str
    id: str
    props: Props = field(default_factory=dict)


@dataclass(frozen=True)
class RelRow:
    type: str
    start: str  # id of the start node
    end: str  # id of the end node
    props: Props = field(default_factory=dict)


def topic_id(name: str) -> str:
    return f"topic:{name}"


@dataclass
class GraphRows:
    nodes: list[NodeRow] = field(default_factory=list)
    rels: list[RelRow] = field(default_factory=list)

    def node(self, label: str, id: str, **props: Any) -> None:
        self.nodes.append(NodeRow(label, id, {"id": id, **props}))

    def rel(self, type: str, start: str, end: str, **props: Any) -> None:
        self.rels.append(RelRow(type, start, end, props))


def plan_rows(plan: Plan, content_hash: str | None = None) -> GraphRows:
    """Nodes and relationships of one plan. Agencies and topics are shared across plans (same ids).

    ``content_hash`` (the loader's) is stored on the Document, so a re-load can skip it.
    """
    rows = GraphRows()
    doc = plan.document
    rows.node(
        "Document",
        doc.id,
        name=doc.title,
        title=doc.title,
        year=doc.year,
        jurisdiction=doc.jurisdiction,
        series=doc.series,
        source=doc.source,
        legacy_id=doc.legacy_id,
        content_hash=content_hash,
    )
    for p in plan.projects:
        rows.node("Project", p.id, name=p.title, number=p.number, title=p.title, document_id=doc.id)
        rows.rel("HAS_PROJECT", doc.id, p.id)
    for s in plan.sections:
        rows.node("Section", s.id, name=s.title, number=s.number, title=s.title, document_id=doc.id)
        rows.rel("HAS_SECTION", s.project_id, s.id)
    for a in plan.agencies:
        rows.node("Agency", a.id, name=a.name, jurisdiction=a.jurisdiction, kind=a.kind, generic=a.generic)
    for t in plan.tasks:
        rows.node(
            "Task",
            t.id,
            name=f"{t.number}. {t.title}",
            number=t.number,
            title=t.title,
            text=t.text,
            source_text=t.source_text,
            span_start=t.span[0],
            span_end=t.span[1],
            place=t.place,
            document_id=doc.id,
            project_id=t.project.id,
            section_id=t.section.id if t.section else None,
        )
        rows.rel("HAS_TASK", t.section.id if t.section else t.project.id, t.id)
        for m in t.measures:
            rows.node(
                "Measure",
                m.id,
                name=f"{t.number}.{m.number} {m.text[:16]}",
                number=m.number,
                text=m.text,
                span_start=m.span[0],
                span_end=m.span[1],
                deadline=m.deadline,
                # Neo4j stores lists of scalars only: a tool as "type/subtype", its evidence as "、"-joined terms.
                tools=[f"{x.type}/{x.subtype}" for x in m.tools],
                tool_terms=["、".join(x.terms) for x in m.tools],
                document_id=doc.id,
                task_id=t.id,
            )
            rows.rel("HAS_MEASURE", t.id, m.id)
            for mention in m.agencies:
                rows.rel(
                    "RESPONSIBLE_FOR",
                    mention.agency_id,
                    m.id,
                    role=mention.role,
                    position=mention.position,
                    raw=mention.raw,
                    span_start=mention.span[0],
                    span_end=mention.span[1],
                    document_id=doc.id,
                )
        for g in t.goals:
            rows.node(
                "Goal",
                g.id,
                name=g.text,
                text=g.text,
                value=g.value,
                value_max=g.value_max,
                unit=g.unit,
                comparator=g.comparator,
                metric=g.metric,
                relative=g.relative,
                direction=g.direction,
                base=g.base,
                base_year=g.base_year,
                deadline_year=g.deadline_year,
                approximate=g.approximate,
                span_start=g.span[0],
                span_end=g.span[1],
                document_id=doc.id,
                task_id=t.id,
            )
            rows.rel("SETS", g.measure_id, g.id)
        for topic in t.topics:
            rows.node("Topic", topic_id(topic.name), name=topic.name)
            rows.rel("TOUCHES", t.id, topic_id(topic.name), terms=list(topic.terms))
    return rows


def to_networkx(plans: Iterable[Plan]) -> nx.MultiDiGraph:
    """The embedded store's graph: node key = id, attribute ``label``; edge key = relationship type."""
    graph = nx.MultiDiGraph()
    for plan in plans:
        rows = plan_rows(plan)
        for n in rows.nodes:
            graph.add_node(n.id, label=n.label, **n.props)
        for r in rows.rels:
            graph.add_edge(r.start, r.end, key=r.type, type=r.type, **r.props)
    return graph
