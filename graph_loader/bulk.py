"""Bulk import: the rows the transactional loader writes, as CSV files for Neo4j's own importer.

``policykg load --bulk`` fills an EMPTY database with ``neo4j-admin database
import full`` (run by ``local_neo4j``), which writes the store files directly:
no transactions, no Cypher. The rows are ``graph_loader.rows.plan_rows`` —
the one source of rows — with each document's content hash, so a later
``policykg load`` of the same files finds them unchanged; CO_RESPONSIBLE and
CONTINUES are computed by the same functions the loader uses
(``coresponsibility.pair_rows``, ``series.series_continuations``) and
written as relationships of the import too, with the same properties (an
empty list of CO_RESPONSIBLE is no property in both).

Plans are taken one at a time and their rows written at once, so memory does
not grow with the corpus: the pairs of co-responsible agencies and the tasks
lineage compares are gathered in a SQLite file beside the CSV files and read
back sorted, a series at a time.

What CSV cannot say is said after the import, over Bolt: what the loader does
to a stored graph before every load (``load_plans`` of no plans: the schema,
the agencies' counts) and empty lists (the importer reads an empty array field
as no property; the loader stores ``[]``).

Refused, with :class:`BulkError`: a database that holds a node; a document
given twice (the transactional loader keeps the last; here each file would
need to be read twice to know which is last); a value CSV cannot carry (an
array element holding the array delimiter, an array of one empty string, a
float that is not finite, an empty list on a relationship).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import IO, Any

import neo4j

from graph_loader.coresponsibility import PAIR_LISTS, clauses, pair_rows
from graph_loader.cypher import query
from graph_loader.lineage import Continuation, TaskText
from graph_loader.loader import NODE_FILES, ROWS_PER_STATEMENT, content_hash, load_plans, neo4j_errors
from graph_loader.models import Plan
from graph_loader.rows import plan_rows
from graph_loader.series import SeriesDocument, series_continuations

ARRAY_DELIMITER = "\x1f"
"""Between the elements of an array field (U+001F, the unit separator): no plan text holds it."""

EMPTY_LIST_FILES = {"Measure": "load_bulk_empty_lists_measure"}
"""Labels whose nodes may hold an empty list, and the statement that sets them after the import."""

_SHARED = {label for (label, parent) in NODE_FILES if parent is None and label != "Document"}
"""Nodes that many documents name (agencies, topics): written once."""


class BulkError(RuntimeError):
    """The bulk import cannot take this input or this database; ``str()`` is one readable line."""


@dataclass
class ImportFiles:
    """What ``write_import_files`` wrote: one CSV file per label or type and set of properties (each file
    has its own header), in ``folder``."""

    folder: Path
    nodes: list[tuple[str, Path]] = field(default_factory=list)  # (label, file)
    relationships: list[tuple[str, Path]] = field(default_factory=list)  # (type, file)
    multiline: list[Path] = field(default_factory=list)  # files with a line break inside a field
    documents: list[str] = field(default_factory=list)
    node_count: int = 0
    relationship_count: int = 0  # as the loader counts them: CO_RESPONSIBLE not included
    co_responsible: int = 0
    empty_lists: int = 0  # nodes whose empty lists are set after the import

    @property
    def empty_lists_file(self) -> Path:
        return self.folder / "empty-lists.jsonl"


def ensure_empty(driver: neo4j.Driver, database: str | None = None) -> None:
    """Raise :class:`BulkError` when the database holds any node (``LoadError`` when Neo4j fails)."""
    with neo4j_errors("nothing was changed"):
        records, _, _ = driver.execute_query(query("load_bulk_node_count"), database_=database)
    if records and records[0]["count"]:
        raise BulkError(
            f"the database holds {records[0]['count']} nodes; --bulk imports into an empty database only: "
            "load without --bulk (or empty the database first)"
        )


def write_import_files(
    plans: Iterable[Plan], folder: Path, on_document: Callable[[Plan], None] | None = None
) -> ImportFiles:
    """Write every plan's rows, then CO_RESPONSIBLE and CONTINUES, as CSV files in ``folder`` (which must exist)."""
    files = ImportFiles(folder)
    sources: dict[str, str] = {}
    shared: set[str] = set()
    with _CsvWriter(files) as csv, closing(_Aggregates(folder / "aggregates.sqlite")) as aggregates, open(
        files.empty_lists_file, "w", encoding="utf-8"
    ) as empties:
        for plan in plans:
            doc = plan.document
            if doc.id in sources:
                raise BulkError(
                    f"{doc.id} is given twice ({sources[doc.id]}, {doc.source}); --bulk takes each document once: "
                    "leave one out, or load without --bulk (the last one is kept)"
                )
            sources[doc.id] = doc.source
            rows = plan_rows(plan, content_hash=content_hash(plan))
            labels = {n.id: n.label for n in rows.nodes}
            for n in rows.nodes:
                if n.label in _SHARED:
                    if n.id in shared:
                        continue
                    shared.add(n.id)
                props = {k: v for k, v in n.props.items() if v is not None}
                empty = sorted(k for k, v in props.items() if v == [])
                if empty:
                    if n.label not in EMPTY_LIST_FILES:
                        raise BulkError(f"{n.label} {n.id} has an empty list ({', '.join(empty)}) the bulk import "
                                        "cannot write; load without --bulk")
                    empties.write(json.dumps({"label": n.label, "id": n.id, "props": dict.fromkeys(empty, [])},
                                             ensure_ascii=False) + "\n")
                    files.empty_lists += 1
                csv.node(n.label, n.id, {k: v for k, v in props.items() if v != [] and k != "id"})
            for r in rows.rels:
                csv.relationship(r.type, (labels[r.start], r.start), (labels[r.end], r.end), r.props)
            files.relationship_count += len(rows.rels)
            files.documents.append(doc.id)
            aggregates.add(plan)
            if on_document:
                on_document(plan)
        for a, b, props in aggregates.co_responsible():
            csv.relationship("CO_RESPONSIBLE", ("Agency", a), ("Agency", b), props)
            files.co_responsible += 1
        for c in aggregates.continuations():
            csv.relationship("CONTINUES", ("Task", c.new), ("Task", c.old), {"score": c.score})
            files.relationship_count += 1
    return files


