"""Soak: many concurrent clients against a real API server, on each store, for a fixed time.

    .venv/bin/policykg neo4j start                 # or your own server: NEO4J_URI, POLICYKG_NEO4J_BOLT_PORT
    .venv/bin/python -m bench.soak [--clients 50] [--seconds 60] [--documents 1] [--no-neo4j]

For each store a uvicorn subprocess serves the API on 127.0.0.1 (a free
port, one worker, as ``uvicorn --factory api.app:create_app``), and
``--clients`` asyncio clients, each on its own keep-alive connection, send
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
buys (throughput) and costs (latency). CPU seconds of the server process and
of this (client) process show which side was the bottleneck on a shared
2-core machine. The Neo4j database at NEO4J_URI (default the local server)
is WIPED and loaded with the corpus first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import resource
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

from api.settings import Settings
from bench.common import (
    Server,
    api_server,
    corpus,
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def own_cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def ms(seconds: list[float], pct: float) -> float:
    return percentile(seconds, pct) * 1000 if seconds else float("nan")


def report(store: str, server: Server, mix: list[tuple[str, str]], args: argparse.Namespace) -> tuple[Tally, Tally]:
    base_tally = asyncio.run(drive(server.base, mix, 1, args.baseline_seconds, args.max_requests, args.client))
    rss_before, server_cpu, client_cpu = rss_mb(server.pid), cpu_seconds(server.pid), own_cpu_seconds()
    tally = asyncio.run(drive(server.base, mix, args.clients, args.seconds, args.max_requests, args.client))
    server_cpu, client_cpu = cpu_seconds(server.pid) - server_cpu, own_cpu_seconds() - client_cpu
    print(f"\n{store}: {args.clients} clients, {tally.seconds:.1f} s, {tally.done} requests, "
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
          f"server RSS {rss_before:.0f} -> {rss_mb(server.pid):.0f} MB")
    for what, n in sorted(tally.errors.items()):
        print(f"  ERROR {what}: {n}")
    return base_tally, tally


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--baseline-seconds", type=float, default=10)
    ap.add_argument("--max-requests", type=int, default=1_000_000, help="per run; a bound besides the time")
    ap.add_argument("--documents", type=int, default=1, help="1 = the real plan; more adds synthetic documents")
    ap.add_argument("--no-neo4j", action="store_true", help="the embedded store only")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw", help="HTTP client of the load generator")
    args = ap.parse_args()
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

    files = corpus(args.documents)
    plans = parse_corpus(files)
    mix = url_mix(plans)
    settings = Settings()
    results: dict[str, Tally] = {}
    with source_dir(files) as directory:
        print(f"{len(plans)} document(s); mix of {len(mix)} URLs over {len(KINDS)} queries; {args.client} client; "
              f"load average {load_average()}")
        with api_server(server_env("embedded", settings, directory)) as server:
            _, results["embedded"] = report("embedded", server, mix, args)
        if not args.no_neo4j:
            settings = neo4j_settings()
            driver = load_neo4j(settings, plans)
            driver.close()
            with api_server(server_env("neo4j", settings, None)) as server:
                _, results["neo4j"] = report("neo4j", server, mix, args)
    if len(results) == 2:
        emb, neo = results["embedded"], results["neo4j"]
        with contextlib.suppress(ZeroDivisionError):
            print(f"\nneo4j / embedded: requests/s {neo.rps / emb.rps:.2f}x, "
                  f"p50 {ms(neo.all_times, 50) / ms(emb.all_times, 50):.2f}x, "
                  f"p99 {ms(neo.all_times, 99) / ms(emb.all_times, 99):.2f}x")
    errors = sum(sum(t.errors.values()) for t in results.values())
    print(f"\n{errors} failed request(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
