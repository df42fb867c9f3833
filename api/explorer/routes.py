"""The explorer's pages: server-rendered HTML over the same store methods the JSON API calls.

Each handler calls :class:`api.stores.base.GraphStore` methods (or ``api.stores.answers`` helpers, as the JSON
routes do), hands the answers to ``api.explorer.views`` for shaping and renders a template; each page links
the JSON endpoint that feeds it. An error the store raises (an unknown agency, task or document) is shown as
a page with its status and suggestions, not as JSON. The graph library is vis-network, served from the
pinned ``pyvis`` package's copy (no CDN).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from api.deps import MAX_MIN_WEIGHT, MAX_OFFSET, MAX_TEXT, StoreDep
from api.errors import ApiError, NotFound
from api.explorer import views
from api.stores import answers
from api.stores.base import TaskFilter, Window
from graph_loader.coresponsibility import Level
from graph_loader.text import fold

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(
    agency_url=views.agency_url, task_url=views.task_url, network_url=views.network_url, diff_url=views.diff_url,
    quote=views.q, prefix=views.PREFIX,
)

# Only the home page is in OpenAPI (/ names it); the others are pages, not API.
router = APIRouter(prefix=views.PREFIX, tags=["explorer"], default_response_class=HTMLResponse)

PAGE = 100
"""Documents on one home page, rows in one list of a page."""
_pyvis = importlib.util.find_spec("pyvis")  # the spec only: importing pyvis would import IPython
VIS_DIR = Path(next(iter(_pyvis.submodule_search_locations or []))) / "lib" / "vis-9.1.2" if _pyvis else None
STATIC: dict[str, tuple[Path | None, str]] = {
    "explorer.css": (HERE / "static", "text/css"),
    "explorer.js": (HERE / "static", "text/javascript"),
    "vis-network.min.js": (VIS_DIR, "text/javascript"),
}

Text = Annotated[str, PathParam(max_length=MAX_TEXT)]


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _error(request: Request, e: ApiError) -> HTMLResponse:
    suggestions = e.details.get("suggestions") or e.details.get("options") or []
    return _render(request, "error.html", e.status, error=e, suggestions=suggestions)


@router.get("/static/{name}", response_class=Response, include_in_schema=False)
def static(name: Text) -> Response:
    """Our stylesheet and script, and vis-network from the installed pyvis package."""
    if name not in STATIC or STATIC[name][0] is None:
        raise NotFound(f"no static file {name}", details={"query": name})
    folder, media_type = STATIC[name]
    assert folder is not None
    return FileResponse(folder / name, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"})


@router.get("")
def home(request: Request, store: StoreDep,
         offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> HTMLResponse:
    """The explorer's home page (HTML): documents, counts, a search box, and links to agencies, tasks, the network."""
    try:
        documents = store.documents(Window(limit=PAGE, offset=offset))
        agencies = store.agencies(Window(limit=1)).count
        topics = store.topics(Window(limit=store.row_cap))
    except ApiError as e:
        return _error(request, e)
    totals = {k: sum(getattr(d, k) for d in documents.data) for k in ("tasks", "measures", "goals")}
    return _render(request, "home.html", documents=documents, offset=offset, page=PAGE, agencies=agencies,
                   topics=topics, totals=totals, previous=views.previous_in_series(documents.data),
                   health=store.health())


@router.get("/search", include_in_schema=False)
def search(request: Request, store: StoreDep,
           q: Annotated[str, Query(max_length=MAX_TEXT, description="An agency, topic or words of a task.")] = ""
           ) -> HTMLResponse:
    """What a search names: the agency (Traditional script and aliases resolve), the topic, tasks with the words."""
    text = q.strip()
    agency: Any = None
    topic: str | None = None
    agency_error: ApiError | None = None
    topic_tasks = tasks = None
    if text:
        try:
            agency = store.resolve_agency(text)
        except ApiError as e:
            agency_error = e
        try:
            topic = store.resolve_topic(text)
            topic_tasks = store.tasks(Window(limit=PAGE), TaskFilter(topic=topic))
        except NotFound:
            topic = None
        tasks = store.tasks(Window(limit=PAGE), TaskFilter(text=fold(text)))
    suggestions = (agency_error.details.get("suggestions") or agency_error.details.get("options") or []
                   ) if agency_error else []
    return _render(request, "search.html", q=text, agency=agency, suggestions=suggestions, topic=topic,
                   topic_tasks=topic_tasks, tasks=tasks)