def finish_import(driver: neo4j.Driver, files: ImportFiles, database: str | None = None) -> None:
    """After the import: what the loader does to a stored graph before any load (``load_plans`` of no plans: the
    schema, derived data a graph may lack), then the empty lists (``LoadError`` when Neo4j fails: the data is
    imported, this step can be run again)."""
    load_plans(driver, [], database=database)
    with neo4j_errors("the import is done, its empty lists are not"), open(
        files.empty_lists_file, encoding="utf-8"
    ) as lines:
        for label, group in groupby(map(json.loads, lines), key=lambda row: row["label"]):
            rows = [{"id": row["id"], "props": row["props"]} for row in group]
            for start in range(0, len(rows), ROWS_PER_STATEMENT):
                driver.execute_query(query(EMPTY_LIST_FILES[label]), rows=rows[start : start + ROWS_PER_STATEMENT],
                                     database_=database)


# -- CSV ---------------------------------------------------------------------------------------------------------


_TYPES: tuple[tuple[type, str], ...] = ((bool, "boolean"), (int, "long"), (float, "double"), (str, "string"))
"""Python type → the importer's column type (bool before int: a bool is an int)."""


def _column_type(name: str, value: Any) -> str:
    for python, csv_type in _TYPES:
        if isinstance(value, python):
            return csv_type
    if isinstance(value, list) and value and all(isinstance(x, str) for x in value):
        return "string[]"
    raise BulkError(f"property {name} = {value!r} cannot be written to CSV; load without --bulk")


