"""End to end, as a person sees it: Neo4j Browser runs a saved query, Swagger UI calls the API.

Headless Chromium from Debian (``scripts/install-browser``; ``make install`` runs it) is driven
by Playwright through ``/usr/bin/chromium`` — no downloaded browser build. A missing Chromium
fails the tests; it never skips them. Each test takes the screenshot the README shows; with
POLICYKG_UPDATE_SCREENSHOTS=1 it replaces ``docs/neo4j-browser.png`` and ``docs/api-docs.png``
(otherwise it writes to a temporary folder, so a test run leaves the checkout clean).

The browser stays on this machine: requests to any other host are aborted. That is also the
proof that ``/docs`` works offline (Swagger UI is served by the app, not a CDN).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
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
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
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


def _stay_local(route: Route) -> None:
    url = urlsplit(route.request.url)
    if url.hostname in LOCAL_HOSTS:
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    context.route("**/*", _stay_local)
    yield context.new_page()
    context.close()


def _screenshot(page: Page, name: str, clip: FloatRect | None = None) -> Path:
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


@pytest.mark.neo4j
@pytest.mark.timeout(180)
def test_neo4j_browser_runs_a_saved_query(empty_neo4j: neo4j.Driver, plan: Plan, page: Page) -> None:
    load_plans(empty_neo4j, [plan])
    saved = (CYPHER_DIR / "browser" / "shared_tasks.cypher").read_text(encoding="utf-8")
    bolt = urlsplit(neo4j_uri())
    user, password = neo4j_auth()

    page.goto(_neo4j_browser_url())
    page.get_by_test_id("bolt-scheme-select").select_option(f"{bolt.scheme}://")
    page.get_by_test_id("boltaddress").fill(bolt.netloc)
    page.get_by_test_id("username").fill(user)
    page.get_by_test_id("password").fill(password)
    page.get_by_test_id("connect").click()
    expect(page.get_by_test_id("main")).to_contain_text(f"You are connected as user {user}")

    # Pasted, as the file's header says to: typing would set off the editor's autocompletion.
    page.get_by_test_id("activeEditor").click()
    page.keyboard.insert_text(saved)
    page.get_by_test_id("editor-Run").click()

    frame = page.get_by_test_id("frame").filter(has=page.get_by_test_id("frameCommand").filter(has_text="shared_tasks"))
    expect(frame.get_by_test_id("frameStatusbar")).to_contain_text("25 records")
    table = frame.get_by_test_id("frameContents")
    expect(table).to_contain_text("市大数据局")
    pair = table.get_by_role("row").filter(has_text="市大数据局").filter(has_text="市工业和信息化局")
    expect(pair).to_contain_text(str(_shared_tasks(plan, "市大数据局", "市工业和信息化局")))  # "[1, 19, 42, 51]"
    _screenshot(page, "neo4j-browser.png")


# -- Swagger UI of the API ----------------------------------------------------------------------



@pytest.fixture
def api_url(tmp_path: Path) -> Iterator[str]:
    """`policykg serve` (uvicorn) in a subprocess on a free port, over the embedded store."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    env["POLICYKG_SOURCE_DIR"] = str(ROOT / "source_text")
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
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
    _screenshot(page, "api-docs.png", clip={"x": 0, "y": top, "width": VIEWPORT["width"], "height": bottom - top})
