"""Explorer pages at corpus scale: each page of /explore beside the JSON endpoints that feed it, embedded store.

    .venv/bin/python -m bench.explorer [--documents 1000] [--repeat 20] [--profile]

The corpus is the real plan and ``documents - 1`` synthetic ones (bench/corpus.py), parsed and put in a
MemoryStore (untimed). Each page is requested in process (httpx's ASGI transport, as bench/scale.py does)
``--repeat`` times after a warm-up, interleaved request by request with the JSON endpoints the page says
feed it, so that machine noise hits both alike. The ratio page / feeds says what the page adds (templates,
shaping, a second call of the same store method); the aim is every page under 200 ms at 1,000 documents.
``--profile [PAGE]`` prints, for that page (default the slowest), the functions its handler spends its time
in (cProfile, cumulative; the handler called directly: the server runs it on a thread the profiler does not see).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import pstats
import time
from collections.abc import Callable
from urllib.parse import quote

import httpx
from starlette.requests import Request

from api.app import create_app
from api.explorer import routes
from api.settings import Settings
from api.stores.memory import MemoryStore
from bench.common import Side, Stats, asgi_get, corpus, in_process, interleaved, load_average, parse_corpus

AIM_MS = 200.0
ME = quote("青岛:市大数据局", safe="")


def pages(first: str, second: str, task: str) -> dict[str, tuple[str, list[str]]]:
    """Page name → (its URL, the JSON endpoints that feed it)."""
    t, a, b = (quote(x, safe="") for x in (task, first, second))
    return {
        "home": ("/explore", ["/documents?limit=100", "/agencies?limit=1", "/topics?limit=1000"]),
        "search": (f"/explore/search?q={quote('人工智能')}",
                   [f"/tasks?topic={quote('人工智能')}&limit=100",
                    f"/tasks?q={quote('人工智能')}&limit=100"]),
        "agency": (f"/explore/agencies/{ME}",
                   [f"/agencies/{ME}?limit=100", f"/agencies/{ME}/partners?limit=100",
                    f"/agencies/{ME}/partners?limit=100&level=measure", f"/goals?agency={ME}&limit=100",
                    f"/exports/agencies/{ME}/ego?format=json"]),
        "task": (f"/explore/tasks/{t}", [f"/tasks/{t}"]),
        "network": ("/explore/network", ["/network", "/documents?limit=1000", "/topics?limit=1000"]),
        "network by topic": (f"/explore/network?topic={quote('人工智能')}&min_weight=2",
                             ["/network", f"/tasks?topic={quote('人工智能')}&limit=1000", "/documents?limit=1000",
                              "/topics?limit=1000"]),
        "diff": (f"/explore/diff/{a}/{b}", [f"/documents/{a}/diff/{b}"]),
    }


def in_turn(client: httpx.AsyncClient, urls: list[str]) -> Side:
    """One side that requests each of ``urls`` in turn."""
    sides = [asgi_get(client, u) for u in urls]

    async def call() -> None:
        for side in sides:
            await side()

    return call


async def measure(store: MemoryStore, settings: Settings, urls: dict[str, tuple[str, list[str]]],
                  repeat: int) -> dict[str, tuple[Stats, Stats]]:
    """Per page: its time, and the time of its feeds requested one after another."""
    out = {}
    async with in_process(store, settings) as client:
        for name, (page, feeds) in urls.items():
            stats = await interleaved({"page": asgi_get(client, page), "feeds": in_turn(client, feeds)}, repeat,
                                      warmup=2)
            out[name] = (stats["page"], stats["feeds"])
    return out


def handlers(store: MemoryStore, first: str, second: str, task: str) -> dict[str, Callable[[Request], object]]:
    """Each page's handler called directly, in this thread (the server runs them on its thread pool, out of a
    profiler's sight), with the arguments the URLs of :func:`pages` give."""
    return {
        "home": lambda r: routes.home(r, store),
        "search": lambda r: routes.search(r, store, q="人工智能"),
        "agency": lambda r: routes.agency(r, store, agency="青岛:市大数据局"),
        "task": lambda r: routes.task(r, store, task_id=task),
        "network": lambda r: routes.network(r, store),
        "network by topic": lambda r: routes.network(r, store, topic="人工智能", min_weight=2),
        "diff": lambda r: routes.diff(r, store, old=first, new=second),
    }


def profile(store: MemoryStore, settings: Settings, handler: Callable[[Request], object]) -> str:
    """The page's cumulative profile over 3 requests (after one unprofiled): where its time goes (top 30)."""
    request = Request({"type": "http", "method": "GET", "path": "/explore", "headers": [], "query_string": b"",
                       "app": create_app(settings, store)})
    handler(request)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        handler(request)
    profiler.disable()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(30)
    return buffer.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=20, help="requests per page (median, p99)")
    ap.add_argument("--profile", nargs="?", const="slowest", metavar="PAGE",
                    help="profile PAGE (a name from the table; default the slowest page)")
    args = ap.parse_args()

    print(f"{args.documents} documents; load average {load_average()}")
    start = time.perf_counter()
    plans = parse_corpus(corpus(args.documents))
    settings = Settings()
    store = MemoryStore.from_plans(plans, row_cap=settings.row_cap)
    gc.freeze()  # as api.stores.make_store does for a server: full collections no longer walk the store
    print(f"parse and build: {time.perf_counter() - start:.1f} s (untimed below)")
    first, second = plans[1].document.id, plans[2].document.id  # two synthetic plans of one series
    urls = pages(first, second, plans[0].tasks[41].id)  # task 42 of the real plan

    results = asyncio.run(measure(store, settings, urls, args.repeat))
    print(f"\n{'page':18}{'p50 ms':>9}{'p99 ms':>9}{'feeds p50':>11}{'page/feeds':>12}  aim < {AIM_MS:.0f} ms")
    for name, (page, feeds) in results.items():
        verdict = "ok" if page.p50 < AIM_MS else "MISSED"
        print(f"{name:18}{page.p50:>9.1f}{page.p99:>9.1f}{feeds.p50:>11.1f}{page.p50 / feeds.p50:>12.2f}  {verdict}")
    print(f"\nload average at the end: {load_average()}")
    if args.profile:
        slowest = max(results, key=lambda n: results[n][0].p50) if args.profile == "slowest" else args.profile
        print(f"\nprofile of {slowest} ({urls[slowest][0]}), 3 requests:\n")
        print(profile(store, settings, handlers(store, first, second, plans[0].tasks[41].id)[slowest]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
