"""Batched loading vs a naive one-MERGE-per-row loop, against the real Neo4j, in the same run.

    .venv/bin/policykg neo4j start
    .venv/bin/python -m bench.load [--documents 1000] [--naive-documents 20]

Both sides write the same rows with the same statements (cypher/load_*.cypher):
the loader sends them as UNWIND batches, many documents a transaction; the
naive loop sends one row per statement, one transaction per document. The naive
loop is timed on fewer documents (it would take most of an hour at 1,000) and
compared by rate. The database is wiped before each side. Aim: batched >= 20x
the naive rate and >= 30,000 relationships/s at 1,000 documents.

Then, unless ``--no-bulk``: the same plans into the emptied database by ``policykg load --bulk``'s path
(``graph_loader.bulk``: rows written as CSV, ``neo4j-admin database import full`` with the server stopped,
the server started again, the schema), timed from the parsed plans to the last index online, beside the
batched rate; and every node and relationship with its properties (and their types), the indexes and a set of
the API's answers compared with those of the batched load: they must be equal.

Then, unless ``--no-reload``: every document changed (市大数据局 renamed) and
loaded again over the stored ones — each transaction deletes old versions and
writes new ones, so it must fit the server's transaction memory — with its rate
next to the first load's. ``--rss 1000,5000`` runs ``policykg load`` on folders of
that many plan files, in a subprocess each, and prints its peak RSS (aim: the
largest within 1.5x of the smallest: the loader streams).

``--variants 'base;-XX:+UseParallelGC;db.tx_state.memory_allocation=OFF_HEAP -Xms1g'`` measures the local
server's settings instead (and does nothing else): for each of ``--rounds`` rounds, each variant in turn
(interleaved, so a busy spell of the shared machine hits them alike) restarts the server with those
neo4j.conf settings and JVM flags (separated by spaces; ``base`` is none), loads ``--warmup`` plans as a
warm-up into the wiped database, wipes it and times ``load_plans`` of every plan: the wall time and the CPU
seconds of the server process (``/proc/<pid>/stat``), which the machine's noise moves less. The server is
left running with no variant.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import neo4j

from api.settings import Settings
from api.stores.base import TaskFilter, Window
from bench.common import load_average, neo4j_store
from bench.corpus import corpus_plans, corpus_texts
from graph_loader.bulk import ARRAY_DELIMITER, finish_import, write_import_files
from graph_loader.cypher import query
from graph_loader.loader import content_hash, ensure_schema, load_plans, wipe_database, write_statements
from graph_loader.models import Plan
from local_neo4j import LocalNeo4j


def _wipe(driver: neo4j.Driver) -> None:
    wipe_database(driver)


def _naive(driver: neo4j.Driver, plans: list[Plan]) -> tuple[int, int, float]:
    nodes = rels = 0
    start = time.perf_counter()
    with driver.session() as session:
        for plan in plans:
            with session.begin_transaction() as tx:
                for name, rows in write_statements([(plan, content_hash(plan))]):
                    for row in rows:
                        written = tx.run(query(name), rows=[row]).single(strict=True)
                        nodes += written["nodes"]
                        rels += written["rels"]
                tx.commit()
    return nodes, rels, time.perf_counter() - start


def _canonical(value: Any) -> Any:
    """A property value as a hashable, typed thing: 1 and 1.0, [] and no property, compare unequal."""
    if isinstance(value, list):
        return ("list", tuple(_canonical(x) for x in value))
    if isinstance(value, dict):
        return tuple(sorted((k, _canonical(v)) for k, v in value.items()))
    return (type(value).__name__, value)


def _contents(driver: neo4j.Driver, settings: Settings) -> dict[str, Any]:
    """Everything a load leaves: every node and relationship with its properties, the indexes, some answers."""
    nodes, _, _ = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props")
    indexes, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, options, state RETURN *")
    store = neo4j_store(driver, settings)
    everything = Window(limit=settings.row_cap)
    answers: dict[str, Any] = {
        "documents": store.documents(everything),
        "agencies": store.agencies(everything),
        "network": store.network(),
        "partners": store.partners("青岛:市大数据局", everything),
        "AI tasks": store.tasks(Window(limit=100), TaskFilter(topic="人工智能")),
    }
    return {
        "nodes": sorted((tuple(r["labels"]), _canonical(r["props"])) for r in nodes),
        "relationships": sorted((r["type"], r["a"], r["b"], _canonical(r["props"])) for r in rels),
        "indexes": sorted(_canonical(dict(r)) for r in indexes),
        "answers": {name: answer.model_dump() for name, answer in answers.items()},
    }


def _bulk(settings: Settings, plans: list[Plan]) -> tuple[dict[str, float], Any]:
    """``load --bulk``'s path into the emptied local Neo4j: seconds of each step, and what it wrote."""
    server = settings.local_neo4j()
    seconds = {}
    with tempfile.TemporaryDirectory(prefix="policykg-bench-bulk-") as tmp:
        start = time.perf_counter()
        files = write_import_files(plans, Path(tmp))
        seconds["rows and CSV"] = time.perf_counter() - start
        imported = server.import_csv(files.nodes, files.relationships, array_delimiter=ARRAY_DELIMITER,
                                     multiline=files.multiline, work_dir=Path(tmp))
        seconds["stop, import, start"] = time.perf_counter() - start - sum(seconds.values())
        seconds["of which the importer"] = imported.seconds
        with settings.driver(server.bolt_uri) as driver:
            finish_import(driver, files)
        seconds["schema and empty lists"] = time.perf_counter() - start - seconds["rows and CSV"] - seconds[
            "stop, import, start"]
        seconds["total"] = time.perf_counter() - start
    return seconds, files


