"""Batched loading vs a naive one-MERGE-per-row loop, against the real Neo4j, in the same run.

    .venv/bin/policykg neo4j start
    .venv/bin/python -m bench.load [--documents 1000] [--naive-documents 20]

Both sides write the same rows with the same statements (cypher/load_*.cypher):
the loader sends them as UNWIND batches, many documents a transaction; the
naive loop sends one row per statement, one transaction per document. The naive
loop is timed on fewer documents (it would take most of an hour at 1,000) and
compared by rate. The database is wiped before each side. Aim: batched >= 20x
the naive rate and >= 30,000 relationships/s at 1,000 documents.
"""

from __future__ import annotations

import argparse
import time

import neo4j

from api.settings import Settings
from bench.corpus import corpus_plans
from graph_loader.cypher import query
from graph_loader.loader import content_hash, ensure_schema, load_plans, wipe_database, write_statements
from graph_loader.models import Plan


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
                        tx.run(query(name), rows=[row]).consume()
                    if name.startswith("load_rels_"):
                        rels += len(rows)
                    else:
                        nodes += len(rows)
                tx.commit()
    return nodes, rels, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--naive-documents", type=int, default=20)
    args = ap.parse_args()
    settings = Settings.from_env()
    uri = settings.neo4j_target()
    t0 = time.perf_counter()
    plans = corpus_plans(args.documents)
    parse_s = time.perf_counter() - t0
    with settings.driver(uri) as driver:
        _wipe(driver)
        ensure_schema(driver)
        start = time.perf_counter()
        report = load_plans(driver, plans)
        batched_s = time.perf_counter() - start
        _wipe(driver)
        naive_nodes, naive_rels, naive_s = _naive(driver, plans[: args.naive_documents])
        _wipe(driver)
    batched_rows = report.nodes + report.relationships
    batched_rate, naive_rate = batched_rows / batched_s, (naive_nodes + naive_rels) / naive_s
    print(f"corpus: {args.documents} documents ({parse_s:.1f} s to generate and parse)")
    print(f"batched: {report.nodes} nodes + {report.relationships} relationships in {batched_s:.2f} s "
          f"= {batched_rate:,.0f} rows/s, {report.relationships / batched_s:,.0f} relationships/s")
    print(f"naive:   {naive_nodes} nodes + {naive_rels} relationships ({args.naive_documents} documents) "
          f"in {naive_s:.2f} s = {naive_rate:,.0f} rows/s")
    print(f"ratio batched/naive: {batched_rate / naive_rate:.1f}x   (aim >= 20x; >= 30,000 relationships/s)")


if __name__ == "__main__":
    main()
