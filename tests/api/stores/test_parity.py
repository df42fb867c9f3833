"""One suite, both stores: every query answers the same on Neo4j and on the embedded store.

The plans (the real Qingdao plan and the small Weihai plan with generic
agencies and a second 市大数据局) are loaded into a wiped Neo4j with the
project's loader once for this module; the embedded store is built from the
same plans. Each case runs a store method on both and requires equal models.
The Neo4j half needs the server (`.venv/bin/policykg neo4j start`); when it
is missing these tests fail, they never skip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import neo4j
import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import ApiError
from api.settings import Settings
from api.stores import answers
from api.stores.base import GraphStore, TaskFilter, Window
from api.stores.memory import MemoryStore
from api.stores.neo4j import Neo4jStore
from graph_loader import Plan
from graph_loader.formats import FORMATS, dumps
from graph_loader.loader import load_plans, wipe_database
from graph_loader.policy_tools import counts_by_agency, counts_by_topic

ALL = Window(limit=1000)
QD = "青岛:市大数据局"
WH = "威海:市大数据局"
DOC = "青岛-2025-数字青岛行动方案"

Case = Callable[[GraphStore], Any]

CASES: dict[str, Case] = {
    "documents": lambda s: s.documents(ALL),
    "documents page": lambda s: s.documents(Window(limit=1, offset=1)),
    "agencies": lambda s: s.agencies(ALL),
    "agencies with generic partners": lambda s: s.agencies(ALL, include_generic=True),
    "agencies of Weihai": lambda s: s.agencies(ALL, jurisdiction="威海"),
    "agencies by kind": lambda s: s.agencies(Window(limit=5, offset=2), kind="government_department"),
    "agency": lambda s: s.agency(QD, Window(limit=7, offset=3)),
    "generic agency": lambda s: s.agency("威海:各区市政府", ALL, include_generic=True),
    "partners": lambda s: s.partners(QD, ALL),
    "partners page": lambda s: s.partners(QD, Window(limit=10, offset=5)),
    "partners with generic": lambda s: s.partners(WH, ALL, include_generic=True),
    "partners without generic": lambda s: s.partners(WH, ALL),
    "shared tasks": lambda s: s.shared_tasks(QD, "青岛:市工业和信息化局", ALL),
    "shared tasks, none": lambda s: s.shared_tasks(QD, WH, ALL),
    "dependencies": lambda s: s.dependencies(QD, ALL),
    "dependencies in": lambda s: s.dependencies(QD, ALL, direction="in"),
    "dependencies out": lambda s: s.dependencies("青岛:市工业和信息化局", ALL, direction="out"),
    "dependencies generic": lambda s: s.dependencies("威海:市教育局", ALL, include_generic=True),
    "network": lambda s: s.network(),
    "network of one document": lambda s: s.network(document_id=DOC, min_weight=2),
    "network with generic": lambda s: s.network(include_generic=True),
    "network of clauses": lambda s: s.network(level="measure"),
    "network of clauses, heavy, of one document": lambda s: s.network(level="measure", min_weight=2, document_id=DOC),
    "partners by clause": lambda s: s.partners(QD, ALL, level="measure"),
    "partners by clause with generic": lambda s: s.partners(WH, ALL, include_generic=True, level="measure"),
    "tasks": lambda s: s.tasks(ALL, TaskFilter()),
    "tasks page": lambda s: s.tasks(Window(limit=10, offset=50), TaskFilter()),
    "tasks by topic": lambda s: s.tasks(ALL, TaskFilter(topic="人工智能")),
    "tasks by agency and role": lambda s: s.tasks(ALL, TaskFilter(agency_id=QD, role="co")),
    "tasks by project number": lambda s: s.tasks(ALL, TaskFilter(project="1")),
    "tasks by project id": lambda s: s.tasks(ALL, TaskFilter(project=f"{DOC}:p7")),
    "tasks by text and document": lambda s: s.tasks(ALL, TaskFilter(text="大模型", document_id=DOC)),
    "task": lambda s: s.task(f"{DOC}:t35"),
    "task without section": lambda s: s.task(f"{DOC}:t52"),
    "task with goals": lambda s: s.task(f"{DOC}:t42"),
    "task with a deadline and its place": lambda s: s.task("威海-2025-数字威海行动方案:t2"),
    "every task of a document": lambda s: [t.model_dump() for t in s.document_tasks("威海-2025-数字威海行动方案")],
    "every task of the seed": lambda s: [t.model_dump() for t in s.document_tasks(DOC)],
    "policy tools by agency": lambda s: [r.model_dump() for r in answers.policy_tool_counts(s, DOC, "agency")],
    "policy tools by topic": lambda s: [r.model_dump() for r in answers.policy_tool_counts(s, DOC, "topic")],
    "topics": lambda s: s.topics(ALL),
    "topics of one document": lambda s: s.topics(ALL, document_id="威海-2025-数字威海行动方案"),
    "goals": lambda s: s.goals(ALL),
    "goals of an agency on a topic": lambda s: s.goals(ALL, agency_id=QD, topic="人工智能"),
    "goals of a document": lambda s: s.goals(Window(limit=3), document_id="威海-2025-数字威海行动方案"),
    "resolve by Traditional name": lambda s: s.resolve_agency("青島:市大數據局"),
    "resolve an alias": lambda s: s.resolve_agency("市工信局"),
    "resolve an alias of another jurisdiction": lambda s: s.resolve_agency("威海:市工信局"),
    "resolve an ambiguous name": lambda s: s.resolve_agency("市大数据局"),
    "resolve an unknown name": lambda s: s.resolve_agency("大数据局"),
    "resolve a topic": lambda s: s.resolve_topic("數據要素"),
    "resolve a document": lambda s: s.resolve_document("数字威海2025年行动方案"),
    "resolve a jurisdiction in front": lambda s: s.resolve_agency("青岛市大数据局"),
    "resolve an abbreviation": lambda s: s.resolve_agency("工信局"),
    "resolve a kind": lambda s: s.resolve_kind("government_department"),
    "resolve an unknown kind": lambda s: s.resolve_kind("bogus"),
    "resolve a jurisdiction": lambda s: s.resolve_jurisdiction("威海"),
    "resolve an unknown jurisdiction": lambda s: s.resolve_jurisdiction("上海"),
    "resolve a project number": lambda s: s.resolve_project("一、"),
    "resolve a project id": lambda s: s.resolve_project(f"{DOC}:p7"),
    "resolve an unknown project": lambda s: s.resolve_project("九"),
    "tasks by project numeral": lambda s: s.tasks(ALL, TaskFilter(project="二、")),
    "unknown task": lambda s: s.task(f"{DOC}:t99"),
    "a task number for an id": lambda s: s.task("3"),
    "role without agency": lambda s: s.tasks(ALL, TaskFilter(role="lead")),
}

GRAPH_CASES: dict[str, Case] = {
    "document subgraph": lambda s: s.document_graph(DOC),
    "topic subgraph": lambda s: s.topic_graph("人工智能"),
    "network graph": lambda s: s.network_graph(include_generic=True),
    "ego graph": lambda s: s.ego_graph(QD, radius=2, min_weight=2),
    "unknown document": lambda s: s.document_graph("doc-nope"),
    "unknown topic": lambda s: s.topic_graph("区块链"),
    "generic ego": lambda s: s.ego_graph("威海:各区市政府"),
    "network graph of clauses": lambda s: s.network_graph(level="measure"),
    "ego graph of clauses": lambda s: s.ego_graph(QD, level="measure"),
}


@pytest.fixture(scope="module")
def memory(plan: Plan, weihai_plan: Plan) -> MemoryStore:
    return MemoryStore.from_plans([plan, weihai_plan])


@pytest.fixture(scope="module")
def loaded(neo4j_driver: neo4j.Driver, plan: Plan, weihai_plan: Plan) -> Neo4jStore:
    wipe_database(neo4j_driver)
    load_plans(neo4j_driver, [plan, weihai_plan])
    return Neo4jStore(neo4j_driver, uri="the test server")  # not closed: the driver is the session's


def _answer(case: Case, store: GraphStore) -> Any:
    """A model's data, a graph's nodes and edges, or the error it raised (class, status, message, details)."""
    try:
        got = case(store)
    except ApiError as e:
        return (type(e).__name__, e.status, e.message, e.details)
    if isinstance(got, nx.Graph):
        return (dict(got.nodes(data=True)), sorted(got.edges(data=True), key=lambda e: (e[0], e[1])))
    return got.model_dump() if hasattr(got, "model_dump") else got


@pytest.mark.neo4j
@pytest.mark.parametrize("name", list(CASES))
def test_same_answer(name: str, loaded: Neo4jStore, memory: MemoryStore) -> None:
    assert _answer(CASES[name], loaded) == _answer(CASES[name], memory)


@pytest.mark.neo4j
@pytest.mark.parametrize("by", ["agency", "topic"])
def test_the_policy_tools_counted_by_the_stores_are_the_plans(loaded: Neo4jStore, plan: Plan, by: str) -> None:
    counted = counts_by_agency([plan]) if by == "agency" else counts_by_topic([plan])
    expected = {key: (c["供给型"], c["需求型"], c["环境型"]) for key, c in counted.items()}
    answer = answers.policy_tool_counts(loaded, DOC, by)  # type: ignore[arg-type]
    assert {r.key: (r.supply, r.demand, r.environment) for r in answer} == expected
    assert sum(r.supply + r.demand + r.environment for r in answer) > 0
    tools = [m.tools for m in loaded.task(f"{DOC}:t9").measures]
    assert tools == [m.tools for m in plan.tasks[8].measures] and tools[0]


@pytest.mark.neo4j
def test_a_task_tie_is_not_a_clause_tie(loaded: Neo4jStore) -> None:
    """市大数据局 and 市社科联 are named in task 18's two clauses, one each: tied by the task, not by a clause;
    67 of the seed's 252 task ties are of that kind."""
    names = {lv: [p.agency.name for p in loaded.partners(QD, ALL, level=lv).data] for lv in ("task", "measure")}
    assert "市社科联" in names["task"] and "市社科联" not in names["measure"]
    edges = {lv: loaded.network(document_id=DOC, level=lv).edges.count for lv in ("task", "measure")}
    assert edges == {"task": 252, "measure": 185}


