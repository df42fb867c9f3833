"""Network measures of the agency co-responsibility network, as policy-network (协同治理) studies report them.

One pure function, :func:`network_metrics`, that both stores call with the same
input — the owners of each unit, as they read them from their
``RESPONSIBLE_FOR`` rows (agency, role, measure, task) — so their answers agree
to the last digit. It computes, for one document or one year of a series:

- the network: agencies as nodes (isolates included: an agency named alone
  still counts), an edge where two share a unit, weighted by the units they
  share. At ``level="task"`` the unit is the task (named anywhere in the same
  task, the network the stores export); at ``level="measure"`` it is the
  measure, the clause with its own owners — the stronger tie, since two
  agencies named in one clause are told to do the same thing together. The
  pairs come from :func:`graph_loader.coresponsibility.shared_tasks`, the one
  implementation of co-responsibility, fed measures instead of tasks at the
  measure level;
- whole-network measures (density, components, Louvain communities and their
  modularity, Freeman degree centralization);
- per agency: degree, weighted degree, betweenness, closeness, eigenvector,
  k-core, community, the tasks it leads or only supports, the lead → supporting
  ties it heads and receives, and its role in the breadth–depth typology.

Choices, and why:

- The graph is built canonically (nodes and edges in id order) and every
  ordering below is total, so no answer depends on the order of the input.
- Betweenness and closeness are **unweighted** (one step per edge): a weight
  here counts shared units, a tie *strength*, and networkx's weighted path
  measures read weights as *distances*, which would make the strongest partners
  the farthest apart. Betweenness is normalised and rounded exactly as
  :func:`graph_loader.subgraphs.network_from_rows` does, so the two agree.
  Closeness uses networkx's Wasserman–Faust form, which scales by the share of
  the network an agency can reach, so agencies in small components are not
  ranked above the well-connected.
- Eigenvector centrality **is weighted**: it measures being tied strongly to
  well-tied agencies, which is what strengths are for. It is computed per
  connected component (see :func:`_eigenvector`).
- Louvain communities use networkx's ``louvain_communities`` with
  ``weight="weight"`` and the fixed seed :data:`LOUVAIN_SEED`: Louvain visits
  nodes in random order, so a fixed seed on a canonically built graph gives the
  same partition on every run and in both stores.
- Lead and support always count at task level, whatever the network's level:
  a task is what the plan assigns, and "who leads whom" over a task is what
  coordination studies read (each lead of a task over each agency the task
  names but that leads none of its measures).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from math import sqrt
from typing import Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict

from graph_loader.coresponsibility import Level, shared_tasks
from graph_loader.models import Plan
from graph_loader.subgraphs import BETWEENNESS_DIGITS

AgencyRole = Literal["leading", "key", "auxiliary"]
Owner = tuple[str, str, str]
"""(agency id, role ``lead``/``co``, task id): one agency named for one unit."""

DIGITS = BETWEENNESS_DIGITS
"""Every float is rounded to this many places, so that both stores' answers compare equal."""

LOUVAIN_SEED = 20250
"""Seed of the Louvain run. Any fixed value would do; fixed so that reruns and both stores agree."""

EIGENVECTOR_MAX_ITER = 100_000
"""Power iterations allowed per component. Convergence is certain on a connected component (see
:func:`_eigenvector`) but slow where the spectral gap is small: a chain of 200 agencies, which no plan
has, takes 4 s; co-responsibility networks, cliques of co-owners, converge in a few dozen."""
EIGENVECTOR_TOL = 1e-9
"""Convergence tolerance per node (networkx's), three places below the rounding to :data:`DIGITS`."""

