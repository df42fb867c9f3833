"""Export endpoints: files networkx reads back, the right media types, names resolved as elsewhere."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.stores.memory import MemoryStore
from graph_loader.formats import FORMATS, loads, prepare


@pytest.mark.parametrize("fmt", FORMATS)
def test_ego_network_file(client: TestClient, store: MemoryStore, fmt: str) -> None:
    r = client.get("/exports/agencies/市大數據局/ego", params={"format": fmt})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(FORMATS[fmt].media_type)
    assert r.headers["content-disposition"].startswith("attachment;")
    assert r.headers["content-disposition"].endswith(quote(f"ego-市大数据局{FORMATS[fmt].suffix}"))
    got = loads(r.content, fmt)
    expected = prepare(store.ego_graph("青岛:市大数据局"), fmt)
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
    assert got.number_of_edges() == expected.number_of_edges()
    assert got.number_of_nodes() == 35  # the bureau and its 34 partners


def test_network_file_with_filters(client: TestClient) -> None:
    r = client.get("/exports/network", params={"format": "json", "min_weight": 4})
    got = loads(r.content, "json")
    assert got.number_of_nodes() == 59
    assert all(d["weight"] >= 4 for _, _, d in got.edges(data=True))
    assert got.edges["青岛:市大数据局", "青岛:市工业和信息化局"]["weight"] == 4


def test_topic_and_document_files(client: TestClient) -> None:
    topic = loads(client.get("/exports/topics/人工智能").content, "graphml")
    assert (topic.nodes["topic:人工智能"]["label"], topic.nodes["topic:人工智能"]["type"]) == ("人工智能", "Topic")
    assert sum(1 for _, d in topic.nodes(data=True) if d["type"] == "Task") == 13
    doc = loads(client.get("/exports/documents/数字青岛2025年行动方案", params={"format": "gexf"}).content, "gexf")
    assert doc.number_of_nodes() == 248


def test_network_as_an_edge_list_for_excel(client: TestClient, store: MemoryStore) -> None:
    r = client.get("/exports/network", params={"format": "csv-edges", "min_weight": 4})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"].endswith("filename*=UTF-8''network.edges.csv")
    assert r.content.startswith("\ufeffsource,target,source_name,target_name,weight,type,label,tasks\r\n".encode())
    got = loads(r.content, "csv-edges")
    assert got.edges["青岛:市大数据局", "青岛:市工业和信息化局"]["weight"] == 4
    assert got.nodes["青岛:市大数据局"] == {"name": "市大数据局"}
    expected = prepare(store.network_graph(min_weight=4), "csv-edges")
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
    assert {frozenset((u, v)): d for u, v, d in got.edges(data=True)} == {
        frozenset((u, v)): d for u, v, d in expected.edges(data=True)}


def test_export_errors(client: TestClient) -> None:
    assert client.get("/exports/topics/区块链").status_code == 404
    assert client.get("/exports/agencies/大数据局/ego").json()["error"]["details"]["suggestions"][0]["name"] == "市大数据局"
    r = client.get("/exports/network", params={"format": "csv"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"


def test_generic_agency_ego_needs_include_generic(two_plan_client: TestClient) -> None:
    r = two_plan_client.get("/exports/agencies/各区市政府/ego")
    assert r.status_code == 404 and "include_generic" in r.json()["error"]["message"]
    r = two_plan_client.get("/exports/agencies/各区市政府/ego", params={"include_generic": "true", "format": "json"})
    assert set(loads(r.content, "json")) == {"威海:各区市政府", "威海:市大数据局", "威海:市公安局", "威海:市委网信办"}
