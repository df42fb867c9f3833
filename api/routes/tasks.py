"""Tasks, topics and goals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import MAX_TEXT, AgencyFilter, DocumentFilter, StoreDep, TopicFilter, WindowDep
from api.errors import ERROR_RESPONSES
from api.schemas import GoalWithOwners, Page, Role, TaskDetail, TaskSummary, TopicOut
from api.stores.base import TaskFilter
from graph_loader.text import fold

router = APIRouter(tags=["tasks"], responses=ERROR_RESPONSES)


@router.get("/tasks", response_model=Page[TaskSummary])
def tasks(
    store: StoreDep,
    window: WindowDep,
    document: DocumentFilter,
    topic: TopicFilter,
    agency: AgencyFilter,
    role: Annotated[Role | None, Query(description="With agency: tasks it leads (lead) or only supports (co).")] = None,
    project: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Project id, or project number (一、 = 1).")
    ] = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=MAX_TEXT, description="Text in the task's title or body (any script)."),
    ] = None,
) -> Page[TaskSummary]:
    """Tasks matching every filter given, in document and task order."""
    where = TaskFilter(document_id=document, project=project, topic=topic, agency_id=agency, role=role,
                       text=fold(q) if q else None)
    return store.tasks(window, where)


@router.get("/tasks/{task_id}", response_model=TaskDetail)
def task(
    store: StoreDep, task_id: Annotated[str, Path(max_length=MAX_TEXT, examples=["doc-0d51d59d77:t3"])]
) -> TaskDetail:
    """One task with its measures, owners, goals, topics and the source text as written."""
    return store.task(task_id)


@router.get("/topics", response_model=Page[TopicOut])
def topics(store: StoreDep, window: WindowDep, document: DocumentFilter) -> Page[TopicOut]:
    """Topics with the number of tasks touching them, most first."""
    return store.topics(window, document_id=document)


@router.get("/goals", response_model=Page[GoalWithOwners])
def goals(
    store: StoreDep, window: WindowDep, agency: AgencyFilter, document: DocumentFilter, topic: TopicFilter
) -> Page[GoalWithOwners]:
    """Quantitative targets with their task and owners; filter by an owning agency, document or topic."""
    return store.goals(window, agency_id=agency, document_id=document, topic=topic)
