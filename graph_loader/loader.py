"""Load parsed plans into Neo4j: streamed, batched, repeatable, all-or-nothing per document.

Plans are taken from an iterable a batch at a time, so the loader's memory
does not grow with the corpus. A batch of documents is written in one
transaction: the old version of each document (its projects, sections, tasks,
measures, goals and their relationships) is deleted and the new one created,
orphaned agencies and topics are removed, the materialised CO_RESPONSIBLE
relationships and the agencies' counts lose the old version's share and gain
the new one's (``graph_loader.kept``: the new share computed from the plans,
the old one read from the graph), and the CONTINUES links of the series the
documents belong to are made again. A
failure anywhere rolls the whole transaction back, so every document is
either its old or its new version, complete. A document whose content hash
is already stored is skipped: loading twice changes nothing.

A document's own nodes are created with the relationship from their parent and their links to
shared nodes in one statement (``load_nodes_*``): a relationship costs one index seek, not two.

While the server runs and commits one transaction, a worker thread takes the next plans (parsing
them, if the iterable parses), hashes them, asks which are stored and builds the next
transaction's rows: memory holds at most two transactions' plans and rows.

A transaction holds at most ``DOCUMENTS_PER_TRANSACTION`` documents and about
``ROWS_PER_TRANSACTION`` rows, a replaced document counting twice (its old
version is deleted in the same transaction): sized to fit the bundled
server's transaction memory (70 % of its heap, ``local_neo4j.versions``) with
room to spare.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from graph_loader.cypher import query, registry
from graph_loader.kept import agency_count_rows, fill_missing, new_pair_rows, stored_pair_rows
from graph_loader.lineage import TaskText
from graph_loader.models import Plan
from graph_loader.rows import GraphRows, plan_rows
from graph_loader.series import SeriesDocument, series_continuations

DOCUMENTS_PER_TRANSACTION = 200
ROWS_PER_TRANSACTION = 40_000
ROWS_PER_STATEMENT = 20_000

NODE_FILES: dict[tuple[str, str | None], str] = {
    ("Document", None): "load_nodes_document",
    ("Agency", None): "load_nodes_agency",
    ("Topic", None): "load_nodes_topic",
    ("Project", "Document"): "load_nodes_project",
    ("Section", "Project"): "load_nodes_section",
    ("Task", "Section"): "load_nodes_task_in_section",
    ("Task", "Project"): "load_nodes_task_in_project",
    ("Measure", "Task"): "load_nodes_measure",
    ("Goal", "Measure"): "load_nodes_goal",
}
"""The statement writing each (label, label of the parent it hangs from), in the order they run: documents,
agencies and topics (merged by id) first, then each document's own nodes, parents before children."""

CONTAINMENT = frozenset({"HAS_PROJECT", "HAS_SECTION", "HAS_TASK", "HAS_MEASURE", "SETS"})
"""Relationships created with their end node, from its parent; they carry no properties."""

LINKS = {"TOUCHES": "start", "RESPONSIBLE_FOR": "end"}
"""Relationships created with the node at this end (a task, a measure), to a shared node at the other."""


class LoadError(RuntimeError):
    """Loading failed; nothing of the failed batch was stored. ``str()`` is one readable line."""


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)  # document ids written (new or changed)
    unchanged: list[str] = field(default_factory=list)  # document ids skipped (same content hash)
    nodes: int = 0
    relationships: int = 0


Progress = Callable[[str, int], None]
"""Called as ``progress(event, n)``: ``("statement", rows)`` after each statement, ``("document", 1)`` per document."""


def content_hash(plan: Plan) -> str:
    canonical = json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def ensure_schema(driver: neo4j.Driver, database: str | None = None) -> None:
    """Create constraints and indexes (idempotent); runs before the first MERGE."""
    with driver.session(database=database) as session:
        for statement in registry()["schema"].statements:
            session.run(statement).consume()
        session.run(query("schema_await"), timeout_seconds=120).consume()


def wipe_database(driver: neo4j.Driver, database: str | None = None) -> None:
    """Delete every node and relationship (tests and benchmarks start from an empty graph)."""
    with driver.session(database=database) as session:
        for statement in registry()["admin_wipe"].statements:
            session.run(statement).consume()


