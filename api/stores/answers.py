"""Facts into answers: the shaping steps both stores share, so that they agree item by item.

The stores find the facts (the Neo4j store with Cypher, the embedded store by
walking its graph) as property rows; these functions put rows into the API's
response models, fix the order of nested lists, and refuse an export file
that the row cap would cut.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

import networkx as nx

from api.errors import BadInput, NotFound
from api.schemas import (
    NESTED_CAP,
    AgencyRef,
    Dependency,
    DocumentMetrics,
    GoalOut,
    MeasureOwner,
    Network,
    NetworkEdge,
    NetworkNode,
    Page,
    ProjectRef,
    SectionRef,
    SeriesMetrics,
    TaskOwner,
    TaskRef,
    ToolCounts,
)
from graph_loader import subgraphs
from graph_loader.coresponsibility import Level
from graph_loader.diff import DocumentFacts, GoalFacts, OwnerFacts, PlanDiff, task_facts
from graph_loader.metrics import NetworkMetrics, network_metrics
from graph_loader.models import Role, ToolMatch
from graph_loader.policy_tools import count_types
from graph_loader.rows import Props
from graph_loader.series import compare

if TYPE_CHECKING:
    from api.stores.base import GraphStore


def agency_ref(props: Props) -> AgencyRef:
    return AgencyRef(id=props["id"], name=props["name"], jurisdiction=props["jurisdiction"],
                     generic=bool(props.get("generic", False)))


def task_ref(props: Props) -> TaskRef:
    return TaskRef(id=props["id"], number=props["number"], title=props["title"], document_id=props["document_id"])


def task_order(props: Props) -> tuple[str, int, str]:
    """Tasks in document, then task-number order."""
    return (props["document_id"], props["number"], props["id"])


def task_refs(tasks: Iterable[Props]) -> list[TaskRef]:
    """A nested list of tasks: of the distinct tasks, the NESTED_CAP with the lowest ids (the ones a
    CO_RESPONSIBLE relationship lists first), shown in document, then task-number order."""
    unique = {t["id"]: t for t in tasks}
    sample = [unique[i] for i in sorted(unique)[:NESTED_CAP]]
    return [task_ref(t) for t in sorted(sample, key=task_order)]


def project_ref(props: Props) -> ProjectRef:
    return ProjectRef(id=props["id"], number=props["number"], title=props["title"])


def section_ref(props: Props | None) -> SectionRef | None:
    return SectionRef(id=props["id"], number=props["number"], title=props["title"]) if props else None


def task_role(roles: Iterable[str]) -> Role:
    """An agency's role in a task: lead if it leads any of the task's measures, else co."""
    return "lead" if "lead" in set(roles) else "co"


def task_owners(rows: Iterable[Props]) -> list[TaskOwner]:
    """Owners of a task from its responsibility rows (``agency``, ``role``, ``measure_number``, ``position``),
    in order of first appearance, each with its task-level role."""
    first: dict[str, tuple[int, int]] = {}
    roles: dict[str, list[str]] = {}
    agencies: dict[str, Props] = {}
    for r in rows:
        aid = r["agency"]["id"]
        at = (r["measure_number"], r["position"])
        first[aid] = min(first.get(aid, at), at)
        roles.setdefault(aid, []).append(r["role"])
        agencies[aid] = r["agency"]
    order = sorted(first, key=lambda aid: (first[aid], aid))
    return [TaskOwner(agency=agency_ref(agencies[aid]), role=task_role(roles[aid])) for aid in order]


def measure_owners(rows: Iterable[Props]) -> list[MeasureOwner]:
    """Owners of one measure from rows (``agency``, ``role``, ``position``, ``raw``, ``span_start``, ``span_end``),
    in list order."""
    return [
        MeasureOwner(agency=agency_ref(r["agency"]), role=r["role"], position=r["position"], raw=r["raw"],
                     span=(r["span_start"], r["span_end"]))
        for r in sorted(rows, key=lambda r: (r["position"], r["agency"]["id"]))
    ]


def measure_tools(props: Props) -> list[ToolMatch]:
    """A measure's policy tools from the two lists both stores hold (rows.py writes them)."""
    return [
        ToolMatch(type=kind, subtype=subtype, terms=terms.split("、") if terms else [])
        for (kind, subtype), terms in zip(
            (t.split("/", 1) for t in props.get("tools") or []), props.get("tool_terms") or [], strict=True
        )
    ]


