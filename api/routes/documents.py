"""Plans over time: what changed from one plan to another."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import MAX_TEXT, StoreDep
from api.errors import ERROR_RESPONSES
from api.stores import answers
from graph_loader.diff import PlanDiff

router = APIRouter(tags=["documents"], responses=ERROR_RESPONSES)

DocumentPath = Annotated[str, Path(max_length=MAX_TEXT, description="Document id (see /documents) or exact title.")]


@router.get("/documents/{old}/diff/{new}", response_model=PlanDiff)
def diff(store: StoreDep, old: DocumentPath, new: DocumentPath) -> PlanDiff:
    """What changed from plan old to plan new: tasks added, dropped, continued; owners, leads, targets, topics."""
    return answers.compare_documents(store, old, new)