@pytest.mark.neo4j
def test_the_deadline_and_place_cases_are_not_empty(loaded: Neo4jStore) -> None:
    """Their parity means something: the values compared equal are there."""
    assert [m.deadline for m in loaded.task("威海-2025-数字威海行动方案:t2").measures] == ["2025年底"]
    assert loaded.task(f"{DOC}:t35").place == "line 63"


@pytest.mark.neo4j
@pytest.mark.parametrize("name", list(GRAPH_CASES))
def test_same_subgraph(name: str, loaded: Neo4jStore, memory: MemoryStore) -> None:
    answer = _answer(GRAPH_CASES[name], loaded)
    assert answer == _answer(GRAPH_CASES[name], memory)
    if not isinstance(answer[0], str):  # not an error: the files are the same byte for byte
        for fmt in FORMATS:
            assert dumps(GRAPH_CASES[name](loaded), fmt) == dumps(GRAPH_CASES[name](memory), fmt)


def test_the_error_cases_are_errors(memory: MemoryStore) -> None:
    """The memory half of the cases alone: exactly the cases meant to fail do."""
    failing = set()
    for name, case in {**CASES, **GRAPH_CASES}.items():
        try:
            case(memory)
        except ApiError:
            failing.add(name)
    assert failing == {"resolve an ambiguous name", "resolve an unknown name", "unknown task", "role without agency",
                       "unknown document", "unknown topic", "generic ego", "resolve an abbreviation",
                       "resolve an unknown kind", "resolve an unknown jurisdiction", "resolve an unknown project",
                       "a task number for an id", "resolve an alias of another jurisdiction"}


