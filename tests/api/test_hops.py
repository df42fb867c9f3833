"""A request on Neo4j hops to a worker thread once: its names are resolved in the store call that answers it.

Each hop costs a context switch (0.2–0.5 ms on the 2 shared cores), more than the name lookup a cached name
costs; before, every name dependency made its own hop. The tests count the calls of starlette's
``run_in_threadpool`` (how ``api.deps.answer`` leaves the event loop), with names the store has not seen
(their lookups are queries) and names it has (no query).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import deps


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the calls ``api.deps.answer`` made on a worker thread, in order."""
    calls: list[str] = []
    real = deps.run_in_threadpool

    async def counted(fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(fn.fn, "__name__", repr(fn.fn)))
        return await real(fn, *args, **kwargs)

    monkeypatch.setattr(deps, "run_in_threadpool", counted)
    return calls



@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("path", "call"),
    [
        ("/tasks?topic=人工智能&agency=市大數據局&document=数字青岛2025年行动方案&project=1", "tasks"),
        ("/agencies/市大数据局/partners/市工信局", "shared_tasks"),
        ("/agencies/市大數據局/partners", "partners"),
        ("/goals?agency=市大数据局&topic=人工智能", "goals"),
        ("/tasks/数字青岛2025年行动方案/35", "task"),
        ("/agencies?jurisdiction=青島&kind=government_department", "agencies"),
    ],
)
def test_one_hop_a_request_with_names_cold_and_warm(
    neo4j_client: TestClient, client: TestClient, hops: list[str], path: str, call: str
) -> None:
    embedded = client.get(path)
    assert embedded.status_code == 200, embedded.text
    for _ in ("first", "again"):  # first: a name no case before gave is looked up by a query; again: remembered
        hops.clear()
        r = neo4j_client.get(path)
        assert r.status_code == 200, r.text
        assert r.json() == embedded.json()  # the names resolved as the embedded store resolves them
        assert hops == [call]


@pytest.mark.neo4j
def test_a_name_not_found_answers_404_from_the_one_hop(neo4j_client: TestClient, hops: list[str]) -> None:
    r = neo4j_client.get("/tasks?topic=人工智能&agency=市没有局")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    assert hops == ["tasks"]
