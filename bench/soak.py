"""Soak: many concurrent clients against a real API server, on each store, for a fixed time.

    .venv/bin/policykg neo4j start                 # or your own server: NEO4J_URI, POLICYKG_NEO4J_BOLT_PORT
    .venv/bin/python -m bench.soak [--clients 50] [--seconds 60] [--documents 1] [--workers 1,2] [--no-neo4j]

For each store and each number of ``--workers``, ``policykg serve --workers N``
serves the API on 127.0.0.1 (a free port; as users run it, with its access
log, to a file), and ``--clients`` asyncio clients, each on its own keep-alive connection, send
the main queries in turn — agencies list, partners, dependencies, network,
tasks by topic, task detail, goals — with their agencies, topics and tasks
rotating, until ``--seconds`` have passed or ``--max-requests`` were sent.
Every request must answer 200 with the whole body: any other status or a
transport error counts as an error and the run exits 1.

The clients speak HTTP/1.1 over asyncio streams (``--client raw``, the
default): httpx's AsyncClient (``--client httpx``) spends more CPU per request
than the server does, and on 2 shared cores that made the soak measure the
client.

The baseline, measured on the same server just before, is one client sending
the same mix for ``--baseline-seconds``: the ratios say what concurrency
buys (throughput) and costs (latency), and the runs with more workers are
compared with the one-worker run of the same store. CPU seconds of the server
(its supervisor and workers together) and of this (client) process show which
side was the bottleneck on a shared 2-core machine. The embedded store's
workers read their plans from the parse cache (POLICYKG_PARSE_CACHE), which
the first start fills. The Neo4j database at NEO4J_URI (default the local
server) is WIPED and loaded with the corpus first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

from api.settings import Settings
from bench.common import (
    REPO,
    Server,
    _wait_ready,
    corpus,
    free_port,
    load_average,
    load_neo4j,
    neo4j_settings,
    parse_corpus,
    percentile,
    server_env,
    source_dir,
)
from graph_loader import Plan

KINDS = ("agencies", "partners", "dependencies", "network", "tasks by topic", "task detail", "goals")


def url_mix(plans: list[Plan], size: int = 20) -> list[tuple[str, str]]:
    """(kind, URL) in the order clients send them: each kind in turn, its subject rotating."""
    tasks_by_agency: Counter[str] = Counter()
    for plan in plans:
        generic = {a.id for a in plan.agencies if a.generic}
        for task in plan.tasks:
            for agency in {m.agency_id for measure in task.measures for m in measure.agencies} - generic:
                tasks_by_agency[agency] += 1
    agencies = [a for a, _ in tasks_by_agency.most_common(size)]
    topics = sorted({t.name for plan in plans for task in plan.tasks for t in task.topics})[:size]
    tasks = [task.id for plan in plans for task in plan.tasks][:: max(1, sum(len(p.tasks) for p in plans) // size)]
    out = []
    for i in range(size):
        a, tp, t = agencies[i % len(agencies)], topics[i % len(topics)], tasks[i % len(tasks)]
        out += [
            ("agencies", "/agencies?limit=100"),
            ("partners", f"/agencies/{a}/partners"),
            ("dependencies", f"/agencies/{a}/dependencies"),
            ("network", "/network"),
            ("tasks by topic", f"/tasks?topic={tp}"),
            ("task detail", f"/tasks/{t}"),
            ("goals", f"/goals?agency={a}" if i % 2 else "/goals"),
        ]
    return out


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # kind -> seconds
    errors: Counter[str] = field(default_factory=Counter)
    sent: int = 0
    seconds: float = 0.0

    @property
    def all_times(self) -> list[float]:
        return sorted(t for ts in self.times.values() for t in ts)

    @property
    def done(self) -> int:
        return sum(len(ts) for ts in self.times.values())

    @property
    def rps(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


REQUEST_TIMEOUT = 30.0  # seconds for one request


class RawConnection:
    """One keep-alive HTTP/1.1 connection: GET, read the status and a Content-Length body. Nothing more."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> int:
        """The status of GET ``path`` after reading its whole body; raises OSError or ValueError."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(f"GET {quote(path, safe='/?=&:')} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = dict(line.lower().split(": ", 1) for line in head[1:] if ": " in line)
        await reader.readexactly(int(headers["content-length"]))
        if headers.get("connection") == "close":
            await self.close()
        return status

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            with contextlib.suppress(OSError):
                await self.streams[1].wait_closed()
            self.streams = None


class HttpxConnection:
    """The same through httpx's AsyncClient (one connection)."""

    def __init__(self, base: str):
        self.client = httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT, trust_env=False,
                                        limits=httpx.Limits(max_connections=1))

    async def get(self, path: str) -> int:
        return (await self.client.get(path)).status_code

    async def close(self) -> None:
        await self.client.aclose()


