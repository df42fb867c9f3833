"""The one interface both stores implement; route handlers see nothing else.

Every method returns the API's response models (``api.schemas``) or, for
exports, a networkx graph in the form ``graph_loader.subgraphs`` builds. Methods
that take an agency take its *id*: handlers resolve what the user typed with
:meth:`GraphStore.resolve_agency` first.

Every list is cut at the store's row cap and says so (``truncated``); the
Neo4j store also stops any query at its timeout. Stores raise only
``api.errors`` exceptions: NotFound (404), BadInput (422),
StoreUnavailable (503), QueryTimeout (504), StoreError (500).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar, overload

import networkx as nx

from api.errors import BadInput
from api.schemas import (
    AgencyDetail,
    AgencyRef,
    AgencySummary,
    Dependency,
    DocumentOut,
    DocumentRef,
    GoalWithOwners,
    Health,
    Network,
    Page,
    Partner,
    SharedTask,
    TaskDetail,
    TaskSummary,
    TopicOut,
)
from graph_loader.coresponsibility import Level
from graph_loader.models import Role
from graph_loader.numerals import read_numeral

T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True)
class Window:
    """Which slice of a list to return."""

    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class Responsibility:
    """An agency responsible for a measure, with its role."""

    agency_id: str
    name: str
    role: Role
    measure_id: str
    task_id: str


@dataclass(frozen=True)
class TaskFilter:
    """Tasks matching all of the given conditions (None = no condition)."""

    document_id: str | None = None
    project: str | None = None  # a project id, or a project number (in every document)
    topic: str | None = None
    agency_id: str | None = None
    role: Role | None = None  # with agency_id: the agency's role in the task
    text: str | None = None  # folded; found in the task's title or text

    def __post_init__(self) -> None:
        if self.role is not None and self.agency_id is None:
            raise BadInput("role filters tasks by an agency's role: give agency too", details={"role": self.role})

    def project_number(self) -> int | None:
        return project_number(self.project) if self.project is not None else None


def project_number(ref: str) -> int | None:
    """A project filter read as a project number: 1, ３, 一, 一、 and 十二 are numbers; anything else is an id.

    Up to 9 decimal digits of any script; longer numbers and digit-like characters int() refuses (²) are
    no number.
    """
    p = ref.strip().rstrip("、.")
    if p.isdecimal() and len(p) <= 9:
        return int(p)
    return read_numeral(p)


def distinct_agencies(agency_id: str, other_id: str) -> None:
    """Shared tasks need two agencies: BadInput when both ids are one."""
    if agency_id == other_id:
        raise BadInput("shared tasks need two different agencies", details={"agency": agency_id})


Direction = Literal["out", "in"]


@overload
def page(rows: Sequence[T], window: Window, row_cap: int) -> Page[T]: ...
@overload
def page(rows: Sequence[K], window: Window, row_cap: int, build: Callable[[K], T]) -> Page[T]: ...
def page(rows: Sequence[Any], window: Window, row_cap: int, build: Callable[[Any], Any] | None = None) -> Page[Any]:
    """``rows`` (in final order) as the page ``window`` asks for, cut at ``row_cap`` and saying so.

    With ``build``, ``rows`` are keys and only the items on the page are built: building a response
    item (a task summary, a goal with owners) costs far more than finding it.
    """
    kept = rows[:row_cap]
    on_page = kept[window.offset : window.offset + window.limit]
    data = [build(r) for r in on_page] if build else list(on_page)
    return Page(data=data, count=len(kept), truncated=len(rows) > row_cap)


def page_bounds(window: Window, row_cap: int) -> tuple[int, int]:
    """(skip, take): the rows of ``window`` among the first ``row_cap``, for a query that cuts its own page."""
    end = min(window.offset + window.limit, row_cap)
    skip = min(window.offset, end)
    return skip, end - skip


def counted_page(data: list[T], found: int, row_cap: int) -> Page[T]:
    """A page a query cut itself (:func:`page_bounds`), from ``found``: the rows it counted, at most row cap + 1.
    The same page as :func:`page` over every row."""
    return Page(data=data, count=min(found, row_cap), truncated=found > row_cap)


class GraphStore(Protocol):
    kind: Literal["memory", "neo4j"]
    waits_on_io: bool
    """True when a call may wait on the network (Neo4j): the API then makes it on a worker thread."""
    row_cap: int

    def close(self) -> None:
        """Release what the store holds (the Neo4j driver it was handed)."""

    def health(self) -> Health:
        """Which store, and whether it answers now; never raises."""

    # -- names --------------------------------------------------------------------------------------------
    def resolve_agency(self, ref: str) -> AgencyRef:
        """The agency an id or typed name means (see api.names); NotFound with suggestions, or BadInput."""

    def resolve_topic(self, ref: str) -> str:
        """The topic name ``ref`` means; NotFound listing the topics."""

    def resolve_document(self, ref: str) -> DocumentRef:
        """The document an id or exact title means; NotFound listing the documents."""

    def resolve_kind(self, ref: str) -> str:
        """The agency kind ``ref`` names; NotFound listing the kinds there are."""

    def resolve_jurisdiction(self, ref: str) -> str:
        """The jurisdiction ``ref`` names (folded); NotFound listing the jurisdictions there are."""

    def resolve_project(self, ref: str) -> str:
        """``ref`` as a project filter (an id, or a number: 1, 一, 一、) that some project matches;
        NotFound listing the project numbers there are."""

    # -- queries ------------------------------------------------------------------------------------------
    def documents(self, window: Window) -> Page[DocumentOut]:
        """Documents loaded, by jurisdiction, title, id."""

    def agencies(
        self, window: Window, *, jurisdiction: str | None = None, kind: str | None = None,
        include_generic: bool = False,
    ) -> Page[AgencySummary]:
        """All agencies (generic ones too) with their counts, by name, id."""

    def agency(self, agency_id: str, window: Window, *, include_generic: bool = False) -> AgencyDetail:
        """One agency's counts and its tasks (window applies to the tasks); NotFound."""

    def partners(
        self, agency_id: str, window: Window, *, include_generic: bool = False, level: Level = "task"
    ) -> Page[Partner]:
        """Agencies sharing at least one task with it (at level measure: one clause of a task), by shared tasks
        desc, id; the tasks listed are those where the tie holds."""

    def shared_tasks(self, agency_id: str, other_id: str, window: Window) -> Page[SharedTask]:
        """Tasks both agencies are responsible for, by document, task number; BadInput when they are one."""

    def dependencies(
        self, agency_id: str, window: Window, *, direction: Direction | None = None, include_generic: bool = False,
    ) -> Page[Dependency]:
        """Lead → supporting links touching the agency: out first, then by measures desc, other agency's id."""

    def network(self, *, min_weight: int = 1, include_generic: bool = False, document_id: str | None = None,
                level: Level = "task", series: str | None = None, year: int | None = None) -> Network:
        """The co-responsibility network with degree and betweenness centrality; an edge's weight counts the
        tasks two agencies share (level task) or the clauses (level measure), and lists their ids."""

    def tasks(self, window: Window, where: TaskFilter) -> Page[TaskSummary]:
        """Tasks matching ``where``, by document, task number."""

    def task(self, task_id: str) -> TaskDetail:
        """One task with measures, owners, goals, topics and its source text; NotFound."""

    def responsibilities(self, document_id: str, *, include_generic: bool = False) -> list[Responsibility]:
        """Who is responsible for each measure of a document, by task number, measure number, list position:
        what network measures are computed from (``answers.document_metrics``)."""

    def documents_in(self, *, series: str | None = None, year: int | None = None) -> list[DocumentRef]:
        """The documents of a series and/or of a year, by year, id (indexed lookups); NotFound when none is."""

    def document_tasks(self, document_id: str) -> list[TaskDetail]:
        """Every task of a document (an id :meth:`resolve_document` gave), with its details, in number order:
        what a comparison of two plans reads. Not capped: a plan holds at most 99,999 tasks."""

    def topics(self, window: Window, *, document_id: str | None = None) -> Page[TopicOut]:
        """Topics with the number of tasks touching them, by tasks desc, name."""

    def goals(
        self, window: Window, *, agency_id: str | None = None, document_id: str | None = None,
        topic: str | None = None,
    ) -> Page[GoalWithOwners]:
        """Goals with their task and owners, by document, task number, place in the text."""

    # -- exports (graph_loader.formats writes them) ------------------------------------------------------------
    def network_graph(self, *, min_weight: int = 1, include_generic: bool = False,
                      document_id: str | None = None, level: Level = "task", series: str | None = None,
                      year: int | None = None) -> nx.Graph:
        """The co-responsibility network as a networkx graph."""

    def ego_graph(self, agency_id: str, *, radius: int = 1, min_weight: int = 1,
                  include_generic: bool = False, level: Level = "task") -> nx.Graph:
        """The agency's neighbourhood in the network (graph_loader.subgraphs.ego_network); NotFound."""

    def document_graph(self, document_id: str) -> nx.DiGraph:
        """A document, everything it owns, the agencies responsible for its measures and its topics; NotFound."""

    def topic_graph(self, topic: str) -> nx.DiGraph:
        """A topic, the tasks touching it, their measures and goals and the agencies responsible; NotFound."""


def scope(store: GraphStore, document_id: str | None, series: str | None, year: int | None) -> list[str] | None:
    """The ids of the documents a network is drawn over: a document, a series, a year, or what they share
    (None: every document). NotFound when a series or year has no document; an empty list when they
    share none."""
    if series is None and year is None:
        return None if document_id is None else [document_id]
    ids = [d.id for d in store.documents_in(series=series, year=year)]
    return ids if document_id is None else [i for i in ids if i == document_id]
