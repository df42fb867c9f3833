"""Health and the documents loaded."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep, WindowDep
from api.errors import ERROR_RESPONSES
from api.schemas import DocumentOut, Health, Page

router = APIRouter(tags=["meta"], responses=ERROR_RESPONSES)


@router.get("/health", response_model=Health)
def health(store: StoreDep) -> Health:
    """Which store answers, and whether it is reachable now (always 200)."""
    return store.health()


@router.get("/documents", response_model=Page[DocumentOut])
def documents(store: StoreDep, window: WindowDep) -> Page[DocumentOut]:
    """Documents loaded, by jurisdiction, title."""
    return store.documents(window)
