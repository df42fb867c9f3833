"""Subgraphs as files for Gephi, UCINET, Excel and notebooks: one per row of ``graph_loader.formats.FORMATS``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import quote

import networkx as nx
from fastapi import APIRouter, Path, Query, Response

from api.deps import (
    MAX_TEXT,
    AgencyDep,
    DocumentFilter,
    IncludeGeneric,
    LevelQuery,
    MinWeight,
    SeriesQuery,
    StoreDep,
    YearQuery,
)
from api.errors import ERROR_RESPONSES
from graph_loader.formats import FORMATS, dumps

FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    200: {"content": {f.media_type: {} for f in FORMATS.values()}, "description": "The subgraph file."},
}
router = APIRouter(prefix="/exports", tags=["exports"], responses=FILE_RESPONSES)

# The query parameter's choices, made from the formats table so that OpenAPI lists them.
ExportFormat = StrEnum("ExportFormat", {name: name for name in FORMATS})  # type: ignore[misc]
FormatQuery = Annotated[ExportFormat, Query(description=f"One of {', '.join(FORMATS)} (json: node-link).")]
GRAPHML = ExportFormat("graphml")


def _file(graph: nx.Graph, fmt: StrEnum, stem: str) -> Response:
    name = stem + FORMATS[fmt].suffix  # network.gexf, network.edges.csv: a name Excel and Gephi open by
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(dumps(graph, fmt), media_type=FORMATS[fmt].media_type,
                    headers={"Content-Disposition": disposition})


@router.get("/network", response_class=Response)
def network(
    store: StoreDep, document: DocumentFilter, format: FormatQuery = GRAPHML, min_weight: MinWeight = 1,
    include_generic: IncludeGeneric = False, level: LevelQuery = "task", series: SeriesQuery = None,
    year: YearQuery = None,
) -> Response:
    """The agency co-responsibility network (weights, task ids, centrality) as a file; of a document, series
    or year."""
    graph = store.network_graph(min_weight=min_weight, include_generic=include_generic,
                                document_id=document() if document else None, level=level, series=series, year=year)
    return _file(graph, format, "network")


@router.get("/agencies/{agency}/ego", response_class=Response)
def ego(
    store: StoreDep, agency: AgencyDep, format: FormatQuery = GRAPHML,
    radius: Annotated[int, Query(ge=1, le=5, description="Shared-task steps from the agency.")] = 1,
    min_weight: MinWeight = 1, include_generic: IncludeGeneric = False, level: LevelQuery = "task",
) -> Response:
    """An agency's ego network in the co-responsibility network, as a file."""
    ref = agency()
    graph = store.ego_graph(ref.id, radius=radius, min_weight=min_weight, include_generic=include_generic,
                            level=level)
    return _file(graph, format, f"ego-{ref.name}")


@router.get("/topics/{topic}", response_class=Response)
def topic(
    store: StoreDep, topic: Annotated[str, Path(max_length=MAX_TEXT, examples=["人工智能"])],
    format: FormatQuery = GRAPHML,
) -> Response:
    """A topic, its tasks, their measures and goals, and the agencies responsible, as a file."""
    name = store.resolve_topic(topic)
    return _file(store.topic_graph(name), format, f"topic-{name}")


@router.get("/documents/{document}", response_class=Response)
def document(
    store: StoreDep, document: Annotated[str, Path(max_length=MAX_TEXT, description="Document id or exact title.")],
    format: FormatQuery = GRAPHML,
) -> Response:
    """A whole document's subgraph (projects to goals, agencies and topics), as a file."""
    doc = store.resolve_document(document)
    return _file(store.document_graph(doc.id), format, doc.id)
