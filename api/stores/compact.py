"""Equal values held once in the embedded store's graph, so that it fits in memory at corpus scale.

At 1,000 plans (``bench.corpus``) the graph holds some 550,000 strings of only 83,000 distinct values
(every node repeats its document's id, every relationship its type, the roles and units repeat, and the
synthetic plans repeat their sentences, which real ones would not), and 110,000 of its 168,000
relationships have no property but their type, each still with its own attribute dict and key dict.
:func:`compact` makes each equal value one object: strings, lists of strings, and the attribute and key
dicts of relationships whose properties are all strings. Pickle writes an object once however often it
is referenced, so the sharing lasts when the store is kept and read back (``ParseCache.built``).

Shared dicts must not change: the graph is frozen (``nx.freeze``), and nothing here or in the exports
writes to an attribute dict (``subgraphs.subgraph_from_rows`` copies them).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

Attrs = dict[str, Any]


def compact(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``graph`` itself, frozen, with equal values made one object; its nodes, relationships, attributes and the
    order of each unchanged.

    The values are replaced in place, in networkx's own containers (``_node``, ``_succ``, ``_pred``): its
    methods would make a new dict for every relationship, which is what this saves. Written for speed (one
    pass, no new containers but the shared ones): it runs on every build of the store, 168,000
    relationships at 1,000 plans, in about half the time ``to_networkx`` takes to make them. (The keys of
    the adjacency dicts stay the objects they are: making them the nodes' own strings too would save 10 MB
    more at 1,000 plans and take as long again.)
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
                items = tuple([one(x, x) for x in v])
                props[k] = lists.setdefault(items, list(items))
        return only_strings

    for props in graph._node.values():
        share_values(props)

    attrs: dict[tuple[tuple[str, Any], ...], Attrs] = {}  # a relationship's properties, all strings → one dict
    keydicts: dict[tuple[str, int], dict[str, Attrs]] = {}  # (type, id of its shared attributes) → one key dict

    def share_keydict(keydict: dict[str, Attrs]) -> dict[str, Attrs]:
        """The relationships between one pair of nodes (type → attributes): one dict when it is one relationship
        with only strings for properties (at most one per pair in the graph model)."""
        if len(keydict) != 1:
            for props in keydict.values():
                share_values(props)
            return keydict
        ((key, props),) = keydict.items()
        if not share_values(props):
            return keydict
        props = attrs.setdefault(tuple(props.items()), props)
        return keydicts.setdefault((key, id(props)), {key: props})

    succ, pred = graph._succ, graph._pred
    for nbrs in succ.values():
        for v, keydict in nbrs.items():
            nbrs[v] = share_keydict(keydict)
    for v, preds in pred.items():  # the same key dicts seen from the other end
        for u in preds:
            preds[u] = succ[u][v]
    return nx.freeze(graph)
