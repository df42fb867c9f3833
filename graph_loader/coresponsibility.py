"""Co-responsibility: two agencies are partners where both are responsible for measures of one task
(level ``task``), or for one measure, a clause with its own owners (level ``measure``: the stronger tie).

This is the one implementation of the pairs. The Neo4j loader materialises
them as ``CO_RESPONSIBLE`` relationships, the embedded store answers its
network and partner queries from them; the Neo4j store's queries compute the
same pairs in Cypher (``cypher/network_edges.cypher``, ``cypher/partners.cypher``),
and the parity suite holds the two to the same answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Literal

from graph_loader.models import Plan

Pair = tuple[str, str]
"""Two agency ids, the lower first."""
Level = Literal["task", "measure"]
"""What two agencies share to be tied: a task, or a measure (a clause) of one."""
LEVELS: tuple[Level, ...] = ("task", "measure")


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
