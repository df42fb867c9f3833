"""Fixtures for the API tests: the real plan in the embedded store and on Neo4j, and a second, smaller plan
from Weihai.

The Weihai plan names 市大数据局 too (the same name in another jurisdiction)
and two collective placeholders (各区市政府, 市政府有关部门), which the
Qingdao plan does not.
"""

from __future__ import annotations

from collections.abc import Iterator

import neo4j
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.stores.memory import MemoryStore
from api.stores.neo4j import Neo4jStore
from graph_loader import Plan, parse_text
from graph_loader.loader import load_plans, wipe_database

from ..conftest import neo4j_auth, neo4j_uri  # noqa: TID252  (importlib mode resolves the package-less tests dir)

WEIHAI_TEXT = """数字威海2025年行动方案
一、夯实数据基础
(一)数据资源
1.公共数据。推动公共数据开放,新增不少于5个行业专区。(责任单位:市大数据局、市公安局、各区市政府)
2.数据安全。加强数据安全管理。(牵头单位:市委网信办;责任单位:市大数据局、各区市政府;完成时限:2025年底)
3.智慧教育。推进人工智能助教。(市教育局、市政府有关部门按职责分工负责)
"""


@pytest.fixture(scope="session")
def weihai_plan() -> Plan:
    return parse_text(WEIHAI_TEXT, document="weihai-2025.txt")


@pytest.fixture(scope="session")
def store(plan: Plan) -> MemoryStore:
    return MemoryStore.from_plans([plan])


@pytest.fixture(scope="session")
def two_plan_store(plan: Plan, weihai_plan: Plan) -> MemoryStore:
    return MemoryStore.from_plans([plan, weihai_plan])


@pytest.fixture(scope="session")
def client(store: MemoryStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), store), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def two_plan_client(two_plan_store: MemoryStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), two_plan_store), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def neo4j_client(neo4j_driver: neo4j.Driver, plan: Plan) -> Iterator[TestClient]:
    """The API on Neo4j holding the real plan; a new app (its store has seen no name) for each module."""
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, [plan])
    user, password = neo4j_auth()
    settings = Settings(neo4j_uri=neo4j_uri(), neo4j_user=user, neo4j_password=password)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert isinstance(client.app.state.store, Neo4jStore)  # type: ignore[attr-defined]
        yield client