def load_plans(
    driver: neo4j.Driver,
    plans: Iterable[Plan],
    *,
    database: str | None = None,
    force: bool = False,
    documents_per_transaction: int = DOCUMENTS_PER_TRANSACTION,
    rows_per_transaction: int = ROWS_PER_TRANSACTION,
    progress: Progress | None = None,
) -> LoadReport:
    """Write ``plans`` (taken lazily, a batch at a time); raises :class:`LoadError` with one readable line
    (driver errors chained).

    The same document named twice (one file given twice, or two files with one title) is one document:
    the last version wins. ``plans`` is iterated on a worker thread (one at a time, never concurrently);
    what it raises is raised here.
    """
    report = LoadReport()
    notify = progress or (lambda event, n: None)
    written: set[str] = set()
    with neo4j_errors():
        ensure_schema(driver, database)
        fill_missing(driver, database)  # what a graph loaded before the loader kept it lacks
        stop = threading.Event()
        steps = _steps(driver, database, _until(stop, plans), force, documents_per_transaction, rows_per_transaction)
        with (
            driver.session(database=database) as session,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="policykg-load") as pool,
            closing(_ahead(pool, steps, stop)) as ahead,  # on a failure: the worker stopped before the pool waits
        ):
            for step in ahead:
                report.unchanged += step.unchanged
                if step.unchanged:
                    notify("document", len(step.unchanged))
                if not step.chunk:
                    continue
                nodes, rels = session.execute_write(_write_batch, step, notify)
                ids = [plan.document.id for plan, _ in step.chunk]
                report.loaded += [doc for doc in ids if doc not in written]
                written.update(ids)
                report.nodes += nodes
                report.relationships += rels
                notify("document", len(step.chunk))
    return report


@contextmanager
def neo4j_errors(rolled_back: str = "nothing of the failed batch was stored") -> Iterator[None]:
    """The driver's errors as :class:`LoadError`, one readable line (the driver's error chained)."""
    try:
        yield
    except AuthError as e:
        raise LoadError(f"Neo4j refused the credentials (NEO4J_USER/NEO4J_PASSWORD): {e.message}") from e
    except ServiceUnavailable as e:
        raise LoadError(f"Neo4j is not reachable: {' '.join(str(e).split())}") from e
    except Neo4jError as e:
        raise LoadError(f"Neo4j error {e.code}: {e.message}; {rolled_back}") from e


@dataclass
class _Step:
    """One transaction of a load, prepared on the worker thread: what it writes, and the documents found
    unchanged on the way (reported, not written)."""

    unchanged: list[str]
    chunk: list[tuple[Plan, str]]
    statements: list[tuple[str, list[dict[str, Any]]]]
    pairs: list[dict[str, Any]]
    agency_counts: list[dict[str, Any]]
    series: list[str]


class _Stopped(Exception):
    """The load failed on the main thread: the worker takes no more plans."""


def _until(stop: threading.Event, plans: Iterable[Plan]) -> Iterator[Plan]:
    for plan in plans:
        if stop.is_set():
            raise _Stopped
        yield plan


def _steps(
    driver: neo4j.Driver,
    database: str | None,
    plans: Iterable[Plan],
    force: bool,
    documents_per_transaction: int,
    rows_per_transaction: int,
) -> Generator[_Step, None, None]:
    """The load's transactions, in order. Which documents are stored (and at which hash) is read a batch at a
    time in a session of its own, while the main thread may still be writing the batch before: a document
    that an earlier transaction of this load writes is taken as stored with a hash not yet known, so it is
    written again (its last version wins) and counts twice."""
    handed: set[str] = set()  # ids given to earlier transactions of this load, committed or not yet
    with driver.session(database=database) as reader:
        for batch in _batches(plans, documents_per_transaction):
            ids = [p.document.id for p in batch]
            stored: dict[str, str | None] = {
                r["id"]: r["content_hash"] for r in reader.run(query("load_document_versions"), ids=ids)
            }
            stored.update((doc, None) for doc in ids if doc in handed)
            unchanged, todo = [], []
            for plan in batch:
                digest = content_hash(plan)
                if not force and stored.get(plan.document.id) == digest:
                    unchanged.append(plan.document.id)
                else:
                    todo.append((plan, digest))
            chunks = list(transactions(todo, set(stored), rows_per_transaction)) or [[]]
            for i, chunk in enumerate(chunks):
                handed.update(plan.document.id for plan, _ in chunk)
                yield _Step(
                    unchanged=unchanged if i == 0 else [],
                    chunk=chunk,
                    statements=write_statements(chunk),
                    pairs=new_pair_rows(plan for plan, _ in chunk),
                    agency_counts=agency_count_rows(plan for plan, _ in chunk),
                    series=sorted({plan.document.series for plan, _ in chunk} - {""}),
                )