async def drive(base: str, mix: list[tuple[str, str]], clients: int, seconds: float, max_requests: int,
                client_kind: str = "raw") -> Tally:
    """``clients`` concurrent clients sending ``mix`` round robin until time or the request budget runs out."""
    tally = Tally()
    host, port = urlsplit(base).hostname or "127.0.0.1", urlsplit(base).port or 80

    async def one_client(i: int) -> None:
        conn = RawConnection(host, port) if client_kind == "raw" else HttpxConnection(base)
        j = i * 7 % len(mix)  # clients start at different places of the mix
        try:
            while time.monotonic() < deadline and tally.sent < max_requests:
                tally.sent += 1
                kind, url = mix[j]
                j = (j + 1) % len(mix)
                start = time.perf_counter()
                try:
                    status = await asyncio.wait_for(conn.get(url), REQUEST_TIMEOUT)
                except (OSError, ValueError, KeyError, IndexError, TimeoutError, asyncio.IncompleteReadError,
                        httpx.HTTPError) as e:
                    tally.errors[f"{kind}: {type(e).__name__}"] += 1
                    await conn.close()  # a fresh connection for the next request
                    continue
                if status != 200:
                    tally.errors[f"{kind}: HTTP {status}"] += 1
                    continue
                tally.times[kind].append(time.perf_counter() - start)
        finally:
            await conn.close()

    began = time.monotonic()
    deadline = began + seconds
    # Requests time out after 30 s: past that, something hangs; stop rather than wait.
    await asyncio.wait_for(asyncio.gather(*(one_client(i) for i in range(clients))), seconds + 2 * REQUEST_TIMEOUT)
    tally.seconds = time.monotonic() - began
    return tally


@contextlib.contextmanager
def policykg_serve(env: dict[str, str], workers: int, timeout: float = 600.0) -> Iterator[Server]:
    """``policykg serve --workers N`` on 127.0.0.1 (a free port) with ``env`` added to the environment, its
    output to a temporary file; stopped with SIGINT (as a user's Ctrl-C) on exit, and checked to stop cleanly."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "POLICYKG_SOURCE_DIR")}
    full_env.update(env)
    policykg = Path(sys.executable).with_name("policykg")
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([str(policykg), "serve", "--workers", str(workers), "--port", str(port)],
                                cwd=REPO, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = _wait_ready(proc, f"http://127.0.0.1:{port}", log, timeout)
            deadline = time.monotonic() + timeout
            while True:  # the first answer may come while other workers still start
                log.seek(0)
                if log.read().count(b"Application startup complete.") >= workers:
                    break
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"not every one of {workers} workers started within {timeout:g} s")
                time.sleep(0.1)
            yield Server(base, proc.pid)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                print("  WARNING: policykg serve did not stop within 60 s of SIGINT; killed")
            if proc.returncode not in (0, 128 + signal.SIGINT):  # one worker re-raises the SIGINT it handled
                log.seek(0)
                print(f"  WARNING: policykg serve exited {proc.returncode}: {log.read().decode()[-1000:]}")


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc): the supervisor and its workers."""
    parents: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            parents[int(stat.read_text().rsplit(")", 1)[1].split()[1])].append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        tree.append(todo.pop())
        todo += parents.get(tree[-1], [])
    return tree


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds so far of process ``pid`` and its descendants alive now (Linux /proc)."""
    total = 0
    for p in process_tree(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants, MB."""
    total = 0
    for p in process_tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def own_cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def ms(seconds: list[float], pct: float) -> float:
    return percentile(seconds, pct) * 1000 if seconds else float("nan")


@dataclass
class Run:
    store: str
    workers: int
    tally: Tally
    base: Tally  # one client, same server
    server_cpu: float
    client_cpu: float
    rss_mb: tuple[float, float]  # before and after the run, supervisor and workers together


