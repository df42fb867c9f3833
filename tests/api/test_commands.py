"""`policykg serve` over real HTTP, and `policykg export`, run as users run them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from graph_loader import export as ex
from graph_loader.cli import app

ROOT = Path(__file__).resolve().parents[2]
POLICYKG = Path(sys.executable).with_name("policykg")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "POLICYKG_"))}
    return env | {"POLICYKG_SOURCE_DIR": str(ROOT / "source_text")} | extra


def test_serve_answers_over_http() -> None:
    port = _free_port()
    proc = subprocess.Popen([str(POLICYKG), "serve", "--port", str(port)], env=_env(), stdout=subprocess.PIPE,
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


def test_serve_refuses_the_dev_password_for_a_remote_database() -> None:
    done = subprocess.run([str(POLICYKG), "serve"], env=_env(NEO4J_URI="bolt://db.example:7687"),
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
    graph = ex.loads(out.read_bytes(), "gexf")
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
    uri = f"bolt://127.0.0.1:{_free_port()}"
    done = subprocess.run([str(POLICYKG), "serve"], env=_env(NEO4J_URI=uri, POLICYKG_QUERY_TIMEOUT="2"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == f"policykg: Neo4j at {uri} is not reachable"


def test_export_needs_a_folder_of_plans(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POLICYKG_SOURCE_DIR", str(tmp_path / "missing"))
    result = runner.invoke(app, ["export", "network"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"policykg: POLICYKG_SOURCE_DIR: {tmp_path / 'missing'} is not a folder of plans"
