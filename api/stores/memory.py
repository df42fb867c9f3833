"""The embedded store: the plans' graph in a networkx MultiDiGraph, in process.

The graph is :func:`graph_loader.rows.to_networkx` of every plan in the
source directory, built once at start-up; queries walk it in Python and must
answer exactly what the Cypher files answer on Neo4j (the parity suite checks).
Walks are bounded by the graph's size, so there is no timeout here; lists are
cut at the row cap like on Neo4j.

Longer than 400 lines on purpose: one class whose methods are the store
protocol's queries, each beside the indexes it walks; the shaping they share
with the Neo4j store lives in ``answers``, the network building in
``graph_loader.subgraphs``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from api import names
from api.errors import NotFound
from api.schemas import (
    AgencyDetail,
    AgencyRef,
    AgencySummary,
    AgencyTask,
    Dependency,
    DocumentOut,
    DocumentRef,
    GoalWithOwners,
    Health,
    MeasureOut,
    MeasureRole,
    Network,
    Page,
    Partner,
    SharedTask,
    TaskDetail,
    TaskSummary,
    TopicMatchOut,
    TopicOut,
)
from api.stores import answers
from api.stores.base import (
    Direction,
    Responsibility,
    TaskFilter,
    Window,
    distinct_agencies,
    page,
    project_number,
    scope,
)
from graph_loader import subgraphs
from graph_loader.coresponsibility import Level, shared_tasks
from graph_loader.lineage import TaskText
from graph_loader.models import Plan, Role
from graph_loader.readers import plan_files
from graph_loader.rows import REL_TYPES, Props, to_networkx, topic_id
from graph_loader.series import SeriesDocument, series_continuations


@dataclass(frozen=True)
class _Resp:
    """One RESPONSIBLE_FOR relationship with the ids around it."""

    agency: str
    measure: str
    task: str
    role: Role
    position: int
    raw: str
    span: tuple[int, int]

    def owner_row(self, agency: Props) -> Props:
        """The row :func:`answers.measure_owners` reads, as a query returns it."""
        return {"agency": agency, "role": self.role, "position": self.position, "raw": self.raw,
                "span_start": self.span[0], "span_end": self.span[1]}


def _link_series(graph: nx.MultiDiGraph) -> None:
    """The CONTINUES links of every series, from the tasks' titles and texts, as the loader makes them."""
    tasks: dict[str, list[TaskText]] = defaultdict(list)
    for node, props in graph.nodes(data=True):
        if props["label"] == "Task":
            tasks[props["document_id"]].append(TaskText(node, props["number"], props["title"], props["text"]))
    by_series: dict[str, list[SeriesDocument]] = defaultdict(list)
    for node, props in graph.nodes(data=True):
        if props["label"] == "Document" and props.get("series"):
            by_series[props["series"]].append(SeriesDocument(node, props.get("year"), tasks[node]))
    for documents in by_series.values():
        for c in series_continuations(documents):
            graph.add_edge(c.new, c.old, key="CONTINUES", type="CONTINUES", score=c.score)


