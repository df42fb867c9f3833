"""API latency of the main queries on both stores, next to the bare Neo4j driver, in the same run.

    .venv/bin/policykg neo4j start                 # or your own server: NEO4J_URI, POLICYKG_NEO4J_BOLT_PORT
    .venv/bin/python -m bench.api [--documents 1] [--repeat 500] [--no-neo4j] [--endpoints]

Two queries: an agency's partners (``/agencies/市大数据局/partners``)
and tasks by topic (``/tasks?topic=人工智能``). Each is timed, interleaved
request by request so that machine noise hits every side alike, as

- the bare driver running the query's own Cypher file with exactly the
  parameters the Neo4jStore passes (captured from a real request), and the
  same for every Cypher file the request runs (the name lookup first);
- the Neo4jStore's own running of that query (``_rows``: a session, an
  auto-commit transaction with the timeout, rows as dicts), then the
  store's methods called as the route calls them (name resolution, the
  query, the response models), on Neo4j and on the embedded store;
- the API on both stores, in process (httpx's ASGI transport on one event
  loop: routing, validation, the thread-pool hops, the store, JSON; no
  socket) and over real HTTP to a uvicorn subprocess on 127.0.0.1 (one
  client, keep-alive: the figures include the httpx client's own time,
  like the driver's include the driver's); and over HTTP with the standard
  library's ``http.client`` instead, to show what of that is httpx's.

Read top to bottom, the sides are where a request's time goes: driver →
store plumbing → shaping → FastAPI, the thread hop, JSON → uvicorn and the
client.

Requests/s is one client's: requests done / time spent in them. The
figures that matter are the ratios API / bare driver (aim ≤ 2×) and the
embedded store's p99 (aim < 5 ms). ``--endpoints`` also times every endpoint
in process on both stores and checks that both answer the same.

The Neo4j database at NEO4J_URI (default the local server,
POLICYKG_NEO4J_BOLT_PORT) is WIPED and loaded with the plans first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import logging
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from api.settings import Settings
from api.stores.base import GraphStore, TaskFilter, Window
from api.stores.memory import MemoryStore
from bench.common import (
    Side,
    api_server,
    asgi_get,
    blocking,
    corpus,
    http_get,
    in_process,
    interleaved,
    load_average,
    load_neo4j,
    neo4j_settings,
    neo4j_store,
    ok,
    parse_corpus,
    server_env,
    source_dir,
)

# query name -> (URL, the Cypher file that answers it)
QUERIES = {
    "partners": ("/agencies/市大数据局/partners", "partners_stored"),
    "tasks by topic": ("/tasks?topic=人工智能", "tasks"),
}

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
    "/tasks/青岛-2025-数字青岛行动方案:t35",
    "/topics",
    "/goals?agency=市大数据局",
    "/exports/network?format=graphml",
    "/exports/topics/人工智能?format=gexf",
    "/exports/agencies/市大数据局/ego?format=json",
]


async def captured_cypher(store: GraphStore, settings: Settings, url: str) -> list[tuple[str, dict[str, Any]]]:
    """(Cypher file, parameters) of every query the Neo4jStore runs to answer ``url`` once warm (the names in it
    resolved before), in order."""
    calls: list[tuple[str, dict[str, Any]]] = []
    async with in_process(store, settings) as client:
        ok(await client.get(url), url)
    original = store._rows  # type: ignore[attr-defined]

    def recording(name: str, /, **params: Any) -> Any:
        calls.append((name, dict(params)))
        return original(name, **params)

    store._rows = recording  # type: ignore[attr-defined]
    try:
        async with in_process(store, settings) as client:
            ok(await client.get(url), url)
    finally:
        del store._rows  # type: ignore[attr-defined]
    return calls


def bare_driver(driver: Any, settings: Settings, calls: Sequence[tuple[str, dict[str, Any]]]) -> Callable[[], int]:
    """One call running ``calls`` with the driver alone (execute_query, read routing); returns rows fetched."""
    import neo4j

    from graph_loader.cypher import query

    statements = [(query(name), params) for name, params in calls]

    def run() -> int:
        rows = 0
        for statement, params in statements:
            records, _, _ = driver.execute_query(statement, params, routing_=neo4j.RoutingControl.READ,
                                                 database_=settings.neo4j_database)
            rows += len(records)
        return rows

    return run


def store_query(store: GraphStore, calls: Sequence[tuple[str, dict[str, Any]]]) -> Callable[[], int]:
    """The Neo4jStore running ``calls`` as it does (``_rows``: session, auto-commit, timeout, dicts); rows."""
    run = store._rows  # type: ignore[attr-defined]
    return lambda: sum(len(run(name, **params)) for name, params in calls)


def stdlib_get(server: httpx.Client, url: str) -> tuple[Side, Callable[[], None]]:
    """A side GETting ``url`` from ``server``'s base with http.client on one keep-alive connection, and its closer."""
    connection = http.client.HTTPConnection(server.base_url.host, server.base_url.port, timeout=30)
    path = httpx.URL(url).raw_path.decode()  # percent-encoded, as httpx sends it

    def get() -> bytes:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status} {body[:300]!r}")
        return body

    return blocking(get), connection.close