def _ahead(
    pool: ThreadPoolExecutor, items: Generator[_Step, None, None], stop: threading.Event
) -> Generator[_Step, None, None]:
    """``items``, each next one computed on ``pool`` while the caller works on the one it was given. When the
    caller stops early (it failed), the worker is told to stop and waited for, and ``items`` closed here."""
    future: Future[_Step | None] = pool.submit(next, items, None)
    try:
        while (item := future.result()) is not None:
            future = pool.submit(next, items, None)
            yield item
    finally:
        stop.set()
        if not future.cancel():
            future.exception()  # wait for it; what it raised after the stop is of no interest
        items.close()


def _batches(plans: Iterable[Plan], size: int) -> Iterator[list[Plan]]:
    """``plans`` in lists of at most ``size`` distinct documents (a repeated one: its last version)."""
    batch: dict[str, Plan] = {}
    for plan in plans:
        if plan.document.id not in batch and len(batch) >= size:
            yield list(batch.values())
            batch = {}
        batch[plan.document.id] = plan
    if batch:
        yield list(batch.values())


def plan_size(plan: Plan) -> int:
    """About how many rows (nodes and relationships) a plan writes."""
    parts = len(plan.projects) + len(plan.sections) + len(plan.agencies)
    per_task = sum(2 + 2 * len(t.measures) + 2 * len(t.goals) + 2 * len(t.topics)
                   + sum(len(m.agencies) for m in t.measures) for t in plan.tasks)
    return 1 + 2 * parts + per_task


def transactions(
    todo: list[tuple[Plan, str]], stored: set[str], rows_per_transaction: int
) -> Iterator[list[tuple[Plan, str]]]:
    """``todo`` (plans and their content hashes, in load order) cut into transactions of about
    ``rows_per_transaction`` rows; a stored document counts twice (its old version is deleted in the
    same transaction). A document larger than that goes alone."""
    chunk: list[tuple[Plan, str]] = []
    rows = 0
    for plan, digest in todo:
        cost = plan_size(plan) * (2 if plan.document.id in stored else 1)
        if chunk and rows + cost > rows_per_transaction:
            yield chunk
            chunk, rows = [], 0
        chunk.append((plan, digest))
        rows += cost
    if chunk:
        yield chunk


def _write_batch(tx: neo4j.ManagedTransaction, step: _Step, notify: Progress) -> tuple[int, int]:
    ids = [plan.document.id for plan, _ in step.chunk]
    # CO_RESPONSIBLE and the agencies' counts are kept by difference — the replaced versions' share out, the
    # new ones' in — so a batch costs the same however many documents are already stored.
    for chunk in _chunks(stored_pair_rows(tx, ids)):
        _run_count(tx, "load_co_responsibility_remove", notify, pairs=chunk)
    _run_count(tx, "load_agency_counts_remove", notify, document_ids=ids)  # the stored versions' share
    old_agencies = {a for r in tx.run(query("load_delete_documents"), ids=ids) for a in r["agency_ids"]}
    nodes = rels = 0
    for name, rows in step.statements:
        for chunk in _chunks(rows):
            n, r = _run_written(tx, name, notify, chunk)
            nodes, rels = nodes + n, rels + r
    for chunk in _chunks(step.agency_counts):
        _run_count(tx, "load_agency_counts_add", notify, rows=chunk)
    _run_count(tx, "load_delete_orphans", notify, agency_ids=sorted(old_agencies))
    for chunk in _chunks(step.pairs):
        _run_count(tx, "load_co_responsibility_add", notify, pairs=chunk)
    rels += _link_series(tx, step.series, notify)
    return nodes, rels