@router.get("/agencies/{agency}", include_in_schema=False)
def agency(request: Request, store: StoreDep, agency: Text) -> HTMLResponse:
    """An agency: tasks it leads and supports, partners by task and by clause, its goals and its ego network."""
    try:
        ref = store.resolve_agency(agency)
        # Its counts and its first tasks with its role in each: one call (the /tasks filter by agency and role
        # would be two more scans of its tasks); the page links the full lists.
        detail = store.agency(ref.id, Window(limit=PAGE))
        partners = store.partners(ref.id, Window(limit=PAGE), level="task")
        clause_partners = store.partners(ref.id, Window(limit=PAGE), level="measure")
        goals = store.goals(Window(limit=PAGE), agency_id=ref.id)
    except ApiError as e:
        return _error(request, e)
    try:
        drawing: dict[str, Any] | None = views.graph_drawing(store.ego_graph(ref.id), centre=ref.id)
    except NotFound:  # a collective placeholder is no node of the network
        drawing = None
    led = [t for t in detail.task_list.data if t.role == "lead"]
    supported = [t for t in detail.task_list.data if t.role == "co"]
    return _render(request, "agency.html", agency=detail, led=led, supported=supported, partners=partners,
                   clause_partners=clause_partners, goals=goals, drawing=drawing, api_id=views.q(ref.id))


@router.get("/tasks/{task_id}", include_in_schema=False)
def task(request: Request, store: StoreDep, task_id: Text) -> HTMLResponse:
    """A task: its source text with owners, goals and topic terms marked at their spans, and its measures."""
    try:
        detail = store.task(task_id)
    except ApiError as e:
        return _error(request, e)
    segments = views.highlight(detail.source_text, detail.span[0], views.task_marks(detail))
    return _render(request, "task.html", task=detail, segments=segments)


@router.get("/network", include_in_schema=False)
def network(
    request: Request, store: StoreDep,
    min_weight: Annotated[int, Query(ge=1, le=MAX_MIN_WEIGHT)] = 1,
    topic: Annotated[str, Query(max_length=MAX_TEXT)] = "",
    document: Annotated[str, Query(max_length=MAX_TEXT)] = "",
    centrality: views.Centrality = "betweenness",
    level: Level = "task",
) -> HTMLResponse:
    """The co-responsibility network, drawn; filter by weight, topic and document, size by a centrality."""
    try:
        document_id = store.resolve_document(document).id if document else None
        topic_name = store.resolve_topic(topic) if topic else None
        if topic_name:
            level = "task"  # a topic's network is drawn from its tasks' owners: tied by a task, not a clause
        net = store.network(min_weight=1 if topic_name else min_weight, document_id=document_id, level=level)
        touching = None
        if topic_name:
            touching = store.tasks(Window(limit=store.row_cap), TaskFilter(topic=topic_name, document_id=document_id))
            net = views.topic_network(net, touching.data, min_weight=min_weight)
        documents = store.documents(Window(limit=store.row_cap))
        topics = store.topics(Window(limit=store.row_cap))
    except ApiError as e:
        return _error(request, e)
    source = views.api_url("/network", min_weight=min_weight if min_weight > 1 else None, document=document_id,
                           level=level if level != "task" else None)
    return _render(request, "network.html", net=net, drawing=views.network_drawing(net),
                   ranked=views.ranked(net.nodes.data, centrality), centrality=centrality,
                   centralities=views.CENTRALITIES, min_weight=min_weight, topic=topic_name, document=document_id,
                   level=level, documents=documents, topics=topics, source=source, touching=touching)


@router.get("/diff/{old}/{new}", include_in_schema=False)
def diff(request: Request, store: StoreDep, old: Text, new: Text) -> HTMLResponse:
    """What changed from one plan to another: tasks added, dropped and continued, and each agency's load."""
    try:
        changes = answers.compare_documents(store, old, new)
    except ApiError as e:
        return _error(request, e)
    return _render(request, "diff.html", diff=changes)
