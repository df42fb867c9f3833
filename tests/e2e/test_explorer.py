"""The explorer (/explore) in headless Chromium, on both stores, as a person uses it.

One `policykg serve` per store for the whole module (the embedded store over source_text/, and Neo4j
loaded with the same plan), one browser (test_browser's fixture). Every page is checked against the JSON
the same server answers, which is what the page says feeds it; no page may fetch anything from outside
127.0.0.1 (``local_page`` fails the test if one tries). The embedded run takes the README's pictures
(POLICYKG_UPDATE_SCREENSHOTS=1 writes them to docs/). A few checks that need no browser (links between
plans of a series, the error page, overlapping marks) run in process at the end.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import neo4j
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from api.app import create_app
from api.explorer.views import Mark, highlight
from api.settings import Settings
from api.stores.memory import MemoryStore
from graph_loader import Plan, parse_file
from graph_loader.loader import load_plans, wipe_database

from ..conftest import ROOT, neo4j_auth, neo4j_uri, user_env  # noqa: TID252
from .test_browser import browser, local_page, screenshot, served  # noqa: F401  (browser: the module's Chromium)

SERIES = ROOT / "tests" / "graph_loader" / "series"
DOCUMENT = "青岛-2025-数字青岛行动方案"


@dataclass(frozen=True)
class Site:
    url: str
    store: str

    def json(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + quote(path, safe="/?&=%:"), timeout=30) as r:
            return json.loads(r.read())

    def pictures(self) -> bool:
        """The README's pictures come from the embedded run (one set of files, whichever store ran last)."""
        return self.store == "embedded"


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def site(request: pytest.FixtureRequest, plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if request.param == "neo4j":
        driver: neo4j.Driver = request.getfixturevalue("neo4j_driver")
        wipe_database(driver)
        load_plans(driver, [plan])
        user, password = neo4j_auth()
        env = user_env(NEO4J_URI=neo4j_uri(), NEO4J_USER=user, NEO4J_PASSWORD=password)
    else:
        env = user_env()
    with served(env, tmp_path_factory.mktemp("explorer") / "serve.log") as url:
        yield Site(url, request.param)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    with local_page(browser) as p:
        yield p


def _path(*parts: str) -> str:
    return "/".join(quote(p, safe="") for p in parts)


def _ready(page: Page) -> int:
    """Waits for the drawing to settle; the number of nodes it drew."""
    expect(page.locator("#graph")).to_have_attribute("data-ready", "true")
    return int(page.evaluate("window.policykgGraph.nodes.length"))


# -- in the browser ---------------------------------------------------------------------------------------------


@pytest.mark.timeout(180)
def test_home_counts_and_search(site: Site, page: Page, plan: Plan) -> None:
    page.goto(f"{site.url}/explore")
    expect(page).to_have_title("Documents · policykg explorer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is responsible for what")
    counts = {k: page.locator(f"#count-{k}").inner_text() for k in ("documents", "agencies", "tasks", "measures",
                                                                      "goals", "topics")}
    assert counts == {
        "documents": "1", "agencies": str(site.json("/agencies?limit=1")["count"]), "tasks": str(len(plan.tasks)),
        "measures": str(len(plan.measures())), "goals": str(sum(len(t.goals) for t in plan.tasks)),
        "topics": str(site.json("/topics")["count"]),
    }
    row = page.locator(f"tr[data-document='{DOCUMENT}']")
    expect(row).to_contain_text("青岛-数字青岛行动方案")  # the series
    expect(row).to_contain_text("2025")
    expect(page.locator("footer a[href='/documents?limit=100']")).to_have_count(1)

    # One labelled box for agencies, topics and tasks; Traditional script and a jurisdiction in front resolve.
    box = page.get_by_label("Search agencies, tasks and topics")
    for typed in ("市大數據局", "青岛市大数据局"):
        box.fill(typed)
        box.press("Enter")
        expect(page).to_have_title(f"Search: {typed} · policykg explorer")
        expect(page.locator("p.found a").first).to_have_text("市大数据局")
        box = page.get_by_label("Search agencies, tasks and topics")
    box.fill("人工智能")
    box.press("Enter")
    expect(page.locator("#found-topic + p.found")).to_contain_text(f"{site.json('/tasks?topic=人工智能')['count']} tasks")
    expect(page.locator("#task-count")).to_have_text(str(site.json(f"/tasks?q={quote('人工智能')}")["count"]))
    page.get_by_role("link", name=re.compile(r"^42\. 新型算力基础设施")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("42. 新型算力基础设施")


@pytest.mark.timeout(180)
def test_network_to_agency_to_task(site: Site, page: Page, plan: Plan) -> None:
    network = site.json("/network")
    page.goto(f"{site.url}/explore/network")
    expect(page).to_have_title("Co-responsibility network · policykg explorer")
    assert _ready(page) == network["nodes"]["count"] == len(network["nodes"]["data"])
    assert page.evaluate("window.policykgGraph.edges.length") == network["edges"]["count"]
    expect(page.locator("#node-table tbody tr")).to_have_count(network["nodes"]["count"])
    top = network["nodes"]["data"][0]  # by betweenness: the table's first row too
    expect(page.locator("#node-table tbody tr").first.locator("a")).to_have_text(top["name"])
    if site.pictures():
        screenshot(page, "explorer-network.png")

    # Node size follows the chosen centrality without a reload.
    page.get_by_label("Node size").select_option("degree")
    me = "青岛:市大数据局"
    size = page.evaluate("id => window.policykgGraph.nodes.get(id).value", me)
    assert size == next(n["degree"] for n in network["nodes"]["data"] if n["id"] == me)

    # A click on the node opens the agency.
    at = page.evaluate("""id => {
        const net = window.policykgGraph.network, p = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.getElementById('graph').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""", me)
    page.mouse.click(at["x"], at["y"])
    expect(page).to_have_url(f"{site.url}/explore/agencies/{_path(me)}")
    agency = site.json(f"/agencies/{_path(me)}?limit=1000")
    partners = site.json(f"/agencies/{_path(me)}/partners?limit=1000")
    expect(page).to_have_title("市大数据局 · policykg explorer")
    assert (page.locator("#count-led").inner_text(), page.locator("#count-supported").inner_text()) == (
        str(agency["tasks_led"]), str(agency["tasks_supported"]))
    expect(page.locator("#tasks-led li")).to_have_count(agency["tasks_led"])
    expect(page.locator("#tasks-supported li")).to_have_count(agency["tasks_supported"])
    assert _ready(page) == partners["count"] + 1  # its ego network: itself and its partners
    first = page.locator("#partners-task-table tbody tr").first
    expect(first).to_contain_text(partners["data"][0]["agency"]["name"])  # 市工业和信息化局, 4 shared tasks
    expect(first.locator("td").first).to_have_text(str(partners["data"][0]["shared_tasks"]))
    expect(page.locator("#partners-measure-table tbody tr")).to_have_count(
        site.json(f"/agencies/{_path(me)}/partners?limit=1000&level=measure")["count"])

    # And on to a task it leads.
    led = next(t for t in agency["task_list"]["data"] if t["role"] == "lead")
    page.locator("#tasks-led a").first.click()
    expect(page).to_have_url(f"{site.url}/explore/tasks/{_path(led['id'])}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{led['number']}. {led['title']}")


@pytest.mark.timeout(120)
def test_network_of_a_topic(site: Site, page: Page) -> None:
    tasks = site.json(f"/tasks?topic={quote('人工智能')}&limit=1000")["data"]
    owners = {o["agency"]["id"] for t in tasks for o in t["owners"] if not o["agency"]["generic"]}
    page.goto(f"{site.url}/explore/network")
    page.get_by_label("Topic", exact=True).select_option("人工智能")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"topic=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD"))
    assert _ready(page) == len(owners)
    assert set(page.evaluate("window.policykgGraph.nodes.getIds()")) == owners
    expect(page.locator("#network-summary")).to_contain_text(f"in the {len(tasks)} tasks touching 人工智能")