def store_call(store: GraphStore, label: str) -> Side:
    """What the route and its dependencies ask of the store for query ``label``, called directly."""
    if label == "partners":
        return blocking(lambda: store.partners(store.resolve_agency("市大数据局").id, Window()))
    return blocking(lambda: store.tasks(Window(), TaskFilter(topic=store.resolve_topic("人工智能"))))


def bare_fastapi(body: bytes) -> httpx.AsyncClient:
    """A client of a bare FastAPI app whose one route returns ``body``'s JSON as a route usually does (a sync
    handler returning the data, FastAPI encoding it): the least any route answering that much costs."""
    import json

    from fastapi import FastAPI

    data = json.loads(body)
    app = FastAPI()

    @app.get("/bare")
    def bare() -> Any:
        return data

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")


# -- the run ----------------------------------------------------------------------------------------------------


async def endpoint_table(clients: dict[str, httpx.AsyncClient], repeat: int) -> bool:
    """Every endpoint in process on every store, p50 / p99; True when both stores answer the same."""
    sides = {(name, url): asgi_get(c, url) for url in ENDPOINTS for name, c in clients.items()}
    bodies = {key: await call() for key, call in sides.items()}
    stats = await interleaved(sides, repeat, warmup=2)
    print(f"\nevery endpoint, in process, {repeat} requests each; p50 / p99 ms")
    print(f"{'endpoint':48}" + "".join(f"{name:>20}" for name in clients))
    for url in ENDPOINTS:
        print(f"{url:48}" + "".join(f"{stats[(n, url)].p50:>11.2f} / {stats[(n, url)].p99:>6.2f}" for n in clients))
    if len(clients) < 2:
        return True
    differ = [u for u in ENDPOINTS if u != "/health" and len({bodies[(n, u)] for n in clients}) > 1]
    print("answers identical on both stores" if not differ else f"answers DIFFER: {differ}")
    return not differ


