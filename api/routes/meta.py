"""Health and the documents loaded."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep, WindowDep, answer
from api.errors import ERROR_RESPONSES
from api.schemas import DocumentOut, Health, Index, Page

router = APIRouter(tags=["meta"], responses=ERROR_RESPONSES)


QUESTIONS = {
    "which agencies share tasks with an agency": "/agencies/{agency}/partners",
    "which tasks two agencies share": "/agencies/{agency}/partners/{other}",
    "who depends on whom (lead → supporting)": "/agencies/{agency}/dependencies",
    "which tasks touch a topic (人工智能 …)": "/tasks?topic={topic}",
    "one task with its owners, goals and source text": "/tasks/{document}/{number}",
    "the targets each unit owns": "/goals?agency={agency}",
    "the co-responsibility network with centrality": "/network",
    "every agency with its counts": "/agencies",
    "the documents loaded": "/documents",
    "what changed from one plan to another": "/documents/{old}/diff/{new}",
    "network measures of a plan line, year by year": "/series/{series}/metrics",
    "a subgraph as a file for Gephi": "/exports/network?format=gexf",
    "all of it as web pages (the explorer)": "/explore",
}


@router.get("/", response_model=Index)
async def index() -> Index:
    """Where to start: the interactive docs and the questions this API answers."""
    return Index(docs="/docs", openapi="/openapi.json", questions=QUESTIONS)


@router.get("/health", response_model=Health)
async def health(store: StoreDep) -> Health:
    """Which store answers, and whether it is reachable now (always 200)."""
    return await answer(store, store.health)


@router.get("/documents", response_model=Page[DocumentOut])
async def documents(store: StoreDep, window: WindowDep) -> Page[DocumentOut]:
    """Documents loaded, by jurisdiction, title."""
    return await answer(store, store.documents, window)
