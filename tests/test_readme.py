"""Every command the README prints works as printed, and answers what the README says it answers.

The README's ``sh`` blocks are read line by line; each command must have a check
here (a new command without one fails the suite), and each check runs the line
as a user would: the curls against `make run` serving on a free port
(POLICYKG_PORT; the README's 8000 swapped for it), the CLI lines in the
repository with a shell. Its ``cypher`` blocks run against the suite's Neo4j
holding the seed plan.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import neo4j
import pytest

from graph_loader import Plan
from graph_loader.formats import loads
from graph_loader.loader import load_plans

from .conftest import ROOT, co_responsible_pairs, free_port, label_counts, neo4j_uri

README = (ROOT / "README.md").read_text(encoding="utf-8")
README_BASE = "http://127.0.0.1:8000"
MAKE_TEST = "make test"  # what CI runs: this suite itself
BIG_DATA = "青岛:市大数据局"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, re.M | re.S)


def _commands() -> list[str]:
    """Each command line of the README's sh blocks, without its comment, as the shell would read it."""
    commands = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words:
                commands.append(shlex.join(words))
    return commands



def _env(**extra: str) -> dict[str, str]:
    """The user's environment: no NEO4J_URI or store settings of ours, except what names the suite's Neo4j."""
    kept = ("POLICYKG_CACHE_DIR", "POLICYKG_NEO4J_BOLT_PORT", "POLICYKG_NEO4J_HTTP_PORT", "NEO4J_PASSWORD")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "POLICYKG_")) or k in kept}
    return env | extra


def _shell(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, shell=True, cwd=ROOT, env=_env(**env), capture_output=True, text=True,
                          timeout=300, check=False)