def goal_out(props: Props, measure_id: str) -> GoalOut:
    # Neo4j keeps no null properties, and goals loaded before these fields existed have none of them.
    return GoalOut(id=props["id"], text=props["text"], value=props["value"], value_max=props.get("value_max"),
                   unit=props["unit"], comparator=props["comparator"], metric=props.get("metric"),
                   measure_id=measure_id, relative=bool(props.get("relative", False)),
                   direction=props.get("direction"), base=props.get("base"), base_year=props.get("base_year"),
                   deadline_year=props.get("deadline_year"), approximate=bool(props.get("approximate", False)),
                   span=(props["span_start"], props["span_end"]))


def no_documents_in(series: str | None, year: int | None) -> NotFound:
    """The 404 for a series or a year no document belongs to."""
    what = " of ".join(part for part in (f"series {series}" if series else "", f"year {year}" if year else "") if part)
    return NotFound(f"no documents in {what}; each document's series and year are in /documents",
                    details={"series": series, "year": year})


def no_task(task_id: str) -> NotFound:
    """The 404 for a task id nothing has, with a hint at what task ids look like."""
    hint = "" if ":t" in task_id else (
        "; task ids look like <document id>:t<number> (see /documents), or ask /tasks/{document}/{number}"
    )
    return NotFound(f"no task {task_id}{hint}", details={"query": task_id})


def dependency_order(d: Dependency) -> tuple[bool, int, str]:
    """out before in, then most measures, then the other agency's id."""
    other = d.supporting if d.direction == "out" else d.lead
    return (d.direction != "out", -d.measures, other.id)


def goal_order(props: Props) -> tuple[int, str]:
    return (props["span_start"], props["id"])


def network_model(net: nx.Graph, nodes_truncated: bool, edges_truncated: bool) -> Network:
    """The API's view of a network built by ``subgraphs.capped_network``."""
    nodes = [
        NetworkNode(id=n, name=d["name"], jurisdiction=d["jurisdiction"], generic=d["generic"], kind=d["kind"],
                    degree=d["degree"], weighted_degree=d["weighted_degree"], betweenness=d["betweenness"])
        for n, d in net.nodes(data=True)
    ]
    nodes.sort(key=lambda n: (-n.betweenness, -n.degree, n.id))
    edges = [
        NetworkEdge(source=min(a, b), target=max(a, b), weight=d["weight"], tasks=list(d["tasks"][:NESTED_CAP]))
        for a, b, d in net.edges(data=True)
    ]
    edges.sort(key=lambda e: (-e.weight, e.source, e.target))
    return Network(
        nodes=Page[NetworkNode](data=nodes, count=len(nodes), truncated=nodes_truncated),
        edges=Page[NetworkEdge](data=edges, count=len(edges), truncated=edges_truncated),
    )


def whole_network(net: nx.Graph, nodes_truncated: bool, edges_truncated: bool, row_cap: int) -> nx.Graph:
    """``net`` for an export file, which cannot say it was cut: BadInput when it was."""
    if nodes_truncated or edges_truncated:
        raise BadInput(
            f"the network has more than {row_cap} agencies or edges (the row cap); "
            "narrow it with document or min_weight, or raise POLICYKG_ROW_CAP",
            details={"row_cap": row_cap},
        )
    return net


