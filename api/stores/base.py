"""The one interface both stores implement; route handlers see nothing else.

Every method returns the API's response models (``api.schemas``) or, for
exports, a networkx graph in the form ``graph_loader.export`` writes. Methods
that take an agency take its *id*: handlers resolve what the user typed with
:meth:`GraphStore.resolve_agency` first.

Every list is cut at the store's row cap and says so (``truncated``); the
Neo4j store also stops any query at its timeout. Stores raise only
``api.errors`` exceptions: NotFound (404), BadInput (422),
StoreUnavailable (503), QueryTimeout (504), StoreError (500).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

import networkx as nx

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
    Role,
    SharedTask,
    TaskDetail,
    TaskSummary,
    TopicOut,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    """Which slice of a list to return."""

    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class TaskFilter:
    """Tasks matching all of the given conditions (None = no condition)."""

    document_id: str | None = None
    project: str | None = None  # a project id, or a project number (in every document)
    topic: str | None = None
    agency_id: str | None = None
    role: Role | None = None  # with agency_id: the agency's role in the task
    text: str | None = None  # folded; found in the task's title or text

    def project_number(self) -> int | None:
        """``project`` read as a project number (一、 = 1): up to 9 decimal digits of any script (3, ３), else None.

        Longer numbers and digit-like characters int() refuses (²) are no number: they match as an id (nothing).
        """
        p = self.project
        return int(p) if p is not None and p.isdecimal() and len(p) <= 9 else None


Direction = Literal["out", "in"]


def page(rows: Sequence[T], window: Window, row_cap: int) -> Page[T]:
    """``rows`` (at most ``row_cap + 1``, in final order) as the page ``window`` asks for."""
    truncated = len(rows) > row_cap
    kept = rows[:row_cap]
    return Page(data=list(kept[window.offset : window.offset + window.limit]), count=len(kept), truncated=truncated)


class GraphStore(Protocol):
    kind: Literal["memory", "neo4j"]
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

    def partners(self, agency_id: str, window: Window, *, include_generic: bool = False) -> Page[Partner]:
        """Agencies sharing at least one task with it, by shared tasks desc, id."""

    def shared_tasks(self, agency_id: str, other_id: str, window: Window) -> Page[SharedTask]:
        """Tasks both agencies are responsible for, by document, task number; BadInput when they are one."""

    def dependencies(
        self, agency_id: str, window: Window, *, direction: Direction | None = None, include_generic: bool = False,
    ) -> Page[Dependency]:
        """Lead → supporting links touching the agency: out first, then by measures desc, other agency's id."""

    def network(self, *, min_weight: int = 1, include_generic: bool = False, document_id: str | None = None) -> Network:
        """The co-responsibility network with degree and betweenness centrality."""

    def tasks(self, window: Window, where: TaskFilter) -> Page[TaskSummary]:
        """Tasks matching ``where``, by document, task number."""

    def task(self, task_id: str) -> TaskDetail:
        """One task with measures, owners, goals, topics and its source text; NotFound."""

    def topics(self, window: Window, *, document_id: str | None = None) -> Page[TopicOut]:
        """Topics with the number of tasks touching them, by tasks desc, name."""

    def goals(
        self, window: Window, *, agency_id: str | None = None, document_id: str | None = None,
        topic: str | None = None,
    ) -> Page[GoalWithOwners]:
        """Goals with their task and owners, by document, task number, place in the text."""

    # -- exports (graph_loader.export writes them) ------------------------------------------------------------
    def network_graph(self, *, min_weight: int = 1, include_generic: bool = False,
                      document_id: str | None = None) -> nx.Graph:
        """The co-responsibility network as a networkx graph."""

    def ego_graph(self, agency_id: str, *, radius: int = 1, min_weight: int = 1,
                  include_generic: bool = False) -> nx.Graph:
        """The agency's neighbourhood in the network (graph_loader.export.ego_network); NotFound."""

    def document_graph(self, document_id: str) -> nx.DiGraph:
        """A document's subgraph (graph_loader.export.document_subgraph); NotFound."""

    def topic_graph(self, topic: str) -> nx.DiGraph:
        """A topic's subgraph (graph_loader.export.topic_subgraph); NotFound."""