class MemoryStore:
    kind: Literal["memory", "neo4j"] = "memory"

    def __init__(self, graph: nx.MultiDiGraph, *, row_cap: int = 1000, source: str = "plans given in process"):
        self.graph = graph
        self.row_cap = row_cap
        self.source = source
        self._index()

    @classmethod
    def from_plans(cls, plans: Iterable[Plan], **kwargs: Any) -> MemoryStore:
        graph = to_networkx(plans)
        _link_series(graph)
        return cls(graph, **kwargs)

    @classmethod
    def from_directory(cls, directory: Path, **kwargs: Any) -> MemoryStore:
        """Every plan in ``directory`` (any format, in file-name order); raises PlanParseError for a bad file.

        A plan whose file and parser are unchanged since it was last parsed is read back from the parse
        cache (POLICYKG_PARSE_CACHE, see ``graph_loader.parse_cache``) instead of parsed again.
        """
        from api.settings import get_settings
        from graph_loader.parse_cache import ParseCache

        plans = ParseCache(get_settings().parse_cache).parse_files(plan_files(directory))
        # The folder's name, not its path: /health is public and tells nothing about this machine.
        return cls.from_plans(plans, source=f"{Path(directory).name}/", **kwargs)

    def _index(self) -> None:
        g = self.graph
        self._ids: dict[str, list[str]] = defaultdict(list)
        for node, label in sorted(g.nodes(data="label")):
            self._ids[label].append(node)
        self._resps: list[_Resp] = []
        self._by_agency: dict[str, list[_Resp]] = defaultdict(list)
        self._by_task: dict[str, list[_Resp]] = defaultdict(list)
        for agency, measure, key, data in g.edges(keys=True, data=True):
            if key == "RESPONSIBLE_FOR":
                r = _Resp(agency, measure, g.nodes[measure]["task_id"], data["role"], data["position"], data["raw"],
                          (data["span_start"], data["span_end"]))
                self._resps.append(r)
                self._by_agency[agency].append(r)
                self._by_task[r.task].append(r)

    # -- small helpers ---------------------------------------------------------------------------------

    def _node(self, node: str) -> Props:
        return self.graph.nodes[node]

    def _is(self, node: str, label: str) -> bool:
        return node in self.graph and self.graph.nodes[node].get("label") == label

    def _out(self, node: str, rel_type: str) -> list[str]:
        return sorted(v for _, v, key in self.graph.out_edges(node, keys=True) if key == rel_type)

    def _agency_ref(self, agency: str) -> AgencyRef:
        return answers.agency_ref(self._node(agency))

    def _generic(self, agency: str) -> bool:
        return bool(self._node(agency).get("generic"))

    def _goals_of_measure(self, measure: str) -> list[Props]:
        return sorted((self._node(g) for g in self._out(measure, "SETS")), key=answers.goal_order)

    def _measure_number(self, measure: str) -> int:
        return int(self._node(measure)["number"])

    def _roles_by_task(self, agency: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for r in self._by_agency[agency]:
            out[r.task].append(r.role)
        return out

    def _owners_by_task(self, tasks: Iterable[str], include_generic: bool) -> dict[str, list[str]]:
        return {
            task: [r.agency for r in self._by_task[task] if include_generic or not self._generic(r.agency)]
            for task in tasks
        }

    def _owners_by_unit(self, tasks: Iterable[str], include_generic: bool, level: Level) -> dict[str, list[str]]:
        """Unit id (a task, or at level measure each of its measures) → the agencies responsible, in list order."""
        if level == "task":
            return self._owners_by_task(tasks, include_generic)
        owners: dict[str, list[str]] = defaultdict(list)
        for task in tasks:
            for r in self._by_task[task]:
                if include_generic or not self._generic(r.agency):
                    owners[r.measure].append(r.agency)
        return owners

    def _partners(self, agency: str, include_generic: bool, level: Level = "task") -> dict[str, list[str]]:
        """Partner id -> ids of the tasks where it is tied to ``agency``: the co-responsibility pairs that hold it."""
        owners = self._owners_by_unit(self._roles_by_task(agency), True, level)
        return {
            (b if a == agency else a): sorted({self._task_of(unit) for unit in units})
            for (a, b), units in shared_tasks(owners).items()
            if agency in (a, b) and (include_generic or not self._generic(b if a == agency else a))
        }

    def _task_of(self, unit: str) -> str:
        """The task a unit (a task or a measure) belongs to."""
        return str(self._node(unit).get("task_id", unit))

    def _require_agency(self, agency: str) -> None:
        if not self._is(agency, "Agency"):
            raise NotFound(f"no agency {agency}", details={"query": agency})

    # -- health and names ------------------------------------------------------------------------------------

    def close(self) -> None:
        pass

    def health(self) -> Health:
        n = len(self._ids["Document"])
        return Health(store="memory", reachable=True, documents=n,
                      detail=f"embedded store, {n} plan(s) from {self.source}")

    def resolve_agency(self, ref: str) -> AgencyRef:
        # Suggestions come from the first row-cap + 1 agencies by id, as on Neo4j, so that both agree.
        return names.resolve_agency(ref, [self._agency_ref(a) for a in self._ids["Agency"]],
                                    lambda: [self._agency_ref(a) for a in self._ids["Agency"][: self.row_cap + 1]])

    def resolve_topic(self, ref: str) -> str:
        return names.resolve_topic(ref, lambda name: self._is(topic_id(name), "Topic"),
                                   lambda: [self._node(t)["name"] for t in self._ids["Topic"]])

    def resolve_document(self, ref: str) -> DocumentRef:
        title = names.document_title(ref)
        matches = [self._document_ref(d) for d in self._ids["Document"]
                   if ref in (d, self._node(d)["legacy_id"]) or self._node(d)["title"] == title]
        return names.resolve_document(ref, matches, lambda: self._documents_in_order()[: self.row_cap + 1])

    def _documents_in_order(self) -> list[DocumentRef]:
        """Every document in /documents order (jurisdiction, title, id)."""
        return sorted((self._document_ref(d) for d in self._ids["Document"]),
                      key=lambda d: (d.jurisdiction, d.title, d.id))

    def _agency_values(self, key: str) -> set[str]:
        return {self._node(a)[key] for a in self._ids["Agency"]}

    def resolve_kind(self, ref: str) -> str:
        kinds = self._agency_values("kind")
        return names.resolve_choice(ref, "kind", kinds.__contains__, lambda: list(kinds))

    def resolve_jurisdiction(self, ref: str) -> str:
        jurisdictions = self._agency_values("jurisdiction")
        return names.resolve_choice(ref, "jurisdiction", jurisdictions.__contains__, lambda: list(jurisdictions))

    def resolve_project(self, ref: str) -> str:
        number = project_number(ref)
        projects = [self._node(p) for p in self._ids["Project"]]
        found = any(p["id"] == ref or p["number"] == number for p in projects)
        return names.resolve_project(ref, number, found, sorted({p["number"] for p in projects}))

    def _document_ref(self, doc: str) -> DocumentRef:
        d = self._node(doc)
        return DocumentRef(id=doc, title=d["title"], year=d.get("year"), jurisdiction=d["jurisdiction"])

    # -- documents ---------------------------------------------------------------------------------------------

    def documents(self, window: Window) -> Page[DocumentOut]:
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for label in ("Task", "Measure", "Goal"):
            for node in self._ids[label]:
                counts[(self._node(node)["document_id"], label)] += 1
        agencies: dict[str, set[str]] = defaultdict(set)
        for r in self._resps:
            agencies[self._node(r.measure)["document_id"]].add(r.agency)
        rows = []
        for doc in self._ids["Document"]:
            d = self._node(doc)
            rows.append(DocumentOut(
                id=doc, title=d["title"], year=d.get("year"), jurisdiction=d["jurisdiction"], series=d["series"],
                source=d["source"],
                tasks=counts[(doc, "Task")], measures=counts[(doc, "Measure")], goals=counts[(doc, "Goal")],
                agencies=len(agencies[doc]),
            ))
        rows.sort(key=lambda d: (d.jurisdiction, d.title, d.id))
        return page(rows, window, self.row_cap)

    # -- agencies ------------------------------------------------------------------------------------------------

    def _summary(self, agency: str, include_generic: bool) -> AgencySummary:
        roles = self._roles_by_task(agency)
        measures = {r.measure for r in self._by_agency[agency]}
        led = sum(1 for rs in roles.values() if answers.task_role(rs) == "lead")
        a = self._node(agency)
        return AgencySummary(
            **self._agency_ref(agency).model_dump(), kind=a["kind"],
            tasks=len(roles), tasks_led=led, tasks_supported=len(roles) - led, measures=len(measures),
            goals=sum(len(self._out(m, "SETS")) for m in measures),
            partners=len(self._partners(agency, include_generic)),
        )

    def agencies(
        self, window: Window, *, jurisdiction: str | None = None, kind: str | None = None,
        include_generic: bool = False,
    ) -> Page[AgencySummary]:
        rows = [
            self._summary(a, include_generic)
            for a in self._ids["Agency"]
            if (jurisdiction is None or self._node(a)["jurisdiction"] == jurisdiction)
            and (kind is None or self._node(a)["kind"] == kind)
        ]
        rows.sort(key=lambda a: (a.name, a.id))
        return page(rows, window, self.row_cap)

    def agency(self, agency_id: str, window: Window, *, include_generic: bool = False) -> AgencyDetail:
        self._require_agency(agency_id)
        by_task: dict[str, list[_Resp]] = defaultdict(list)
        for r in self._by_agency[agency_id]:
            by_task[r.task].append(r)
        rows = []
        for task, resps in by_task.items():
            measures = sorted(
                (MeasureRole(measure_id=r.measure, measure_number=self._measure_number(r.measure), role=r.role,
                             position=r.position) for r in resps),
                key=lambda m: (m.measure_number, m.measure_id),
            )
            rows.append(AgencyTask(**answers.task_ref(self._node(task)).model_dump(),
                                   role=answers.task_role(r.role for r in resps), measures=measures))
        rows.sort(key=lambda t: (t.document_id, t.number, t.id))
        summary = self._summary(agency_id, include_generic)
        return AgencyDetail(**summary.model_dump(), task_list=page(rows, window, self.row_cap))

    def partners(
        self, agency_id: str, window: Window, *, include_generic: bool = False, level: Level = "task"
    ) -> Page[Partner]:
        self._require_agency(agency_id)
        rows = [
            Partner(agency=self._agency_ref(p), shared_tasks=len(tasks),
                    tasks=answers.task_refs(self._node(t) for t in tasks))
            for p, tasks in self._partners(agency_id, include_generic, level).items()
        ]
        rows.sort(key=lambda p: (-p.shared_tasks, p.agency.id))
        return page(rows, window, self.row_cap)

    def shared_tasks(self, agency_id: str, other_id: str, window: Window) -> Page[SharedTask]:
        self._require_agency(agency_id)
        self._require_agency(other_id)
        distinct_agencies(agency_id, other_id)
        mine, theirs = self._roles_by_task(agency_id), self._roles_by_task(other_id)
        rows = [
            SharedTask(**answers.task_ref(self._node(t)).model_dump(), agency_role=answers.task_role(mine[t]),
                       other_role=answers.task_role(theirs[t]))
            for t in mine.keys() & theirs.keys()
        ]
        rows.sort(key=lambda t: (t.document_id, t.number, t.id))
        return page(rows, window, self.row_cap)

    def dependencies(
        self, agency_id: str, window: Window, *, direction: Direction | None = None, include_generic: bool = False,
    ) -> Page[Dependency]:
        self._require_agency(agency_id)
        links: dict[tuple[Direction, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
        for mine in self._by_agency[agency_id]:
            for other in self._by_task[mine.task]:
                if other.measure != mine.measure or other.agency == agency_id:
                    continue
                if not include_generic and self._generic(other.agency):
                    continue
                way: Direction
                if (mine.role, other.role) == ("lead", "co"):
                    way = "out"
                elif (mine.role, other.role) == ("co", "lead"):
                    way = "in"
                else:
                    continue
                if direction is None or direction == way:
                    measures, tasks = links[(way, other.agency)]
                    measures.add(mine.measure)
                    tasks.add(mine.task)
        me = self._agency_ref(agency_id)
        rows = [
            Dependency(
                direction=way,
                lead=me if way == "out" else self._agency_ref(other),
                supporting=self._agency_ref(other) if way == "out" else me,
                measures=len(measures), tasks=answers.task_refs(self._node(t) for t in tasks),
            )
            for (way, other), (measures, tasks) in links.items()
        ]
        rows.sort(key=answers.dependency_order)
        return page(rows, window, self.row_cap)

    # -- the network --------------------------------------------------------------------------------------------

    def _network(self, min_weight: int, include_generic: bool, document_ids: list[str] | None,
                 level: Level = "task") -> tuple[nx.Graph, bool, bool]:
        """The network's rows, as the Neo4j store's Cypher returns them: agencies in id order, and
        ``(lower id, higher id, sorted unit ids)`` edges by weight desc, then ids; cut at the row cap."""
        tasks = [t for t in self._by_task if document_ids is None or self._node(t)["document_id"] in document_ids]
        by_unit = self._owners_by_unit(tasks, include_generic, level)
        owners = {unit: agencies for unit, agencies in by_unit.items() if agencies}
        nodes: list[subgraphs.AgencyRow] = [
            {"id": a, "name": (d := self._node(a))["name"], "jurisdiction": d["jurisdiction"], "kind": d["kind"],
             "generic": bool(d["generic"])}
            for a in sorted({a for agencies in owners.values() for a in agencies})
        ]
        edges = sorted(
            ((a, b, tasks) for (a, b), tasks in shared_tasks(owners).items() if len(tasks) >= min_weight),
            key=lambda e: (-len(e[2]), e[0], e[1]),
        )
        return subgraphs.capped_network(nodes, edges, self.row_cap)

    def network_graph(self, *, min_weight: int = 1, include_generic: bool = False,
                      document_id: str | None = None, level: Level = "task", series: str | None = None,
                      year: int | None = None) -> nx.Graph:
        in_scope = scope(self, document_id, series, year)
        net, nodes_cut, edges_cut = self._network(min_weight, include_generic, in_scope, level)
        return answers.whole_network(net, nodes_cut, edges_cut, self.row_cap)

    def network(self, *, min_weight: int = 1, include_generic: bool = False, document_id: str | None = None,
                level: Level = "task", series: str | None = None, year: int | None = None) -> Network:
        in_scope = scope(self, document_id, series, year)
        return answers.network_model(*self._network(min_weight, include_generic, in_scope, level))

    def ego_graph(self, agency_id: str, *, radius: int = 1, min_weight: int = 1,
                  include_generic: bool = False, level: Level = "task") -> nx.Graph:
        self._require_agency(agency_id)
        net = self.network_graph(min_weight=min_weight, include_generic=include_generic, level=level)
        return answers.ego(net, agency_id, radius)

    # -- tasks -------------------------------------------------------------------------------------------------------

    def _task_summary_parts(self, task: str) -> dict[str, Any]:
        t = self._node(task)
        section = t.get("section_id")
        return {
            **answers.task_ref(t).model_dump(),
            "project": answers.project_ref(self._node(t["project_id"])),
            "section": answers.section_ref(self._node(section) if section else None),
            "topics": sorted(self._node(tp)["name"] for tp in self._out(task, "TOUCHES")),
            "owners": answers.task_owners(
                {"agency": self._node(r.agency), "role": r.role, "measure_number": self._measure_number(r.measure),
                 "position": r.position}
                for r in self._by_task[task]
            ),
        }

    def _matches(self, task: str, where: TaskFilter) -> bool:
        t = self._node(task)
        if where.document_id is not None and t["document_id"] != where.document_id:
            return False
        if where.project is not None:
            project = self._node(t["project_id"])
            number = where.project_number()
            key = ("number", number) if number is not None else ("id", where.project)
            if project[key[0]] != key[1]:
                return False
        if where.topic is not None and where.topic not in {self._node(tp)["name"] for tp in self._out(task, "TOUCHES")}:
            return False
        if where.text is not None and where.text not in t["title"] and where.text not in t["text"]:
            return False
        if where.agency_id is not None:
            roles = [r.role for r in self._by_task[task] if r.agency == where.agency_id]
            if not roles or (where.role is not None and answers.task_role(roles) != where.role):
                return False
        return True

    def tasks(self, window: Window, where: TaskFilter) -> Page[TaskSummary]:
        found = [t for t in self._ids["Task"] if self._matches(t, where)]
        found.sort(key=lambda t: (self._node(t)["document_id"], self._node(t)["number"], t))
        return page(found, window, self.row_cap, lambda t: TaskSummary(**self._task_summary_parts(t)))

    def responsibilities(self, document_id: str, *, include_generic: bool = False) -> list[Responsibility]:
        tasks = sorted((t for t in self._by_task if self._node(t)["document_id"] == document_id),
                       key=lambda t: (self._node(t)["number"], t))
        return [
            Responsibility(r.agency, self._node(r.agency)["name"], r.role, r.measure, task)
            for task in tasks
            for r in sorted(self._by_task[task], key=lambda r: (self._measure_number(r.measure), r.position))
            if include_generic or not self._generic(r.agency)
        ]

    def documents_in(self, *, series: str | None = None, year: int | None = None) -> list[DocumentRef]:
        found = sorted(
            (d for d in self._ids["Document"]
             if (series is None or self._node(d).get("series") == series)
             and (year is None or self._node(d).get("year") == year)),
            key=lambda d: (self._node(d).get("year") or 0, d),
        )
        if not found:
            raise answers.no_documents_in(series, year)
        return [self._document_ref(d) for d in found]

    def document_tasks(self, document_id: str) -> list[TaskDetail]:
        tasks = [t for t in self._ids["Task"] if self._node(t)["document_id"] == document_id]
        return [self.task(t) for t in sorted(tasks, key=lambda t: (self._node(t)["number"], t))]

    def task(self, task_id: str) -> TaskDetail:
        if not self._is(task_id, "Task"):
            raise answers.no_task(task_id)
        t = self._node(task_id)
        measures = []
        for m in sorted(self._out(task_id, "HAS_MEASURE"), key=lambda m: (self._measure_number(m), m)):
            md = self._node(m)
            measures.append(MeasureOut(
                id=m, number=md["number"], text=md["text"], span=(md["span_start"], md["span_end"]),
                owners=answers.measure_owners(
                    r.owner_row(self._node(r.agency)) for r in self._by_task[task_id] if r.measure == m
                ),
                goals=[answers.goal_out(g, m) for g in self._goals_of_measure(m)], deadline=md.get("deadline"),
                tools=answers.measure_tools(md),
            ))
        goals = sorted((g for m in measures for g in m.goals), key=lambda g: (self._node(g.id)["span_start"], g.id))
        topic_matches = sorted(
            (TopicMatchOut(name=self._node(tp)["name"], terms=list(data["terms"]))
             for _, tp, key, data in self.graph.out_edges(task_id, keys=True, data=True) if key == "TOUCHES"),
            key=lambda tm: tm.name,
        )
        return TaskDetail(
            **self._task_summary_parts(task_id), text=t["text"], source_text=t["source_text"],
            span=(t["span_start"], t["span_end"]), place=t.get("place"),
            document=self._document_ref(t["document_id"]),
            measures=measures, goals=goals, topic_matches=topic_matches,
        )

    # -- topics and goals -------------------------------------------------------------------------------------------

    def topics(self, window: Window, *, document_id: str | None = None) -> Page[TopicOut]:
        rows = []
        for tp in self._ids["Topic"]:
            tasks = [t for t, _, key in self.graph.in_edges(tp, keys=True) if key == "TOUCHES"
                     and (document_id is None or self._node(t)["document_id"] == document_id)]
            if tasks:
                rows.append(TopicOut(id=tp, name=self._node(tp)["name"], tasks=len(tasks)))
        rows.sort(key=lambda t: (-t.tasks, t.name, t.id))
        return page(rows, window, self.row_cap)

    def goals(
        self, window: Window, *, agency_id: str | None = None, document_id: str | None = None,
        topic: str | None = None,
    ) -> Page[GoalWithOwners]:
        found = []
        for g in self._ids["Goal"]:
            gd = self._node(g)
            (measure,) = (m for m, _, key in self.graph.in_edges(g, keys=True) if key == "SETS")
            task = self._node(measure)["task_id"]
            if document_id is not None and gd["document_id"] != document_id:
                continue
            if agency_id is not None and not any(r.agency == agency_id and r.measure == measure
                                                 for r in self._by_task[task]):
                continue
            if topic is not None and topic not in {self._node(tp)["name"] for tp in self._out(task, "TOUCHES")}:
                continue
            td = self._node(task)
            found.append(((td["document_id"], td["number"], *answers.goal_order(gd)), g, measure, task))
        found.sort(key=lambda row: row[0])

        def build(row: tuple[Any, str, str, str]) -> GoalWithOwners:
            _, g, measure, task = row
            return GoalWithOwners(
                **answers.goal_out(self._node(g), measure).model_dump(), task=answers.task_ref(self._node(task)),
                owners=answers.measure_owners(
                    r.owner_row(self._node(r.agency)) for r in self._by_task[task] if r.measure == measure
                ),
            )

        return page(found, window, self.row_cap, build)

    # -- subgraphs for export ------------------------------------------------------------------------------------------

    def document_graph(self, document_id: str) -> nx.DiGraph:
        if not self._is(document_id, "Document"):
            raise NotFound(f"no document {document_id!r}", details={"query": f"document {document_id!r}"})
        owned = {n for n, d in self.graph.nodes(data=True) if d.get("document_id") == document_id} | {document_id}
        return self._induced(owned | self._agencies_of(owned) | self._topics_of(owned))

    def topic_graph(self, topic: str) -> nx.DiGraph:
        tid = topic_id(topic)
        if not self._is(tid, "Topic"):
            raise NotFound(f"no topic {topic!r}", details={"query": f"topic {topic!r}"})
        tasks = {t for t, _, key in self.graph.in_edges(tid, keys=True) if key == "TOUCHES"}
        measures = {m for t in tasks for m in self._out(t, "HAS_MEASURE")}
        goals = {g for m in measures for g in self._out(m, "SETS")}
        return self._induced({tid} | tasks | measures | goals | self._agencies_of(measures))

    def _agencies_of(self, nodes: Iterable[str]) -> set[str]:
        return {a for m in nodes for a, _, key in self.graph.in_edges(m, keys=True) if key == "RESPONSIBLE_FOR"}

    def _topics_of(self, nodes: Iterable[str]) -> set[str]:
        return {t for n in nodes for t in self._out(n, "TOUCHES")}

    def _induced(self, nodes: set[str]) -> nx.DiGraph:
        """Nodes and every graph-model relationship among them, in export form; BadInput past the row cap."""
        graph = self.graph
        rels = [
            (u, v, key, data)
            for u, v, key, data in graph.edges(sorted(nodes), keys=True, data=True)
            if v in nodes and key in REL_TYPES
        ]
        cut = len(nodes) > self.row_cap or len(rels) > self.row_cap
        return answers.whole_subgraph(subgraphs.subgraph_from_rows(((n, graph.nodes[n]) for n in nodes), rels),
                                      cut, self.row_cap)