@pytest.mark.timeout(180)
def test_task_shows_each_fact_at_its_span(site: Site, page: Page, plan_source: str) -> None:
    task_id = f"{DOCUMENT}:t42"
    task = site.json(f"/tasks/{_path(task_id)}")
    page.goto(f"{site.url}/explore/tasks/{_path(task_id)}")
    expect(page).to_have_title("42. 新型算力基础设施 · policykg explorer")
    source = page.locator("#source-text")
    expect(source).to_have_text(task["source_text"])

    def marked(kind: str) -> list[tuple[str | None, str]]:
        return [(m.get_attribute("data-span"), m.text_content() or "") for m in source.locator(f"mark.{kind}").all()]

    owners = [o["span"] for m in task["measures"] for o in m["owners"]]
    assert marked("owner") == [(f"{s}-{e}", plan_source[s:e]) for s, e in owners]
    assert [text for _, text in marked("owner")] == ["市工业和信息化局", "市大数据局"]
    assert marked("goal") == [(f"{s}-{e}", plan_source[s:e]) for s, e in (g["span"] for g in task["goals"])]
    terms = {term for t in task["topic_matches"] for term in t["terms"]}
    topics = {text for _, text in marked("topic")}
    assert {"大模型", "算法"} <= terms and {"大模型", "算法"} <= topics
    assert all(any(term in text for term in terms) for text in topics)
    rows = page.locator("#measure-1 table.owners tbody tr")
    expect(rows).to_have_count(len(task["measures"][0]["owners"]))
    expect(rows.first).to_contain_text("市工业和信息化局")
    expect(rows.first).to_contain_text("lead")
    expect(page.locator(f"footer a[href='/tasks/{_path(task_id)}']")).to_have_count(1)
    if site.pictures():
        box = page.locator("main").bounding_box()
        assert box is not None
        screenshot(page, "explorer-task.png", clip={**box, "height": min(box["height"], 900)})


