"""The front page, /health and the docs: where to start, and nothing about this machine."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ..conftest import ROOT  # noqa: TID252


def test_the_front_page_lists_the_questions(client: TestClient) -> None:
    index = client.get("/").json()
    assert (index["name"], index["docs"], index["openapi"]) == ("policykg", "/docs", "/openapi.json")
    paths = set(index["questions"].values())
    assert {"/agencies/{agency}/partners", "/tasks/{document}/{number}", "/network"} <= paths
    templates = set(client.get("/openapi.json").json()["paths"])
    assert {p.split("?")[0] for p in paths} <= templates, "every path named there is a route"


def test_health_shows_no_path_of_this_machine() -> None:
    from api.app import create_app
    from api.settings import Settings
    from api.stores.memory import MemoryStore

    store = MemoryStore.from_directory(ROOT / "source_text")
    with TestClient(create_app(Settings(), store)) as c:
        detail = c.get("/health").json()["detail"]
    assert detail == "embedded store, 1 plan(s) from source_text/"
    assert str(ROOT) not in detail


def test_docs_are_served_offline_and_redoc_is_gone(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200 and "https://" not in docs.text
    assert client.get("/redoc").status_code == 404
