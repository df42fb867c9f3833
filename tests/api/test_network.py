"""The co-responsibility network: weights from the parse, centrality from networkx, filters, order."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.stores.memory import MemoryStore
from graph_loader import Plan


def _expected_edges(plans: list[Plan], include_generic: bool = False) -> dict[tuple[str, str], set[str]]:
    generic = {a.id for p in plans for a in p.agencies if a.generic}
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for plan in plans:
        for task in plan.tasks:
            owners = {a.agency_id for m in task.measures for a in m.agencies}
            owners = owners if include_generic else owners - generic
            for pair in combinations(sorted(owners), 2):
                edges[pair].add(task.id)
    return edges


def test_network_of_the_plan(client: TestClient, plan: Plan) -> None:
    body = client.get("/network").json()
    expected = _expected_edges([plan])
    edges = body["edges"]
    assert edges["count"] == len(expected) == 252
    assert {(e["source"], e["target"]): set(e["tasks"]) for e in edges["data"]} == expected
    assert all(e["weight"] == len(e["tasks"]) and e["tasks"] == sorted(e["tasks"]) for e in edges["data"])
    keys = [(-e["weight"], e["source"], e["target"]) for e in edges["data"]]
    assert keys == sorted(keys)
    assert edges["data"][0] == {
        "source": "青岛:市发展改革委", "target": "青岛:市工业和信息化局", "weight": 5,
        "tasks": sorted(f"青岛-2025-数字青岛行动方案:t{n}" for n in (2, 3, 7, 8, 19)),
    }
    # Every agency of the plan is a node (none is generic); centrality as networkx computes it.
    nodes = body["nodes"]["data"]
    assert body["nodes"]["count"] == 59
    reference = nx.Graph()
    reference.add_nodes_from(a.id for a in plan.agencies)
    reference.add_edges_from(expected)
    betweenness = nx.betweenness_centrality(reference)
    for n in nodes:
        assert n["degree"] == reference.degree(n["id"])
        assert n["weighted_degree"] == sum(len(expected[tuple(sorted((n["id"], o)))]) for o in reference[n["id"]])
        assert abs(n["betweenness"] - betweenness[n["id"]]) < 1e-6
    assert nodes[0]["name"] == "市大数据局"  # the broker of the plan
    keys = [(-n["betweenness"], -n["degree"], n["id"]) for n in nodes]
    assert keys == sorted(keys)


def test_min_weight_keeps_heavy_edges_and_all_nodes(client: TestClient, plan: Plan) -> None:
    body = client.get("/network", params={"min_weight": 4}).json()
    heavy = {k for k, v in _expected_edges([plan]).items() if len(v) >= 4}
    assert {(e["source"], e["target"]) for e in body["edges"]["data"]} == heavy
    assert ("青岛:市大数据局", "青岛:市工业和信息化局") in heavy
    assert body["nodes"]["count"] == 59
    isolated = [n for n in body["nodes"]["data"] if n["degree"] == 0]
    assert len(isolated) == 59 - len({a for edge in heavy for a in edge})


def test_generic_agencies_join_the_network_on_request(two_plan_client: TestClient, plan: Plan,
                                                      weihai_plan: Plan) -> None:
    plain = two_plan_client.get("/network", params={"document": "数字威海2025年行动方案"}).json()
    assert {n["name"] for n in plain["nodes"]["data"]} == {"市大数据局", "市公安局", "市委网信办", "市教育局"}
    assert plain["edges"]["count"] == 2
    wide = two_plan_client.get("/network", params={"document": weihai_plan.document.id,
                                                   "include_generic": "true"}).json()
    assert wide["edges"]["count"] == len(_expected_edges([weihai_plan], include_generic=True)) == 6
    everything = two_plan_client.get("/network").json()
    assert everything["edges"]["count"] == len(_expected_edges([plan, weihai_plan]))


def test_network_is_capped(plan: Plan) -> None:
    small = MemoryStore.from_plans([plan], row_cap=100)
    body = TestClient(create_app(Settings(row_cap=100), small)).get("/network").json()
    assert body["edges"] | {"data": None} == {"data": None, "count": 100, "truncated": True}
    assert len(body["edges"]["data"]) == 100
    assert body["nodes"]["truncated"] is False


def _clause_pairs(plan: Plan) -> dict[tuple[str, str], list[str]]:
    """Pairs of specific agencies named in one measure, with the measures: written apart from the stores."""
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in plan.measures():
        named = sorted({a.agency_id for a in m.agencies if not a.generic})
        for pair in combinations(named, 2):
            pairs[pair].append(m.id)
    return pairs


def test_the_network_of_clauses(client: TestClient, plan: Plan) -> None:
    body = client.get("/network", params={"level": "measure", "limit": 1000}).json()
    edges = {(e["source"], e["target"]): (e["weight"], e["tasks"]) for e in body["edges"]["data"]}
    assert edges == {pair: (len(ms), sorted(ms)) for pair, ms in _clause_pairs(plan).items()}
    assert len(edges) == 185  # 67 of the 252 task ties share no clause
    tied = client.get("/agencies/市大数据局/partners", params={"level": "measure", "limit": 100}).json()
    assert "市社科联" not in {p["agency"]["name"] for p in tied["data"]}
    assert client.get("/network", params={"level": "clause"}).status_code == 422
