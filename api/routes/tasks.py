"""Tasks, topics and goals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import (
    MAX_TASK_NUMBER,
    MAX_TEXT,
    AgencyFilter,
    DocumentFilter,
    Later,
    ProjectFilter,
    StoreDep,
    TopicFilter,
    WindowDep,
    answer,
    document_id,
)
from api.errors import ERROR_RESPONSES
from api.schemas import GoalWithOwners, Page, TaskDetail, TaskSummary, TopicOut
from api.stores.base import TaskFilter
from graph_loader import models
from graph_loader.models import Role
from graph_loader.text import fold

router = APIRouter(tags=["tasks"], responses=ERROR_RESPONSES)


@router.get("/tasks", response_model=Page[TaskSummary])
async def tasks(
    store: StoreDep,
    window: WindowDep,
    document: DocumentFilter,
    topic: TopicFilter,
    agency: AgencyFilter,
    project: ProjectFilter,
    role: Annotated[Role | None, Query(description="With agency: tasks it leads (lead) or only supports (co).")] = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=MAX_TEXT, description="Text in the task's title or body (any script)."),
    ] = None,
) -> Page[TaskSummary]:
    """Tasks matching every filter given, in document and task order."""
    where = Later(TaskFilter, document_id=document, project=project, topic=topic, agency_id=agency, role=role,
                  text=fold(q) if q else None)
    return await answer(store, store.tasks, window, where)


@router.get("/tasks/{task_id}", response_model=TaskDetail)
async def task(
    store: StoreDep, task_id: Annotated[str, Path(max_length=MAX_TEXT, examples=["青岛-2025-数字青岛行动方案:t3"],
                                              description="A task id, <document id>:t<number>.")]
) -> TaskDetail:
    """One task with its measures, owners, goals, topics and the source text as written."""
    return await answer(store, store.task, task_id)


@router.get("/tasks/{document}/{number}", response_model=TaskDetail)
async def task_by_number(
    store: StoreDep,
    document: Annotated[str, Path(max_length=MAX_TEXT, description="Document id or exact title.")],
    number: Annotated[int, Path(ge=1, le=MAX_TASK_NUMBER, description="The task's number in its plan.")],
) -> TaskDetail:
    """Task number N of a document (its id or exact title), as /tasks/{task_id} answers it."""
    return await answer(store, store.task, Later(models.task_id, document_id(store, document), number))


@router.get("/topics", response_model=Page[TopicOut])
async def topics(store: StoreDep, window: WindowDep, document: DocumentFilter) -> Page[TopicOut]:
    """Topics with the number of tasks touching them, most first."""
    return await answer(store, store.topics, window, document_id=document)


@router.get("/goals", response_model=Page[GoalWithOwners])
async def goals(
    store: StoreDep, window: WindowDep, agency: AgencyFilter, document: DocumentFilter, topic: TopicFilter
) -> Page[GoalWithOwners]:
    """Quantitative targets with their task and owners; filter by an owning agency, document or topic."""
    return await answer(store, store.goals, window, agency_id=agency, document_id=document, topic=topic)
