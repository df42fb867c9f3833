"""Agencies, topics and documents named the way people type them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.errors import BadInput, NotFound
from api.stores.memory import MemoryStore


@pytest.mark.parametrize(
    "typed",
    [
        "青岛:市大数据局",  # the id
        "市大数据局",
        "市大數據局",  # Traditional script
        "市大数据局　",  # a full-width space
        "市\n大数据局",  # a line break, as in the plan's own text
        "市大数据发展管理局",  # an alias from the directory
        "青岛：市大数据局",  # id with a full-width colon
        "青島:市大數據局",
    ],
)
def test_ways_of_naming_one_agency(store: MemoryStore, typed: str) -> None:
    assert store.resolve_agency(typed).id == "青岛:市大数据局"


def test_full_width_and_aliases_over_http(client: TestClient) -> None:
    r = client.get("/agencies/市工信局")
    assert r.status_code == 200 and r.json()["id"] == "青岛:市工业和信息化局"
    r = client.get("/agencies/市卫健委/partners", params={"limit": 1})
    assert r.status_code == 200


def test_unknown_agency_suggests_the_closest_names(store: MemoryStore) -> None:
    with pytest.raises(NotFound) as caught:
        store.resolve_agency("大数据局")
    assert caught.value.status == 404
    assert caught.value.details["suggestions"][0] == {"id": "青岛:市大数据局", "name": "市大数据局"}
    assert "市大数据局" in caught.value.message


def test_misspelt_agency_gets_difflib_suggestions(store: MemoryStore) -> None:
    with pytest.raises(NotFound) as caught:
        store.resolve_agency("市工业信息化局")
    assert "市工业和信息化局" in [s["name"] for s in caught.value.details["suggestions"]]


def test_nothing_close_suggests_nothing(store: MemoryStore) -> None:
    with pytest.raises(NotFound) as caught:
        store.resolve_agency("联合国")
    assert caught.value.details["suggestions"] == []


def test_a_name_in_two_jurisdictions_is_ambiguous(two_plan_client: TestClient) -> None:
    r = two_plan_client.get("/agencies/市大数据局")
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "bad_input"
    assert [o["id"] for o in error["details"]["options"]] == ["威海:市大数据局", "青岛:市大数据局"]
    r = two_plan_client.get("/agencies/威海:市大数据局")
    assert r.status_code == 200 and r.json()["jurisdiction"] == "威海"


def test_empty_name_is_bad_input(store: MemoryStore) -> None:
    with pytest.raises(BadInput):
        store.resolve_agency("  ")


def test_topics_and_documents(store: MemoryStore) -> None:
    assert store.resolve_topic("人工智能") == "人工智能"
    assert store.resolve_topic("數據要素") == "数据要素"
    with pytest.raises(NotFound) as caught:
        store.resolve_topic("区块链")
    assert "人工智能" in caught.value.details["topics"]
    assert store.resolve_document("《数字青岛2025年行动方案》").id == "青岛-2025-数字青岛行动方案"
    assert store.resolve_document("青岛-2025-数字青岛行动方案").title == "数字青岛2025年行动方案"
    with pytest.raises(NotFound):
        store.resolve_document("数字青岛2024年行动方案")


def test_a_jurisdiction_in_front_of_the_name(two_plan_store: MemoryStore) -> None:
    assert two_plan_store.resolve_agency("青岛市大数据局").id == "青岛:市大数据局"
    assert two_plan_store.resolve_agency("威海市大数据局").id == "威海:市大数据局"
    assert two_plan_store.resolve_agency("青島市大數據局").id == "青岛:市大数据局"


def test_an_abbreviation_suggests_the_full_name_first(store: MemoryStore) -> None:
    with pytest.raises(NotFound) as caught:
        store.resolve_agency("工信局")
    suggestions = [s["name"] for s in caught.value.details["suggestions"]]
    assert suggestions[0] == "市工业和信息化局"
    assert "市信访局" not in suggestions[:1]
