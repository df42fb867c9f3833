"""What the loader keeps by difference beside the plans' own nodes: the CO_RESPONSIBLE shares of each pair of
agencies and the counts on each agency.

A task, a measure and a goal belong to one document, so both are sums over documents: a batch takes the
stored versions' share away and adds the new versions'. The new versions' share is computed here from the
plans (no read of what the batch just wrote); the stored versions' from the graph, read before they are
deleted. ``coresponsibility.pair_rows`` makes the pair rows in both cases, from plans and from the graph
alike.

A graph loaded before a property was kept lacks it; :func:`fill_missing`, run before every load, gives it
(``load_agency_counts_missing`` for the counts, ``load_co_responsibility_missing`` then ``_fill`` for the
clause-level and lead → supporting shares of CO_RESPONSIBLE, a batch of pairs a transaction).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import neo4j

from graph_loader.coresponsibility import Clause, clauses, pair_rows
from graph_loader.cypher import query
from graph_loader.models import Plan

FILL_PAIRS_PER_TRANSACTION = 5_000
"""CO_RESPONSIBLE relationships an old graph's fill reads and writes in one transaction."""


def new_pair_rows(plans: Iterable[Plan]) -> list[dict[str, Any]]:
    """The CO_RESPONSIBLE share of ``plans`` (``load_co_responsibility_add``'s rows)."""
    return pair_rows(clauses(plans))


def stored_pair_rows(tx: neo4j.ManagedTransaction, document_ids: list[str]) -> list[dict[str, Any]]:
    """The CO_RESPONSIBLE share of the stored versions of these documents (``load_co_responsibility_remove``'s
    rows), read from the graph."""
    found = tx.run(query("load_document_owners"), ids=document_ids)
    return pair_rows(Clause(r["task"], r["measure"], [tuple(o) for o in r["owners"]]) for r in found)


def agency_count_rows(plans: Iterable[Plan]) -> list[dict[str, Any]]:
    """Each responsible agency's share of ``plans`` in the counts it keeps (``load_agency_counts_add``'s rows):
    tasks it leads some measure of, tasks it is named in and leads none of, its measures, their goals."""
    led: Counter[str] = Counter()
    supported: Counter[str] = Counter()
    measures: dict[str, set[str]] = defaultdict(set)
    goals: Counter[str] = Counter()  # measure id → goals it sets
    for plan in plans:
        for task in plan.tasks:
            goals.update(g.measure_id for g in task.goals)
            roles: dict[str, set[str]] = defaultdict(set)
            for m in task.measures:
                for a in m.agencies:
                    roles[a.agency_id].add(a.role)
                    measures[a.agency_id].add(m.id)
            for agency, named in roles.items():
                (led if "lead" in named else supported)[agency] += 1
    return [
        {"id": agency, "led": led[agency], "supported": supported[agency], "measures": len(mine),
         "goals": sum(goals[m] for m in mine)}
        for agency, mine in sorted(measures.items())
    ]


def fill_missing(driver: neo4j.Driver, database: str | None = None) -> int:
    """Give a graph loaded before the loader kept them the agencies' counts and the CO_RESPONSIBLE shares it
    lacks; returns how many relationships were filled (0 on a graph that lacks none: one look)."""
    with driver.session(database=database) as session:
        session.run(query("load_agency_counts_missing")).consume()
        filled = 0
        while n := session.execute_write(_fill, FILL_PAIRS_PER_TRANSACTION):
            filled += n
    return filled


def _fill(tx: neo4j.ManagedTransaction, limit: int) -> int:
    """One batch of pairs lacking their clause-level shares, filled from the measures both agencies own."""
    rows = []
    for r in tx.run(query("load_co_responsibility_missing"), limit=limit):
        found = pair_rows(Clause(c["task"], c["measure"], [tuple(o) for o in c["owners"]]) for c in r["clauses"])
        share = next((row for row in found if (row["a"], row["b"]) == (r["a"], r["b"])), None)
        rows.append({
            "a": r["a"], "b": r["b"],
            **{k: (share[k] or None) if share else None
               for k in ("measures", "measure_tasks", "lower_leads_tasks", "higher_leads_tasks")},
            **{k: share[k] if share else 0 for k in ("lower_leads_measures", "higher_leads_measures")},
        })
    if not rows:
        return 0
    record = tx.run(query("load_co_responsibility_fill"), pairs=rows).single(strict=True)
    return int(record["count"])