# -- the same HTTP tests on both stores ------------------------------------------------------------------------


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def any_client(request: pytest.FixtureRequest, memory: MemoryStore) -> Iterator[TestClient]:
    store: GraphStore = memory if request.param == "memory" else request.getfixturevalue("loaded")
    with TestClient(create_app(Settings(), store)) as client:
        yield client


def test_partners_over_http(any_client: TestClient) -> None:
    body = any_client.get(f"/agencies/{QD}/partners", params={"limit": 2}).json()
    assert body["count"] == 34
    assert [(p["agency"]["name"], p["shared_tasks"]) for p in body["data"]] == [
        ("市工业和信息化局", 4), ("市住房城乡建设局", 2)
    ]


def test_ambiguous_and_unknown_names_over_http(any_client: TestClient) -> None:
    r = any_client.get("/agencies/市大數據局")
    assert r.status_code == 422
    assert [o["id"] for o in r.json()["error"]["details"]["options"]] == [WH, QD]
    r = any_client.get("/agencies/大数据局")
    assert r.status_code == 404
    assert r.json()["error"]["details"]["suggestions"][:2] == [{"id": WH, "name": "市大数据局"},
                                                               {"id": QD, "name": "市大数据局"}]


def test_health_over_http(any_client: TestClient) -> None:
    health = any_client.get("/health").json()
    assert health["reachable"] is True and health["documents"] == 2


def test_network_over_http(any_client: TestClient) -> None:
    body = any_client.get("/network", params={"document": "数字青岛2025年行动方案", "min_weight": 5}).json()
    assert [(e["source"], e["target"], e["weight"]) for e in body["edges"]["data"]] == [
        ("青岛:市发展改革委", "青岛:市工业和信息化局", 5)
    ]
    assert body["nodes"]["count"] == 59
