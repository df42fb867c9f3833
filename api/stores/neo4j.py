"""The Neo4j store: every query is a named file of ``cypher/``, run in a read transaction.

The store is handed a driver (``api.stores.make_store`` makes it from the
settings) and closes it in :meth:`Neo4jStore.close`. Each query runs through
:meth:`Neo4jStore._rows`: the statement from the project's registry
(``graph_loader.cypher``), values only as parameters, a transaction timeout,
and for lists a ``$limit`` of row cap + 1 so that the answer can say it was
truncated. Driver errors come back as the API's errors, chained (``from e``):
unreachable or refused → StoreUnavailable (503), timed out → QueryTimeout
(504), anything else → StoreError (500).

Cypher finds and aggregates; the small shaping steps after it (role of an
agency in a task, order inside nested lists, centrality) are the ones the
embedded store uses too (``api.stores.answers``).

Longer than 400 lines on purpose: one class whose methods are the store
protocol's queries, each the few lines that run its Cypher file and shape the
rows; splitting it would part a query from its shaping.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast

import neo4j
import networkx as nx
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired, TransientError

from api import names
from api.errors import ApiError, NotFound, QueryTimeout, StoreError, StoreUnavailable
from api.schemas import (
    NESTED_CAP,
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
    counted_page,
    distinct_agencies,
    page,
    page_bounds,
    project_number,
    scope,
)
from graph_loader import subgraphs
from graph_loader.coresponsibility import Level
from graph_loader.cypher import query
from graph_loader.rows import LABELS, REL_TYPES

Row = dict[str, Any]
T = TypeVar("T")
NAMES_KEPT = 10_000
"""Most resolved names the store keeps (then it forgets them all and starts again)."""
_TIMEOUT_CODES = ("TransactionTimedOut", "TransactionTimedOutClientConfiguration")


class Neo4jStore:
    kind: Literal["memory", "neo4j"] = "neo4j"
    waits_on_io = True

    def __init__(
        self, driver: neo4j.Driver, *, database: str | None = None, timeout: float = 10.0, row_cap: int = 1000,
        uri: str = "",
    ):
        self.driver = driver
        self.database = database
        self.timeout = timeout
        self.row_cap = row_cap
        self.uri = uri
        self._names: dict[tuple[str, str], Any] = {}

    def close(self) -> None:
        self.driver.close()

    # -- running the named queries ---------------------------------------------------------------------------

    def _rows(self, name: str, /, **params: Any) -> list[Row]:
        """Rows of ``cypher/<name>.cypher`` run with ``params`` in a read transaction, as dicts.

        Raises StoreUnavailable, QueryTimeout or StoreError (the driver's error chained).

        An auto-commit transaction, not a managed one (``execute_read``, ``execute_query``): a read needs no
        COMMIT, and the managed one's costs a round trip more (2.2 against 1.7 ms p50 for tasks by topic). What
        the managed one adds, retries, matters here only for a pooled connection the server closed (it
        restarted): that one query is run once more, on a fresh connection.
        """
        statement = neo4j.Query(query(name), timeout=self.timeout)
        for attempt in (1, 2):
            try:
                with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                    # Our queries return plain values, lists and maps: no graph objects for data() to convert.
                    return [dict(record.items()) for record in session.run(statement, params)]
            except (ServiceUnavailable, SessionExpired) as e:
                if attempt == 2:
                    raise self._translate(e, name) from e
            except (Neo4jError, DriverError) as e:
                raise self._translate(e, name) from e
        raise AssertionError("unreachable")

    def _translate(self, e: Neo4jError | DriverError, name: str) -> ApiError:
        """The API's error for a driver error raised while running ``name``."""
        if isinstance(e, AuthError):
            return StoreUnavailable(f"Neo4j at {self.uri} refused the credentials (NEO4J_USER, NEO4J_PASSWORD)")
        if isinstance(e, ServiceUnavailable | SessionExpired):
            return StoreUnavailable(f"Neo4j at {self.uri} is not reachable")
        if isinstance(e, Neo4jError):
            if any(str(e.code or "").endswith(code) for code in _TIMEOUT_CODES):
                return QueryTimeout(f"the query took longer than {self.timeout:g} s", details={"query": name})
            if isinstance(e, TransientError):
                return StoreUnavailable(f"Neo4j could not answer now ({e.code})")
            return StoreError(f"Neo4j failed on the {name} query ({e.code})", details={"query": name})
        return StoreUnavailable(f"Neo4j at {self.uri}: {type(e).__name__}")

    def _list(self, name: str, /, **params: Any) -> list[Row]:
        """A list query: at most row cap + 1 rows, so that ``page`` can tell it was truncated."""
        return self._rows(name, limit=self.row_cap + 1, **params)

    def _paged(self, name: str, window: Window, /, **params: Any) -> tuple[list[Row], int]:
        """A query that counts its rows (at most row cap + 1) and projects only the page ``window`` asks for:
        (the page's rows, how many it counted)."""
        skip, take = page_bounds(window, self.row_cap)
        (row,) = self._rows(name, limit=self.row_cap + 1, skip=skip, take=take, **params)
        return row["page"], row["found"]

    # -- health and names ------------------------------------------------------------------------------------

    def health(self) -> Health:
        try:
            try:
                self.driver.verify_connectivity()
            except (Neo4jError, DriverError) as e:
                raise self._translate(e, "verify_connectivity") from e
            (row,) = self._rows("health_documents")
        except ApiError as e:
            return Health(store="neo4j", reachable=False, documents=None, detail=e.message)
        n = int(row["documents"])
        return Health(store="neo4j", reachable=True, documents=n, detail=f"Neo4j at {self.uri}, {n} document(s)")

    def _remembered(self, kind: str, ref: str, resolve: Callable[[], T]) -> T:
        """What ``ref`` resolved to before, else ``resolve()``, kept: so that a request naming an agency, topic or
        document makes one round trip, not two. Only answers are kept, never a NotFound (a load may add the
        name); a load that removes the thing makes the query after the name find nothing, as it would have
        between the two round trips."""
        key = (kind, ref)
        if key in self._names:
            return cast(T, self._names[key])
        value = resolve()
        if len(self._names) >= NAMES_KEPT:
            self._names.clear()
        self._names[key] = value
        return value

    def resolve_agency(self, ref: str) -> AgencyRef:
        def lookup() -> AgencyRef:
            keys = [{"jurisdiction": j, "name": name} for j, name in names.agency_keys(ref)]
            candidates = self._rows("agency_lookup", ref=ref, keys=keys, limit=names.MAX_LISTED + 1)
            return names.resolve_agency(ref, [answers.agency_ref(r) for r in candidates],
                                        lambda: [answers.agency_ref(r) for r in self._list("agency_refs")])

        return self._remembered("agency", ref, lookup)

    def resolve_topic(self, ref: str) -> str:
        return self._remembered("topic", ref, lambda: names.resolve_topic(
            ref, lambda name: bool(self._rows("topic_lookup", name=name, limit=1)),
            lambda: [r["name"] for r in self._list("topic_names")]))

    def resolve_document(self, ref: str) -> DocumentRef:
        def lookup() -> DocumentRef:
            matches = self._rows("document_lookup", ref=ref, title=names.document_title(ref),
                                 limit=names.MAX_LISTED + 1)
            return names.resolve_document(
                ref, [DocumentRef(**_pick(r, DocumentRef)) for r in matches],
                lambda: [DocumentRef(**_pick(r, DocumentRef)) for r in self._list("document_refs")],
            )

        return self._remembered("document", ref, lookup)

    def resolve_kind(self, ref: str) -> str:
        return names.resolve_choice(
            ref, "kind", lambda kind: bool(self._rows("agency_kind_lookup", kind=kind, limit=1)),
            lambda: [r["kind"] for r in self._list("agency_kinds")],
        )

    def resolve_jurisdiction(self, ref: str) -> str:
        return names.resolve_choice(
            ref, "jurisdiction", lambda j: bool(self._rows("jurisdiction_lookup", jurisdiction=j, limit=1)),
            lambda: [r["jurisdiction"] for r in self._list("jurisdictions")],
        )

    def resolve_project(self, ref: str) -> str:
        number = project_number(ref)
        found = bool(self._rows("project_lookup", project_id=ref, project_number=number, limit=1))
        numbers = [] if found else [r["number"] for r in self._list("project_numbers")]
        return names.resolve_project(ref, number, found, numbers)

    # -- documents and agencies --------------------------------------------------------------------------------

    def documents(self, window: Window) -> Page[DocumentOut]:
        rows, found = self._paged("documents", window)
        documents = sorted((DocumentOut(**r) for r in rows), key=lambda d: (d.jurisdiction, d.title, d.id))
        return counted_page(documents, found, self.row_cap)

    def _summaries(self, window: Window, *, agency_id: str | None = None, jurisdiction: str | None = None,
                   kind: str | None = None, include_generic: bool = False) -> Page[AgencySummary]:
        rows, found = self._paged("agencies", window, agency_id=agency_id, jurisdiction=jurisdiction, kind=kind,
                                  include_generic=include_generic)
        summaries = [AgencySummary(**r, tasks=r["tasks_led"] + r["tasks_supported"]) for r in rows]
        return counted_page(sorted(summaries, key=lambda a: (a.name, a.id)), found, self.row_cap)

    def agencies(
        self, window: Window, *, jurisdiction: str | None = None, kind: str | None = None,
        include_generic: bool = False,
    ) -> Page[AgencySummary]:
        return self._summaries(window, jurisdiction=jurisdiction, kind=kind, include_generic=include_generic)

    def agency(self, agency_id: str, window: Window, *, include_generic: bool = False) -> AgencyDetail:
        summaries = self._summaries(Window(limit=1), agency_id=agency_id, include_generic=include_generic).data
        if not summaries:
            raise NotFound(f"no agency {agency_id}", details={"query": agency_id})
        rows, found = self._paged("agency_tasks", window, agency_id=agency_id)
        tasks = [
            AgencyTask(
                **answers.task_ref(r["task"]).model_dump(),
                role=answers.task_role(m["role"] for m in r["measures"]),
                measures=sorted((MeasureRole(**m) for m in r["measures"]),
                                key=lambda m: (m.measure_number, m.measure_id)),
            )
            for r in sorted(rows, key=lambda r: answers.task_order(r["task"]))
        ]
        return AgencyDetail(**summaries[0].model_dump(), task_list=counted_page(tasks, found, self.row_cap))

    def partners(
        self, agency_id: str, window: Window, *, include_generic: bool = False, level: Level = "task"
    ) -> Page[Partner]:
        rows = self._list("partners_stored", agency_id=agency_id, include_generic=include_generic, level=level,
                          nested=NESTED_CAP)
        partners = [
            Partner(agency=answers.agency_ref(r["agency"]), shared_tasks=r["shared_tasks"],
                    tasks=answers.task_refs(r["tasks"]))
            for r in rows
        ]
        return page(partners, window, self.row_cap)

    def shared_tasks(self, agency_id: str, other_id: str, window: Window) -> Page[SharedTask]:
        distinct_agencies(agency_id, other_id)
        rows = self._list("shared_tasks", agency_id=agency_id, other_id=other_id)
        tasks = [
            SharedTask(**answers.task_ref(r["task"]).model_dump(), agency_role=answers.task_role(r["agency_roles"]),
                       other_role=answers.task_role(r["other_roles"]))
            for r in rows
        ]
        return page(tasks, window, self.row_cap)

    def dependencies(
        self, agency_id: str, window: Window, *, direction: Direction | None = None, include_generic: bool = False,
    ) -> Page[Dependency]:
        rows = self._list("dependencies_stored", agency_id=agency_id, direction=direction,
                          include_generic=include_generic, nested=NESTED_CAP)
        links = []
        for r in rows:
            me, other = answers.agency_ref(r["agency"]), answers.agency_ref(r["other"])
            out = r["direction"] == "out"
            links.append(Dependency(direction=r["direction"], lead=me if out else other,
                                    supporting=other if out else me, measures=r["measures"],
                                    task_count=r["task_count"], tasks=answers.task_refs(r["tasks"])))
        return page(links, window, self.row_cap)

    # -- the network ------------------------------------------------------------------------------------------

    def _network(self, min_weight: int, include_generic: bool, document_ids: list[str] | None,
                 level: Level = "task", nested: int | None = None) -> tuple[nx.Graph, bool, bool]:
        """The network's rows through ``subgraphs.capped_network``; each edge lists its first ``nested`` task ids
        (None: all). Over every document, the edges are the CO_RESPONSIBLE relationships the loader keeps (at
        either level); otherwise the query finds the pairs in the documents in scope."""
        nodes: list[subgraphs.AgencyRow] = [
            {"id": r["id"], "name": r["name"], "jurisdiction": r["jurisdiction"], "kind": r["kind"],
             "generic": bool(r["generic"])}
            for r in self._list("network_nodes", document_ids=document_ids, include_generic=include_generic)
        ]
        if document_ids is None:
            rows = self._list("network_edges_stored", level=level, include_generic=include_generic,
                              min_weight=min_weight, nested=nested)
        else:
            rows = self._list("network_edges", document_ids=document_ids, include_generic=include_generic,
                              min_weight=min_weight, level=level)
        edges = [(r["source"], r["target"], sorted(r["tasks"])[:nested]) for r in rows]
        weights = {(r["source"], r["target"]): r["weight"] for r in rows}
        return subgraphs.capped_network(nodes, edges, self.row_cap, weights)

    def network(self, *, min_weight: int = 1, include_generic: bool = False, document_id: str | None = None,
                level: Level = "task", series: str | None = None, year: int | None = None) -> Network:
        in_scope = scope(self, document_id, series, year)
        return answers.network_model(*self._network(min_weight, include_generic, in_scope, level, NESTED_CAP))

    def network_graph(self, *, min_weight: int = 1, include_generic: bool = False,
                      document_id: str | None = None, level: Level = "task", series: str | None = None,
                      year: int | None = None) -> nx.Graph:
        in_scope = scope(self, document_id, series, year)
        net, nodes_cut, edges_cut = self._network(min_weight, include_generic, in_scope, level)
        return answers.whole_network(net, nodes_cut, edges_cut, self.row_cap)

    def ego_graph(self, agency_id: str, *, radius: int = 1, min_weight: int = 1,
                  include_generic: bool = False, level: Level = "task") -> nx.Graph:
        net = self.network_graph(min_weight=min_weight, include_generic=include_generic, level=level)
        return answers.ego(net, agency_id, radius)

    # -- tasks, topics, goals -----------------------------------------------------------------------------------

    def _summary_parts(self, r: Row) -> dict[str, Any]:
        return {
            **answers.task_ref(r["task"]).model_dump(),
            "project": answers.project_ref(r["project"]),
            "section": answers.section_ref(r["section"]),
            "topics": sorted(r["topics"]),
            "owners": answers.task_owners(r["responsibilities"]),
        }

    def tasks(self, window: Window, where: TaskFilter) -> Page[TaskSummary]:
        number = where.project_number()
        rows, found = self._paged(
            "tasks", window, document_id=where.document_id, topic=where.topic, agency_id=where.agency_id,
            role=where.role, text=where.text, project_id=where.project if number is None else None,
            project_number=number,
        )
        rows.sort(key=lambda r: answers.task_order(r["task"]))
        return counted_page([TaskSummary(**self._summary_parts(r)) for r in rows], found, self.row_cap)

    def task(self, task_id: str) -> TaskDetail:
        rows = self._rows("task_detail", task_id=task_id, document_id=None)
        if not rows:
            raise answers.no_task(task_id)
        return self._task_detail(rows[0])

    def responsibilities(self, document_id: str, *, include_generic: bool = False) -> list[Responsibility]:
        rows = self._rows("document_responsibilities", document_id=document_id, include_generic=include_generic)
        return [Responsibility(r["agency_id"], r["name"], r["role"], r["measure_id"], r["task_id"]) for r in rows]

    def documents_in(self, *, series: str | None = None, year: int | None = None) -> list[DocumentRef]:
        found = [DocumentRef(**r) for r in self._rows("documents_in", series=series, year=year)]
        if not found:
            raise answers.no_documents_in(series, year)
        return found

    def document_tasks(self, document_id: str) -> list[TaskDetail]:
        return [self._task_detail(r) for r in self._rows("task_detail", task_id=None, document_id=document_id)]

    def _task_detail(self, r: dict[str, Any]) -> TaskDetail:
        t = r["task"]
        measures = [
            MeasureOut(
                id=m["id"], number=m["number"], text=m["text"], span=(m["span_start"], m["span_end"]),
                owners=answers.measure_owners(m["owners"]),
                goals=[answers.goal_out(g, m["id"]) for g in sorted(m["goals"], key=answers.goal_order)],
                deadline=m.get("deadline"), tools=answers.measure_tools(m),
            )
            for m in sorted(r["measures"], key=lambda m: (m["number"], m["id"]))
        ]
        goal_starts = {g["id"]: g["span_start"] for m in r["measures"] for g in m["goals"]}
        responsibilities = [
            {**o, "measure_number": m["number"]} for m in r["measures"] for o in m["owners"]
        ]
        return TaskDetail(
            **answers.task_ref(t).model_dump(),
            project=answers.project_ref(r["project"]), section=answers.section_ref(r["section"]),
            topics=sorted(x["name"] for x in r["topics"]), owners=answers.task_owners(responsibilities),
            text=t["text"], source_text=t["source_text"], span=(t["span_start"], t["span_end"]), place=t.get("place"),
            document=DocumentRef(**_pick(r["document"], DocumentRef)), measures=measures,
            goals=sorted((g for m in measures for g in m.goals), key=lambda g: (goal_starts[g.id], g.id)),
            topic_matches=sorted((TopicMatchOut(name=x["name"], terms=list(x["terms"])) for x in r["topics"]),
                                 key=lambda x: x.name),
        )

    def topics(self, window: Window, *, document_id: str | None = None) -> Page[TopicOut]:
        return page([TopicOut(**r) for r in self._list("topics", document_id=document_id)], window, self.row_cap)

    def goals(
        self, window: Window, *, agency_id: str | None = None, document_id: str | None = None,
        topic: str | None = None,
    ) -> Page[GoalWithOwners]:
        rows, found = self._paged("goals", window, agency_id=agency_id, document_id=document_id, topic=topic)
        rows.sort(key=lambda r: (*answers.task_order(r["task"])[:2], *answers.goal_order(r["goal"])))
        goals = [
            GoalWithOwners(**answers.goal_out(r["goal"], r["measure_id"]).model_dump(),
                           task=answers.task_ref(r["task"]), owners=answers.measure_owners(r["owners"]))
            for r in rows
        ]
        return counted_page(goals, found, self.row_cap)

    # -- subgraphs for export --------------------------------------------------------------------------------

    def _subgraph(self, name: str, what: str, **params: Any) -> nx.DiGraph:
        nodes = self._list(name, labels=list(LABELS), **params)
        if not nodes:
            raise NotFound(f"no {what}", details={"query": what})
        ids = [n["id"] for n in nodes]
        rels = self._list("subgraph_rels", ids=ids, rel_types=list(REL_TYPES))
        graph = subgraphs.subgraph_from_rows(
            [(n["id"], {**n["props"], "label": n["label"]}) for n in nodes],
            [(r["start"], r["end"], r["type"], r["props"]) for r in rels],
        )
        return answers.whole_subgraph(graph, len(nodes) > self.row_cap or len(rels) > self.row_cap, self.row_cap)

    def document_graph(self, document_id: str) -> nx.DiGraph:
        return self._subgraph("subgraph_document", f"document {document_id!r}", document_id=document_id)

    def topic_graph(self, topic: str) -> nx.DiGraph:
        return self._subgraph("subgraph_topic", f"topic {topic!r}", topic=topic)


def _pick(row: Row, model: type) -> dict[str, Any]:
    """The fields of ``model`` from ``row`` (missing ones as None: Neo4j stores no nulls)."""
    return {field: row.get(field) for field in model.model_fields}  # type: ignore[attr-defined]