@contextlib.contextmanager
def _serving(command: str, port: int, **env: str) -> Iterator[str]:
    """``command`` run by a shell in its own process group, until /health answers; the group stopped after."""
    proc = subprocess.Popen(command, shell=True, cwd=ROOT, env=_env(POLICYKG_PORT=str(port), **env),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # `make run` may install first
        while True:
            assert proc.poll() is None, f"{command} exited: {proc.stdout.read() if proc.stdout else ''}"
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            assert time.monotonic() < deadline, f"{command} did not answer within 300 s"
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# -- the curls, against `make run` ----------------------------------------------------------------------------

CurlCheck = Callable[[Any], None]


def _partners(body: Any) -> None:
    assert [p["agency"]["name"] for p in body["data"]][:1] == ["市工业和信息化局"] and len(body["data"]) == 3
    assert body["data"][0]["shared_tasks"] == 4


def _ai_tasks(body: Any) -> None:
    assert body["count"] == 13
    assert [t["number"] for t in body["data"]] == [2, 3, 10, 15, 16, 20, 27, 30, 31, 32, 36, 37, 42]


def _task_3(body: Any) -> None:
    assert (body["number"], body["title"]) == (3, "产业集群培育")
    assert len(body["measures"]) == 2
    assert body["measures"][0]["owners"][0]["agency"]["name"] == "市工业和信息化局"


def _abbreviation(body: Any) -> None:
    assert body["error"]["status"] == 404
    assert body["error"]["details"]["suggestions"][0]["name"] == "市工业和信息化局"


CURLS: dict[str, CurlCheck] = {
    "/agencies/市大数据局/partners?limit=3": _partners,
    "topic=人工智能": _ai_tasks,
    "/tasks/数字青岛2025年行动方案/3": _task_3,
    "/agencies/工信局": _abbreviation,
}


@pytest.fixture(scope="module")
def make_run() -> Iterator[str]:
    with _serving("make run", free_port()) as base:
        yield base


def _curl_lines() -> list[str]:
    return [c for c in _commands() if c.startswith("curl ")]


@pytest.mark.parametrize("command", _curl_lines())
def test_each_curl_answers_as_the_readme_says(make_run: str, command: str) -> None:
    (key,) = [k for k in CURLS if k in command]
    done = subprocess.run(shlex.split(command.replace(README_BASE, make_run)), capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    CURLS[key](json.loads(done.stdout))


def test_the_front_page_points_to_the_docs(make_run: str) -> None:
    index = httpx.get(f"{make_run}/").json()
    assert index["docs"] == "/docs"
    assert httpx.get(f"{make_run}{index['docs']}").status_code == 200
    assert "/tasks/{document}/{number}" in index["questions"].values()


# -- the command lines, in the repository -----------------------------------------------------------------------


def _parse_summary(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    assert "7 projects, 20 sections, 54 tasks, 69 measures, 59 agencies" in done.stdout


def _parse_json(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["document"]["title"] == "数字青岛2025年行动方案" and len(out["tasks"]) == 54


def _check(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    # The one finding left on the seed: task 51 (人才保障) names no topic's domain (see topics.toml).
    assert done.stdout.splitlines()[-1] == "source_text/digital-qingdao-2025.txt: 1 finding(s): 1 no-topic"
    assert ":87:1: no-topic: task 51 " in done.stdout


def _neo4j_start(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Neo4j 5.26.30 running (pid ")
    assert f"{neo4j_uri()}, Browser http://127.0.0.1:" in done.stdout


def _export_network(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    written = ROOT / "network.gexf"
    try:
        graph = loads(written.read_bytes(), "gexf")
    finally:
        written.unlink()
    assert graph.number_of_nodes() == 59 and graph.number_of_edges() == 252
    assert done.stderr.strip() == "59 nodes, 252 edges -> network.gexf"


def _diff_files(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    title, summary, *_ = done.stdout.splitlines()
    assert title == "数字青岛2024年行动方案 (青岛-2024-数字青岛行动方案) → 数字青岛2025年行动方案 (青岛-2025-数字青岛行动方案)"
    assert summary == "4 added, 3 dropped, 50 continued of which 15 changed"  # tests/graph_loader/series/README.md


def _diff_loaded(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    changes = json.loads(done.stdout)
    assert (changes["old"]["id"], changes["new"]["id"]) == ("青岛-2024-数字青岛行动方案", "青岛-2026-数字青岛行动方案")
    assert (len(changes["added"]), len(changes["dropped"]), len(changes["continued"])) == (7, 7, 46)


RUNS: dict[str, Callable[[subprocess.CompletedProcess[str]], None]] = {
    ".venv/bin/policykg diff tests/graph_loader/series/digital-qingdao-2024.txt source_text/digital-qingdao-2025.txt":
        _diff_files,
    # as shlex.join writes the README's line (it quotes the Chinese ids)
    "POLICYKG_SOURCE_DIR=tests/graph_loader/series .venv/bin/policykg diff '青岛-2024-数字青岛行动方案'"
    " '青岛-2026-数字青岛行动方案' -f json": _diff_loaded,
    ".venv/bin/policykg parse source_text/digital-qingdao-2025.txt": _parse_summary,
    ".venv/bin/policykg parse source_text/digital-qingdao-2025.txt -f json": _parse_json,
    ".venv/bin/policykg check source_text/digital-qingdao-2025.txt": _check,
    ".venv/bin/policykg neo4j start": _neo4j_start,
    ".venv/bin/policykg export network -f gexf -o network.gexf": _export_network,
}
LOAD = ".venv/bin/policykg load"
SERVE_ON_NEO4J = "NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/policykg serve"
SERVE_WORKERS = ".venv/bin/policykg serve --workers 2"
CHECKED_ELSEWHERE = {"make run": "the server the curls ask", MAKE_TEST: "the suite itself, in CI"}


def test_every_command_has_a_check() -> None:
    commands = _commands()
    checked = {*RUNS, LOAD, SERVE_ON_NEO4J, SERVE_WORKERS, *CHECKED_ELSEWHERE}
    assert [c for c in commands if not c.startswith("curl ") and c not in checked] == []
    assert [c for c in _curl_lines() if sum(k in c for k in CURLS) != 1] == []
    assert set(CURLS) <= {k for k in CURLS for c in _curl_lines() if k in c}, "a check whose curl is gone"
    assert {*RUNS, LOAD, SERVE_ON_NEO4J, SERVE_WORKERS} <= set(commands), "a check whose command is gone"


@pytest.mark.neo4j
@pytest.mark.parametrize("command", sorted(RUNS))
def test_each_command_line_works_as_printed(neo4j_driver: neo4j.Driver, command: str) -> None:
    RUNS[command](_shell(command))


@pytest.mark.neo4j
def test_load_then_serve_on_neo4j(empty_neo4j: neo4j.Driver) -> None:
    loaded = _shell(LOAD)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("1 loaded, 0 unchanged (") and loaded.stdout.strip().endswith(neo4j_uri())
    assert label_counts(empty_neo4j)["Task"] == 54
    # The README names the default Bolt port; the suite's Neo4j may listen on another (POLICYKG_NEO4J_BOLT_PORT).
    command = SERVE_ON_NEO4J.replace("bolt://127.0.0.1:7687", neo4j_uri())
    with _serving(command, free_port()) as base:
        health = httpx.get(f"{base}/health").json()
        assert (health["store"], health["reachable"], health["documents"]) == ("neo4j", True, 1)
        partners = httpx.get(f"{base}/agencies/市大数据局/partners", params={"limit": 1}).json()
        assert partners["data"][0]["agency"]["name"] == "市工业和信息化局"


def test_serve_with_two_workers() -> None:
    with _serving(SERVE_WORKERS, free_port()) as base:
        answers = [httpx.get(f"{base}/health").json() for _ in range(4)]
    assert answers == [{"store": "memory", "reachable": True, "documents": 1,
                        "detail": "embedded store, 1 plan(s) from source_text/"}] * 4


# -- the Cypher a Browser user pastes -------------------------------------------------------------------------


@pytest.mark.neo4j
def test_each_cypher_block_runs_in_the_browser_as_pasted(empty_neo4j: neo4j.Driver, plan: Plan) -> None:
    load_plans(empty_neo4j, [plan])
    blocks = _blocks("cypher")
    assert len(blocks) == 2
    paths, _, _ = empty_neo4j.execute_query(blocks[0])
    heavy = {b if a == BIG_DATA else a for (a, b), tasks in co_responsible_pairs([plan]).items()
             if BIG_DATA in (a, b) and len(tasks) >= 2}
    assert {p["p"].end_node["id"] for p in paths} == heavy and len(heavy) == 4
    assert {p["p"].start_node["id"] for p in paths} == {BIG_DATA}
    hits, _, _ = empty_neo4j.execute_query(blocks[1])
    task_names = {h["node.name"] for h in hits if re.match(r"\d+\. ", h["node.name"])}
    assert task_names == {f"{t.number}. {t.title}" for t in plan.tasks if "大模型" in t.text}
    assert len(task_names) == 6