def _link_series(tx: neo4j.ManagedTransaction, series: list[str], notify: Progress) -> int:
    """Make the CONTINUES links of the series a batch touched again, in its transaction: a plan loaded
    between two years, or replaced, changes the links of its neighbours too. (A series of one document has
    no links and is not read.)"""
    if not series:
        return 0
    by_series: dict[str, list[SeriesDocument]] = defaultdict(list)
    for r in tx.run(query("load_series_tasks"), series=series):
        tasks = [TaskText(t["id"], t["number"], t["title"], t["text"]) for t in r["tasks"]]
        by_series[r["series"]].append(SeriesDocument(r["id"], r["year"], tasks))
    if not by_series:
        return 0
    links = [
        {"new": c.new, "old": c.old, "score": c.score}
        for documents in by_series.values() for c in series_continuations(documents)
    ]
    _run_count(tx, "load_continues_remove", notify, ids=[d.id for ds in by_series.values() for d in ds])
    return sum(_run_count(tx, "load_continues_add", notify, rows=chunk) for chunk in _chunks(links))


def write_statements(batch: Sequence[tuple[Plan, str]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The (cypher file, rows) pairs that write a batch of (plan, content hash), in ``NODE_FILES`` order.

    Shared nodes (and documents) are rows ``{id, props}``, each written once; a document's own nodes are
    rows ``{parent, props}`` with, where relationships to shared nodes hang from them, ``links``: a list of
    ``{other, props}``.
    """
    by_file: dict[str, list[dict[str, Any]]] = {name: [] for name in NODE_FILES.values()}
    seen: set[str] = set()
    for plan, digest in batch:
        rows = plan_rows(plan, content_hash=digest)
        for name, row in _node_rows(rows):
            if "id" in row:  # a shared node (or the document): once a batch
                if row["id"] in seen:
                    continue
                seen.add(row["id"])
            by_file[name].append(row)
    return list(by_file.items())


def _node_rows(rows: GraphRows) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each node of one plan's rows as (cypher file, row), its relationships folded in (``write_statements``)."""
    labels = {n.id: n.label for n in rows.nodes}
    parents: dict[str, str] = {}
    links: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows.rels:
        if r.type in CONTAINMENT:
            if r.props:
                raise ValueError(f"{r.type} is created with its end node and carries no properties: {r.props}")
            parents[r.end] = r.start
        elif LINKS[r.type] == "start":
            links[r.start].append({"other": r.end, "props": _storable(r.props)})
        else:
            links[r.end].append({"other": r.start, "props": _storable(r.props)})
    for n in rows.nodes:
        parent = parents.get(n.id)
        name = NODE_FILES[(n.label, labels[parent] if parent else None)]
        if parent is None:
            yield name, {"id": n.id, "props": _storable(n.props)}
        elif n.id in links:
            yield name, {"parent": parent, "props": _storable(n.props), "links": links[n.id]}
        else:
            yield name, {"parent": parent, "props": _storable(n.props)}


def _run_written(tx: neo4j.ManagedTransaction, name: str, notify: Progress, rows: list[Any]) -> tuple[int, int]:
    record = tx.run(query(name), rows=rows).single(strict=True)  # a load_nodes_* statement
    notify("statement", len(rows))
    return int(record["nodes"]), int(record["rels"])


def _run_count(tx: neo4j.ManagedTransaction, name: str, notify: Progress, **params: Any) -> int:
    record = tx.run(query(name), **params).single()
    count = int(record["count"]) if record else 0
    notify("statement", len(params.get("rows", params.get("pairs", ()))))
    return count


def _storable(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j stores no nulls: a missing value is an absent property."""
    return {k: v for k, v in props.items() if v is not None}


def _chunks(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        yield rows[start : start + ROWS_PER_STATEMENT]