def report(store: str, server: Server, mix: list[tuple[str, str]], args: argparse.Namespace, workers: int) -> Run:
    base_tally = asyncio.run(drive(server.base, mix, 1, args.baseline_seconds, args.max_requests, args.client))
    rss_before, server_cpu, client_cpu = rss_mb(server.pid), cpu_seconds(server.pid), own_cpu_seconds()
    tally = asyncio.run(drive(server.base, mix, args.clients, args.seconds, args.max_requests, args.client))
    server_cpu, client_cpu = cpu_seconds(server.pid) - server_cpu, own_cpu_seconds() - client_cpu
    run = Run(store, workers, tally, base_tally, server_cpu, client_cpu, (rss_before, rss_mb(server.pid)))
    print(f"\n{store}, {workers} worker(s): {args.clients} clients, {tally.seconds:.1f} s, {tally.done} requests, "
          f"{sum(tally.errors.values())} errors; load average {load_average()}")
    print(f"  {'query':16}{'requests':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}   1 client: p50 ms")
    for kind in KINDS:
        ts, bs = sorted(tally.times[kind]), sorted(base_tally.times[kind])
        print(f"  {kind:16}{len(ts):>10}{ms(ts, 50):>9.1f}{ms(ts, 99):>9.1f}{ms(ts, 100):>9.1f}   {ms(bs, 50):>8.1f}")
    every, base_every = tally.all_times, base_tally.all_times
    print(f"  {'all':16}{len(every):>10}{ms(every, 50):>9.1f}{ms(every, 99):>9.1f}{ms(every, 100):>9.1f}"
          f"   {ms(base_every, 50):>8.1f}")
    print(f"  requests/s: {tally.rps:.0f} with {args.clients} clients, {base_tally.rps:.0f} with 1 "
          f"(ratio {tally.rps / base_tally.rps:.2f}x); p50 under load / p50 alone: "
          f"{ms(every, 50) / ms(base_every, 50):.1f}x")
    print(f"  CPU seconds: server {server_cpu:.1f}, clients {client_cpu:.1f} of {tally.seconds:.1f} s wall; "
          f"server RSS {run.rss_mb[0]:.0f} -> {run.rss_mb[1]:.0f} MB")
    for what, n in sorted(tally.errors.items()):
        print(f"  ERROR {what}: {n}")
    return run


def summary(runs: list[Run], clients: int) -> None:
    """One row a run, as BENCHMARKS.md shows them; throughput against the same store's one-worker run."""
    print(f"\n| store | workers | requests | errors | req/s, {clients} clients | × 1 worker | req/s, 1 client "
          "| p50 ms | p99 ms | max ms | CPU s: server, clients | server RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    one = {r.store: r.tally.rps for r in runs if r.workers == 1}
    for r in runs:
        every = r.tally.all_times
        versus = f"{r.tally.rps / one[r.store]:.2f}×" if r.store in one and one[r.store] else ""
        print(f"| {r.store} | {r.workers} | {r.tally.done:,} | **{sum(r.tally.errors.values())}** | "
              f"{r.tally.rps:.0f} | {versus} | {r.base.rps:.0f} | {ms(every, 50):.0f} | {ms(every, 99):.0f} | "
              f"{ms(every, 100):,.0f} | {r.server_cpu:.1f}, {r.client_cpu:.1f} | "
              f"{r.rss_mb[0]:.0f} → {r.rss_mb[1]:.0f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--baseline-seconds", type=float, default=10)
    ap.add_argument("--max-requests", type=int, default=1_000_000, help="per run; a bound besides the time")
    ap.add_argument("--documents", type=int, default=1, help="1 = the real plan; more adds synthetic documents")
    ap.add_argument("--workers", default="1,2", help="numbers of `policykg serve --workers` to run, e.g. 1,2")
    ap.add_argument("--no-neo4j", action="store_true", help="the embedded store only")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw", help="HTTP client of the load generator")
    args = ap.parse_args()
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    workers = [int(w) for w in args.workers.split(",")]

    files = corpus(args.documents)
    plans = parse_corpus(files)
    mix = url_mix(plans)
    settings = Settings()
    runs: list[Run] = []
    with source_dir(files) as directory:
        print(f"{len(plans)} document(s); mix of {len(mix)} URLs over {len(KINDS)} queries; {args.client} client; "
              f"workers {workers}; load average {load_average()}")
        for n in workers:
            with policykg_serve(server_env("embedded", settings, directory), n) as server:
                runs.append(report("embedded", server, mix, args, n))
        if not args.no_neo4j:
            settings = neo4j_settings()
            driver = load_neo4j(settings, plans)
            driver.close()
            for n in workers:
                with policykg_serve(server_env("neo4j", settings, None), n) as server:
                    runs.append(report("neo4j", server, mix, args, n))
    for n in workers:
        emb = next((r for r in runs if (r.store, r.workers) == ("embedded", n)), None)
        neo = next((r for r in runs if (r.store, r.workers) == ("neo4j", n)), None)
        if emb and neo:
            with contextlib.suppress(ZeroDivisionError):
                print(f"\n{n} worker(s), neo4j / embedded: requests/s {neo.tally.rps / emb.tally.rps:.2f}x, "
                      f"p50 {ms(neo.tally.all_times, 50) / ms(emb.tally.all_times, 50):.2f}x, "
                      f"p99 {ms(neo.tally.all_times, 99) / ms(emb.tally.all_times, 99):.2f}x")
    summary(runs, args.clients)
    errors = sum(sum(r.tally.errors.values()) for r in runs)
    print(f"\n{errors} failed request(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
