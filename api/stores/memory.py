"""The embedded store: the plans' graph in a networkx MultiDiGraph, in process.

The graph is :func:`graph_loader.rows.to_networkx` of every plan in the
source directory, built once at start-up, with equal values made one object
(``api.stores.compact``) and frozen; queries must answer exactly what
the Cypher files answer on Neo4j (the parity suite checks). Lists are cut at
the row cap like on Neo4j; there is no timeout, as nothing here walks more
than the indexes below.

The graph never changes after start-up, so what a request would otherwise
recompute from the whole corpus is computed once: the indexes (tasks in
answer order, by document, topic and agency; goals in answer order) when the
store is made, the aggregates (document counts, agency summaries, the
co-responsibility pairs at both levels, lead → supporting links, topic counts,
whole networks) the first time they are asked for. A request then reads them
and builds the response models of its page only, so its time follows the
page, not the corpus (``bench/scale.py``).

Longer than 400 lines on purpose: one class whose methods are the store
protocol's queries, each beside the indexes it reads; the shaping they share
with the Neo4j store lives in ``answers``, the network building in
``graph_loader.subgraphs``.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
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
from api.stores.compact import compact
from graph_loader import subgraphs
from graph_loader.coresponsibility import LEVELS, Level, Pair, shared_tasks
from graph_loader.lineage import TaskText
from graph_loader.models import Plan, Role
from graph_loader.parser import cyclic_gc_paused
from graph_loader.readers import plan_files
from graph_loader.rows import REL_TYPES, Props, to_networkx, topic_id
from graph_loader.series import SeriesDocument, series_continuations


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True)
class _Link:
    """Lead → supporting between the agency asked about and ``other``: the measures and their tasks."""

    direction: Direction
    other: str
    measures: int
    tasks: list[str]  # by id


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
    waits_on_io = False

    def __init__(self, graph: nx.MultiDiGraph, *, row_cap: int = 1000, source: str = "plans given in process"):
        self.graph = graph
        self.row_cap = row_cap
        self.source = source
        # Aggregates are made on first use; the lock keeps two first requests from making one twice.
        self._lock = threading.RLock()
        self._networks: dict[tuple[int, bool, Level], tuple[Network, nx.Graph, bool, bool]] = {}
        with cyclic_gc_paused():
            self._index()

    @classmethod
    def from_plans(cls, plans: Iterable[Plan], **kwargs: Any) -> MemoryStore:
        # Building makes no cycles; a full collection would walk the growing graph again and again (half
        # the build at 1,000 plans). Equal values are then made one object (``compact``: a third of the
        # store's memory at 1,000 plans), before the indexes, which take their strings from the graph.
        with cyclic_gc_paused():
            graph = to_networkx(plans)
            _link_series(graph)
            graph = compact(graph)
        return cls(graph, **kwargs)

    @classmethod
    def from_directory(cls, directory: Path, *, row_cap: int = 1000) -> MemoryStore:
        """Every plan in ``directory`` (any format, in file-name order); raises PlanParseError for a bad file.

        A plan whose file and parser are unchanged since it was last parsed is read back from the parse
        cache (POLICYKG_PARSE_CACHE, see ``graph_loader.parse_cache``) instead of parsed again.
        """
        from api.settings import get_settings
        from graph_loader.parse_cache import ParseCache

        # The store made of these very files is kept too (its graph and indexes; not the aggregates, which
        # are made on first use again): at 1,000 plans it reads back in well under the time of a build.
        store = ParseCache(get_settings().parse_cache).built(plan_files(directory), MemoryStore, cls.from_plans)
        # The folder's name, not its path: /health is public and tells nothing about this machine.
        store.source = f"{Path(directory).name}/"
        store.row_cap = row_cap
        return store

    def __getstate__(self) -> dict[str, Any]:
        """What the store cache keeps: the graph and the indexes made with it; not the lock, nor the aggregates
        made since (a later start makes them on first use)."""
        state = {k: v for k, v in self.__dict__.items() if k not in _MADE_ON_FIRST_USE}
        del state["_lock"], state["_networks"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()
        self._networks = {}

    def _index(self) -> None:
        """The indexes every request reads: one walk of the graph."""
        g = self.graph
        self._ids: dict[str, list[str]] = defaultdict(list)
        for node, label in sorted(g.nodes(data="label")):
            self._ids[label].append(node)
        self._by_agency: dict[str, list[_Resp]] = defaultdict(list)
        self._by_task: dict[str, list[_Resp]] = defaultdict(list)
        self._by_measure: dict[str, list[_Resp]] = defaultdict(list)
        self._goal_measure: dict[str, str] = {}
        self._task_topics: dict[str, list[str]] = defaultdict(list)
        self._topic_terms: dict[str, list[TopicMatchOut]] = defaultdict(list)
        one_match: dict[tuple[str, tuple[str, ...]], TopicMatchOut] = {}  # one model for each (topic, terms) seen
        self._measures: dict[str, list[str]] = defaultdict(list)
        self._goals: dict[str, list[str]] = defaultdict(list)
        for start, end, key, data in g.edges(keys=True, data=True):
            if key == "RESPONSIBLE_FOR":
                r = _Resp(start, end, g.nodes[end]["task_id"], data["role"], data["position"], data["raw"],
                          (data["span_start"], data["span_end"]))
                self._by_agency[start].append(r)
                self._by_task[r.task].append(r)
                self._by_measure[end].append(r)
            elif key == "SETS":
                self._goal_measure[end] = start
                self._goals[start].append(end)
            elif key == "TOUCHES":
                name = g.nodes[end]["name"]
                self._task_topics[start].append(name)
                terms = tuple(data["terms"])
                match = one_match.get((name, terms))
                if match is None:
                    match = one_match[name, terms] = TopicMatchOut(name=name, terms=list(terms))
                self._topic_terms[start].append(match)
            elif key == "HAS_MEASURE":
                self._measures[start].append(end)
        for topics in self._task_topics.values():
            topics.sort()
        for matches in self._topic_terms.values():
            matches.sort(key=lambda tm: tm.name)
        for measures in self._measures.values():
            measures.sort(key=lambda m: (self._measure_number(m), m))
        for goals in self._goals.values():
            goals.sort(key=lambda g: answers.goal_order(self._node(g)))

        # Tasks in the order every task list answers in (document, number, id), and each one's rank in it.
        self._task_order = sorted(self._ids["Task"], key=lambda t: answers.task_order(self._node(t)))
        self._task_rank = {t: i for i, t in enumerate(self._task_order)}
        self._document_tasks: dict[str, list[str]] = defaultdict(list)
        self._topic_tasks: dict[str, list[str]] = defaultdict(list)
        for t in self._task_order:
            self._document_tasks[self._node(t)["document_id"]].append(t)
            for name in self._task_topics[t]:
                self._topic_tasks[name].append(t)
        self._agency_tasks: dict[str, list[str]] = {
            a: sorted({r.task for r in resps}, key=self._task_rank.__getitem__) for a, resps in self._by_agency.items()
        }

        self._agency_refs = {a: answers.agency_ref(self._node(a)) for a in self._ids["Agency"]}
        self._agencies_named: dict[str, list[AgencyRef]] = defaultdict(list)
        for ref in self._agency_refs.values():
            self._agencies_named[ref.name].append(ref)
        self._document_refs = {d: self._document_ref(d) for d in self._ids["Document"]}
        self._documents_by_id: dict[str, set[str]] = defaultdict(set)  # by id and by earlier id
        self._documents_by_title: dict[str, set[str]] = defaultdict(set)
        for d in self._ids["Document"]:
            props = self._node(d)
            self._documents_by_id[d].add(d)
            if props.get("legacy_id"):
                self._documents_by_id[props["legacy_id"]].add(d)
            self._documents_by_title[props["title"]].add(d)
        self._kinds = {self._node(a)["kind"] for a in self._ids["Agency"]}
        self._jurisdictions = {self._node(a)["jurisdiction"] for a in self._ids["Agency"]}
        projects = [self._node(p) for p in self._ids["Project"]]
        self._project_ids = {p["id"] for p in projects}
        self._project_numbers = {p["number"] for p in projects}
        # Goals as (goal, measure, task, document) in the order /goals answers in: document, task number,
        # place in the text.
        goal_rows = [(g, m, self._task_of(m), self._node(g)["document_id"]) for g, m in self._goal_measure.items()]
        self._goal_rows = sorted(goal_rows, key=lambda row: (*answers.task_order(self._node(row[2]))[:2],
                                                             *answers.goal_order(self._node(row[0]))))
        # What a text search reads: each task's title and text.
        self._task_texts = {t: (self._node(t)["title"], self._node(t)["text"]) for t in self._task_order}

    # -- small helpers ---------------------------------------------------------------------------------

    def _node(self, node: str) -> Props:
        return self.graph.nodes[node]

    def _is(self, node: str, label: str) -> bool:
        return node in self.graph and self.graph.nodes[node].get("label") == label

    def _agency_ref(self, agency: str) -> AgencyRef:
        return self._agency_refs[agency]

    def _generic(self, agency: str) -> bool:
        return bool(self._node(agency).get("generic"))

    def _measure_number(self, measure: str) -> int:
        return int(self._node(measure)["number"])

    def _roles_by_task(self, agency: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for r in self._by_agency[agency]:
            out[r.task].append(r.role)
        return out

    def _owners_by_unit(self, tasks: Iterable[str], include_generic: bool, level: Level) -> dict[str, list[str]]:
        """Unit id (a task, or at level measure each of its measures) → the agencies responsible, in list order."""
        owners: dict[str, list[str]] = defaultdict(list)
        for task in tasks:
            for r in self._by_task[task]:
                if include_generic or not self._generic(r.agency):
                    owners[task if level == "task" else r.measure].append(r.agency)
        return owners

    def _task_of(self, unit: str) -> str:
        """The task a unit (a task or a measure) belongs to."""
        return str(self._node(unit).get("task_id", unit))

    def _in_task_order(self, tasks: Iterable[str]) -> list[str]:
        return sorted(set(tasks), key=self._task_rank.__getitem__)

    def _require_agency(self, agency: str) -> None:
        if not self._is(agency, "Agency"):
            raise NotFound(f"no agency {agency}", details={"query": agency})

    # -- aggregates, made once ----------------------------------------------------------------------------

    @cached_property
    def _pairs(self) -> dict[Level, dict[Pair, list[str]]]:
        """Every co-responsible pair (generic agencies too) with its units (sorted ids), at each level."""
        with self._lock, cyclic_gc_paused():
            return {level: shared_tasks(self._owners_by_unit(self._task_order, True, level)) for level in LEVELS}

    @cached_property
    def _partner_tasks(self) -> dict[Level, dict[str, dict[str, list[str]]]]:
        """Level → agency → partner → the tasks where the tie holds, by id."""
        with self._lock, cyclic_gc_paused():
            out: dict[Level, dict[str, dict[str, list[str]]]] = {}
            for level, pairs in self._pairs.items():
                by_agency: dict[str, dict[str, list[str]]] = defaultdict(dict)
                for (a, b), units in pairs.items():
                    tasks = units if level == "task" else sorted({self._task_of(u) for u in units})
                    by_agency[a][b] = by_agency[b][a] = tasks
                out[level] = by_agency
            return out

    def _partners(self, agency: str, include_generic: bool, level: Level = "task") -> dict[str, list[str]]:
        """Partner id -> the tasks where it is tied to ``agency``, by id."""
        partners = self._partner_tasks[level].get(agency, {})
        return {p: tasks for p, tasks in partners.items() if include_generic or not self._generic(p)}

    @cached_property
    def _summaries(self) -> dict[bool, list[AgencySummary]]:
        """include_generic → every agency's summary, by name, id."""
        with self._lock, cyclic_gc_paused():
            return {
                include_generic: sorted((self._summary(a, include_generic) for a in self._ids["Agency"]),
                                        key=lambda a: (a.name, a.id))
                for include_generic in (False, True)
            }

    def _summary(self, agency: str, include_generic: bool) -> AgencySummary:
        roles = self._roles_by_task(agency)
        measures = {r.measure for r in self._by_agency[agency]}
        led = sum(1 for rs in roles.values() if answers.task_role(rs) == "lead")
        return AgencySummary(
            **self._agency_ref(agency).model_dump(), kind=self._node(agency)["kind"],
            tasks=len(roles), tasks_led=led, tasks_supported=len(roles) - led, measures=len(measures),
            goals=sum(len(self._goals[m]) for m in measures),
            partners=len(self._partners(agency, include_generic)),
        )

    @cached_property
    def _summary_of(self) -> dict[bool, dict[str, AgencySummary]]:
        return {generic: {a.id: a for a in rows} for generic, rows in self._summaries.items()}

    @cached_property
    def _links(self) -> dict[str, list[_Link]]:
        """Agency → its lead → supporting links (generic agencies too), in answer order."""
        with self._lock, cyclic_gc_paused():
            found: dict[str, dict[tuple[Direction, str], tuple[set[str], set[str]]]] = defaultdict(dict)
            for measure, resps in self._by_measure.items():
                for lead in resps:
                    if lead.role != "lead":
                        continue
                    for co in resps:
                        if co.role != "co" or co.agency == lead.agency:
                            continue
                        ways: tuple[tuple[str, Direction, str], ...] = (
                            (lead.agency, "out", co.agency), (co.agency, "in", lead.agency))
                        for me, way, other in ways:
                            measures, tasks = found[me].setdefault((way, other), (set(), set()))
                            measures.add(measure)
                            tasks.add(lead.task)
            return {
                agency: sorted(
                    (_Link(way, other, len(measures), sorted(tasks))
                     for (way, other), (measures, tasks) in links.items()),
                    key=lambda link: (link.direction != "out", -link.measures, link.other),
                )
                for agency, links in found.items()
            }

    @cached_property
    def _documents(self) -> list[DocumentOut]:
        with self._lock:
            rows = []
            for doc in self._ids["Document"]:
                d = self._node(doc)
                tasks = self._document_tasks[doc]
                measures = [m for t in tasks for m in self._measures[t]]
                rows.append(DocumentOut(
                    id=doc, title=d["title"], year=d.get("year"), jurisdiction=d["jurisdiction"], series=d["series"],
                    source=d["source"], tasks=len(tasks), measures=len(measures),
                    goals=sum(len(self._goals[m]) for m in measures),
                    agencies=len({r.agency for m in measures for r in self._by_measure[m]}),
                ))
            rows.sort(key=lambda d: (d.jurisdiction, d.title, d.id))
            return rows

    @cached_property
    def _topic_counts(self) -> list[TopicOut]:
        return self._count_topics(self._task_order)

    def _count_topics(self, tasks: Iterable[str]) -> list[TopicOut]:
        counts: dict[str, int] = defaultdict(int)
        for t in tasks:
            for name in self._task_topics[t]:
                counts[name] += 1
        rows = [TopicOut(id=topic_id(name), name=name, tasks=n) for name, n in counts.items()]
        rows.sort(key=lambda t: (-t.tasks, t.name, t.id))
        return rows

    # -- health and names ------------------------------------------------------------------------------------

    def close(self) -> None:
        pass

    def health(self) -> Health:
        n = len(self._ids["Document"])
        return Health(store="memory", reachable=True, documents=n,
                      detail=f"embedded store, {n} plan(s) from {self.source}")

    def resolve_agency(self, ref: str) -> AgencyRef:
        # Only the agencies a reading of ``ref`` names are handed over (names.resolve_agency needs no more);
        # suggestions come from the first row-cap + 1 agencies by id, as on Neo4j, so that both agree.
        if ref in self._agency_refs:
            return self._agency_refs[ref]
        named = [a for _, name in names.agency_keys(ref) for a in self._agencies_named.get(name, ())]
        return names.resolve_agency(ref, named,
                                    lambda: [self._agency_refs[a] for a in self._ids["Agency"][: self.row_cap + 1]])

    def resolve_topic(self, ref: str) -> str:
        return names.resolve_topic(ref, lambda name: self._is(topic_id(name), "Topic"),
                                   lambda: [self._node(t)["name"] for t in self._ids["Topic"]])

    def resolve_document(self, ref: str) -> DocumentRef:
        found = self._documents_by_id.get(ref, set()) | self._documents_by_title.get(names.document_title(ref), set())
        matches = [self._document_refs[d] for d in sorted(found)]
        return names.resolve_document(ref, matches, lambda: self._documents_in_order()[: self.row_cap + 1])

    def _documents_in_order(self) -> list[DocumentRef]:
        """Every document in /documents order (jurisdiction, title, id)."""
        return [self._document_refs[d.id] for d in self._documents]

    def resolve_kind(self, ref: str) -> str:
        return names.resolve_choice(ref, "kind", self._kinds.__contains__, lambda: list(self._kinds))

    def resolve_jurisdiction(self, ref: str) -> str:
        return names.resolve_choice(ref, "jurisdiction", self._jurisdictions.__contains__,
                                    lambda: list(self._jurisdictions))

    def resolve_project(self, ref: str) -> str:
        number = project_number(ref)
        found = ref in self._project_ids or number in self._project_numbers
        return names.resolve_project(ref, number, found, sorted(self._project_numbers))

    def _document_ref(self, doc: str) -> DocumentRef:
        d = self._node(doc)
        return DocumentRef(id=doc, title=d["title"], year=d.get("year"), jurisdiction=d["jurisdiction"])

    # -- documents ---------------------------------------------------------------------------------------------

    def documents(self, window: Window) -> Page[DocumentOut]:
        return page(self._documents, window, self.row_cap)

    # -- agencies ------------------------------------------------------------------------------------------------

    def agencies(
        self, window: Window, *, jurisdiction: str | None = None, kind: str | None = None,
        include_generic: bool = False,
    ) -> Page[AgencySummary]:
        rows = [
            a for a in self._summaries[include_generic]
            if (jurisdiction is None or a.jurisdiction == jurisdiction) and (kind is None or a.kind == kind)
        ]
        return page(rows, window, self.row_cap)

    def agency(self, agency_id: str, window: Window, *, include_generic: bool = False) -> AgencyDetail:
        self._require_agency(agency_id)

        def build(task: str) -> AgencyTask:
            mine = [r for r in self._by_task[task] if r.agency == agency_id]
            measures = sorted(
                (MeasureRole(measure_id=r.measure, measure_number=self._measure_number(r.measure), role=r.role,
                             position=r.position) for r in mine),
                key=lambda m: (m.measure_number, m.measure_id),
            )
            return AgencyTask(**answers.task_ref(self._node(task)).model_dump(),
                              role=answers.task_role(r.role for r in mine), measures=measures)

        summary = self._summary_of[include_generic][agency_id]
        return AgencyDetail(**summary.model_dump(),
                            task_list=page(self._agency_tasks.get(agency_id, []), window, self.row_cap, build))

    def partners(
        self, agency_id: str, window: Window, *, include_generic: bool = False, level: Level = "task"
    ) -> Page[Partner]:
        self._require_agency(agency_id)
        rows = sorted(self._partners(agency_id, include_generic, level).items(), key=lambda p: (-len(p[1]), p[0]))
        return page(rows, window, self.row_cap, lambda p: Partner(
            agency=self._agency_ref(p[0]), shared_tasks=len(p[1]),
            tasks=answers.task_refs(self._node(t) for t in p[1][: answers.NESTED_CAP])))

    def shared_tasks(self, agency_id: str, other_id: str, window: Window) -> Page[SharedTask]:
        self._require_agency(agency_id)
        self._require_agency(other_id)
        distinct_agencies(agency_id, other_id)
        mine, theirs = self._roles_by_task(agency_id), self._roles_by_task(other_id)
        return page(self._in_task_order(mine.keys() & theirs.keys()), window, self.row_cap, lambda t: SharedTask(
            **answers.task_ref(self._node(t)).model_dump(), agency_role=answers.task_role(mine[t]),
            other_role=answers.task_role(theirs[t])))

    def dependencies(
        self, agency_id: str, window: Window, *, direction: Direction | None = None, include_generic: bool = False,
    ) -> Page[Dependency]:
        self._require_agency(agency_id)
        me = self._agency_ref(agency_id)
        rows = [link for link in self._links.get(agency_id, [])
                if (direction is None or link.direction == direction)
                and (include_generic or not self._generic(link.other))]

        def build(link: _Link) -> Dependency:
            other = self._agency_ref(link.other)
            out = link.direction == "out"
            return Dependency(direction=link.direction, lead=me if out else other, supporting=other if out else me,
                              measures=link.measures, task_count=len(link.tasks),
                              tasks=answers.task_refs(self._node(t) for t in link.tasks[: answers.NESTED_CAP]))

        return page(rows, window, self.row_cap, build)

    # -- the network --------------------------------------------------------------------------------------------

    def _network(self, min_weight: int, include_generic: bool, document_ids: list[str] | None,
                 level: Level = "task") -> tuple[nx.Graph, bool, bool]:
        """The network's rows, as the Neo4j store's Cypher returns them: agencies in id order, and
        ``(lower id, higher id, sorted unit ids)`` edges by weight desc, then ids; cut at the row cap."""
        if document_ids is None:
            pairs = self._pairs[level]
            owners = [a for a in self._ids["Agency"] if self._by_agency.get(a)]
        else:
            tasks = (t for d in document_ids for t in self._document_tasks.get(d, ()))
            by_unit = self._owners_by_unit(tasks, True, level)
            pairs = shared_tasks(by_unit)
            owners = sorted({a for agencies in by_unit.values() for a in agencies})
        nodes: list[subgraphs.AgencyRow] = [
            {"id": a, "name": (d := self._node(a))["name"], "jurisdiction": d["jurisdiction"], "kind": d["kind"],
             "generic": bool(d["generic"])}
            for a in owners if include_generic or not self._generic(a)
        ]
        edges = sorted(
            ((a, b, units) for (a, b), units in pairs.items()
             if len(units) >= min_weight and (include_generic or not (self._generic(a) or self._generic(b)))),
            key=lambda e: (-len(e[2]), e[0], e[1]),
        )
        return subgraphs.capped_network(nodes, edges, self.row_cap)

    def _whole_network(
        self, min_weight: int, include_generic: bool, level: Level
    ) -> tuple[Network, nx.Graph, bool, bool]:
        """The network over every document, made once for each (min_weight, include_generic, level) asked."""
        key = (min_weight, include_generic, level)
        if key not in self._networks:
            with self._lock, cyclic_gc_paused():
                if key not in self._networks:
                    net, nodes_cut, edges_cut = self._network(min_weight, include_generic, None, level)
                    self._networks[key] = (answers.network_model(net, nodes_cut, edges_cut), net, nodes_cut, edges_cut)
        return self._networks[key]

    def network_graph(self, *, min_weight: int = 1, include_generic: bool = False,
                      document_id: str | None = None, level: Level = "task", series: str | None = None,
                      year: int | None = None) -> nx.Graph:
        in_scope = scope(self, document_id, series, year)
        if in_scope is None:
            _, net, nodes_cut, edges_cut = self._whole_network(min_weight, include_generic, level)
            return answers.whole_network(net.copy(), nodes_cut, edges_cut, self.row_cap)
        net, nodes_cut, edges_cut = self._network(min_weight, include_generic, in_scope, level)
        return answers.whole_network(net, nodes_cut, edges_cut, self.row_cap)

    def network(self, *, min_weight: int = 1, include_generic: bool = False, document_id: str | None = None,
                level: Level = "task", series: str | None = None, year: int | None = None) -> Network:
        in_scope = scope(self, document_id, series, year)
        if in_scope is None:
            return self._whole_network(min_weight, include_generic, level)[0]
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
            "topics": list(self._task_topics[task]),
            "owners": answers.task_owners(
                {"agency": self._node(r.agency), "role": r.role, "measure_number": self._measure_number(r.measure),
                 "position": r.position}
                for r in self._by_task[task]
            ),
        }

    def _candidates(self, where: TaskFilter) -> tuple[list[str], TaskFilter]:
        """The smallest indexed list of tasks (in task order) that holds every match of ``where``, and the
        conditions left to test on it."""
        options = [(self._task_order, where)]
        if where.topic is not None:
            options.append((self._topic_tasks.get(where.topic, []), replace(where, topic=None)))
        if where.agency_id is not None and where.role is None:
            options.append((self._agency_tasks.get(where.agency_id, []), replace(where, agency_id=None)))
        if where.document_id is not None:
            options.append((self._document_tasks.get(where.document_id, []), replace(where, document_id=None)))
        return min(options, key=lambda option: len(option[0]))

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
        if where.topic is not None and where.topic not in self._task_topics[task]:
            return False
        if where.text is not None and where.text not in t["title"] and where.text not in t["text"]:
            return False
        if where.agency_id is not None:
            roles = [r.role for r in self._by_task[task] if r.agency == where.agency_id]
            if not roles or (where.role is not None and answers.task_role(roles) != where.role):
                return False
        return True

    def tasks(self, window: Window, where: TaskFilter) -> Page[TaskSummary]:
        candidates, rest = self._candidates(where)
        if (text := rest.text) is not None:  # the one filter no index narrows: test it first, and cheaply
            candidates = [t for t in candidates if text in self._task_texts[t][0] or text in self._task_texts[t][1]]
            rest = replace(rest, text=None)
        found = candidates if rest == TaskFilter() else [t for t in candidates if self._matches(t, rest)]
        return page(found, window, self.row_cap, lambda t: TaskSummary(**self._task_summary_parts(t)))

    def responsibilities(self, document_id: str, *, include_generic: bool = False) -> list[Responsibility]:
        return [
            Responsibility(r.agency, self._node(r.agency)["name"], r.role, r.measure, task)
            for task in self._document_tasks.get(document_id, [])
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
        return [self._document_refs[d] for d in found]

    def document_tasks(self, document_id: str) -> list[TaskDetail]:
        return [self.task(t) for t in self._document_tasks.get(document_id, [])]

    def task(self, task_id: str) -> TaskDetail:
        if not self._is(task_id, "Task"):
            raise answers.no_task(task_id)
        t = self._node(task_id)
        measures = []
        for m in self._measures[task_id]:
            md = self._node(m)
            measures.append(MeasureOut(
                id=m, number=md["number"], text=md["text"], span=(md["span_start"], md["span_end"]),
                owners=answers.measure_owners(r.owner_row(self._node(r.agency)) for r in self._by_measure[m]),
                goals=[answers.goal_out(self._node(g), m) for g in self._goals[m]], deadline=md.get("deadline"),
                tools=answers.measure_tools(md),
            ))
        goals = sorted((g for m in measures for g in m.goals), key=lambda g: (self._node(g.id)["span_start"], g.id))
        return TaskDetail(
            **self._task_summary_parts(task_id), text=t["text"], source_text=t["source_text"],
            span=(t["span_start"], t["span_end"]), place=t.get("place"),
            document=self._document_refs[t["document_id"]],
            measures=measures, goals=goals, topic_matches=list(self._topic_terms[task_id]),
        )

    # -- topics and goals -------------------------------------------------------------------------------------------

    def topics(self, window: Window, *, document_id: str | None = None) -> Page[TopicOut]:
        rows = (self._topic_counts if document_id is None
                else self._count_topics(self._document_tasks.get(document_id, [])))
        return page(rows, window, self.row_cap)

    def goals(
        self, window: Window, *, agency_id: str | None = None, document_id: str | None = None,
        topic: str | None = None,
    ) -> Page[GoalWithOwners]:
        measures = {r.measure for r in self._by_agency.get(agency_id, ())} if agency_id is not None else None
        found = [
            row for row in self._goal_rows
            if (measures is None or row[1] in measures) and (document_id is None or row[3] == document_id)
            and (topic is None or topic in self._task_topics[row[2]])
        ]

        def build(row: tuple[str, str, str, str]) -> GoalWithOwners:
            g, measure, task, _ = row
            return GoalWithOwners(
                **answers.goal_out(self._node(g), measure).model_dump(), task=answers.task_ref(self._node(task)),
                owners=answers.measure_owners(r.owner_row(self._node(r.agency)) for r in self._by_measure[measure]),
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
        tasks = set(self._topic_tasks.get(topic, ()))
        measures = {m for t in tasks for m in self._measures[t]}
        goals = {g for m in measures for g in self._goals[m]}
        return self._induced({tid} | tasks | measures | goals | self._agencies_of(measures))

    def _agencies_of(self, nodes: Iterable[str]) -> set[str]:
        return {r.agency for m in nodes for r in self._by_measure.get(m, ())}

    def _topics_of(self, nodes: Iterable[str]) -> set[str]:
        return {topic_id(name) for n in nodes for name in self._task_topics.get(n, ())}

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


_MADE_ON_FIRST_USE = frozenset(name for name, value in vars(MemoryStore).items() if isinstance(value, cached_property))