def _differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    found = []
    for part in a:
        if a[part] != b[part]:
            if isinstance(a[part], list):
                only_a, only_b = set(a[part]) - set(b[part]), set(b[part]) - set(a[part])
                found.append(f"{part}: {len(only_a)} only batched, {len(only_b)} only bulk, e.g. "
                             f"{sorted(map(str, only_a))[:1]} / {sorted(map(str, only_b))[:1]}")
            else:
                found += [f"answer {name!r} differs" for name in a[part] if a[part][name] != b[part][name]]
    return found


# Runs `policykg load` in this process and reports the process's peak RSS (KiB) on the last stderr line.
_PEAK_RSS = """\
import resource, runpy, sys
sys.argv = ["policykg", "load", *sys.argv[1:]]
try:
    runpy.run_module("api.cli", run_name="__main__")
finally:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def _cli_peak_rss(n: int, driver: neo4j.Driver) -> tuple[int, float]:
    """Peak RSS (MiB) and seconds of `policykg load` over ``n`` plan files, into an emptied database."""
    _wipe(driver)
    with tempfile.TemporaryDirectory(prefix="policykg-bench-load-") as tmp:
        paths = []
        for i, text in enumerate(corpus_texts(n)):
            path = Path(tmp) / f"synthetic-{i:05d}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _PEAK_RSS, *paths], capture_output=True, text=True,
                              env=os.environ.copy(), check=False)
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"policykg load failed: {done.stderr.strip()[-500:]}")
    return int(done.stderr.strip().splitlines()[-1]) // 1024, seconds


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used (``/proc/<pid>/stat`` fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _variant(spec: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """``key=value -XX:flag …`` as (neo4j.conf settings, JVM flags); ``base`` is neither."""
    parts = [] if spec.strip() == "base" else spec.split()
    flags = tuple(p for p in parts if p.startswith("-"))
    conf = tuple(tuple(p.split("=", 1)) for p in parts if not p.startswith("-"))
    if any(len(kv) != 2 for kv in conf):
        raise SystemExit(f"--variants: {spec!r}: each part is key=value or a -JVM flag")
    return conf, flags  # type: ignore[return-value]


def _variants(settings: Settings, plans: list[Plan], specs: list[str], rounds: int, warmup: int) -> None:
    """Interleaved runs of ``load_plans`` on servers started with each variant; prints one line a run and a
    summary (min and median of wall and server CPU seconds) a variant."""
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)  # "does not exist yet" on an empty graph
    base = settings.local_neo4j()
    results: dict[str, list[tuple[float, float, int]]] = {spec: [] for spec in specs}
    try:
        for round_ in range(rounds):
            for spec in specs:
                conf, flags = _variant(spec)
                base.stop()
                server = LocalNeo4j(dataclasses.replace(base.config, settings=conf, jvm_options=flags))
                info = server.start(timeout=180)
                with settings.driver(info.bolt_uri) as driver:
                    _wipe(driver)
                    if warmup:
                        load_plans(driver, plans[:warmup])
                        _wipe(driver)
                    ensure_schema(driver)
                    cpu0, start = _cpu_seconds(info.pid), time.perf_counter()
                    report = load_plans(driver, plans)
                    wall, cpu = time.perf_counter() - start, _cpu_seconds(info.pid) - cpu0
                    _wipe(driver)
                results[spec].append((wall, cpu, report.relationships))
                print(f"round {round_ + 1} {spec}: {wall:.1f} s wall, {cpu:.1f} s server CPU, "
                      f"{report.relationships / wall:,.0f} relationships/s, load average {load_average()}",
                      flush=True)
    finally:
        base.stop()
        base.start(timeout=180)
    print(f"{'variant':<60} {'wall min/median':>16} {'server CPU min/median':>22} {'best rels/s':>12}")
    for spec, runs in results.items():
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        best = max(r[2] / r[0] for r in runs) if runs else 0
        print(f"{spec:<60} {min(walls):7.1f} / {statistics.median(walls):5.1f} s "
              f"{min(cpus):11.1f} / {statistics.median(cpus):5.1f} s {best:12,.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--naive-documents", type=int, default=20)
    ap.add_argument("--no-reload", action="store_true", help="skip loading every document again, changed")
    ap.add_argument("--no-bulk", action="store_true", help="skip the bulk import (neo4j-admin) and its comparison")
    ap.add_argument("--rss", default="", help="comma-separated file counts for the CLI's peak RSS, e.g. 1000,5000")
    ap.add_argument("--variants", default="",
                    help="';'-separated server variants to compare instead (see above), e.g. 'base;-XX:+UseParallelGC'")
    ap.add_argument("--rounds", type=int, default=3, help="with --variants: runs of each variant, interleaved")
    ap.add_argument("--warmup", type=int, default=200, help="with --variants: plans loaded before each timed load")
    args = ap.parse_args()
    settings = Settings.from_env()
    if args.variants:
        plans = corpus_plans(args.documents)
        _variants(settings, plans, [v.strip() for v in args.variants.split(";") if v.strip()], args.rounds,
                  args.warmup)
        return
    uri = settings.neo4j_target()
    t0 = time.perf_counter()
    plans = corpus_plans(args.documents)
    parse_s = time.perf_counter() - t0
    print(f"load average before: {load_average()}")
    with settings.driver(uri) as driver:
        _wipe(driver)
        ensure_schema(driver)
        start = time.perf_counter()
        report = load_plans(driver, plans)
        batched_s = time.perf_counter() - start
        print(f"load average after the batched load: {load_average()}")
        batched_contents = None if args.no_bulk else _contents(driver, settings.model_copy(update={"neo4j_uri": uri}))
        reload = None
        if not args.no_reload:
            changed = [p.model_copy(update={"tasks": p.tasks[1:]}) for p in plans]  # every document differs
            start = time.perf_counter()
            again = load_plans(driver, changed)
            reload = (again, time.perf_counter() - start)
        _wipe(driver)
        naive_nodes, naive_rels, naive_s = _naive(driver, plans[: args.naive_documents])
        _wipe(driver)
    bulk = None
    if batched_contents is not None:
        bulk_s, files = _bulk(settings, plans)
        print(f"load average after the bulk import: {load_average()}")
        with settings.driver(uri) as driver:
            differences = _differences(batched_contents, _contents(driver, settings.model_copy(
                update={"neo4j_uri": uri})))
            _wipe(driver)
        bulk = (bulk_s, files, differences)
    batched_rows = report.nodes + report.relationships
    batched_rate, naive_rate = batched_rows / batched_s, (naive_nodes + naive_rels) / naive_s
    print(f"corpus: {args.documents} documents ({parse_s:.1f} s to generate and parse)")
    print(f"batched: {report.nodes} nodes + {report.relationships} relationships in {batched_s:.2f} s "
          f"= {batched_rate:,.0f} rows/s, {report.relationships / batched_s:,.0f} relationships/s")
    print(f"naive:   {naive_nodes} nodes + {naive_rels} relationships ({args.naive_documents} documents) "
          f"in {naive_s:.2f} s = {naive_rate:,.0f} rows/s")
    print(f"ratio batched/naive: {batched_rate / naive_rate:.1f}x   (aim >= 20x; >= 30,000 relationships/s)")
    if bulk is not None:
        bulk_s, files, differences = bulk
        print(f"bulk:    {files.node_count} nodes + {files.relationship_count} relationships "
              f"(+ {files.co_responsible} CO_RESPONSIBLE) in {bulk_s['total']:.2f} s = "
              f"{files.relationship_count / bulk_s['total']:,.0f} relationships/s, "
              f"{batched_s / bulk_s['total']:.1f}x the batched load's speed; "
              + ", ".join(f"{k} {v:.1f} s" for k, v in bulk_s.items() if k != "total"))
        answers = len(batched_contents["answers"]) if batched_contents else 0
        print("bulk and batched databases: " + ("DIFFERENT: " + "; ".join(differences) if differences else
                                                f"equal (every node and relationship, their properties and types, "
                                                f"the indexes, {answers} API answers)"))
    if reload is not None:
        again, reload_s = reload
        print(f"reload:  {len(again.loaded)} changed documents over {args.documents} stored: "
              f"{again.nodes} nodes + {again.relationships} relationships in {reload_s:.2f} s = "
              f"{again.relationships / reload_s:,.0f} relationships/s "
              f"({reload_s / batched_s:.2f}x the first load's time)")
    if bulk is not None and bulk[2]:
        raise SystemExit("the bulk import's database differs from the batched load's")
    if args.rss:
        sizes = [int(n) for n in args.rss.split(",")]
        with settings.driver(uri) as driver:
            peaks = {n: _cli_peak_rss(n, driver) for n in sizes}
            _wipe(driver)
        for n, (mib, seconds) in peaks.items():
            print(f"policykg load, {n:>5} files: peak RSS {mib} MiB, {seconds:.1f} s")
        smallest = peaks[min(sizes)][0]
        print(f"peak RSS largest / smallest: {peaks[max(sizes)][0] / smallest:.2f}x (aim <= 1.5x)")


if __name__ == "__main__":
    main()
