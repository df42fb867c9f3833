"""Load parsed plans into Neo4j: streamed, batched, repeatable, all-or-nothing per document.

Plans are taken from an iterable a batch at a time, so the loader's memory
does not grow with the corpus. A batch of documents is written in one
transaction: the old version of each document (its projects, sections, tasks,
measures, goals and their relationships) is deleted and the new one created,
orphaned agencies and topics are removed, the materialised CO_RESPONSIBLE
relationships lose the old version's shared tasks and gain the new one's, and
the CONTINUES links of the series the documents belong to are made again. A
failure anywhere rolls the whole transaction back, so every document is
either its old or its new version, complete. A document whose content hash
is already stored is skipped: loading twice changes nothing.

A transaction holds at most ``DOCUMENTS_PER_TRANSACTION`` documents and about
``ROWS_PER_TRANSACTION`` rows, a replaced document counting twice (its old
version is deleted in the same transaction): sized to fit the bundled
server's transaction memory (70 % of its heap, ``local_neo4j.versions``) with
room to spare.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from graph_loader.coresponsibility import owners_by_task, shared_tasks
from graph_loader.cypher import query, registry
from graph_loader.lineage import TaskText
from graph_loader.models import Plan
from graph_loader.rows import LABELS, GraphRows, NodeRow, plan_rows
from graph_loader.series import SeriesDocument, series_continuations

DOCUMENTS_PER_TRANSACTION = 200
ROWS_PER_TRANSACTION = 40_000
ROWS_PER_STATEMENT = 20_000

# (load file, start label, end label) for each relationship we write; HAS_TASK
# hangs under a Section or, where a project has no sections, the Project.
_REL_FILES = {
    ("HAS_PROJECT", "Document"): "load_rels_has_project",
    ("HAS_SECTION", "Project"): "load_rels_has_section",
    ("HAS_TASK", "Section"): "load_rels_section_has_task",
    ("HAS_TASK", "Project"): "load_rels_project_has_task",
    ("HAS_MEASURE", "Task"): "load_rels_has_measure",
    ("RESPONSIBLE_FOR", "Agency"): "load_rels_responsible_for",
    ("SETS", "Measure"): "load_rels_sets",
    ("TOUCHES", "Task"): "load_rels_touches",
}


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
    the last version wins.
    """
    report = LoadReport()
    notify = progress or (lambda event, n: None)
    written: set[str] = set()
    try:
        ensure_schema(driver, database)
        with driver.session(database=database) as session:
            for batch in _batches(plans, documents_per_transaction):
                stored = {
                    r["id"]: r["content_hash"]
                    for r in session.run(query("load_document_versions"), ids=[p.document.id for p in batch])
                }
                todo = []
                for plan in batch:
                    digest = content_hash(plan)
                    if not force and stored.get(plan.document.id) == digest:
                        report.unchanged.append(plan.document.id)
                        notify("document", 1)
                    else:
                        todo.append((plan, digest))
                for chunk in transactions(todo, set(stored), rows_per_transaction):
                    nodes, rels = session.execute_write(_write_batch, chunk, notify)
                    report.loaded += [p.document.id for p, _ in chunk if p.document.id not in written]
                    written.update(p.document.id for p, _ in chunk)
                    report.nodes += nodes
                    report.relationships += rels
                    notify("document", len(chunk))
    except AuthError as e:
        raise LoadError(f"Neo4j refused the credentials (NEO4J_USER/NEO4J_PASSWORD): {e.message}") from e
    except ServiceUnavailable as e:
        raise LoadError(f"Neo4j is not reachable: {' '.join(str(e).split())}") from e
    except Neo4jError as e:
        raise LoadError(f"Neo4j error {e.code}: {e.message}; nothing of the failed batch was stored") from e
    return report


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