BREADTH_QUANTILE = Fraction(1, 2)
"""Breadth is high at or above this quantile of the network's breadths (the median) and above their minimum."""
DEPTH_QUANTILE = Fraction(1, 2)
"""Depth is high at or above this quantile of the network's depths (the median) and above their minimum."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AgencyMetrics(_Model):
    """One agency's place in the network."""

    agency_id: str
    name: str
    degree: int
    weighted_degree: int
    betweenness: float
    closeness: float
    eigenvector: float
    core: int
    community: int
    tasks_led: int
    tasks_supported: int
    lead_out: int
    co_in: int
    role: AgencyRole


class NetworkMetrics(_Model):
    """The network as a whole, and its members."""

    agencies: int
    edges: int
    density: float
    components: int
    communities: int
    modularity: float
    average_weighted_degree: float
    centralization: float
    members: list[AgencyMetrics]


def network_metrics(
    owners: Mapping[str, Sequence[Owner]],
    names: Mapping[str, str],
    *,
    level: Level = "task",
) -> NetworkMetrics:
    """The network measures of the agencies in ``owners``.

    ``owners`` maps each unit — a task id at ``level="task"``, a measure id at
    ``level="measure"`` — to its owners as ``(agency id, role, task id)`` in list
    order; ``names`` maps every agency id to its display name. Members are
    sorted by weighted degree (desc), betweenness (desc), then id.

    Raises ``ValueError`` if a role is neither ``lead`` nor ``co``, if a name
    is missing, or if the units do not fit the level (a task unit holding
    another task's owners, a measure unit spanning two tasks).
    """
    _check(owners, level)
    missing = sorted({a for unit in owners.values() for a, _, _ in unit} - names.keys())
    if missing:
        raise ValueError(f"no name for agencies {missing}")

    net = agency_network({unit: [a for a, _, _ in unit_owners] for unit, unit_owners in owners.items()})
    n = net.number_of_nodes()
    if n == 0:
        return NetworkMetrics(agencies=0, edges=0, density=0.0, components=0, communities=0, modularity=0.0,
                              average_weighted_degree=0.0, centralization=0.0, members=[])

    betweenness = nx.betweenness_centrality(net, normalized=True)
    closeness = nx.closeness_centrality(net)
    eigenvector = _eigenvector(net)
    core = nx.core_number(net)
    communities = _communities(net)
    community_of = {a: i for i, members in enumerate(communities) for a in members}
    modularity = nx.community.modularity(net, communities, weight="weight") if net.number_of_edges() else 0.0
    led, supported, lead_out, co_in = _leadership(owners)
    roles = _roles({a: (len(led[a]), len(supported[a])) for a in net})

    members = [
        AgencyMetrics(
            agency_id=a, name=names[a], degree=net.degree(a), weighted_degree=int(net.degree(a, weight="weight")),
            betweenness=round(betweenness[a], DIGITS), closeness=round(closeness[a], DIGITS),
            eigenvector=round(eigenvector[a], DIGITS), core=core[a], community=community_of[a],
            tasks_led=len(led[a]), tasks_supported=len(supported[a]), lead_out=len(lead_out[a]),
            co_in=len(co_in[a]), role=roles[a],
        )
        for a in net
    ]
    members.sort(key=lambda m: (-m.weighted_degree, -m.betweenness, m.agency_id))
    degrees = [d for _, d in net.degree()]
    return NetworkMetrics(
        agencies=n,
        edges=net.number_of_edges(),
        density=round(nx.density(net), DIGITS),
        components=nx.number_connected_components(net),
        communities=len(communities),
        modularity=round(modularity, DIGITS),
        average_weighted_degree=round(sum(m.weighted_degree for m in members) / n, DIGITS),
        centralization=round(_degree_centralization(degrees), DIGITS),
        members=members,
    )


