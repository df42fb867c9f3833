"""Plans over time: what changed from one plan to another, and the network measures of each year."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.deps import MAX_TEXT, LevelQuery, StoreDep, answer, document_id
from api.errors import ERROR_RESPONSES
from api.schemas import SeriesMetrics, ToolCounts
from api.stores import answers
from graph_loader.diff import PlanDiff
from graph_loader.metrics import NetworkMetrics

router = APIRouter(tags=["documents"], responses=ERROR_RESPONSES)

DocumentPath = Annotated[str, Path(max_length=MAX_TEXT, description="Document id (see /documents) or exact title.")]


@router.get("/documents/{old}/diff/{new}", response_model=PlanDiff)
async def diff(store: StoreDep, old: DocumentPath, new: DocumentPath) -> PlanDiff:
    """What changed from plan old to plan new: tasks added, dropped, continued; owners, leads, targets, topics."""
    return await answer(store, answers.compare_documents, store, old, new)


@router.get("/documents/{document}/metrics", response_model=NetworkMetrics)
async def metrics(store: StoreDep, document: DocumentPath, level: LevelQuery = "task") -> NetworkMetrics:
    """Network measures of one plan's agencies: density, centralities, k-core, communities, roles."""
    return await answer(store, answers.document_metrics, store, document_id(store, document), level=level)


@router.get("/series/{series}/metrics", response_model=SeriesMetrics)
async def series_metrics(
    store: StoreDep,
    series: Annotated[str, Path(max_length=MAX_TEXT, description="A series, as /documents gives it.",
                                examples=["青岛-数字青岛行动方案"])],
    level: LevelQuery = "task",
) -> SeriesMetrics:
    """Network measures of every plan of a series, year by year."""
    return await answer(store, answers.series_metrics, store, series, level=level)


@router.get("/documents/{document}/policy-tools", response_model=list[ToolCounts])
async def policy_tools(
    store: StoreDep, document: DocumentPath,
    by: Annotated[Literal["agency", "topic"], Query(description="Per responsible agency or per topic.")] = "agency",
) -> list[ToolCounts]:
    """Measures by the types of policy tool they use (供给型, 需求型, 环境型), per agency or per topic."""
    return await answer(store, answers.policy_tool_counts, store, document_id(store, document), by)
