"""Agency endpoints on the real plan, checked against expectations computed from the parse itself.

The expectations below walk the parser's Plan model directly (not the graph
and not the store), so a store bug cannot hide in both.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph_loader import Plan

BIG_DATA = "青岛:市大数据局"
INDUSTRY = "青岛:市工业和信息化局"


def _task_roles(plans: list[Plan]) -> dict[str, dict[str, str]]:
    """agency id -> task id -> role in the task (lead if it leads any measure)."""
    roles: dict[str, dict[str, str]] = defaultdict(dict)
    for plan in plans:
        for task in plan.tasks:
            for m in task.measures:
                for a in m.agencies:
                    if roles[a.agency_id].get(task.id) != "lead":
                        roles[a.agency_id][task.id] = a.role
    return roles


def _expected_partners(plans: list[Plan], agency: str, include_generic: bool) -> dict[str, set[int]]:
    generic = {a.id for p in plans for a in p.agencies if a.generic}
    out: dict[str, set[int]] = defaultdict(set)
    for plan in plans:
        for task in plan.tasks:
            owners = {a.agency_id for m in task.measures for a in m.agencies}
            if agency in owners:
                for other in owners - {agency}:
                    if include_generic or other not in generic:
                        out[other].add(task.number)
    return out


def _get(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_every_agency_with_its_counts(client: TestClient, plan: Plan) -> None:
    body = _get(client, "/agencies", limit=1000)
    assert body["count"] == len(plan.agencies) == 59
    assert body["truncated"] is False
    assert [a["name"] for a in body["data"]] == sorted(a.name for a in plan.agencies)
    roles = _task_roles([plan])
    for row in body["data"]:
        mine = roles[row["id"]]
        measures = [m for t in plan.tasks for m in t.measures if row["id"] in {a.agency_id for a in m.agencies}]
        assert row["tasks"] == len(mine)
        assert row["tasks_led"] == sum(1 for r in mine.values() if r == "lead")
        assert row["tasks_supported"] == sum(1 for r in mine.values() if r == "co")
        assert row["measures"] == len(measures)
        assert row["goals"] == sum(1 for t in plan.tasks for g in t.goals if g.measure_id in {m.id for m in measures})
        assert row["partners"] == len(_expected_partners([plan], row["id"], include_generic=False))


def test_big_data_bureau_read_from_the_text(client: TestClient) -> None:
    # Counted by reading the plan: 21 responsibility lists name 市大数据局; it is listed first
    # in 15 of them, over 14 tasks (task 36 twice); it supports tasks 12, 19, 42, 51 and 52.
    a = _get(client, f"/agencies/{BIG_DATA}", limit=100)
    assert (a["tasks"], a["tasks_led"], a["tasks_supported"], a["measures"]) == (19, 14, 5, 21)
    tasks = a["task_list"]
    assert tasks["count"] == 19
    supported = [t["number"] for t in tasks["data"] if t["role"] == "co"]
    assert supported == [12, 19, 42, 51, 52]
    t36 = next(t for t in tasks["data"] if t["number"] == 36)
    assert [(m["measure_number"], m["role"], m["position"]) for m in t36["measures"]] == [(1, "lead", 1), (2, "lead", 1)]
    t52 = next(t for t in tasks["data"] if t["number"] == 52)
    assert [(m["measure_number"], m["role"], m["position"]) for m in t52["measures"]] == [(1, "co", 4), (2, "co", 3)]


def test_agency_tasks_are_paged(client: TestClient) -> None:
    first = _get(client, f"/agencies/{BIG_DATA}", limit=5)["task_list"]
    rest = _get(client, f"/agencies/{BIG_DATA}", limit=50, offset=5)["task_list"]
    assert first["count"] == rest["count"] == 19
    numbers = [t["number"] for t in first["data"] + rest["data"]]
    assert numbers == sorted(numbers) and len(numbers) == 19


def test_partners_of_the_big_data_bureau(client: TestClient, plan: Plan) -> None:
    body = _get(client, f"/agencies/{BIG_DATA}/partners", limit=1000)
    expected = _expected_partners([plan], BIG_DATA, include_generic=False)
    assert body["count"] == len(expected) == 34
    got = {p["agency"]["id"]: [t["number"] for t in p["tasks"]] for p in body["data"]}
    assert got == {k: sorted(v) for k, v in expected.items()}
    # Most shared first, then by id: 市工业和信息化局 shares tasks 1, 19, 42 and 51.
    top = body["data"][0]
    assert (top["agency"]["id"], top["shared_tasks"]) == (INDUSTRY, 4)
    assert [t["number"] for t in top["tasks"]] == [1, 19, 42, 51]
    keys = [(-p["shared_tasks"], p["agency"]["id"]) for p in body["data"]]
    assert keys == sorted(keys)


def test_tasks_two_agencies_share(client: TestClient) -> None:
    body = _get(client, f"/agencies/{BIG_DATA}/partners/市工信局")
    assert body["count"] == 4
    assert [(t["number"], t["agency_role"], t["other_role"]) for t in body["data"]] == [
        (1, "lead", "co"),  # (责任单位:市大数据局、市工业和信息化局)
        (19, "co", "co"),  # 市发展改革委 leads
        (42, "co", "lead"),
        (51, "co", "lead"),
    ]
    r = client.get(f"/agencies/{BIG_DATA}/partners/市大数据局")
    assert r.status_code == 422 and r.json()["error"]["code"] == "bad_input"


def test_dependencies_of_the_big_data_bureau(client: TestClient, plan: Plan) -> None:
    expected: dict[tuple[str, str], set[int]] = defaultdict(set)
    for task in plan.tasks:
        for m in task.measures:
            lead, *cos = m.agencies
            for co in cos:
                if lead.agency_id == BIG_DATA:
                    expected[("out", co.agency_id)].add(m.number + 100 * task.number)
                if co.agency_id == BIG_DATA:
                    expected[("in", lead.agency_id)].add(m.number + 100 * task.number)
    body = _get(client, f"/agencies/{BIG_DATA}/dependencies", limit=1000)
    assert body["count"] == len(expected)
    got = {
        (d["direction"], (d["supporting"] if d["direction"] == "out" else d["lead"])["id"]): d["measures"]
        for d in body["data"]
    }
    assert got == {k: len(v) for k, v in expected.items()}
    incoming = [d for d in body["data"] if d["direction"] == "in"]
    assert [(d["lead"]["name"], d["measures"], [t["number"] for t in d["tasks"]]) for d in incoming] == [
        ("市工业和信息化局", 2, [42, 51]),
        ("市发展改革委", 1, [19]),
        ("市司法局", 1, [52]),
        ("市国资委", 1, [12]),
        ("市委网信办", 1, [52]),
    ]
    assert all(d["supporting"]["id"] == BIG_DATA for d in incoming)
    directions = [d["direction"] for d in body["data"]]
    assert directions == sorted(directions, reverse=True)  # out first
    only_in = _get(client, f"/agencies/{BIG_DATA}/dependencies", direction="in")
    assert only_in["count"] == len(incoming)


def test_generic_agencies_are_kept_but_not_partners_by_default(two_plan_client: TestClient, weihai_plan: Plan) -> None:
    listed = _get(two_plan_client, "/agencies", jurisdiction="威海", limit=100)
    assert _get(two_plan_client, "/agencies", jurisdiction="威海")["count"] == listed["count"] == 6
    assert {a["name"]: a["generic"] for a in listed["data"]} == {
        "各区市政府": True, "市公安局": False, "市大数据局": False, "市委网信办": False, "市政府有关部门": True,
        "市教育局": False,
    }
    plain = _get(two_plan_client, "/agencies/威海:市大数据局/partners")
    assert [p["agency"]["name"] for p in plain["data"]] == ["市公安局", "市委网信办"]
    wide = _get(two_plan_client, "/agencies/威海:市大数据局/partners", include_generic="true")
    assert [(p["agency"]["name"], p["shared_tasks"]) for p in wide["data"]] == [
        ("各区市政府", 2), ("市公安局", 1), ("市委网信办", 1)
    ]
    assert len(_expected_partners([weihai_plan], "威海:市大数据局", include_generic=True)) == 3
    education = _get(two_plan_client, "/agencies/威海:市教育局")
    assert education["partners"] == 0
    assert _get(two_plan_client, "/agencies/威海:市教育局", include_generic="true")["partners"] == 1
    generic = _get(two_plan_client, "/agencies/各区市政府")
    assert (generic["generic"], generic["kind"], generic["tasks_supported"]) == (True, "generic", 2)


def test_generic_leads_and_supporters_are_dependencies_only_on_request(two_plan_client: TestClient) -> None:
    plain = _get(two_plan_client, "/agencies/威海:市教育局/dependencies")
    assert plain["count"] == 0
    wide = _get(two_plan_client, "/agencies/威海:市教育局/dependencies", include_generic="true")
    assert [(d["direction"], d["supporting"]["name"]) for d in wide["data"]] == [("out", "市政府有关部门")]


@pytest.mark.parametrize(("params", "message", "options"), [
    ({"kind": "bogus"}, "no kind bogus; kinds: ", ["district_government", "generic", "government_department"]),
    ({"jurisdiction": "上海"}, "no jurisdiction 上海; jurisdictions: ", ["威海", "青岛"]),
])
def test_an_unknown_filter_is_404_with_what_there_is(
    two_plan_client: TestClient, params: dict[str, str], message: str, options: list[str]
) -> None:
    r = two_plan_client.get("/agencies", params=params)
    assert r.status_code == 404
    assert r.json()["error"]["message"].startswith(message)
    assert set(options) <= set(r.json()["error"]["details"]["options"])


def test_filters_in_another_script_still_match(two_plan_client: TestClient) -> None:
    assert _get(two_plan_client, "/agencies", jurisdiction="威海")["count"] == 6
    assert _get(two_plan_client, "/agencies", jurisdiction="青島")["count"] == 59
