"""Tasks, topics, goals, documents and health on the real plan."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph_loader import Plan


def _get(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _numbers(body: Any) -> list[int]:
    return [t["number"] for t in body["data"]]


def test_all_tasks_in_order_and_paged(client: TestClient) -> None:
    first = _get(client, "/tasks", limit=20)
    assert first["count"] == 54 and _numbers(first) == list(range(1, 21))
    last = _get(client, "/tasks", limit=20, offset=40)
    assert _numbers(last) == list(range(41, 55))


def test_task_summary(client: TestClient) -> None:
    t3 = _get(client, "/tasks", limit=1, offset=2)["data"][0]
    assert t3["title"] == "产业集群培育"
    assert t3["project"] == {"id": "青岛-2025-数字青岛行动方案:p1", "number": 1, "title": "实施数字经济提质工程"}
    assert t3["section"]["title"] == "推动数字产业化"
    assert t3["topics"] == ["人工智能", "数字经济"]
    assert [(o["agency"]["name"], o["role"]) for o in t3["owners"]] == [
        ("市工业和信息化局", "lead"), ("市发展改革委", "lead"), ("市商务局", "co"),
    ]
    t50 = _get(client, "/tasks", limit=1, offset=49)["data"][0]
    assert t50["number"] == 50 and t50["section"] is None  # tasks 50-54 hang under their project


def test_filter_by_topic(client: TestClient, plan: Plan) -> None:
    body = _get(client, "/tasks", topic="人工智能", limit=100)
    assert _numbers(body) == [t.number for t in plan.tasks if "人工智能" in {x.name for x in t.topics}]
    assert 15 in _numbers(body)  # 政务大模型
    assert 2 in _numbers(body) and 6 not in _numbers(body)  # 人工智能等先导产业; 决策模型 is not AI
    traditional = _get(client, "/tasks", topic="數據要素", limit=100)
    assert _numbers(traditional) == [t.number for t in plan.tasks if "数据要素" in {x.name for x in t.topics}]


def test_filter_by_agency_and_role(client: TestClient, plan: Plan) -> None:
    led = _get(client, "/tasks", agency="市大數據局", role="lead", limit=100)
    co = _get(client, "/tasks", agency="市大数据局", role="co", limit=100)
    anyrole = _get(client, "/tasks", agency="市大数据局", limit=100)
    assert _numbers(co) == [12, 19, 42, 51, 52]
    assert len(_numbers(led)) == 14
    assert sorted(_numbers(led) + _numbers(co)) == _numbers(anyrole)
    assert _numbers(anyrole) == [
        t.number for t in plan.tasks if "市大数据局" in {a.name for m in t.measures for a in m.agencies}
    ]
    r = client.get("/tasks", params={"role": "lead"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "bad_input"


def test_filter_by_project_document_and_text(client: TestClient, plan: Plan) -> None:
    assert _numbers(_get(client, "/tasks", project="7")) == [50, 51, 52, 53, 54]
    assert _numbers(_get(client, "/tasks", project="青岛-2025-数字青岛行动方案:p7")) == [50, 51, 52, 53, 54]
    assert _get(client, "/tasks", document="数字青岛2025年行动方案", limit=1)["count"] == 54
    big_models = _get(client, "/tasks", q="大模型", limit=100)
    assert _numbers(big_models) == [t.number for t in plan.tasks if "大模型" in t.text]
    assert _numbers(big_models) == [10, 15, 16, 20, 27, 42]
    assert _numbers(_get(client, "/tasks", q="大模型", agency="市医保局")) == [27]
    assert _get(client, "/tasks", q="区块链", topic="人工智能")["count"] == 1  # task 20
    assert _get(client, "/tasks", q="量子计算")["count"] == 0


def test_one_task_with_everything(client: TestClient, plan: Plan, plan_source: str) -> None:
    t = _get(client, "/tasks/青岛-2025-数字青岛行动方案:t35")
    assert t["title"] == "数字乡村"
    assert [len(m["owners"]) for m in t["measures"]] == [4, 2, 6]
    assert [o["agency"]["name"] for o in t["measures"][2]["owners"]][:2] == ["市教育局", "市卫生健康委"]
    assert plan_source[t["span"][0]:t["span"][1]] == t["source_text"]
    for m in t["measures"]:
        assert [o["position"] for o in m["owners"]] == list(range(1, len(m["owners"]) + 1))
        assert m["owners"][0]["role"] == "lead"
    assert t["document"] == {"id": "青岛-2025-数字青岛行动方案", "title": "数字青岛2025年行动方案", "year": 2025,
                             "jurisdiction": "青岛"}


def test_task_goals_and_raw_names(client: TestClient) -> None:
    t1 = _get(client, "/tasks/青岛-2025-数字青岛行动方案:t1")
    assert [(g["value"], g["unit"], g["comparator"]) for g in t1["goals"]] == [(12, "%", ">="), (3, "个", "=")]
    assert t1["measures"][0]["goals"] == t1["goals"]
    owner = t1["measures"][0]["owners"][0]
    assert (owner["agency"]["name"], owner["raw"]) == ("市大数据局", "市\n大数据局")  # the line break of the text
    assert t1["topic_matches"] == [{"name": "数字经济", "terms": ["数字经济"]}]
    r = client.get("/tasks/青岛-2025-数字青岛行动方案:t99")
    assert r.status_code == 404


def test_topics_with_task_counts(client: TestClient, plan: Plan) -> None:
    body = _get(client, "/topics")
    counts: dict[str, int] = {}
    for t in plan.tasks:
        for x in t.topics:
            counts[x.name] = counts.get(x.name, 0) + 1
    assert {x["name"]: x["tasks"] for x in body["data"]} == counts
    assert [x["name"] for x in body["data"]][:2] == ["数字经济", "人工智能"]
    keys = [(-x["tasks"], x["name"]) for x in body["data"]]
    assert keys == sorted(keys)


def test_goals_with_owners(client: TestClient, plan: Plan) -> None:
    body = _get(client, "/goals", limit=100)
    assert body["count"] == sum(len(t.goals) for t in plan.tasks) == 29
    mine = _get(client, "/goals", agency="市大数据局", limit=100)
    expected = [
        g.id for t in plan.tasks for m in t.measures if "市大数据局" in {a.name for a in m.agencies}
        for g in t.goals if g.measure_id == m.id
    ]
    assert sorted(g["id"] for g in mine["data"]) == sorted(expected)
    racks = next(g for g in mine["data"] if g["unit"] == "架")  # 数据中心标准机架数达6.5万架
    assert racks["value"] == 65000 and racks["task"]["number"] == 42
    assert [o["agency"]["name"] for o in racks["owners"]] == ["市工业和信息化局", "市大数据局"]
    ai = _get(client, "/goals", topic="人工智能", limit=100)
    assert [g["id"] for g in ai["data"]] == [
        g.id for t in plan.tasks if "人工智能" in {x.name for x in t.topics} for g in t.goals
    ]
    order = [(g["task"]["number"]) for g in body["data"]]
    assert order == sorted(order)


def test_documents_and_health(client: TestClient, two_plan_client: TestClient) -> None:
    docs = _get(client, "/documents")
    assert docs == {"data": [{
        "id": "青岛-2025-数字青岛行动方案", "title": "数字青岛2025年行动方案", "year": 2025, "jurisdiction": "青岛",
        "series": "青岛-数字青岛行动方案", "source": "digital-qingdao-2025.txt", "tasks": 54, "measures": 69, "goals": 29, "agencies": 59,
    }], "count": 1, "truncated": False}
    assert [d["jurisdiction"] for d in _get(two_plan_client, "/documents")["data"]] == ["威海", "青岛"]
    health = _get(client, "/health")
    assert (health["store"], health["reachable"], health["documents"]) == ("memory", True, 1)


def test_openapi_shows_examples(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["AgencySummary"]["examples"][0]["name"] == "市大数据局"
    assert schemas["Partner"]["examples"][0]["shared_tasks"] == 4
    assert set(schemas["Page_AgencySummary_"]["properties"]) == {"data", "count", "truncated"}


@pytest.mark.parametrize("project", ["7", "七", "七、", "７", " 7 "])
def test_a_project_number_in_any_form(client: TestClient, project: str) -> None:
    assert _numbers(_get(client, "/tasks", project=project)) == [50, 51, 52, 53, 54]


@pytest.mark.parametrize(("project", "message"), [
    ("九", "no project 九 (read as number 9); projects are numbered 1, 2, 3, 4, 5, 6, 7"),
    ("青岛-2025-数字青岛行动方案:p8", "no project 青岛-2025-数字青岛行动方案:p8; projects are numbered 1, 2, 3, 4, 5, 6, 7"),
    ("一二", "no project 一二; projects are numbered 1, 2, 3, 4, 5, 6, 7"),
])
def test_an_unknown_project_is_404_with_the_numbers_there_are(client: TestClient, project: str, message: str) -> None:
    r = client.get("/tasks", params={"project": project})
    assert r.status_code == 404
    assert r.json()["error"]["message"].startswith(message)
    assert r.json()["error"]["details"]["options"] == ["1", "2", "3", "4", "5", "6", "7"]


def test_a_task_by_document_and_number(client: TestClient, plan: Plan) -> None:
    by_title = _get(client, "/tasks/数字青岛2025年行动方案/3")
    by_id = _get(client, f"/tasks/{plan.document.id}/3")
    assert by_title == by_id == _get(client, f"/tasks/{plan.tasks[2].id}")
    assert (by_title["number"], by_title["title"]) == (3, "产业集群培育")
    assert client.get(f"/tasks/{plan.document.id}/99").status_code == 404
    assert client.get("/tasks/数字青岛2024年行动方案/3").status_code == 404


def test_a_bare_task_number_hints_at_the_id_form(client: TestClient) -> None:
    r = client.get("/tasks/3")
    assert r.status_code == 404
    assert r.json()["error"]["message"] == (
        "no task 3; task ids look like <document id>:t<number> (see /documents), or ask /tasks/{document}/{number}"
    )


def test_policy_tools_per_agency_and_topic(client: TestClient) -> None:
    by_agency = client.get("/documents/青岛-2025-数字青岛行动方案/policy-tools").json()
    big_data = next(r for r in by_agency if r["name"] == "市大数据局")
    # tests/graph_loader/test_policy_tools.py lists the measures behind these counts
    assert (big_data["supply"], big_data["demand"], big_data["environment"]) == (7, 11, 9)
    assert by_agency[0]["name"] == "市大数据局"  # the most measures with tools
    by_topic = client.get("/documents/青岛-2025-数字青岛行动方案/policy-tools", params={"by": "topic"}).json()
    data = next(r for r in by_topic if r["key"] == "数据要素")
    assert (data["supply"], data["demand"], data["environment"]) == (3, 5, 5)
    assert client.get("/documents/青岛-2025-数字青岛行动方案/policy-tools", params={"by": "year"}).status_code == 422
    assert client.get("/documents/青岛-2020-数字青岛行动方案/policy-tools").status_code == 404
