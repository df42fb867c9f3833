"""Scale: parse → load → query at 1, 10, 100 and 1,000 synthetic documents, on both stores.

    .venv/bin/policykg neo4j start                 # or your own server: NEO4J_URI, POLICYKG_NEO4J_BOLT_PORT
    .venv/bin/python -m bench.scale [--sizes 1,10,100,1000] [--stores embedded,neo4j] [--repeat 5]

Each (store, size) runs twice in a fresh subprocess: once timed, with the
peak resident memory after each stage (``ru_maxrss``: a peak, so it only
grows), once under tracemalloc for the peak Python heap *of each stage*
(tracemalloc slows the work, so that run is not timed). The stages:

- parse: ``parse_text`` of each document of ``bench.corpus.corpus_texts(n)``
  (the texts are generated first, untimed);
- load: embedded, ``MemoryStore.from_plans`` (the networkx graph and its
  indexes); Neo4j, ``load_plans`` into a WIPED database (schema first);
- queries: the main API queries in process (ASGI, the default row cap of
  1000), each the median of ``--repeat`` requests after one warm-up.

Growth between sizes is given as the exponent k of time ∝ nᵏ (1 = linear,
2 = quadratic) and as the ratio of time per document; the baseline of each
ratio is the smaller size of the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import math
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.settings import Settings
from bench.common import in_process, load_average, neo4j_settings, neo4j_store
from bench.corpus import corpus_texts
from graph_loader import Plan, parse_text

REPO = Path(__file__).resolve().parent.parent
STAGES = ("parse", "load", "queries")
QUERIES = {
    "documents": "/documents",
    "agencies": "/agencies?limit=100",
    "partners": "/agencies/市大数据局/partners",
    "dependencies": "/agencies/市大数据局/dependencies",
    "network": "/network",
    "tasks by topic": "/tasks?topic=人工智能",
    "task detail": "/tasks/{task}",
    "goals": "/goals",
    "topics": "/topics",
    "agency": "/agencies/市大数据局",
    "partners, clauses": "/agencies/市大数据局/partners?level=measure",
    "network, clauses": "/network?level=measure",
    "tasks by text": "/tasks?q=%E6%95%B0%E6%8D%AE",
}
CHILD_TIMEOUT = 3600  # seconds for one (store, size, mode) subprocess


# -- the child: one store, one size, one mode ---------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


class Stages:
    """Times one stage after another; in tracemalloc mode, each stage's peak Python heap instead."""

    def __init__(self, traced: bool):
        self.traced = traced
        self.out: dict[str, dict[str, float]] = {}
        if traced:
            tracemalloc.start()

    def run(self, stage: str, fn: Callable[[], Any]) -> Any:
        if self.traced:
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
        if self.traced:
            current, peak = tracemalloc.get_traced_memory()
            self.out[stage] = {"heap_peak_mb": (peak - before) / 2**20, "heap_kept_mb": (current - before) / 2**20}
        else:
            self.out[stage] = {"seconds": seconds, "rss_peak_mb": peak_rss_mb()}
        return result


