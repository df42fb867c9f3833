"""Latency of every API endpoint, on the embedded store and (optionally) on Neo4j, in the same run.

    .venv/bin/python bench/api.py [--documents 1] [--repeat 30]
    .venv/bin/python bench/api.py --documents 200 --neo4j   # wipes and loads the Neo4j of NEO4J_URI

Requests go through the whole FastAPI stack in process (TestClient), so the
times include routing, validation, the store and JSON encoding, not the
network. ``--documents 1`` is the real plan; more adds synthetic documents
(bench/corpus.py) of the same agencies, so the network and the lists grow.
With ``--neo4j`` the database at NEO4J_URI (default the local dev server) is
WIPED and loaded with the same plans first; both stores must answer the same.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

# This file is bench/api.py: run as a script, its folder comes first on sys.path and
# "api" would name this file rather than the package. Drop the folder; load corpus.py by path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import Settings  # noqa: E402
from api.stores.base import GraphStore  # noqa: E402
from api.stores.memory import MemoryStore  # noqa: E402
from graph_loader import Plan, parse_file  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_corpus", HERE / "corpus.py")
assert _spec and _spec.loader
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

PLAN_FILE = Path(__file__).resolve().parent.parent / "source_text" / "digital-qingdao-2025.txt"

ENDPOINTS = [
    "/health",
    "/documents",
    "/agencies?limit=100",
    "/agencies/市大数据局",
    "/agencies/市大數據局/partners",
    "/agencies/市大数据局/partners/市工信局",
    "/agencies/市大数据局/dependencies",
    "/network",
    "/network?min_weight=3",
    "/tasks?topic=人工智能",
    "/tasks?q=大模型&agency=市大数据局",
    "/tasks/doc-0d51d59d77:t35",
    "/topics",
    "/goals?agency=市大数据局",
    "/exports/network?format=graphml",
    "/exports/topics/人工智能?format=gexf",
    "/exports/agencies/市大数据局/ego?format=json",
]


def plans(documents: int) -> list[Plan]:
    return [parse_file(PLAN_FILE), *corpus.corpus_plans(documents - 1)] if documents > 1 else [parse_file(PLAN_FILE)]


def measure(store: GraphStore, settings: Settings, repeat: int) -> dict[str, tuple[float, float, bytes]]:
    """Endpoint -> (median ms, p95 ms, last body)."""
    out = {}
    with TestClient(create_app(settings, store)) as client:
        for url in ENDPOINTS:
            times = []
            for _ in range(repeat + 1):  # the first call warms caches and query plans; not counted
                start = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert r.status_code == 200, (url, r.status_code, r.text[:300])
            counted = sorted(times[1:])
            out[url] = (statistics.median(counted), counted[int(0.95 * (len(counted) - 1))], r.content)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--neo4j", action="store_true", help="also time the Neo4j store (wipes NEO4J_URI's database)")
    args = parser.parse_args()
    documents = plans(args.documents)
    settings = Settings(row_cap=100_000)
    stores: dict[str, GraphStore] = {"memory": MemoryStore.from_plans(documents, row_cap=settings.row_cap)}
    if args.neo4j:
        import neo4j

        from api.stores.neo4j import Neo4jStore
        from graph_loader.cypher import query
        from graph_loader.loader import load_plans

        env = Settings.from_env()
        uri = env.neo4j_uri or "bolt://127.0.0.1:7687"
        driver = neo4j.GraphDatabase.driver(uri, auth=(env.neo4j_user, env.neo4j_password))
        with driver.session() as session:
            session.run(query("admin_wipe")).consume()
        load_plans(driver, documents)
        stores["neo4j"] = Neo4jStore(driver, timeout=env.query_timeout, row_cap=settings.row_cap, uri=uri)
    results = {name: measure(store, settings, args.repeat) for name, store in stores.items()}
    print(f"{len(documents)} document(s), {args.repeat} requests per endpoint; median / p95 in ms")
    print(f"{'endpoint':48}" + "".join(f"{name:>20}" for name in results))
    for url in ENDPOINTS:
        cells = "".join(f"{r[url][0]:>11.1f} / {r[url][1]:>6.1f}" for r in results.values())
        print(f"{url:48}{cells}")
    if len(results) == 2:
        memory, neo = results["memory"], results["neo4j"]
        differ = [url for url in ENDPOINTS if url != "/health" and memory[url][2] != neo[url][2]]
        print("answers identical on both stores" if not differ else f"answers DIFFER: {differ}")
        for store in stores.values():
            store.close()
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
