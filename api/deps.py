"""FastAPI dependencies: the store, the settings, pagination and the names users type, to be resolved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from api.errors import BadInput
from api.schemas import AgencyRef, DocumentRef
from api.settings import Settings
from api.stores.base import GraphStore, Window
from graph_loader.coresponsibility import Level

T = TypeVar("T")

# Dependencies and handlers are `async def`: FastAPI runs a plain `def` on a worker thread, and each such hop
# (6–8 a request before) cost more than the embedded store's whole answer. What may wait on I/O goes through
# `answer`, once a request: the names the request gives are resolved in the same call (`Later`), not by their
# dependencies, so that a request on Neo4j hops to a worker thread once, not once per name and once more for
# the query.


async def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


class Later(Generic[T]):
    """``fn(*args, **kwargs)`` called when the Later is: the arguments that are Laters called first, in order.

    A name dependency answers ``Later(store.resolve_topic, ref)``; the handler hands it to :func:`answer` with
    the store call, which resolves it on the thread that makes the call."""

    __slots__ = ("args", "fn", "kwargs")

    def __init__(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any):
        self.fn, self.args, self.kwargs = fn, args, kwargs

    def __call__(self) -> T:
        return self.fn(*map(_now, self.args), **{k: _now(v) for k, v in self.kwargs.items()})


def _now(value: Any) -> Any:
    return value() if isinstance(value, Later) else value


async def answer(store: GraphStore, work: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``work(*args, **kwargs)``, a call of the store, its ``Later`` arguments resolved first in the same call: on
    a worker thread when the store waits on I/O (Neo4j; the event loop serves other requests meanwhile), else
    right here (the embedded store answers from memory in less time than a thread hop takes)."""
    call = Later(work, *args, **kwargs)
    if store.waits_on_io:
        return await run_in_threadpool(call)
    return call()


def _id(ref: AgencyRef | DocumentRef) -> str:
    return ref.id


def agency_id(store: GraphStore, ref: str) -> Later[str]:
    """The id of the agency ``ref`` names (its id or name as typed), when called."""
    return Later(_id, Later(store.resolve_agency, ref))


def document_id(store: GraphStore, ref: str) -> Later[str]:
    """The id of the document ``ref`` names (its id or exact title), when called."""
    return Later(_id, Later(store.resolve_document, ref))


StoreDep = Annotated[GraphStore, Depends(get_store)]

MAX_TEXT = 200
"""Most characters of any name, id or search text a request gives (agency names are at most 40, titles 80)."""
MAX_OFFSET = 100_000
"""Largest offset: POLICYKG_ROW_CAP is at most 100,000, so no list is longer."""
MAX_TASK_NUMBER = 99_999
"""Largest task number: the parser reads at most five digits (1. to 99999.)."""
MAX_MIN_WEIGHT = 100_000
"""Largest min_weight of network edges (shared tasks); it travels to Neo4j as a 64-bit integer."""


async def window(
    settings: Annotated[Settings, Depends(get_settings)],
    limit: Annotated[int, Query(ge=1, description="Items per page; at most the row cap (default 1000).")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> Window:
    if limit > settings.row_cap:
        raise BadInput(f"limit is at most {settings.row_cap} (the row cap)", details={"limit": limit})
    return Window(limit=limit, offset=offset)


WindowDep = Annotated[Window, Depends(window)]

_AGENCY_HELP = "Agency id (青岛:市大数据局) or name as typed: 市大數據局, an alias, full-width forms."


async def agency_in_path(
    store: StoreDep,
    agency: Annotated[str, Path(max_length=MAX_TEXT, description=_AGENCY_HELP, examples=["市大数据局"])],
) -> Later[AgencyRef]:
    return Later(store.resolve_agency, agency)


async def agency_id_in_path(agency: Annotated[Later[AgencyRef], Depends(agency_in_path)]) -> Later[str]:
    return Later(_id, agency)


async def other_id_in_path(
    store: StoreDep,
    other: Annotated[str, Path(max_length=MAX_TEXT, description=_AGENCY_HELP, examples=["市工业和信息化局"])],
) -> Later[str]:
    return agency_id(store, other)


async def agency_in_query(
    store: StoreDep, agency: Annotated[str | None, Query(max_length=MAX_TEXT, description=_AGENCY_HELP)] = None
) -> Later[str] | None:
    return agency_id(store, agency) if agency else None


async def document_in_query(
    store: StoreDep,
    document: Annotated[str | None, Query(max_length=MAX_TEXT, description="Document id or exact title.")] = None,
) -> Later[str] | None:
    return document_id(store, document) if document else None


async def topic_in_query(
    store: StoreDep,
    topic: Annotated[str | None, Query(max_length=MAX_TEXT, description="Topic name, e.g. 人工智能.")] = None,
) -> Later[str] | None:
    return Later(store.resolve_topic, topic) if topic else None


async def kind_in_query(
    store: StoreDep,
    kind: Annotated[str | None, Query(max_length=MAX_TEXT, examples=["government_department"],
                                      description="Agency kind; an unknown kind answers 404 listing them.")] = None,
) -> Later[str] | None:
    return Later(store.resolve_kind, kind) if kind else None


async def jurisdiction_in_query(
    store: StoreDep,
    jurisdiction: Annotated[str | None, Query(max_length=MAX_TEXT, examples=["青岛"],
                                              description="Jurisdiction (any script).")] = None,
) -> Later[str] | None:
    return Later(store.resolve_jurisdiction, jurisdiction) if jurisdiction else None


async def project_in_query(
    store: StoreDep,
    project: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Project id, or project number: 1, 一 or 一、.")
    ] = None,
) -> Later[str] | None:
    return Later(store.resolve_project, project) if project else None


# The names a request gives, each a Later for `answer` to resolve with the store call (None: not given).
AgencyDep = Annotated[Later[AgencyRef], Depends(agency_in_path)]
AgencyIdDep = Annotated[Later[str], Depends(agency_id_in_path)]
OtherIdDep = Annotated[Later[str], Depends(other_id_in_path)]
AgencyFilter = Annotated[Later[str] | None, Depends(agency_in_query)]
DocumentFilter = Annotated[Later[str] | None, Depends(document_in_query)]
TopicFilter = Annotated[Later[str] | None, Depends(topic_in_query)]
KindFilter = Annotated[Later[str] | None, Depends(kind_in_query)]
JurisdictionFilter = Annotated[Later[str] | None, Depends(jurisdiction_in_query)]
ProjectFilter = Annotated[Later[str] | None, Depends(project_in_query)]
MinWeight = Annotated[
    int, Query(ge=1, le=MAX_MIN_WEIGHT, description="Keep edges of at least this many shared tasks.")
]
SeriesQuery = Annotated[
    str | None, Query(max_length=MAX_TEXT, description="Only the plans of this series (see /documents).")
]
YearQuery = Annotated[int | None, Query(ge=1900, le=2200, description="Only the plans of this year.")]
LevelQuery = Annotated[
    Level,
    Query(description="What ties two agencies: a task both are responsible for (task), or one clause of it (measure)."),
]
IncludeGeneric = Annotated[
    bool, Query(description="Count collective placeholders (各区市政府 …) as partners and network nodes.")
]