def _write_batch(tx: neo4j.ManagedTransaction, batch: list[tuple[Plan, str]], notify: Progress) -> tuple[int, int]:
    ids = [plan.document.id for plan, _ in batch]
    # CO_RESPONSIBLE is kept by difference — the replaced versions' pairs out, the new ones in —
    # so a batch costs the same however many documents are already stored.
    old_owners = {r["task"]: r["owners"] for r in tx.run(query("load_document_owners"), ids=ids)}
    _run_count(tx, "load_co_responsibility_remove", notify, pairs=_pair_rows(old_owners))
    old_agencies = {a for r in tx.run(query("load_delete_documents"), ids=ids) for a in r["agency_ids"]}
    written = {"nodes": 0, "rels": 0}
    for name, rows in write_statements(batch):
        for chunk in _chunks(rows):
            written["rels" if name.startswith("load_rels_") else "nodes"] += _run_count(tx, name, notify, rows=chunk)
    _run_count(tx, "load_delete_orphans", notify, agency_ids=sorted(old_agencies))
    for chunk in _chunks(_pair_rows(owners_by_task(plan for plan, _ in batch))):
        _run_count(tx, "load_co_responsibility_add", notify, pairs=chunk)
    written["rels"] += _link_series(tx, sorted({plan.document.series for plan, _ in batch} - {""}), notify)
    return written["nodes"], written["rels"]


def _link_series(tx: neo4j.ManagedTransaction, series: list[str], notify: Progress) -> int:
    """Make the CONTINUES links of the series a batch touched again, in its transaction: a plan loaded
    between two years, or replaced, changes the links of its neighbours too."""
    if not series:
        return 0
    by_series: dict[str, list[SeriesDocument]] = defaultdict(list)
    for r in tx.run(query("load_series_tasks"), series=series):
        tasks = [TaskText(t["id"], t["number"], t["title"], t["text"]) for t in r["tasks"]]
        by_series[r["series"]].append(SeriesDocument(r["id"], r["year"], tasks))
    links = [
        {"new": c.new, "old": c.old, "score": c.score}
        for documents in by_series.values() for c in series_continuations(documents)
    ]
    _run_count(tx, "load_continues_remove", notify, ids=[d.id for ds in by_series.values() for d in ds])
    return sum(_run_count(tx, "load_continues_add", notify, rows=chunk) for chunk in _chunks(links))


def _pair_rows(owners: dict[str, list[str]]) -> list[dict[str, Any]]:
    """One row per pair of agencies sharing tasks: {a, b, tasks} with a < b and tasks sorted."""
    return [{"a": a, "b": b, "tasks": tasks} for (a, b), tasks in shared_tasks(owners).items()]


def write_statements(batch: Sequence[tuple[Plan, str]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The (cypher file, rows) pairs that write a batch of (plan, content hash): nodes first, then relationships."""
    rows = GraphRows()
    for plan, digest in batch:
        one = plan_rows(plan, content_hash=digest)
        rows.nodes += one.nodes
        rows.rels += one.rels
    labels = {n.id: n.label for n in rows.nodes}
    nodes_by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in _dedupe_nodes(rows):
        nodes_by_label[n.label].append({"id": n.id, "props": _storable(n.props)})
    rels_by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows.rels:
        rels_by_file[_REL_FILES[(r.type, labels[r.start])]].append(
            {"start": r.start, "end": r.end, "props": _storable(r.props)}
        )
    return [(f"load_nodes_{label.lower()}", nodes_by_label[label]) for label in LABELS] + [
        (name, rels_by_file[name]) for name in _REL_FILES.values()
    ]


def _run_count(tx: neo4j.ManagedTransaction, name: str, notify: Progress, **params: Any) -> int:
    record = tx.run(query(name), **params).single()
    count = int(record["count"]) if record else 0
    notify("statement", len(params.get("rows", params.get("pairs", ()))))
    return count


def _dedupe_nodes(rows: GraphRows) -> Iterable[NodeRow]:
    """Agencies and topics recur across the documents of a batch; write each once."""
    seen: set[str] = set()
    for n in rows.nodes:
        if n.id not in seen:
            seen.add(n.id)
            yield n


def _storable(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j stores no nulls: a missing value is an absent property."""
    return {k: v for k, v in props.items() if v is not None}


def _chunks(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        yield rows[start : start + ROWS_PER_STATEMENT]
