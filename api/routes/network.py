"""The co-responsibility network of agencies."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import (
    DocumentFilter,
    IncludeGeneric,
    LevelQuery,
    MinWeight,
    SeriesQuery,
    StoreDep,
    YearQuery,
    answer,
)
from api.errors import ERROR_RESPONSES
from api.schemas import Network

router = APIRouter(tags=["network"], responses=ERROR_RESPONSES)


@router.get("/network", response_model=Network)
async def network(
    store: StoreDep, document: DocumentFilter, min_weight: MinWeight = 1, include_generic: IncludeGeneric = False,
    level: LevelQuery = "task", series: SeriesQuery = None, year: YearQuery = None,
) -> Network:
    """Agencies as nodes, shared tasks (or clauses, level=measure) as weighted edges, with centrality."""
    return await answer(store, store.network, min_weight=min_weight, include_generic=include_generic,
                        document_id=document, level=level, series=series, year=year)
