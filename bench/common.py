"""What the benchmarks share: the corpus, a wiped and loaded Neo4j, an API server in a subprocess, timing.

Every benchmark measures against a baseline taken in the same run (the
machines are shared and noisy); these helpers make both sides the same way.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

from api.app import create_app
from api.settings import Settings
from api.stores.base import GraphStore
from bench.corpus import PLAN_FILE, corpus_texts
from graph_loader import Plan, parse_file, parse_text

REPO = Path(__file__).resolve().parent.parent


# -- the corpus -----------------------------------------------------------------------------------------------


def corpus(documents: int) -> list[tuple[str, str]]:
    """(file name, text) of the real plan and ``documents - 1`` synthetic ones (bench/corpus.py)."""
    real = (PLAN_FILE.name, PLAN_FILE.read_text(encoding="utf-8"))
    return [real, *((f"synthetic-{i:04d}.txt", t) for i, t in enumerate(corpus_texts(documents - 1)))]


def parse_corpus(files: Sequence[tuple[str, str]]) -> list[Plan]:
    return [parse_file(PLAN_FILE) if name == PLAN_FILE.name else parse_text(text, document=name)
            for name, text in files]


@contextlib.contextmanager
def source_dir(files: Sequence[tuple[str, str]]) -> Iterator[Path]:
    """A temporary folder holding the corpus as files, for an embedded store in another process."""
    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp:
        for name, text in files:
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        yield Path(tmp)


# -- Neo4j ----------------------------------------------------------------------------------------------------


def neo4j_settings() -> Settings:
    """The settings of the Neo4j to wipe and load: NEO4J_URI, else the local server's port."""
    env = Settings.from_env()
    return env.model_copy(update={"neo4j_uri": env.neo4j_target()})


def empty_neo4j(settings: Settings) -> Any:
    """A driver to ``settings``' Neo4j after wiping it and creating the schema."""
    from graph_loader.loader import ensure_schema, wipe_database

    driver = settings.driver()
    wipe_database(driver, settings.neo4j_database)
    ensure_schema(driver, settings.neo4j_database)
    return driver


def load_neo4j(settings: Settings, plans: Sequence[Plan]) -> Any:
    """A driver to ``settings``' Neo4j after wiping it and loading ``plans``."""
    from graph_loader.loader import load_plans

    driver = empty_neo4j(settings)
    load_plans(driver, list(plans))
    return driver


def neo4j_store(driver: Any, settings: Settings) -> GraphStore:
    from api.stores.neo4j import Neo4jStore

    return Neo4jStore(driver, database=settings.neo4j_database, timeout=settings.query_timeout,
                      row_cap=settings.row_cap, uri=settings.neo4j_uri or "")


# -- an API server in a subprocess --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    base: str  # http://127.0.0.1:<port>
    pid: int


@contextlib.contextmanager
def api_server(env: dict[str, str], timeout: float = 120.0) -> Iterator[Server]:
    """A uvicorn subprocess serving ``create_app()`` on 127.0.0.1 (one worker, no access log) with ``env``
    added to the environment; stopped (by its pid) on exit."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "POLICYKG_SOURCE_DIR")}
    full_env.update(env, POLICYKG_HOST="127.0.0.1", POLICYKG_PORT=str(port))
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--host", "127.0.0.1",
             "--port", str(port), "--no-access-log", "--log-level", "warning"],
            cwd=REPO, env=full_env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            yield Server(_wait_ready(proc, f"http://127.0.0.1:{port}", log, timeout), proc.pid)
        finally:
            stop(proc, 15)


def stop(proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Ask a server process to stop (SIGTERM); kill it if it has not within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], base: str, log: Any, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the API server exited ({proc.returncode}): {log.read().decode()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/health", timeout=2, trust_env=False).status_code == 200:
                return base
        if time.monotonic() > deadline:
            raise RuntimeError(f"the API server did not answer within {timeout:g} s")
        time.sleep(0.2)


def server_env(kind: str, settings: Settings, directory: Path | None) -> dict[str, str]:
    env = {"POLICYKG_ROW_CAP": str(settings.row_cap)}
    if kind == "neo4j":
        env.update(NEO4J_URI=settings.neo4j_uri or "", NEO4J_USER=settings.neo4j_user,
                   NEO4J_PASSWORD=settings.neo4j_password)
    else:
        env["POLICYKG_SOURCE_DIR"] = str(directory)
    return env


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages (2 cores: above 2 means waiting for a core)."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


# -- timing ---------------------------------------------------------------------------------------------------


@dataclass
class Stats:
    p50: float  # ms
    p99: float  # ms
    rps: float  # one client's requests per second

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Stats:
        ms = sorted(s * 1000 for s in seconds)
        return cls(p50=statistics.median(ms), p99=percentile(ms, 99), rps=len(ms) / (sum(ms) / 1000))


def percentile(sorted_values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, -(-len(sorted_values) * pct // 100))
    return sorted_values[int(rank) - 1]


Side = Callable[[], Awaitable[object]]
K = TypeVar("K", bound=Hashable)


async def interleaved(sides: dict[K, Side], repeat: int, warmup: int = 20) -> dict[K, Stats]:
    """Each side called ``repeat`` times, one call of each in turn (after ``warmup`` uncounted rounds)."""
    times: dict[K, list[float]] = {name: [] for name in sides}
    for i in range(warmup + repeat):
        for name, call in sides.items():
            start = time.perf_counter()
            await call()
            elapsed = time.perf_counter() - start
            if i >= warmup:
                times[name].append(elapsed)
    return {name: Stats.of(t) for name, t in times.items()}


def blocking(fn: Callable[[], object]) -> Side:
    """A side that runs ``fn`` on the loop's thread (nothing else runs meanwhile)."""

    async def call() -> object:
        return fn()

    return call


def http_get(client: httpx.Client, url: str) -> Side:
    def get() -> bytes:
        return ok(client.get(url), url)

    return blocking(get)


def asgi_get(client: httpx.AsyncClient, url: str) -> Side:
    async def get() -> bytes:
        return ok(await client.get(url), url)

    return get


def ok(r: httpx.Response, url: str) -> bytes:
    if r.status_code != 200:
        raise RuntimeError(f"{url}: {r.status_code} {r.text[:300]}")
    return r.content


def in_process(store: GraphStore, settings: Settings) -> httpx.AsyncClient:
    """A client calling the app over ``store`` through ASGI, in this process and event loop."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings, store)), base_url="http://bench")
