"""Start-up of the embedded store: the first start (every plan parsed, the parse cache filled) against later ones.

    .venv/bin/python -m bench.startup [--documents 1000] [--repeat 3] [--no-serve]

The corpus (``bench.corpus``: the real plan and synthetic ones) is written to a
temporary folder, and the parse cache (POLICYKG_PARSE_CACHE) is a fresh temporary
folder. Every start is a fresh subprocess:

- *store*: ``MemoryStore.from_directory``, as ``make_store`` calls it: the store kept
  whole in the cache read back, or (first start, or a file changed) the plans parsed or
  read back and the store built; imports, store, and the total from the process's exec.
  Resident memory after (VmRSS) and at its peak (VmHWM), and whether jieba's
  dictionary was loaded. Runs: cache ``off``, ``first`` (parse and write), then
  ``cached`` ``--repeat`` times (median shown, each run listed).
- *serve*: ``policykg serve`` from its exec to the first ``/health`` answer, and the
  resident memory of all its processes then, with ``--workers 1`` and ``2``, after
  the cache is filled (and once with the cache off, one worker).

The baseline of the ratios is the ``off`` run of the same invocation.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHILD_TIMEOUT = 1800  # seconds for one start


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _process_age() -> float:
    """Seconds since this process was exec'd (Linux /proc; to 1/CLK_TCK)."""
    started = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
    return float(Path("/proc/uptime").read_text().split()[0]) - started


def child(directory: Path) -> dict[str, Any]:
    """One start in this fresh process: stages, memory, cache counts (printed as JSON). Nothing of ours is
    imported before (``bench.common`` imports the API), so *imports* are what a server's start imports."""
    began = time.perf_counter()
    interpreter = _process_age()
    from api.settings import get_settings
    from api.stores.memory import MemoryStore
    from graph_loader.dictionary import default_vocabulary
    from graph_loader.parse_cache import ParseCache

    imported = time.perf_counter()
    folder = ParseCache(get_settings().parse_cache).folder  # as MemoryStore.from_directory reads it
    kept = bool(folder and any(folder.glob("memorystore-*.pickle")))
    store = MemoryStore.from_directory(directory)  # the kept store read back, or the plans (parsed or read) built
    built = time.perf_counter()
    return {
        "interpreter": interpreter, "imports": imported - began, "store": built - imported,
        "total": built - began + interpreter, "documents": store.health().documents, "kept": kept,
        "rss": _status_mb("VmRSS"), "peak": _status_mb("VmHWM"),
        "jieba": "tokenizer" in vars(default_vocabulary()),
    }


def start_store(directory: Path, cache: str) -> dict[str, Any]:
    env = {**os.environ, "POLICYKG_PARSE_CACHE": cache}
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.startup", "--child", str(directory)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=CHILD_TIMEOUT)
    if done.returncode != 0:
        raise RuntimeError(f"the start failed ({done.returncode}): {done.stderr[-2000:]}")
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    out["wall"] = time.perf_counter() - began
    return out


def _tree_rss_mb(pid: int) -> float:
    from bench.soak import rss_mb

    return rss_mb(pid)


def start_serve(directory: Path, cache: str, workers: int) -> dict[str, float]:
    """``policykg serve --workers N``: seconds from exec to the first /health answer and to every worker's
    "Application startup complete", and the RSS (MB) of all its processes then."""
    import httpx

    from bench.common import free_port, stop

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI",)}
    env.update(POLICYKG_SOURCE_DIR=str(directory), POLICYKG_PARSE_CACHE=cache)
    with tempfile.TemporaryFile() as log:
        began = time.perf_counter()
        proc = subprocess.Popen([str(Path(sys.executable).with_name("policykg")), "serve", "--workers",
                                 str(workers), "--port", str(port)], cwd=REPO, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            answered = None
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"policykg serve exited {proc.returncode}: {log.read().decode()[-2000:]}")
                if answered is None:
                    try:
                        if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2, trust_env=False).status_code == 200:
                            answered = time.perf_counter() - began
                    except httpx.TransportError:
                        pass
                log.seek(0)
                if answered is not None and log.read().count(b"Application startup complete.") >= workers:
                    break
                if time.perf_counter() - began > CHILD_TIMEOUT:
                    raise RuntimeError("policykg serve did not start")
                time.sleep(0.05)
            return {"first": answered, "all": time.perf_counter() - began, "rss": _tree_rss_mb(proc.pid)}
        finally:
            stop(proc, 60)


def row(name: str, r: dict[str, Any], base: dict[str, Any]) -> str:
    return (f"| {name} | {'yes' if r['kept'] else 'no'} | {r['interpreter'] + r['imports']:.2f} | {r['store']:.2f} | "
            f"**{r['total']:.2f}** | {r['wall']:.2f} | {base['total'] / r['total']:.1f}× | {r['rss']:.0f} | "
            f"{r['peak']:.0f} | {'yes' if r['jieba'] else 'no'} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3, help="cached starts (the median is shown)")
    ap.add_argument("--no-serve", action="store_true", help="the store's start only, not policykg serve's")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0

    from bench.common import corpus, load_average, source_dir

    files = corpus(args.documents)
    cache = tempfile.mkdtemp(prefix="policykg-parse-cache-")
    try:
        with source_dir(files) as directory:
            size = sum(f.stat().st_size for f in directory.iterdir()) / 1e6
            print(f"{len(files)} documents ({size:.1f} MB of text); load average {load_average()}")
            off = start_store(directory, "off")
            first = start_store(directory, cache)
            cached = [start_store(directory, cache) for _ in range(args.repeat)]
            entries = list(Path(cache).rglob("*.pickle"))
            print(f"cache: {len(entries)} entries, {sum(e.stat().st_size for e in entries) / 1e6:.0f} MB")
            median = sorted(cached, key=lambda r: r["total"])[len(cached) // 2]
            print("\n| start | kept store read back | Python and imports s | store s | total s "
                  "| process wall s | × off | RSS MB | peak RSS MB | jieba loaded |")
            print("|---|---|---|---|---|---|---|---|---|---|")
            print(row("cache off", off, off))
            print(row("first (fills the cache)", first, off))
            print(row(f"cached (median of {len(cached)})", median, off))
            print("\ncached starts, total s: " + ", ".join(f"{r['total']:.2f}" for r in cached)
                  + f"; store s: {statistics.median(r['store'] for r in cached):.2f} (median)")
            if not args.no_serve:
                print("\n| policykg serve | to first /health s | to every worker started s | RSS MB (all processes) |")
                print("|---|---|---|---|")
                for name, where, workers in (("cache off, 1 worker", "off", 1), ("cached, 1 worker", cache, 1),
                                             ("cached, 2 workers", cache, 2)):
                    s = start_serve(directory, where, workers)
                    print(f"| {name} | {s['first']:.2f} | {s['all']:.2f} | {s['rss']:.0f} |")
            print(f"\nload average {load_average()}")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
