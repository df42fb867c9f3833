"""`policykg load --bulk` into a Neo4j of the test's own, against a transactional load of the same plans in the
suite's Neo4j: the same nodes, relationships, properties (and their types), indexes and answers; a later
`policykg load` finds every document unchanged; and each refusal changes nothing.

The own server lives in a temporary folder on free ports and borrows the suite's fetched jars (its ``dist/``,
read-only), so nothing is downloaded. Its plans: the seed, its 2024 and 2026 variants (CONTINUES), the Weihai
plan (a second 市大数据局, generic agencies, a deadline) and a plan written here with what CSV must quote
(ASCII double quotes, commas, a line break inside an agency's name).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest

from api.settings import DEV_PASSWORD, Settings
from api.stores.base import TaskFilter, Window
from api.stores.neo4j import Neo4jStore
from graph_loader import Plan, parse_file, parse_text
from graph_loader.bulk import BulkError, write_import_files
from graph_loader.cypher import query
from graph_loader.loader import load_plans
from local_neo4j import LocalNeo4j, Neo4jServerError, ServerConfig
from local_neo4j.importer import backup_dir, run_import
from local_neo4j.java import find_java

from ..api.conftest import WEIHAI_TEXT  # noqa: TID252
from ..conftest import PLAN_FILE, free_port, suite_cypher, user_env  # noqa: TID252

POLICYKG = Path(sys.executable).with_name("policykg")
SERIES = Path(__file__).resolve().parent / "series"
QUOTED = """青岛市2026年数据要素工作要点
一、夯实数据基础
1.数据"三权"分置。推进"数据要素×"行动,建设"一网通办",编制目录(含共享、开放两类)。(责任单位:市大数据局、市公安局)
2.数据安全。加强数据安全管理,新增不少于5个行业专区。(牵头单位:市委网信办;责任单位:市
大数据局)
"""
QD = "青岛:市大数据局"
DOC = "青岛-2025-数字青岛行动方案"


@pytest.fixture(scope="module")
def plan_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("bulk-plans")
    (folder / "weihai-2025.txt").write_text(WEIHAI_TEXT, encoding="utf-8")
    (folder / "quoted.txt").write_text(QUOTED, encoding="utf-8")
    return [PLAN_FILE, SERIES / "digital-qingdao-2024.txt", SERIES / "digital-qingdao-2026.txt",
            folder / "weihai-2025.txt", folder / "quoted.txt"]


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    """An empty Neo4j of this module's own, started; stopped at the end."""
    cache = tmp_path_factory.mktemp("bulk-neo4j")
    suite = Settings.from_env().cache_dir
    if (suite / "dist").is_dir():
        (cache / "dist").symlink_to(suite / "dist", target_is_directory=True)
    elif (suite / "m2").is_dir():
        (cache / "m2").symlink_to(suite / "m2", target_is_directory=True)
    bolt = free_port()
    http = free_port()
    while http == bolt:
        http = free_port()
    server = LocalNeo4j(ServerConfig(cache_dir=cache, password=DEV_PASSWORD, bolt_port=bolt, http_port=http))
    try:
        server.start(timeout=180)
        yield server
    finally:
        server.stop()


def _env(server: LocalNeo4j, **extra: str) -> dict[str, str]:
    """A user's environment naming the own server as the local Neo4j of the checkout (NEO4J_URI unset)."""
    config = server.config
    return user_env(POLICYKG_CACHE_DIR=str(config.cache_dir), POLICYKG_NEO4J_BOLT_PORT=str(config.bolt_port),
                    POLICYKG_NEO4J_HTTP_PORT=str(config.http_port), **extra)


def _policykg(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(POLICYKG), *map(str, args)], capture_output=True, text=True, env=env, timeout=600,
                          check=False)


def _refused(done: subprocess.CompletedProcess[str], says: str) -> None:
    """Exit 2, nothing on stdout, and one line on stderr that says ``says``."""
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("warning: ")]
    assert len(lines) == 1 and lines[0].startswith("policykg: ") and says in lines[0], done.stderr


def _nodes(server: LocalNeo4j) -> int:
    with neo4j.GraphDatabase.driver(server.bolt_uri, auth=("neo4j", DEV_PASSWORD)) as driver:
        records, _, _ = driver.execute_query(query("load_bulk_node_count"))
    return int(records[0]["count"])


def _typed(value: Any) -> Any:
    """A property value, hashable, with its type: 1 and 1.0, [] and no property, are told apart."""
    if isinstance(value, list):
        return ("list", tuple(_typed(x) for x in value))
    if isinstance(value, dict):
        return tuple(sorted((k, _typed(v)) for k, v in value.items()))
    return (type(value).__name__, value)


def _contents(driver: neo4j.Driver) -> dict[str, Any]:
    """Everything a load leaves: every node and relationship with its typed properties, and the indexes."""
    def rows(name: str) -> list[Any]:
        return sorted(_typed(dict(r)) for r in driver.execute_query(suite_cypher(name))[0])

    return {name: rows(name) for name in ("stats_all_nodes", "stats_all_relationships", "stats_indexes")}


