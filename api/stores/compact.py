"""Equal values held once in the embedded store's graph, so that it fits in memory at corpus scale.

At 1,000 plans the graph holds some 550,000 strings of only 83,000 distinct values (every node repeats
its document's id, every relationship its type, the roles and units repeat), and 110,000 of its 168,000
relationships have no property but their type, each still with its own attribute dict and key dict.
:func:`compact` makes each equal value one object: strings, lists of strings, and the attribute and key
dicts of relationships whose properties are all strings. Pickle writes an object once however often it
is referenced, so the sharing lasts when the store is kept and read back (``ParseCache.built``).

Shared dicts must not change: the graph that comes out is frozen (``nx.freeze``), and nothing here or in
the exports writes to a relationship's attributes (``subgraphs.subgraph_from_rows`` copies them).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

Attrs = dict[str, Any]


def compact(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph (nodes, relationships, attributes, and the order of each) with equal values shared, frozen.

    Takes over ``graph``'s attribute dicts (their values are replaced by the shared ones; ``graph`` must not be
    used after) and builds networkx's adjacency containers (``_succ``, ``_pred``) itself: networkx's methods
    would make a new dict for every relationship, which is what this saves. Written for speed (one pass, local
    names): it runs on every build of the store, 168,000 relationships at 1,000 plans.
    """
    strings: dict[str, str] = {}
    one = strings.setdefault
    for n in graph._node:  # node keys first: an equal string anywhere else becomes the key itself
        one(n, n)
    lists: dict[tuple[str, ...], list[str]] = {}

    def share_values(props: Attrs) -> bool:
        """Replace ``props``' values by the shared ones, in place; whether all of them are strings."""
        only_strings = True
        for k, v in props.items():
            if type(v) is str:
                props[k] = one(v, v)
                continue
            only_strings = False
            if type(v) is list and all(type(x) is str for x in v):
                items = tuple(one(x, x) for x in v)
                props[k] = lists.setdefault(items, list(items))
        return only_strings

    for props in graph._node.values():
        share_values(props)

    attrs: dict[tuple[tuple[str, Any], ...], Attrs] = {}  # a relationship's properties, all strings → one dict
    shared: set[int] = set()  # the ids of the dicts in ``attrs`` (which keeps them alive)
    keydicts: dict[tuple[tuple[str, int], ...], dict[str, Attrs]] = {}

    def share_keydict(keydict: dict[str, Attrs]) -> dict[str, Attrs]:
        """The relationships between one pair of nodes (type → attributes): one dict when all are shared."""
        all_shared = True
        for key, props in keydict.items():
            if share_values(props):
                props = attrs.setdefault(tuple(props.items()), props)
                shared.add(id(props))
                keydict[key] = props
            else:
                all_shared = False
        if not all_shared:
            return keydict
        return keydicts.setdefault(tuple((one(k, k), id(d)) for k, d in keydict.items()), keydict)

    succ = {u: {one(v, v): share_keydict(keydict) for v, keydict in nbrs.items()} for u, nbrs in graph._succ.items()}
    out = nx.MultiDiGraph()
    out.graph.update(graph.graph)
    out._node = graph._node
    out._adj = out._succ = succ
    # The same key dict objects seen from the other end, in the original order of each node's predecessors.
    out._pred = {v: {one(u, u): succ[u][v] for u in preds} for v, preds in graph._pred.items()}
    return nx.freeze(out)