def run_queries(store: Any, settings: Settings, task_id: str, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median seconds of each query through the API, in process, and the seconds of its first request (the
    embedded store makes an aggregate the first time it is asked for)."""

    async def go() -> tuple[dict[str, float], dict[str, float]]:
        medians, first = {}, {}
        async with in_process(store, settings) as client:
            for name, url in QUERIES.items():
                url = url.format(task=task_id)
                times = []
                for _ in range(repeat + 1):
                    start = time.perf_counter()
                    r = await client.get(url)
                    if r.status_code != 200:
                        raise RuntimeError(f"{url}: {r.status_code} {r.text[:300]}")
                    times.append(time.perf_counter() - start)
                first[name] = times[0]
                medians[name] = statistics.median(times[1:])
        return medians, first

    return asyncio.run(go())


def child(store_kind: str, n: int, traced: bool, repeat: int) -> dict[str, Any]:
    texts = corpus_texts(n)
    stages = Stages(traced)
    plans: list[Plan] = stages.run("parse", lambda: [parse_text(t, document=f"synthetic-{i}.txt")
                                                      for i, t in enumerate(texts)])
    task_id = plans[0].tasks[0].id
    settings = Settings()
    if store_kind == "embedded":
        from api.stores.memory import MemoryStore

        store = stages.run("load", lambda: MemoryStore.from_plans(plans, row_cap=settings.row_cap))
        gc.freeze()  # as api.stores.make_store does for a server
    else:
        from bench.common import empty_neo4j
        from graph_loader.loader import load_plans

        settings = neo4j_settings()
        driver = empty_neo4j(settings)  # untimed: the wipe of the previous size's data
        stages.run("load", lambda: load_plans(driver, plans))
        store = neo4j_store(driver, settings)
    per_query, first = stages.run("queries", lambda: run_queries(store, settings, task_id, 1 if traced else repeat))
    store.close()
    return {"store": store_kind, "documents": n, "tasks": sum(len(p.tasks) for p in plans), "stages": stages.out,
            "queries": per_query if not traced else {}, "first": first if not traced else {}}


# -- the parent: every size and store, each in a fresh subprocess ------------------------------------------------


def spawn(store: str, n: int, traced: bool, repeat: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.scale", "--child", store, str(n), "--repeat", str(repeat)]
    if traced:
        cmd.append("--traced")
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=CHILD_TIMEOUT)
    if done.returncode != 0:
        raise RuntimeError(f"{store} at {n} documents failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def exponent(n1: int, t1: float, n2: int, t2: float) -> float:
    """k in t ∝ nᵏ between two sizes (1 = linear)."""
    return math.log(t2 / t1) / math.log(n2 / n1) if t1 > 0 and t2 > 0 else float("nan")


def print_store(store: str, timed: dict[int, dict[str, Any]], traced: dict[int, dict[str, Any]]) -> None:
    sizes = sorted(timed)
    print(f"\n{store}: time (s) / peak RSS after the stage (MB) / peak Python heap of the stage (MB)")
    print(f"  {'documents':>10}{'tasks':>8}" + "".join(f"{s:>26}" for s in STAGES))
    for n in sizes:
        cells = ""
        for stage in STAGES:
            t = timed[n]["stages"][stage]
            heap = traced.get(n, {}).get("stages", {}).get(stage, {}).get("heap_peak_mb", float("nan"))
            cells += f"{t['seconds']:>10.3f} /{t['rss_peak_mb']:>6.0f} /{heap:>6.1f}"
        print(f"  {n:>10}{timed[n]['tasks']:>8}{cells}")
    print("  growth between sizes: exponent k of time ∝ nᵏ (per-document time ratio)")
    for a, b in zip(sizes, sizes[1:], strict=False):
        cells = ""
        for stage in STAGES:
            ta, tb = timed[a]["stages"][stage]["seconds"], timed[b]["stages"][stage]["seconds"]
            cells += f"{exponent(a, ta, b, tb):>12.2f} ({tb / b / (ta / a):>5.2f}x/doc)"
        print(f"  {f'{a} → {b}':>18}{cells}")
    print(f"  queries, median ms (of {timed[sizes[0]].get('repeat', '')} requests) and k between the two largest sizes")
    print(f"  {'query':16}" + "".join(f"{n:>10}" for n in sizes) + f"{'k':>8}")
    for q in QUERIES:
        times = [timed[n]["queries"][q] for n in sizes]
        k = exponent(sizes[-2], times[-2], sizes[-1], times[-1]) if len(sizes) > 1 else float("nan")
        print(f"  {q:16}" + "".join(f"{t * 1000:>10.1f}" for t in times) + f"{k:>8.2f}")
    print("  first request of each query, ms (an aggregate made on first use shows here)")
    for q in QUERIES:
        print(f"  {q:16}" + "".join(f"{timed[n]['first'][q] * 1000:>10.1f}" for n in sizes))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,10,100,1000")
    ap.add_argument("--stores", default="embedded,neo4j")
    ap.add_argument("--repeat", type=int, default=5, help="requests per query (median)")
    ap.add_argument("--no-traced", action="store_true", help="skip the tracemalloc runs")
    ap.add_argument("--child", nargs=2, metavar=("STORE", "DOCUMENTS"), help=argparse.SUPPRESS)
    ap.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    if args.child:
        result = child(args.child[0], int(args.child[1]), args.traced, args.repeat)
        print(json.dumps({**result, "repeat": args.repeat}))
        return 0

    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"sizes {sizes}; load average {load_average()}")
    for store in args.stores.split(","):
        timed, traced = {}, {}
        for n in sizes:
            timed[n] = spawn(store, n, False, args.repeat)
            if not args.no_traced:
                traced[n] = spawn(store, n, True, args.repeat)
            print(f"  {store} {n}: done ({json.dumps(timed[n]['stages'])})", flush=True)
        print_store(store, timed, traced)
    print(f"\nload average at the end: {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
