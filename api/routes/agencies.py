"""Agencies: counts, tasks, partners, shared tasks and lead → supporting dependencies."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import (
    AgencyIdDep,
    IncludeGeneric,
    JurisdictionFilter,
    KindFilter,
    LevelQuery,
    OtherIdDep,
    StoreDep,
    WindowDep,
    answer,
)
from api.errors import ERROR_RESPONSES
from api.schemas import AgencyDetail, AgencySummary, Dependency, Page, Partner, SharedTask

router = APIRouter(prefix="/agencies", tags=["agencies"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[AgencySummary])
async def agencies(
    store: StoreDep,
    window: WindowDep,
    jurisdiction: JurisdictionFilter,
    kind: KindFilter,
    include_generic: IncludeGeneric = False,
) -> Page[AgencySummary]:
    """Every agency (generic placeholders too) with tasks led and supported, measures, goals and partners, by name."""
    return await answer(store, store.agencies, window, jurisdiction=jurisdiction, kind=kind,
                        include_generic=include_generic)


@router.get("/{agency}", response_model=AgencyDetail)
async def agency(
    store: StoreDep, agency: AgencyIdDep, window: WindowDep, include_generic: IncludeGeneric = False
) -> AgencyDetail:
    """One agency's counts and its tasks with its role in each (limit/offset page the tasks)."""
    return await answer(store, store.agency, agency, window, include_generic=include_generic)


@router.get("/{agency}/partners", response_model=Page[Partner])
async def partners(
    store: StoreDep, agency: AgencyIdDep, window: WindowDep, include_generic: IncludeGeneric = False,
    level: LevelQuery = "task",
) -> Page[Partner]:
    """Agencies sharing at least one task (or clause, level=measure) with this one, most shared tasks first."""
    return await answer(store, store.partners, agency, window, include_generic=include_generic, level=level)


@router.get("/{agency}/partners/{other}", response_model=Page[SharedTask])
async def shared_tasks(store: StoreDep, agency: AgencyIdDep, other: OtherIdDep, window: WindowDep) -> Page[SharedTask]:
    """The tasks two agencies share, with each one's role, in task order."""
    return await answer(store, store.shared_tasks, agency, other, window)


@router.get("/{agency}/dependencies", response_model=Page[Dependency])
async def dependencies(
    store: StoreDep,
    agency: AgencyIdDep,
    window: WindowDep,
    direction: Annotated[
        Literal["out", "in"] | None,
        Query(description="out: units supporting the measures it leads; in: leads of the measures it supports."),
    ] = None,
    include_generic: IncludeGeneric = False,
) -> Page[Dependency]:
    """Lead → supporting links: who supports the measures it leads (out), whose measures it supports (in)."""
    return await answer(store, store.dependencies, agency, window, direction=direction,
                        include_generic=include_generic)