@pytest.mark.timeout(120)
def test_diff_of_a_plan_with_itself(site: Site, page: Page, plan: Plan) -> None:
    diff = site.json(f"/documents/{_path(DOCUMENT)}/diff/{_path(DOCUMENT)}")
    page.goto(f"{site.url}/explore/diff/{_path(DOCUMENT)}/{_path(DOCUMENT)}")
    counts = [page.locator(f"#count-{k}").inner_text() for k in ("added", "dropped", "continued", "changed")]
    assert counts == ["0", "0", str(len(plan.tasks)), "0"] == [
        str(len(diff["added"])), str(len(diff["dropped"])), str(len(diff["continued"])), "0"]


# -- in process: what needs a second plan of the series, and the pieces ----------------------------------------


@pytest.fixture(scope="module")
def series_client(plan: Plan) -> Iterator[TestClient]:
    store = MemoryStore.from_plans([parse_file(SERIES / "digital-qingdao-2024.txt"), plan])
    with TestClient(create_app(Settings(), store)) as c:
        yield c


def test_the_network_of_a_topic_weighs_only_its_tasks(series_client: TestClient, plan: Plan) -> None:
    page = series_client.get(f"/explore/network?topic={quote('人工智能')}&document={quote(DOCUMENT)}").text
    drawn = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)[1])
    ai = [t for t in plan.tasks if any(x.name == "人工智能" for x in t.topics)]
    owners = {t.number: sorted({a.agency_id for m in t.measures for a in m.agencies if not a.generic}) for t in ai}
    pairs: dict[tuple[str, str], int] = {}
    for ids in owners.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                pairs[(a, b)] = pairs.get((a, b), 0) + 1
    assert {n["id"] for n in drawn["nodes"]} == {a for ids in owners.values() for a in ids}
    assert {(e["from"], e["to"]): e["weight"] for e in drawn["edges"]} == pairs
    assert f"in the {len(ai)} tasks touching 人工智能" in page


def test_home_links_each_plan_to_the_year_before(series_client: TestClient) -> None:
    home = series_client.get("/explore").text
    old = "青岛-2024-数字青岛行动方案"
    link = f'href="/explore/diff/{_path(old)}/{_path(DOCUMENT)}"'
    assert link in home and home.count('class="diff-link"') == 1
    diff = series_client.get(f"/documents/{_path(old)}/diff/{_path(DOCUMENT)}").json()
    page = series_client.get(f"/explore/diff/{_path(old)}/{_path(DOCUMENT)}").text
    assert f'<dd id="count-added">{len(diff["added"])}</dd>' in page
    assert f'<dd id="count-dropped">{len(diff["dropped"])}</dd>' in page
    changed = [c for c in diff["continued"] if c["changed"]]
    assert changed and f'<dd id="count-changed">{len(changed)}</dd>' in page
    assert all(f"/explore/tasks/{_path(c['new']['id'])}" in page for c in changed)


def test_an_unknown_agency_is_a_page_with_suggestions(series_client: TestClient) -> None:
    r = series_client.get("/explore/agencies/工信局")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "<title>404 not found" in r.text
    assert f'href="/explore/agencies/{_path("青岛:市工业和信息化局")}"' in r.text


def test_marks_nest_topic_terms_inside_goals() -> None:
    text = "智能算力占比达35%(市大数据局)"
    blocks = highlight(text, 100, [
        Mark(100, 110, "goal", "goal"), Mark(100, 104, "topic", "人工智能: 智能算力"),
        Mark(102, 104, "topic", "人工智能: 算力"), Mark(111, 116, "owner", "市大数据局 (lead)"),
    ])
    assert [(b.kind, "".join(p.text for p in b.parts)) for b in blocks] == [
        ("goal", "智能算力占比达35%"), (None, "("), ("owner", "市大数据局"), (None, ")")]
    assert [(p.text, p.topic) for p in blocks[0].parts] == [
        ("智能算力", "人工智能: 智能算力; 人工智能: 算力"), ("占比达35%", None)]
    assert "".join(p.text for b in blocks for p in b.parts) == text


def test_static_files_are_ours_or_the_pinned_package(series_client: TestClient) -> None:
    vis = series_client.get("/explore/static/vis-network.min.js")
    assert vis.status_code == 200 and b"@version 9.1.2" in vis.content[:400]
    assert series_client.get("/explore/static/../app.py").status_code == 404
    assert Path(ROOT / "api" / "explorer" / "static" / "explorer.js").read_text().count("http") == 0
