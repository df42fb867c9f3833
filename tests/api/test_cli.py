"""Every `policykg` command run as users run it: parse, serve over real HTTP, export, load."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import neo4j
import pytest
from typer.testing import CliRunner

from api.cli import app
from graph_loader.formats import loads

from ..conftest import PLAN_FILE, ROOT, free_port, label_counts, neo4j_uri, user_env  # noqa: TID252

POLICYKG = Path(sys.executable).with_name("policykg")




def test_serve_answers_over_http() -> None:
    port = free_port()
    proc = subprocess.Popen([str(POLICYKG), "serve", "--port", str(port)], env=user_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                health = httpx.get(f"{base}/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "policykg serve did not answer within 60 s"
                time.sleep(0.2)
        assert health.json()["store"] == "memory" and health.json()["reachable"] is True
        partners = httpx.get(f"{base}/agencies/市大数据局/partners", params={"limit": 1}).json()
        assert partners["data"][0]["agency"]["name"] == "市工业和信息化局"
        assert partners["data"][0]["shared_tasks"] == 4
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert "policykg: serving the memory store (embedded store, 1 plan(s)" in out
    assert f"listening on http://127.0.0.1:{port}" in out


def test_a_thousand_slow_sockets_do_not_stop_a_normal_client() -> None:
    port = free_port()
    proc = subprocess.Popen([str(POLICYKG), "serve", "--port", str(port)], env=user_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    slow: list[socket.socket] = []
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None
            try:
                httpx.get(f"{base}/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "policykg serve did not answer within 60 s"
                time.sleep(0.2)
        for _ in range(1000):  # each sends half a request's headers, then nothing
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /documents HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(sock)
        with httpx.Client(base_url=base, timeout=10) as client:
            took = []
            for _ in range(30):
                start = time.perf_counter()
                r = client.get("/agencies/市大数据局/partners", params={"limit": 1})
                took.append(time.perf_counter() - start)
                assert r.status_code == 200 and r.json()["data"][0]["shared_tasks"] == 4
        assert sorted(took)[len(took) // 2] < 0.5, took
    finally:
        for sock in slow:
            sock.close()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_serve_on_a_port_in_use_says_so_before_listening() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([str(POLICYKG), "serve", "--port", str(port)], env=user_env(), capture_output=True,
                              text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"policykg: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_serve_refuses_the_dev_password_for_a_remote_database() -> None:
    done = subprocess.run([str(POLICYKG), "serve"], env=user_env(NEO4J_URI="bolt://db.example:7687"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("policykg: NEO4J_PASSWORD is the development default")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in list(os.environ):
        if name.startswith(("NEO4J_", "POLICYKG_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("POLICYKG_SOURCE_DIR", str(ROOT / "source_text"))
    return CliRunner()


def test_export_to_a_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "ego.gexf"
    result = runner.invoke(app, ["export", "ego", "市大數據局", "--format", "gexf", "--output", str(out)])
    assert result.exit_code == 0, result.output
    graph = loads(out.read_bytes(), "gexf")
    assert graph.number_of_nodes() == 35
    assert "35 nodes" in result.output


def test_export_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(app, ["export", "network", "--format", "json", "--min-weight", "5"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [(e["source"], e["target"], e["weight"]) for e in data["edges"]] == [
        ("青岛:市发展改革委", "青岛:市工业和信息化局", 5)
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "ego", "大数据局"], "policykg: no agency named 大数据局; did you mean 市大数据局?"),
        (["export", "topic"], "policykg: export topic needs a target: a topic"),
        (["export", "topic", "区块链"], "policykg: no topic named 区块链"),
        (["export", "network", "--document", "数字青岛2024年行动方案"], "policykg: no document 数字青岛2024年行动方案"),
    ],
)
def test_export_mistakes_are_one_line(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_exits_2_when_neo4j_is_unreachable() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    done = subprocess.run([str(POLICYKG), "serve"], env=user_env(NEO4J_URI=uri, POLICYKG_QUERY_TIMEOUT="2"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == f"policykg: Neo4j at {uri} is not reachable"


def test_export_needs_a_folder_of_plans(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICYKG_SOURCE_DIR", str(tmp_path / "missing"))
    result = runner.invoke(app, ["export", "network"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"policykg: POLICYKG_SOURCE_DIR: {tmp_path / 'missing'} is not a folder of plans"


# -- parse ----------------------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_json_follows_the_contract() -> None:
    result = _cli("parse", str(PLAN_FILE), "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["document"] | {"id": None} == out["document"] | {
        "id": None,
        "title": "数字青岛2025年行动方案",
        "year": 2025,
        "jurisdiction": "青岛",
    }
    task3 = out["tasks"][2]
    assert task3["number"] == 3 and task3["title"] == "产业集群培育"
    assert task3["project"]["number"] == 1 and task3["project"]["title"] == "实施数字经济提质工程"
    assert task3["section"]["number"] == 2 and task3["section"]["title"] == "推动数字产业化"
    assert out["tasks"][50]["section"] is None
    first = out["tasks"][0]["measures"][0]["agencies"][0]
    assert {k: first[k] for k in ("name", "role", "generic", "raw")} == {
        "name": "市大数据局",
        "role": "lead",
        "generic": False,
        "raw": "市\n大数据局",
    }
    goal = out["tasks"][3]["goals"][0]
    assert (goal["value"], goal["unit"], goal["comparator"]) == (300, "家", ">=")
    text = PLAN_FILE.read_text(encoding="utf-8")
    assert text[goal["span"][0] : goal["span"][1]] == goal["text"]
    assert {"name": "人工智能", "terms": ["人工智能"]} in out["tasks"][1]["topics"]
    assert len(out["agencies"]) == 59 and {"name", "kind"} <= out["agencies"][0].keys()


def test_cli_table_is_for_people() -> None:
    result = _cli("parse", str(PLAN_FILE))
    assert result.returncode == 0
    assert "7 projects, 20 sections, 54 tasks, 69 measures, 59 agencies" in result.stdout
    assert "市大数据局[牵头]、市工业和信息化局[配合]" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02", "not a text file"),
        ("新闻一则:今天举行了会议。".encode(), "no plan structure"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = _cli("parse", str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr


def test_cli_missing_file(tmp_path: Path) -> None:
    result = _cli("parse", str(tmp_path / "nope.txt"))
    assert result.returncode == 2
    assert "cannot read the file" in result.stderr



NO_OWNERS = "青岛市2026年数字政府建设行动方案\n一、实施数字政府工程\n1.数字机关。建设数字办公平台。\n2.政务服务。推进一网通办。\n"


def test_cli_parse_of_a_plan_without_owners_warns(tmp_path: Path) -> None:
    plan = tmp_path / "no-owners.txt"
    plan.write_text(NO_OWNERS, encoding="utf-8")
    result = _cli("parse", str(plan))
    assert result.returncode == 0, result.stderr
    assert "2 tasks" in result.stdout
    assert any(line.startswith("warning: ") and "no owners" in line for line in result.stderr.splitlines())


# -- check ------------------------------------------------------------------------------------------------

_FINDING = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[a-z-]+): (?P<message>.+): «(?P<text>.+)»$")


def _report(stdout: str, file: Path) -> tuple[list[str], str]:
    """The finding lines of ``file`` and its summary line."""
    lines = [line for line in stdout.splitlines() if line.startswith(f"{file}:")]
    return lines[:-1], lines[-1]


def test_cli_check_reports_each_finding_and_a_summary() -> None:
    result = _cli("check", str(PLAN_FILE))
    assert result.returncode == 0, result.stderr
    findings, summary = _report(result.stdout, PLAN_FILE)
    assert all(_FINDING.match(line) for line in findings), findings
    counts = Counter(_FINDING.match(line)["code"] for line in findings)  # type: ignore[index]
    by_code = ", ".join(f"{n} {code}" for code, n in counts.items())
    assert summary == f"{PLAN_FILE}: {len(findings)} finding(s)" + (f": {by_code}" if by_code else "")


def test_cli_check_json_has_the_items_of_the_text_report() -> None:
    text = _cli("check", str(PLAN_FILE))
    result = _cli("check", str(PLAN_FILE), "--format", "json")
    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)["files"]
    assert (report["file"], report["error"]) == (str(PLAN_FILE), None)
    assert report["count"] == len(report["items"]) == sum(report["counts"].values()) > 0
    lines = [
        f"{PLAN_FILE}:{i['line']}:{i['column']}: {i['code']}: {i['message']}: «{i['text']}»" for i in report["items"]
    ]
    assert lines == _report(text.stdout, PLAN_FILE)[0]
    source = PLAN_FILE.read_text(encoding="utf-8")
    assert all(source[slice(*i["span"])].startswith(i["text"]) for i in report["items"])


def test_cli_check_goes_on_after_a_file_that_is_no_plan(tmp_path: Path) -> None:
    bad = tmp_path / "news.txt"
    bad.write_text("今天举行了会议。", encoding="utf-8")
    result = _cli("check", str(bad), str(PLAN_FILE))
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["policykg: news.txt: no plan structure: no project heading such as 一、 was found"]
    assert _report(result.stdout, PLAN_FILE)[1].startswith(f"{PLAN_FILE}: ")
    assert str(bad) not in result.stdout
    as_json = json.loads(_cli("check", str(bad), str(PLAN_FILE), "-f", "json").stdout)["files"]
    assert [(r["file"], r["error"] is None) for r in as_json] == [(str(bad), False), (str(PLAN_FILE), True)]


def test_cli_check_of_a_plan_without_owners_says_so_once(tmp_path: Path) -> None:
    plan = tmp_path / "no-owners.txt"
    plan.write_text(NO_OWNERS, encoding="utf-8")
    result = _cli("check", str(plan))
    assert result.returncode == 0, result.stderr
    findings, summary = _report(result.stdout, plan)
    assert [line.split(": ")[0:2] for line in findings] == [[f"{plan}:1:1", "no-owners-in-plan"]]
    assert summary == f"{plan}: 1 finding(s): 1 no-owners-in-plan"
    assert "no owners" in result.stderr


# -- load -------------------------------------------------------------------------------------------------


def _policykg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )


@pytest.mark.neo4j
def test_cli_load_reports_what_it_did(empty_neo4j: neo4j.Driver) -> None:
    first = _policykg("load", NEO4J_URI=neo4j_uri())
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("1 loaded, 0 unchanged (")
    again = _policykg("load", NEO4J_URI=neo4j_uri())
    assert again.stdout.startswith("0 loaded, 1 unchanged (0 nodes, 0 relationships written)")
    assert label_counts(empty_neo4j)["Task"] == 54


@pytest.mark.neo4j
def test_cli_load_with_a_wrong_password_is_one_line(neo4j_driver: neo4j.Driver) -> None:
    result = _policykg("load", NEO4J_URI=neo4j_uri(), NEO4J_PASSWORD="not-the-password")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "refused the credentials" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_load_with_neo4j_down_is_one_line() -> None:
    result = _policykg("load", NEO4J_URI="bolt://127.0.0.1:9")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Neo4j is not reachable" in result.stderr


def test_cli_load_prints_the_warnings_of_a_plan_without_owners(tmp_path: Path) -> None:
    plan = tmp_path / "no-owners.txt"
    plan.write_text(NO_OWNERS, encoding="utf-8")
    result = _policykg("load", str(plan), NEO4J_URI="bolt://127.0.0.1:9")
    assert result.returncode == 2  # nothing to load into; the warnings come first, from the check of every file
    warning, summary, error = result.stderr.splitlines()
    assert warning.startswith(f"warning: {plan}: ") and "no owners" in warning
    # The other warnings are counted, not listed: a corpus load's stderr stays a few lines.
    assert summary == "warning: 1 warning(s) in 1 file(s); policykg check lists them"
    assert "Neo4j is not reachable" in error


def test_cli_load_stops_before_writing_when_a_file_is_not_a_plan(tmp_path: Path) -> None:
    bad = tmp_path / "news.txt"
    bad.write_text("今天举行了会议。", encoding="utf-8")
    result = _policykg("load", str(bad), NEO4J_URI="bolt://127.0.0.1:9")
    assert result.returncode == 2
    assert "news.txt" in result.stderr and "no plan structure" in result.stderr