def whole_subgraph(graph: nx.DiGraph, truncated: bool, row_cap: int) -> nx.DiGraph:
    """``graph`` for an export file, which cannot say it was cut: BadInput when it was (more than
    ``row_cap`` nodes or relationships)."""
    if truncated:
        raise BadInput(
            f"the subgraph has more than {row_cap} nodes or relationships (the row cap); raise POLICYKG_ROW_CAP",
            details={"row_cap": row_cap},
        )
    return graph


def ego(net: nx.Graph, agency_id: str, radius: int) -> nx.Graph:
    """The agency's ego network, or NotFound when it is not in the network."""
    try:
        return subgraphs.ego_network(net, agency_id, radius)
    except subgraphs.UnknownNode as e:
        raise NotFound(
            f"{agency_id} is not in the co-responsibility network (generic agencies need include_generic=true)",
            details={"query": agency_id},
        ) from e


def document_facts(store: GraphStore, document: str) -> DocumentFacts:
    """A loaded document's facts from its task details, as ``graph_loader.diff.facts_from_plan`` gives a parsed
    plan's: so a comparison reads the same from either store and from files."""
    doc = store.resolve_document(document)
    tasks = [
        task_facts(
            id=t.id, number=t.number, title=t.title, span=t.span, text=t.text,
            mentions=(
                OwnerFacts(agency_id=o.agency.id, name=o.agency.name, role=o.role, generic=o.agency.generic,
                           span=o.span)
                for m in t.measures for o in m.owners
            ),
            goals=(
                GoalFacts(metric=g.metric, text=g.text, value=g.value, value_max=g.value_max, unit=g.unit,
                          comparator=g.comparator, span=g.span)
                for g in t.goals
            ),
            topics=t.topics,
        )
        for t in store.document_tasks(doc.id)
    ]
    return DocumentFacts(id=doc.id, title=doc.title, year=doc.year, tasks=tasks)


def compare_documents(store: GraphStore, old: str, new: str) -> PlanDiff:
    """What changed from loaded document ``old`` to ``new`` (ids or titles); NotFound for an unknown one."""
    return compare(document_facts(store, old), document_facts(store, new))


def document_metrics(store: GraphStore, document_id: str, *, level: Level = "task") -> NetworkMetrics:
    """The network measures of one document's agencies (``graph_loader.metrics``), from its responsibilities:
    the same function over the same rows on both stores. Collective placeholders are left out, as in /network."""
    owners: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    names: dict[str, str] = {}
    for r in store.responsibilities(document_id):
        owners[r.task_id if level == "task" else r.measure_id].append((r.agency_id, r.role, r.task_id))
        names[r.agency_id] = r.name
    return network_metrics(owners, names, level=level)


def series_metrics(store: GraphStore, series: str, *, level: Level = "task") -> SeriesMetrics:
    """The network measures of every plan of a series, year by year."""
    return SeriesMetrics(series=series, level=level, years=[
        DocumentMetrics(document=doc, metrics=document_metrics(store, doc.id, level=level))
        for doc in store.documents_in(series=series)
    ])


_TOOL_FIELDS = {"供给型": "supply", "需求型": "demand", "环境型": "environment"}


def policy_tool_counts(store: GraphStore, document_id: str, by: Literal["agency", "topic"]) -> list[ToolCounts]:
    """Measures of a document by the policy tools' types they use, per agency responsible for them or per topic
    of their task (``policy_tools.count_types``), from the task details both stores give. Most measures first."""
    names: dict[str, str] = {}
    units = []
    for task in store.document_tasks(document_id):
        for measure in task.measures:
            keys = ({o.agency.id: o.agency.name for o in measure.owners} if by == "agency"
                    else {topic: topic for topic in task.topics})
            names.update(keys)
            units.append((keys, [t.type for t in measure.tools]))
    rows = [ToolCounts(key=key, name=names[key], **{field: counts[kind] for kind, field in _TOOL_FIELDS.items()})
            for key, counts in count_types(units).items()]
    return sorted(rows, key=lambda r: (-(r.supply + r.demand + r.environment), r.key))
