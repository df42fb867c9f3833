"""End to end, as a person sees it: Neo4j Browser runs a saved query, Swagger UI calls the API.

Headless Chromium from Debian (``scripts/install-browser``; ``make install`` runs it) is driven
by Playwright through ``/usr/bin/chromium`` — no downloaded browser build. A missing Chromium
fails the tests; it never skips them. Each test takes the screenshot the README shows; with
POLICYKG_UPDATE_SCREENSHOTS=1 it replaces ``docs/neo4j-browser.png`` and ``docs/api-docs.png``
(otherwise it writes to a temporary folder, so a test run leaves the checkout clean).

The browser stays on this machine: requests to any host but 127.0.0.1 are aborted, and a test
that attempted one fails. That is also the proof that ``/docs`` works offline (Swagger UI is
served by the app, not a CDN). tests/e2e/test_explorer.py reuses these fixtures and helpers.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import neo4j
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    FloatRect,
    Page,
    Route,
    ViewportSize,
    expect,
    sync_playwright,
)

from graph_loader import Plan
from graph_loader.cypher import CYPHER_DIR
from graph_loader.loader import load_plans

from ..conftest import ROOT, free_port, local_neo4j, neo4j_auth, neo4j_uri  # noqa: TID252  (importlib mode resolves the package-less tests dir)

CHROMIUM = Path("/usr/bin/chromium")
# Known to work headless as root here; without the background-networking ones Chromium's own
# calls home fail en masse and slow everything down.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
DOCS_DIR = ROOT / "docs"
LOCAL_HOST = "127.0.0.1"
UI_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is required at {CHROMIUM} for the end-to-end tests; install it with scripts/install-browser",
            pytrace=False,
        )
    with sync_playwright() as p:
        # Playwright gives each launch a fresh, temporary --user-data-dir.
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True, timeout=60_000)
        yield b
        b.close()


class StayLocal:
    """Routes every request: to 127.0.0.1 it goes on, anything else is aborted and remembered."""

    def __init__(self) -> None:
        self.elsewhere: list[str] = []

    def __call__(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == LOCAL_HOST or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.elsewhere.append(url)
            route.abort()


@contextlib.contextmanager
def local_page(browser: Browser, *, strict: bool = True) -> Iterator[Page]:
    """A page in a fresh context that may fetch from 127.0.0.1 only; ``strict``: fails the test if it tried
    anything else."""
    context: BrowserContext = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    stay = StayLocal()
    context.route("**/*", stay)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not strict or stay.elsewhere == [], f"the page tried to fetch from outside {LOCAL_HOST}: {stay.elsewhere}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with local_page(browser) as p:
        yield p


def screenshot(page: Page, name: str, clip: FloatRect | None = None) -> Path:
    folder = DOCS_DIR if os.environ.get("POLICYKG_UPDATE_SCREENSHOTS") == "1" else Path(tempfile.mkdtemp())
    folder.mkdir(exist_ok=True)
    path = folder / name
    page.screenshot(path=path, clip=clip, full_page=clip is not None)
    assert path.stat().st_size < 500_000
    return path


def _shared_tasks(plan: Plan, a: str, b: str) -> list[int]:
    """Numbers of the tasks both agencies are responsible for, as the plan says."""
    return [t.number for t in plan.tasks if {a, b} <= {x.name for m in t.measures for x in m.agencies}]


# -- Neo4j Browser ------------------------------------------------------------------------------


def _neo4j_browser_url() -> str:
    info = local_neo4j().status()
    if info is None:
        pytest.fail(
            "the local Neo4j server (policykg neo4j) is not running and its Browser is what this test "
            "drives; start it with `.venv/bin/policykg neo4j start` (make test does this)",
            pytrace=False,
        )
    return f"{info.http_url}/browser/"


@pytest.fixture
def neo4j_page(browser: Browser) -> Iterator[Page]:
    """A page for Neo4j Browser. Its bundle calls out (web fonts, telemetry, its docs' widgets): those requests
    are aborted like any other outside 127.0.0.1, but they are the Browser's, so they do not fail the test."""
    with local_page(browser, strict=False) as p:
        yield p


def _connect(page: Page) -> None:
    bolt = urlsplit(neo4j_uri())
    user, password = neo4j_auth()
    page.goto(_neo4j_browser_url())
    page.get_by_test_id("bolt-scheme-select").select_option(f"{bolt.scheme}://")
    page.get_by_test_id("boltaddress").fill(bolt.netloc)
    page.get_by_test_id("username").fill(user)
    page.get_by_test_id("password").fill(password)
    page.get_by_test_id("connect").click()
    expect(page.get_by_test_id("main")).to_contain_text(f"You are connected as user {user}")


def _run(page: Page, command: str) -> None:
    # Pasted, as the files' headers say to: typing would set off the editor's autocompletion.
    page.get_by_test_id("activeEditor").click()
    page.keyboard.insert_text(command)
    page.get_by_test_id("editor-Run").click()


def _saved(name: str) -> str:
    return (CYPHER_DIR / "browser" / f"{name}.cypher").read_text(encoding="utf-8")


@pytest.mark.neo4j
@pytest.mark.timeout(180)
def test_neo4j_browser_runs_a_saved_query(empty_neo4j: neo4j.Driver, plan: Plan, neo4j_page: Page) -> None:
    page = neo4j_page
    load_plans(empty_neo4j, [plan])
    _connect(page)
    _run(page, _saved("shared_tasks"))

    frame = page.get_by_test_id("frame").filter(has=page.get_by_test_id("frameCommand").filter(has_text="shared_tasks"))
    expect(frame.get_by_test_id("frameStatusbar")).to_contain_text("25 records")
    table = frame.get_by_test_id("frameContents")
    expect(table).to_contain_text("市大数据局")
    pair = table.get_by_role("row").filter(has_text="市大数据局").filter(has_text="市工业和信息化局")
    expect(pair).to_contain_text(str(_shared_tasks(plan, "市大数据局", "市工业和信息化局")))  # "[1, 19, 42, 51]"
    screenshot(page, "neo4j-browser.png")


def _close_partners(plan: Plan, name: str, at_least: int) -> dict[str, list[int]]:
    """The agencies sharing at least ``at_least`` tasks with ``name``, and those tasks' numbers, as the plan says."""
    owners = {x.name for t in plan.tasks for m in t.measures for x in m.agencies if not x.generic} - {name}
    shared = {b: _shared_tasks(plan, name, b) for b in owners}
    return {b: tasks for b, tasks in shared.items() if len(tasks) >= at_least}


@pytest.mark.neo4j
def test_graph_queries_return_the_paths_the_plan_says(empty_neo4j: neo4j.Driver, plan: Plan) -> None:
    load_plans(empty_neo4j, [plan])
    records, _, _ = empty_neo4j.execute_query(_saved("agency_shared_tasks"))
    close = _close_partners(plan, "市大数据局", 2)
    partners = {r["tie"].start_node["name"] for r in records} | {r["tie"].end_node["name"] for r in records}
    assert partners == {"市大数据局", *close}
    shown = {n["number"] for r in records for n in r["mine"].nodes if "Task" in n.labels}
    assert shown == {n for tasks in close.values() for n in tasks}  # {1, 15, 19, 36, 42, 51, 53}
    assert {r["tie"]["weight"] for r in records} == {len(t) for t in close.values()}

    records, _, _ = empty_neo4j.execute_query(_saved("ai_task_owners"))
    task42 = plan.tasks[41]
    owners = {(a.name, a.role) for m in task42.measures for a in m.agencies}
    assert {(r["p"].nodes[-1]["name"], r["p"].relationships[-1]["role"]) for r in records} == owners
    assert {r["p"].nodes[0]["name"] for r in records} == {"人工智能"}
    assert {r["goal"].end_node["text"] for r in records if r["goal"]} == {g.text for g in task42.goals}


@pytest.mark.neo4j
@pytest.mark.timeout(180)
def test_neo4j_browser_draws_shared_tasks_in_our_style(empty_neo4j: neo4j.Driver, plan: Plan, neo4j_page: Page) -> None:
    page = neo4j_page
    load_plans(empty_neo4j, [plan])
    _connect(page)
    # The style as a user applies it: `:style` and the file (dragging the file onto the window does the same).
    _run(page, ":style " + (CYPHER_DIR / "browser" / "style.grass").read_text(encoding="utf-8"))
    expect(page.get_by_test_id("frame").first).not_to_contain_text("InvalidGrassError")
    _run(page, _saved("agency_shared_tasks"))

    frame = page.get_by_test_id("frame").filter(
        has=page.get_by_test_id("frameCommand").filter(has_text="agency_shared_tasks"))
    close = _close_partners(plan, "市大数据局", 2)
    tasks = {n for numbers in close.values() for n in numbers}
    expect(frame.get_by_test_id("property-details-overview-node-label-Agency")).to_have_text(f"Agency ({len(close) + 1})")
    expect(frame.get_by_test_id("property-details-overview-node-label-Task")).to_have_text(f"Task ({len(tasks)})")
    graph = frame.locator("svg")
    expect(graph.locator("g.node")).to_have_count(len(close) + 1 + len(tasks) + _measures_shown(plan, close))
    # Our style, not the Browser's defaults: agencies in their colour with their Chinese names, CO_RESPONSIBLE
    # captioned with its weight.
    agency = graph.locator("g.node").filter(has_text="市大数据局").locator("circle.b-outline")
    expect(agency).to_have_attribute("fill", "#C990C0")
    captions = graph.locator("g.relationship text").all_text_contents()
    assert str(len(close["市工业和信息化局"])) in captions and "lead" in captions
    page.wait_for_timeout(1500)  # for the picture only: the force layout settles
    box = frame.bounding_box()
    assert box is not None
    screenshot(page, "neo4j-browser-graph.png", clip=box)


def _measures_shown(plan: Plan, close: dict[str, list[int]]) -> int:
    """Measures on the paths: those of the shared tasks naming 市大数据局 or one of its close partners."""
    names = {"市大数据局", *close}
    numbers = {n for tasks in close.values() for n in tasks}
    return sum(1 for t in plan.tasks if t.number in numbers for m in t.measures
               if names & {a.name for a in m.agencies})


# -- Swagger UI of the API ----------------------------------------------------------------------



@contextlib.contextmanager
def served(env: Mapping[str, str], log_path: Path) -> Iterator[str]:
    """`policykg serve` (uvicorn) in a subprocess on a free port with ``env``; its base URL once /health answers."""
    port = free_port()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--host", LOCAL_HOST, "--port", str(port)],
            cwd=ROOT, env=dict(env), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://{LOCAL_HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`policykg serve` did not come up on {url}:\n{log_path.read_text()}", pytrace=False)
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture
def api_url(tmp_path: Path) -> Iterator[str]:
    """`policykg serve` over the embedded store (source_text/)."""
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    env["POLICYKG_SOURCE_DIR"] = str(ROOT / "source_text")
    with served(env, tmp_path / "serve.log") as url:
        yield url


@pytest.mark.timeout(180)
def test_swagger_ui_calls_partners(api_url: str, page: Page, plan: Plan) -> None:
    page.goto(f"{api_url}/docs")
    op = page.locator("#operations-agencies-partners_agencies__agency__partners_get")
    op.locator(".opblock-summary").click()
    op.get_by_role("button", name="Try it out").click()
    op.locator("input[placeholder='agency']").fill("市大数据局")
    op.get_by_role("button", name="Execute").click()

    live = op.locator(".live-responses-table")
    expect(live.locator("tr.response .response-col_status")).to_have_text("200")
    body = live.locator("tr.response pre.microlight").filter(has_text='"data"')
    expect(body).to_contain_text("市工业和信息化局")
    partners = json.loads(body.inner_text())["data"]
    # The plan's strongest partner of 市大数据局: it shares the most tasks with 市工业和信息化局.
    shared = _shared_tasks(plan, "市大数据局", "市工业和信息化局")
    assert (partners[0]["agency"]["name"], partners[0]["shared_tasks"]) == ("市工业和信息化局", len(shared))
    assert [t["number"] for t in partners[0]["tasks"]] == shared
    # The picture: from the endpoint's title and the agency typed to the first partner answered.
    top = op.evaluate("e => e.getBoundingClientRect().top + window.scrollY") - 8
    bottom = body.evaluate("e => e.getBoundingClientRect().top + window.scrollY") + 160
    screenshot(page, "api-docs.png", clip={"x": 0, "y": top, "width": VIEWPORT["width"], "height": bottom - top})
