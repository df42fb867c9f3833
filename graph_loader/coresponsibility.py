"""Co-responsibility: two agencies are partners where both are responsible for measures of one task
(level ``task``), or for one measure, a clause with its own owners (level ``measure``: the stronger tie).
Inside a measure, one agency leads another where it is a lead owner and the other a co-owner (the lead →
supporting dependencies).

This is the one implementation of the pairs. The Neo4j loader materialises
them as ``CO_RESPONSIBLE`` relationships (:func:`pair_rows`: a pair's tasks,
and the clause-level and lead → supporting shares, which are subsets of them),
the embedded store answers its network and partner queries from them; the
Neo4j store reads the relationships (``cypher/partners_stored.cypher``,
``cypher/network_edges_stored.cypher``, ``cypher/dependencies.cypher``) and
finds the pairs of a document-scoped network in Cypher
(``cypher/network_edges.cypher``); the parity suite holds the two stores to
the same answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import combinations
from typing import Any, Literal, NamedTuple

from graph_loader.models import Plan

Pair = tuple[str, str]
"""Two agency ids, the lower first."""
Level = Literal["task", "measure"]
"""What two agencies share to be tied: a task, or a measure (a clause) of one."""
LEVELS: tuple[Level, ...] = ("task", "measure")

PAIR_LISTS = ("tasks", "measures", "measure_tasks", "lower_leads_tasks", "higher_leads_tasks")
"""The id lists a pair row (and its CO_RESPONSIBLE relationship) holds, each sorted."""


class Clause(NamedTuple):
    """One measure and its owners, as the pairs are computed from it (from a plan, or read from the graph)."""

    task: str
    measure: str
    owners: Sequence[tuple[str, str]]
    """(agency id, role) of each responsibility for the measure; role ``lead`` or ``co``."""


def shared_tasks(owners_by_task: Mapping[str, Iterable[str]]) -> dict[Pair, list[str]]:
    """Every pair of agencies named in one task, with the ids of the tasks they share (sorted).

    ``owners_by_task`` maps a task id to the ids of the agencies responsible
    for any of its measures (repeats are ignored).
    """
    shared: dict[Pair, list[str]] = defaultdict(list)
    for task, owners in sorted(owners_by_task.items()):
        for pair in combinations(sorted(set(owners)), 2):
            shared[pair].append(task)
    return dict(sorted(shared.items()))


def owners_by_task(plans: Iterable[Plan]) -> dict[str, list[str]]:
    """Task id → ids of the agencies responsible for any of its measures, sorted."""
    return {
        task.id: sorted({a.agency_id for m in task.measures for a in m.agencies})
        for plan in plans
        for task in plan.tasks
    }


def clauses(plans: Iterable[Plan]) -> Iterator[Clause]:
    """Every measure of ``plans`` with its owners."""
    for plan in plans:
        for task in plan.tasks:
            for m in task.measures:
                yield Clause(task.id, m.id, [(a.agency_id, a.role) for a in m.agencies])


def pair_rows(found: Iterable[Clause]) -> list[dict[str, Any]]:
    """One row per pair of agencies sharing a task in ``found``, in pair order: ``a`` < ``b`` and

    - ``tasks``: the tasks both are named in (level task);
    - ``measures``: the measures both are named in (level measure), and ``measure_tasks`` their tasks;
    - ``lower_leads_measures``: how many measures ``a`` leads and ``b`` supports (is a co-owner of), and
      ``lower_leads_tasks`` their tasks; ``higher_leads_*`` the same with ``b`` leading ``a``.

    Lists are sorted ids. Every share is a subset of ``tasks``: the CO_RESPONSIBLE relationship of the
    pair holds them all. A task and a measure belong to one document, so the rows of several documents
    add up (lists joined, counts summed) to the rows of all of them.
    """
    by_task: dict[str, set[str]] = defaultdict(set)
    by_measure: dict[str, set[str]] = defaultdict(set)
    task_of: dict[str, str] = {}
    leads: dict[tuple[str, str], tuple[set[str], set[str]]] = {}  # (lead, co) → (measures, tasks)
    for c in found:
        task_of[c.measure] = c.task
        by_task[c.task].update(agency for agency, _ in c.owners)
        by_measure[c.measure].update(agency for agency, _ in c.owners)
        lead_owners = {agency for agency, role in c.owners if role == "lead"}
        co_owners = {agency for agency, role in c.owners if role == "co"}
        for lead in lead_owners:
            for co in co_owners - {lead}:
                led_measures, led_tasks = leads.setdefault((lead, co), (set(), set()))
                led_measures.add(c.measure)
                led_tasks.add(c.task)
    clause_pairs = shared_tasks(by_measure)
    rows = []
    for (a, b), tasks in shared_tasks(by_task).items():
        measures = clause_pairs.get((a, b), [])
        lower, higher = leads.get((a, b), (set(), set())), leads.get((b, a), (set(), set()))
        rows.append({
            "a": a, "b": b, "tasks": tasks,
            "measures": measures, "measure_tasks": sorted({task_of[m] for m in measures}),
            "lower_leads_measures": len(lower[0]), "lower_leads_tasks": sorted(lower[1]),
            "higher_leads_measures": len(higher[0]), "higher_leads_tasks": sorted(higher[1]),
        })
    return rows