def _string(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _field(name: str, value: Any, csv_type: str) -> str:
    """One CSV field. Strings are always quoted: an unquoted empty field is no property, "" an empty string."""
    if csv_type == "string":
        return _string(value)
    if csv_type == "boolean":
        return "true" if value else "false"
    if csv_type == "long":
        return str(value)
    if csv_type == "double":
        if not math.isfinite(value):
            raise BulkError(f"property {name} = {value!r} is not a finite number; load without --bulk")
        return repr(value)
    if value == [""] or any(ARRAY_DELIMITER in x for x in value):
        raise BulkError(f"property {name} = {value!r} cannot be written as a CSV array; load without --bulk")
    return _string(ARRAY_DELIMITER.join(value))


class _CsvWriter:
    """One open file per (label or type, end labels, property names and types); each opens with its header."""

    def __init__(self, files: ImportFiles):
        self.files = files
        self.open: dict[tuple[Any, ...], IO[str]] = {}

    def __enter__(self) -> _CsvWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self.open.values():
            handle.close()

    def _write(self, key: tuple[Any, ...], header: list[str], fields: list[str]) -> None:
        handle = self.open.get(key)
        if handle is None:
            kind, name = key[0], key[1]
            path = self.files.folder / f"{kind}-{name.lower()}-{len(self.open):03d}.csv"
            handle = self.open[key] = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed in __exit__
            handle.write(",".join(header) + "\n")
            (self.files.nodes if kind == "nodes" else self.files.relationships).append((name, path))
        line = ",".join(fields)
        # The importer reads a line break inside a field only in the files it is told of, and reads those slower.
        if ("\n" in line or "\r" in line) and Path(handle.name) not in self.files.multiline:
            self.files.multiline.append(Path(handle.name))
        handle.write(line + "\n")

    def node(self, label: str, id: str, props: dict[str, Any]) -> None:
        columns = tuple((k, _column_type(k, v)) for k, v in sorted(props.items()))
        header = [f"id:ID({label})"] + [f"{k}:{t}" for k, t in columns]
        fields = [_string(id)] + [_field(k, props[k], t) for k, t in columns]
        self._write(("nodes", label, columns), header, fields)
        self.files.node_count += 1

    def relationship(self, type: str, start: tuple[str, str], end: tuple[str, str], props: dict[str, Any]) -> None:
        """``start`` and ``end`` are (label, id)."""
        props = {k: v for k, v in props.items() if v is not None}
        if any(v == [] for v in props.values()):
            raise BulkError(f"a {type} relationship has an empty list the bulk import cannot write; "
                            "load without --bulk")
        columns = tuple((k, _column_type(k, v)) for k, v in sorted(props.items()))
        header = [f":START_ID({start[0]})", f":END_ID({end[0]})"] + [f"{k}:{t}" for k, t in columns]
        fields = [_string(start[1]), _string(end[1])] + [_field(k, props[k], t) for k, t in columns]
        self._write(("relationships", type, start[0], end[0], columns), header, fields)


# -- what is computed over the whole corpus, gathered on disk ----------------------------------------------------


class _Aggregates:
    """Co-responsible pairs and the tasks of each series, in SQLite: sorted and grouped there, not in memory."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path)
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE pair (a TEXT, b TEXT, list TEXT, id TEXT);
            CREATE TABLE pair_count (a TEXT, b TEXT, lower INTEGER, higher INTEGER);
            CREATE TABLE document (series TEXT, id TEXT, year INTEGER);
            CREATE TABLE task (document TEXT, id TEXT, number INTEGER, title TEXT, text TEXT);
            """
        )

    def close(self) -> None:
        self.db.close()

    def add(self, plan: Plan) -> None:
        rows = pair_rows(clauses([plan]))
        self.db.executemany("INSERT INTO pair VALUES (?, ?, ?, ?)",
                            ((r["a"], r["b"], name, id) for r in rows for name in PAIR_LISTS for id in r[name]))
        self.db.executemany("INSERT INTO pair_count VALUES (?, ?, ?, ?)",
                            ((r["a"], r["b"], r["lower_leads_measures"], r["higher_leads_measures"]) for r in rows
                             if r["lower_leads_measures"] or r["higher_leads_measures"]))
        doc = plan.document
        if doc.series:  # as the loader: a document without a series has no lineage
            self.db.execute("INSERT INTO document VALUES (?, ?, ?)", (doc.series, doc.id, doc.year))
            self.db.executemany("INSERT INTO task VALUES (?, ?, ?, ?, ?)",
                                ((doc.id, t.id, t.number, t.title, t.text) for t in plan.tasks))

    def co_responsible(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Each pair (a < b) with the properties of its CO_RESPONSIBLE relationship, as the loader keeps them:
        lists sorted (SQLite's binary order of UTF-8 is code point order, Python's), an empty one None, counts
        summed over documents."""
        counts = self.db.execute("SELECT a, b, sum(lower), sum(higher) FROM pair_count GROUP BY a, b ORDER BY a, b")
        count = next(counts, None)
        rows = self.db.execute("SELECT a, b, list, id FROM pair ORDER BY a, b, list, id")
        for (a, b), group in groupby(rows, key=lambda row: (row[0], row[1])):
            lists: dict[str, list[str]] = {name: [] for name in PAIR_LISTS}
            for row in group:
                lists[row[2]].append(row[3])
            lower = higher = 0
            if count is not None and (count[0], count[1]) == (a, b):
                lower, higher = count[2], count[3]
                count = next(counts, None)
            yield a, b, {
                **{name: ids or None for name, ids in lists.items()},
                "weight": len(lists["tasks"]), "measure_weight": len(lists["measures"]),
                "lower_leads_measures": lower, "higher_leads_measures": higher,
            }

    def continuations(self) -> Iterator[Continuation]:
        """The CONTINUES links of every series of more than one document, a series at a time."""
        self.db.execute("CREATE INDEX task_document ON task (document)")
        series = [s for (s,) in self.db.execute(
            "SELECT series FROM document GROUP BY series HAVING count(*) > 1 ORDER BY series")]
        for name in series:
            documents = [
                SeriesDocument(doc, year, [TaskText(*t) for t in self.db.execute(
                    "SELECT id, number, title, text FROM task WHERE document = ? ORDER BY number", (doc,))])
                for doc, year in self.db.execute("SELECT id, year FROM document WHERE series = ? ORDER BY year, id",
                                                 (name,)).fetchall()
            ]
            yield from series_continuations(documents)