async def run(args: argparse.Namespace) -> bool:
    files = corpus(args.documents)
    plans = parse_corpus(files)
    settings = Settings()  # default row cap (1000), as served
    stores: dict[str, GraphStore] = {"embedded": MemoryStore.from_plans(plans, row_cap=settings.row_cap)}
    driver = None
    if not args.no_neo4j:
        settings = neo4j_settings()
        driver = load_neo4j(settings, plans)
        stores["neo4j"] = neo4j_store(driver, settings)

    ok = True
    async with contextlib.AsyncExitStack() as stack:
        for store in stores.values():
            stack.callback(store.close)
        directory = stack.enter_context(source_dir(files))
        local = {kind: await stack.enter_async_context(in_process(store, settings)) for kind, store in stores.items()}
        http: dict[str, httpx.Client] = {}
        if not args.no_http:
            for kind in stores:
                server = stack.enter_context(api_server(server_env(kind, settings, directory)))
                http[kind] = stack.enter_context(httpx.Client(base_url=server.base, timeout=30, trust_env=False))

        print(f"{len(plans)} document(s), {sum(len(p.tasks) for p in plans)} tasks; {args.repeat} requests per "
              f"side, interleaved; p50 / p99 in ms; req/s of one client; load average {load_average()}")
        for label, (url, cypher_name) in QUERIES.items():
            sides: dict[str, Side] = {}
            if driver is not None:
                calls = await captured_cypher(stores["neo4j"], settings, url)
                main_call = [c for c in calls if c[0] == cypher_name]
                sides[f"bare driver, {cypher_name}.cypher"] = blocking(bare_driver(driver, settings, main_call))
                if len(calls) > 1:
                    names = " + ".join(n for n, _ in calls)
                    sides[f"bare driver, {names}"] = blocking(bare_driver(driver, settings, calls))
                sides["store's query (_rows), neo4j"] = blocking(store_query(stores["neo4j"], calls))
            bare_app = await stack.enter_async_context(bare_fastapi((await local["embedded"].get(url)).content))
            sides["bare FastAPI route, same body"] = asgi_get(bare_app, "/bare")
            for kind, store in stores.items():
                sides[f"store methods, {kind}"] = store_call(store, label)
                sides[f"API in process, {kind}"] = asgi_get(local[kind], url)
                if kind in http:
                    sides[f"API over HTTP, {kind}"] = http_get(http[kind], url)
                    if kind == "neo4j":
                        sides[f"API over HTTP (http.client), {kind}"], close = stdlib_get(http[kind], url)
                        stack.callback(close)
            stats = await interleaved(sides, args.repeat)
            print(f"\n{label}: GET {url}")
            print(f"  {'side':44}{'p50':>9}{'p99':>9}{'req/s':>9}")
            for name, s in stats.items():
                print(f"  {name:44}{s.p50:>9.2f}{s.p99:>9.2f}{s.rps:>9.0f}")
            bare = stats.get(f"bare driver, {cypher_name}.cypher")
            every = next((s for name, s in stats.items() if name.startswith("bare driver") and "+" in name), bare)
            if bare is not None and every is not None:
                for name, s in stats.items():
                    if name.startswith("API") and name.endswith("neo4j"):
                        ok &= s.p50 / bare.p50 <= 2 or "http.client" in name  # the aim is httpx's, as before
                        print(f"  {name} / bare driver: p50 {s.p50 / bare.p50:.2f}x, p99 {s.p99 / bare.p99:.2f}x "
                              f"(aim <= 2x); / bare driver, every query of the request: p50 "
                              f"{s.p50 / every.p50:.2f}x, p99 {s.p99 / every.p99:.2f}x")
            for name, s in stats.items():
                if name.startswith("API") and name.endswith("embedded"):
                    ok &= s.p99 < 5
                    print(f"  {name}: p99 {s.p99:.2f} ms (aim < 5 ms)")
            api, bare, in_store = (stats["API in process, embedded"], stats["bare FastAPI route, same body"],
                                   stats["store methods, embedded"])
            budget = bare.p50 + in_store.p50 + 0.5
            ok &= api.p50 <= budget
            print(f"  API in process, embedded: p50 {api.p50:.2f} ms; bare route + store + 0.5 ms = {budget:.2f} ms "
                  f"(aim: at most that); the API adds {api.p50 - bare.p50 - in_store.p50:.2f} ms to them")
        if args.endpoints:
            ok &= await endpoint_table(local, max(10, args.repeat // 20))
    print(f"\nload average at the end: {load_average()}")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1, help="1 = the real plan; more adds synthetic documents")
    ap.add_argument("--repeat", type=int, default=500, help="counted requests per side")
    ap.add_argument("--no-neo4j", action="store_true", help="the embedded store only")
    ap.add_argument("--no-http", action="store_true", help="in process only")
    ap.add_argument("--endpoints", action="store_true", help="also every endpoint, in process, on both stores")
    args = ap.parse_args()
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)  # "label does not exist yet" while loading
    ok = asyncio.run(run(args))
    print("\nall aims met" if ok else "\nsome aim NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