def _check(owners: Mapping[str, Sequence[Owner]], level: Level) -> None:
    """Refuse input that cannot be right: an unknown role, or units that do not fit ``level`` (measure
    owners passed as tasks would otherwise give plausible but wrong numbers; task owners passed as
    measures cannot be told from measures of one clause each, and are not caught)."""
    for unit, unit_owners in owners.items():
        for _, role, _ in unit_owners:
            if role not in ("lead", "co"):
                raise ValueError(f"unit {unit!r}: role {role!r} is neither 'lead' nor 'co'")
        tasks = {task for _, _, task in unit_owners}
        if level == "task" and tasks - {unit}:
            raise ValueError(f"task {unit!r} holds owners of other tasks {sorted(tasks - {unit})}")
        if level == "measure" and len(tasks) > 1:
            raise ValueError(f"measure {unit!r} belongs to more than one task {sorted(tasks)}")


def agency_network(agencies_by_unit: Mapping[str, Iterable[str]]) -> nx.Graph:
    """The graph :func:`network_metrics` measures: unit id → agency ids in, agencies out (alone in a
    unit or not), an edge ``weight`` = number of units two share.

    Nodes and edges are added in id order, so nothing computed on it depends on the input's order.
    Public so that a caller (or a test) can see the very edges the measures were taken on.
    """
    net = nx.Graph()
    net.add_nodes_from(sorted({a for agencies in agencies_by_unit.values() for a in agencies}))
    for (a, b), units in shared_tasks(agencies_by_unit).items():
        net.add_edge(a, b, weight=len(units))
    return net


def _eigenvector(net: nx.Graph) -> dict[str, float]:
    """Weighted eigenvector centrality, per connected component.

    On a disconnected graph the leading eigenvector of the whole adjacency is
    zero outside the component with the largest eigenvalue (or, with ties, an
    arbitrary mix), so every agency of a second group would score 0. Instead
    each component of two or more agencies gets its own principal eigenvector
    (networkx's power iteration, unit length), scaled by ``sqrt(size / n)``:
    the scores of a connected network are exactly networkx's, and a
    component's scores weigh with its share of the network. Isolates score 0
    (no ties, nothing to be central to). networkx iterates ``x + Ax``, whose
    dominant eigenvalue is strictly largest in modulus on a connected graph
    (Perron–Frobenius), so it converges even on bipartite components; the
    numpy variant is not an option here (numpy is not a dependency).
    """
    n = net.number_of_nodes()
    scores = dict.fromkeys(net, 0.0)
    for component in nx.connected_components(net):
        if len(component) < 2:
            continue
        # A plain copy, not a subgraph view: the power iteration reads every edge thousands of times.
        sub = net if len(component) == n else net.subgraph(sorted(component)).copy()
        vector = nx.eigenvector_centrality(sub, max_iter=EIGENVECTOR_MAX_ITER, tol=EIGENVECTOR_TOL, weight="weight")
        scale = sqrt(len(component) / n)
        for a, value in vector.items():
            scores[a] = value * scale
    return scores


def _communities(net: nx.Graph) -> list[list[str]]:
    """Louvain communities (weighted, seed :data:`LOUVAIN_SEED`), each sorted, numbered by size
    (desc) then smallest member id; an isolate is a community of its own."""
    found = nx.community.louvain_communities(net, weight="weight", seed=LOUVAIN_SEED)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def _degree_centralization(degrees: Sequence[int]) -> float:
    """Freeman's degree centralization: how far the network is from a star (1) towards an even
    spread (0); ``sum(max - d) / ((n - 1)(n - 2))``, 0 below three agencies."""
    n = len(degrees)
    if n < 3:
        return 0.0
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def _leadership(
    owners: Mapping[str, Sequence[Owner]],
) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]], dict[str, set[str]]]:
    """Per agency, at task level whatever the units: the tasks it leads (lead of some measure), the
    tasks it only supports, the agencies it leads over and the agencies that lead over it.

    Within a task, each lead heads each agency the task names that leads none of its measures."""
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # task -> agency -> roles
    for unit_owners in owners.values():
        for agency, role, task in unit_owners:
            roles[task][agency].add(role)
    led: dict[str, set[str]] = defaultdict(set)
    supported: dict[str, set[str]] = defaultdict(set)
    lead_out: dict[str, set[str]] = defaultdict(set)
    co_in: dict[str, set[str]] = defaultdict(set)
    for task, by_agency in roles.items():
        leads = {a for a, r in by_agency.items() if "lead" in r}
        for agency in by_agency:
            (led if agency in leads else supported)[agency].add(task)
        for lead in leads:
            for other in by_agency.keys() - leads:
                lead_out[lead].add(other)
                co_in[other].add(lead)
    return led, supported, lead_out, co_in