ANSWERS = {
    "documents": lambda s: s.documents(Window(limit=100)),
    "agencies with generic": lambda s: s.agencies(Window(limit=1000), include_generic=True),
    "partners": lambda s: s.partners(QD, Window(limit=1000)),
    "partners by clause": lambda s: s.partners(QD, Window(limit=1000), level="measure"),
    "network": lambda s: s.network(include_generic=True),
    "tasks by topic": lambda s: s.tasks(Window(limit=1000), TaskFilter(topic="人工智能")),
    "tasks by text": lambda s: s.tasks(Window(limit=1000), TaskFilter(text="一网通办")),
    "task with goals": lambda s: s.task(f"{DOC}:t42"),
    "task with a deadline": lambda s: s.task("威海-2025-数字威海行动方案:t2"),
    "goals": lambda s: s.goals(Window(limit=1000)),
    "topics": lambda s: s.topics(Window(limit=100)),
}


@pytest.mark.neo4j
def test_refusals_before_the_import_change_nothing(own_server: LocalNeo4j, plan_files: list[Path],
                                                   tmp_path: Path) -> None:
    pid = own_server.status()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _refused(_policykg(_env(own_server, NEO4J_URI="bolt://192.0.2.1:7687", NEO4J_PASSWORD="not-the-dev-one"),
                       "load", "--bulk", PLAN_FILE),
             "--bulk imports into the local Neo4j of this checkout")
    _refused(_policykg(_env(own_server), "load", "--bulk", "--force", PLAN_FILE), "use one of them")
    _refused(_policykg(_env(own_server, NEO4J_DATABASE="plans"), "load", "--bulk", PLAN_FILE),
             "--bulk imports into the database neo4j")
    _refused(_policykg(_env(own_server), "load", "--bulk", *plan_files, empty), str(empty))
    assert own_server.status() == pid, "the server was not stopped or restarted"
    assert _nodes(own_server) == 0


@pytest.mark.neo4j
def test_bulk_import_equals_a_transactional_load(own_server: LocalNeo4j, plan_files: list[Path],
                                                 empty_neo4j: neo4j.Driver) -> None:
    plans = [parse_file(path) for path in plan_files]
    assert any('"' in t.text for t in plans[-1].tasks) and any("\n" in t.source_text for t in plans[-1].tasks)
    done = _policykg(_env(own_server), "load", "--bulk", *plan_files)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("5 loaded, 0 unchanged (") and "by neo4j-admin database import full" in done.stdout
    load_plans(empty_neo4j, plans)

    with neo4j.GraphDatabase.driver(own_server.bolt_uri, auth=("neo4j", DEV_PASSWORD)) as bulk:
        imported, loaded = _contents(bulk), _contents(empty_neo4j)
        assert imported["stats_all_nodes"] == loaded["stats_all_nodes"]
        assert imported["stats_all_relationships"] == loaded["stats_all_relationships"]
        assert imported["stats_indexes"] == loaded["stats_indexes"]
        types = {value[1] for row in imported["stats_all_relationships"] for key, value in row if key == "type"}
        assert {"CO_RESPONSIBLE", "CONTINUES", "RESPONSIBLE_FOR", "TOUCHES"} <= types
        empty_lists = bulk.execute_query("MATCH (m:Measure) WHERE m.tools = [] RETURN count(m) AS n")[0][0]["n"]
        assert empty_lists > 0, "the measures without tools hold [], as the loader stores them"
        stores = Neo4jStore(bulk, uri="bulk"), Neo4jStore(empty_neo4j, uri="transactional")
        for name, answer in ANSWERS.items():
            assert answer(stores[0]).model_dump() == answer(stores[1]).model_dump(), name

        again = load_plans(bulk, plans)  # what `policykg load` of the same files would do next
        assert (again.loaded, len(again.unchanged), again.relationships) == ([], 5, 0)


@pytest.mark.neo4j
def test_refused_into_a_database_that_is_not_empty_or_not_running(own_server: LocalNeo4j) -> None:
    pid = own_server.status()
    _refused(_policykg(_env(own_server), "load", "--bulk", PLAN_FILE), "--bulk imports into an empty database only")
    assert own_server.status() == pid
    own_server.stop()
    _refused(_policykg(_env(own_server), "load", "--bulk", PLAN_FILE), "is not running; start it with")


def _store(server: LocalNeo4j) -> dict[str, str]:
    """Every file of the neo4j database's store and transaction logs, with a digest of its bytes."""
    data = server.paths.data
    files = [p for d in (data / "databases" / "neo4j", data / "transactions" / "neo4j") for p in d.rglob("*")]
    return {str(p.relative_to(data)): hashlib.sha1(p.read_bytes()).hexdigest() for p in files if p.is_file()}


@pytest.mark.neo4j
def test_a_failed_import_leaves_the_store_as_it_was(own_server: LocalNeo4j, tmp_path: Path) -> None:
    assert own_server.status() is None  # stopped by the test before: the importer runs on a stopped server
    before = _store(own_server)
    assert any(name.startswith("databases/neo4j/") for name in before)
    twice = tmp_path / "twice.csv"
    twice.write_text('id:ID(Topic),name:string\n"t","a"\n"t","b"\n', encoding="utf-8")
    with pytest.raises(Neo4jServerError) as caught:
        run_import(own_server.paths, find_java(None), "neo4j", [("Topic", twice)], [], "\x1f", [], tmp_path)
    assert "\n" not in str(caught.value) and str(caught.value).startswith("neo4j-admin database import failed")
    assert "defined more than once" in str(caught.value)
    assert _store(own_server) == before
    assert not backup_dir(own_server.paths, "neo4j").exists()


def test_a_document_given_twice_is_refused(plan: Plan, tmp_path: Path) -> None:
    small = parse_text(QUOTED, document="quoted.txt")
    with pytest.raises(BulkError, match=rf"^{small.document.id} is given twice \(quoted.txt, quoted.txt\)"):
        write_import_files([small, plan, small], tmp_path)
