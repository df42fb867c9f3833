"""The co-responsibility network of agencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import MAX_MIN_WEIGHT, DocumentFilter, IncludeGeneric, StoreDep
from api.errors import ERROR_RESPONSES
from api.schemas import Network

router = APIRouter(tags=["network"], responses=ERROR_RESPONSES)

MinWeight = Annotated[
    int, Query(ge=1, le=MAX_MIN_WEIGHT, description="Keep edges of at least this many shared tasks.")
]


@router.get("/network", response_model=Network)
def network(
    store: StoreDep, document: DocumentFilter, min_weight: MinWeight = 1, include_generic: IncludeGeneric = False
) -> Network:
    """Agencies as nodes, shared tasks as weighted edges, with degree and betweenness centrality."""
    return store.network(min_weight=min_weight, include_generic=include_generic, document_id=document)