def _roles(counts: Mapping[str, tuple[int, int]]) -> dict[str, AgencyRole]:
    """Each agency's role in the breadth–depth typology.

    The idea, from studies of inter-agency coordination in Chinese policy
    documents that sort agencies into leading / key / auxiliary agencies by
    the breadth and depth of their participation: *breadth* is how many tasks
    an agency takes part in (led or supported); *depth* is how much of that it
    leads (tasks led / tasks taken part in). Precisely, a dimension is *high*
    for an agency when its value is

    - at or above the network's :data:`BREADTH_QUANTILE` (:data:`DEPTH_QUANTILE`)
      of that dimension — the median; linear interpolation in exact fractions,
      so no float rounding decides a boundary — and
    - above the network's minimum of it. Counts in plans pile up at the floor:
      half the seed plan's agencies are named in a single task and 27 of 59
      lead none, so the median *is* the floor and "at or above the median"
      alone would call every agency wide, and every agency deep. An agency at
      the floor is never high.

    Then ``leading``: both high — takes part widely and mostly at the head;
    ``key``: exactly one high — a wide participant that mostly supports (the
    partner many tasks rely on), or a narrow one that leads its own field;
    ``auxiliary``: neither — named in few tasks, mostly in support.

    The thresholds are relative to the network at hand, so roles compare
    agencies within one document or year, not across them.
    """
    breadth = {a: Fraction(led + supported) for a, (led, supported) in counts.items()}
    depth = {a: Fraction(led, max(led + supported, 1)) for a, (led, supported) in counts.items()}
    wide = _high(breadth, BREADTH_QUANTILE)
    deep = _high(depth, DEPTH_QUANTILE)
    return {
        a: "leading" if a in wide and a in deep else "key" if a in wide or a in deep else "auxiliary" for a in counts
    }


def _high(values: Mapping[str, Fraction], q: Fraction) -> set[str]:
    """The agencies whose value is at or above the ``q`` quantile and above the minimum (see :func:`_roles`)."""
    if not values:
        return set()
    threshold = _quantile(list(values.values()), q)
    floor = min(values.values())
    return {a for a, v in values.items() if v >= threshold and v > floor}


def _quantile(values: Sequence[Fraction], q: Fraction) -> Fraction:
    """The ``q`` quantile with linear interpolation between order statistics (numpy's default,
    ``statistics.median`` at one half), in exact fractions."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def owners_of(plans: Iterable[Plan], level: Level = "task", *, include_generic: bool = False) -> dict[str, list[Owner]]:
    """``network_metrics``'s input from parsed plans: unit id → ``(agency id, role, task id)`` in list
    order, units with no owner left out.

    Generic placeholders (各区市政府 …) are left out unless ``include_generic``, as in the stores'
    network. Store authors can compare what they build from their rows against this.
    """
    owners: dict[str, list[Owner]] = {}
    for plan in plans:
        for task in plan.tasks:
            by_task: list[Owner] = []
            for measure in task.measures:
                mine: list[Owner] = [
                    (a.agency_id, a.role, task.id) for a in measure.agencies if include_generic or not a.generic
                ]
                if level == "measure" and mine:
                    owners[measure.id] = mine
                by_task.extend(mine)
            if level == "task" and by_task:
                owners[task.id] = by_task
    return owners


def names_of(plans: Iterable[Plan]) -> dict[str, str]:
    """Agency id → display name, for every agency of the plans (generic ones included)."""
    return {agency.id: agency.name for plan in plans for agency in plan.agencies}
