"""The ``policykg`` command line: every command, on the top floor.

It imports down (the parser, the loader, the API's stores and app, the local
Neo4j) and nothing imports it. A user's mistake (a file that is not a plan,
Neo4j down, a wrong password, a port in use) prints one line on stderr and
exits 2; there is no traceback for it.

It is longer than 400 lines because every command is here, on the top floor,
with the formatting it prints (tables, the check report); each command is short
and works through the packages below.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer

from api.errors import ApiError, NotFound
from api.settings import Settings, SettingsError
from graph_loader.coresponsibility import LEVELS, Level
from graph_loader.dictionary import default_vocabulary
from graph_loader.errors import PlanParseError
from graph_loader.formats import FORMATS, dumps
from graph_loader.models import Plan, Task
from graph_loader.parser import parse_document, parse_file
from graph_loader.readers import plan_files, read_document
from graph_loader.review import Review, review

if TYPE_CHECKING:
    import networkx as nx

    from api.stores.base import GraphStore
    from local_neo4j import LocalNeo4j, ServerInfo

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="policykg: who is responsible for what in Chinese government action plans.",
)

EXIT_USER_ERROR = 2
T = TypeVar("T")


class UserError(Exception):
    """A mistake of the user's or an unreachable store; ``str()`` is the one line to print."""


@app.callback()
def _root() -> None:
    """policykg: who is responsible for what in Chinese government action plans."""


def complain(message: str) -> None:
    """Print one line for the user on stderr (``check`` goes on with the next file after it)."""
    typer.echo(f"policykg: {' '.join(message.splitlines())}", err=True)


def fail(message: str) -> typer.Exit:
    """Print one line for the user and return the exit to raise."""
    complain(message)
    return typer.Exit(EXIT_USER_ERROR)


def warning_lines(plan: Plan, file: Path | None = None) -> list[str]:
    """The parser's warnings as lines for stderr (each naming its file where several are read)."""
    where = f"{file}: " if file else ""
    return [f"warning: {where}{warning}" for warning in plan.warnings]


@contextmanager
def user_errors() -> Iterator[None]:
    """Every error that is the user's to fix becomes one line and exit 2."""
    try:
        yield
    except (UserError, SettingsError, PlanParseError) as e:
        raise fail(str(e)) from None
    except ApiError as e:
        raise fail(e.message) from None


def settings(**overrides: object) -> Settings:
    """The settings from the environment, with the command line's options over them."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return Settings.from_env(overrides=given)


# -- parse ---------------------------------------------------------------------------------------------


class ParseFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="Plan file: text, HTML, PDF, DOCX, DOC/WPS, OFD or XLSX.")],
    format: Annotated[
        ParseFormat, typer.Option("--format", "-f", help="table for people, json for programs.")
    ] = ParseFormat.table,
    jurisdiction: Annotated[str | None, typer.Option(help="Override the jurisdiction read from the title.")] = None,
) -> None:
    """Parse one plan and print its tasks, owners, goals and topics."""
    with user_errors():
        plan = parse_file(file, jurisdiction=jurisdiction)
    if format is ParseFormat.json:
        typer.echo(json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_table(plan))
    for line in warning_lines(plan):
        typer.echo(line, err=True)


_ROLE_LABEL = {"lead": "牵头", "co": "配合"}


def render_table(plan: Plan) -> str:
    doc = plan.document
    n_measures = sum(len(t.measures) for t in plan.tasks)
    out = [
        f"{doc.title}  ({doc.jurisdiction}, {doc.year or '?'})",
        f"{len(plan.projects)} projects, {len(plan.sections)} sections, {len(plan.tasks)} tasks, "
        f"{n_measures} measures, {len(plan.agencies)} agencies",
    ]
    project_id = section_id = None
    for task in plan.tasks:
        if task.project.id != project_id:
            project_id = task.project.id
            out += ["", f"{task.project.number}. {task.project.title}"]
        if task.section and task.section.id != section_id:
            section_id = task.section.id
            out.append(f"  ({task.section.number}) {task.section.title}")
        out += _task_lines(task)
    return "\n".join(out)


def _task_lines(task: Task) -> list[str]:
    lines = [f"    {task.number:>3}. {task.title}"]
    for m in task.measures:
        owners = "、".join(f"{a.name}[{_ROLE_LABEL[a.role]}]" for a in m.agencies) or "(no owner)"
        lines.append(f"         owners: {owners}")
    for g in task.goals:
        value = f"{g.value}-{g.value_max}" if g.value_max is not None else f"{g.value}"
        lines.append(f"         goal:   {g.metric or '-'} {g.comparator} {value} {g.unit}")
    if task.topics:
        lines.append("         topics: " + "; ".join(f"{t.name}({'、'.join(t.terms)})" for t in task.topics))
    return lines


# -- diff ------------------------------------------------------------------------------------------------


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The earlier plan: a file, or a loaded document's id or title.")],
    new: Annotated[str, typer.Argument(help="The later plan: a file, or a loaded document's id or title.")],
    format: Annotated[
        ParseFormat, typer.Option("--format", "-f", help="table for people, json for programs.")
    ] = ParseFormat.table,
) -> None:
    """What changed from one plan to another: tasks added, dropped and continued; owners, leads, targets, topics.

    A plan is a file when one is at that path; otherwise a document of the store the settings name
    (the embedded store over POLICYKG_SOURCE_DIR, or NEO4J_URI's Neo4j), as GET /documents/{old}/diff/{new}.
    """
    from api.stores.answers import document_facts
    from graph_loader.diff import facts_from_plan, render
    from graph_loader.series import compare

    store: GraphStore | None = None
    with user_errors():
        try:
            facts = []
            for ref in (old, new):
                if Path(ref).exists():
                    facts.append(facts_from_plan(parse_file(Path(ref))))
                else:
                    store = store or open_store(settings())
                    try:
                        facts.append(document_facts(store, ref))
                    except NotFound as e:
                        raise UserError(f"{ref}: no such file, nor a loaded document ({e.message})") from None
            changes = compare(*facts)
        finally:
            if store is not None:
                store.close()
    if format is ParseFormat.json:
        typer.echo(json.dumps(changes.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        typer.echo(render(changes))


# -- check -----------------------------------------------------------------------------------------------


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


@dataclass(frozen=True)
class Unparsed:
    """A file ``check`` could not review: its parse error, already printed on stderr."""

    file: str
    error: str


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Plan files to review.")],
    format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="text for people (file:line:col), json for programs.")
    ] = CheckFormat.text,
    jurisdiction: Annotated[str | None, typer.Option(help="Override the jurisdiction read from the title.")] = None,
) -> None:
    """Review plans: what the parser could not read or place, each at its file:line:column, and what to do.

    The report is advice: exit 0 when every file parsed, 2 when one did not (its error on stderr; the
    other files are still reviewed).
    """
    reports: list[Review | Unparsed] = []  # kept for the JSON document; the text report goes out file by file
    for path in files:
        try:
            read = read_document(path)
            plan = parse_document(read, document=path.name, jurisdiction=jurisdiction)
            source = read.text  # the text the parser read, for line and column
        except PlanParseError as e:
            complain(str(e))
            reports.append(Unparsed(str(path), str(e)))
            continue
        for line in warning_lines(plan, path):
            typer.echo(line, err=True)
        place_at = None if read.kind == "text" else read.place_at
        report = review(plan, source, default_vocabulary(), file=str(path), place_at=place_at)
        if format is CheckFormat.json:
            reports.append(report)
        else:
            typer.echo(render_review(report))
    if format is CheckFormat.json:
        typer.echo(json.dumps({"files": [_review_json(r) for r in reports]}, ensure_ascii=False, indent=2))
    if any(isinstance(r, Unparsed) for r in reports):
        raise typer.Exit(EXIT_USER_ERROR)


def render_review(report: Review) -> str:
    """One finding a line, ``file:line:col: code: message: «text»``, then the file's counts by code."""
    lines = [
        f"{report.file}:{f.line}:{f.column}: {f.code}: {f.message}: «{f.text}»" + (f" ({f.place})" if f.place else "")
        for f in report.findings
    ]
    counts = report.counts()
    total = sum(counts.values())
    by_code = ", ".join(f"{n} {code}" for code, n in counts.items())
    lines.append(f"{report.file}: {total} finding(s)" + (f": {by_code}" if by_code else ""))
    return "\n".join(lines)


def _review_json(report: Review | Unparsed) -> dict[str, object]:
    if isinstance(report, Unparsed):
        return {"file": report.file, "error": report.error, "items": [], "count": 0, "counts": {}}
    items = [
        {"code": f.code, "line": f.line, "column": f.column, "span": list(f.span), "text": f.text, "message": f.message,
         "place": f.place}
        for f in report.findings
    ]
    return {"file": report.file, "error": None, "items": items, "count": len(items), "counts": report.counts()}


# -- serve and export: the store the settings name --------------------------------------------------------


def open_store(config: Settings) -> GraphStore:
    """The store the settings name, checked to answer; raises UserError otherwise."""
    from api.stores import make_store

    if config.store_kind == "memory" and not config.source_dir.is_dir():
        raise UserError(f"POLICYKG_SOURCE_DIR: {config.source_dir} is not a folder of plans")
    try:
        store = make_store(config)
    except PlanParseError as e:
        raise UserError(f"cannot read the plans of {config.source_dir}: {e}") from None
    health = store.health()
    if not health.reachable:
        store.close()
        raise UserError(health.detail)
    return store


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or UserError when it is taken or not ours to take.

    Made with proto IPPROTO_TCP, not 0: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on accepted
    sockets whose proto says TCP, and with it on, each keep-alive response waited ~40 ms for the client's
    delayed ACK (one client: 19 requests/s instead of 340).
    """
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(socket.SOMAXCONN)
    except OSError as e:
        sock.close()
        raise UserError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    return sock


WORKERS_PER_CORE = 4
"""Most ``serve --workers`` per core: each worker holds its own store, and more than a few a core only queue."""


def worker_limit() -> int:
    return WORKERS_PER_CORE * (os.cpu_count() or 1)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (POLICYKG_HOST, default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (POLICYKG_PORT, default 8000).")] = None,
    workers: Annotated[int, typer.Option(
        help=f"Worker processes, each with its own store (1 to {WORKERS_PER_CORE} a core).")] = 1,
) -> None:
    """Serve the JSON API: Neo4j when NEO4J_URI is set, else the embedded store over source_text/."""
    with user_errors():
        config = settings(host=host, port=port)
        if not 1 <= workers <= worker_limit():
            raise UserError(f"--workers: {workers} is not between 1 and {worker_limit()} "
                            f"({WORKERS_PER_CORE} a core, {os.cpu_count() or 1} cores)")
        sock = bind(config.host, config.port)
    try:
        # Bounds (POLICYKG_MAX_CONNECTIONS, POLICYKG_KEEP_ALIVE): idle sockets cost little, so the
        # connection limit is far above what a slow client flood needs to be harmless to others.
        # Each worker takes its share of it.
        options: dict[str, Any] = dict(log_level="info", limit_concurrency=-(-config.max_connections // workers),
                                       timeout_keep_alive=config.keep_alive)
        if workers == 1:
            _serve_one(config, sock, options)
        else:
            _serve_workers(config, workers, sock, options)
    finally:
        sock.close()


def _serving(config: Settings, kind: str, detail: str, workers: int) -> None:
    many = f", {workers} workers" if workers > 1 else ""
    typer.echo(f"policykg: serving the {kind} store ({detail}{many})")
    typer.echo(f"policykg: listening on http://{config.host}:{config.port} (docs at /docs)")


def _serve_one(config: Settings, sock: socket.socket, options: dict[str, Any]) -> None:
    """The app over a store made here, in this process, until SIGINT or SIGTERM."""
    import uvicorn

    from api.app import create_app

    with user_errors():
        store = open_store(config)
    try:
        _serving(config, store.kind, store.health().detail, 1)
        uvicorn.Server(uvicorn.Config(create_app(config, store), **options)).run(sockets=[sock])
    finally:
        store.close()


def _serve_workers(config: Settings, workers: int, sock: socket.socket, options: dict[str, Any]) -> None:
    """``workers`` processes serving ``sock``, each calling ``create_app()``, which builds its own store from
    the environment's settings (the command line's host and port put there), until SIGINT or SIGTERM."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    with user_errors():
        kind, detail = _apart(_check_store, config)
    _serving(config, kind, detail, workers)
    os.environ.update(POLICYKG_HOST=config.host, POLICYKG_PORT=str(config.port))
    uv_config = uvicorn.Config("api.app:create_app", factory=True, workers=workers, **options)
    supervisor = Multiprocess(uv_config, sockets=[sock])
    supervisor.run()
    if any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes):
        raise fail("a worker could not start (its error is above); the others were stopped")


def _apart(check: Callable[[Settings], T], config: Settings) -> T:
    """``check(config)`` in a child process, its errors raised here: a store read and closed leaves its
    memory to the allocator (300 MB at 1,000 plans, 660 MB after a first start), which the supervisor
    would otherwise hold for as long as it serves."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(check, (config,))


def _check_store(config: Settings) -> tuple[str, str]:
    """The store's kind and health line, checked before any worker starts (a store that does not answer is
    one line and exit 2), then closed. The embedded store it makes is kept in the parse cache, where the
    workers then read it back (about 0.6 s at 1,000 plans) instead of each parsing and building it."""
    store = open_store(config)
    try:
        return store.kind, store.health().detail
    finally:
        store.close()


class ExportKind(StrEnum):
    network = "network"
    ego = "ego"
    topic = "topic"
    document = "document"


@app.command()
def export(
    kind: Annotated[ExportKind, typer.Argument(help="network, ego (of an agency), topic or document.")],
    target: Annotated[str | None, typer.Argument(help="The agency, topic or document.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")] = "graphml",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout.")] = None,
    radius: Annotated[int, typer.Option(min=1, help="ego: shared-task steps from the agency.")] = 1,
    min_weight: Annotated[int, typer.Option(min=1, help="network, ego: least shared tasks per edge.")] = 1,
    include_generic: Annotated[
        bool, typer.Option(help="network, ego: keep 各区市政府 and other placeholders.")
    ] = False,
    document: Annotated[str | None, typer.Option(help="network: only this document (id or title).")] = None,
    level: Annotated[
        str, typer.Option(help="network, ego: what ties two agencies, a shared task or a shared clause (measure).")
    ] = "task",
    series: Annotated[str | None, typer.Option(help="network: only the plans of this series.")] = None,
    year: Annotated[int | None, typer.Option(help="network: only the plans of this year.")] = None,
) -> None:
    """Write a subgraph as GraphML, GEXF, node-link JSON, CSV (edges, nodes, matrix) or Pajek (from `serve`'s store)."""
    with user_errors():
        if format not in FORMATS:
            raise UserError(f"--format {format}: one of {', '.join(FORMATS)}")
        if level not in LEVELS:
            raise UserError(f"--level {level}: one of {', '.join(LEVELS)}")
        if kind is not ExportKind.network and not target:
            raise UserError(f"export {kind} needs a target: {'an agency' if kind is ExportKind.ego else 'a ' + kind}")
        store = open_store(settings())
        try:
            graph = _subgraph(store, kind, target or "", radius=radius, min_weight=min_weight,
                              include_generic=include_generic, document=document, level=cast(Level, level),
                              series=series, year=year)
        finally:
            store.close()
        data = dumps(graph, format)
        if output is None:
            sys.stdout.buffer.write(data)
        else:
            try:
                output.write_bytes(data)
            except OSError as e:
                raise UserError(f"cannot write {output}: {e.strerror or e}") from None
    typer.echo(
        f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges" + (f" -> {output}" if output else ""),
        err=True,
    )


def _subgraph(
    store: GraphStore, kind: ExportKind, target: str, *, radius: int, min_weight: int, include_generic: bool,
    document: str | None, level: Level, series: str | None, year: int | None,
) -> nx.Graph:
    if kind is ExportKind.network:
        document_id = store.resolve_document(document).id if document else None
        return store.network_graph(min_weight=min_weight, include_generic=include_generic, document_id=document_id,
                                   level=level, series=series, year=year)
    if kind is ExportKind.ego:
        agency = store.resolve_agency(target)
        return store.ego_graph(agency.id, radius=radius, min_weight=min_weight, include_generic=include_generic,
                               level=level)
    if kind is ExportKind.topic:
        return store.topic_graph(store.resolve_topic(target))
    return store.document_graph(store.resolve_document(target).id)


# -- load ------------------------------------------------------------------------------------------------


@app.command()
def load(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Plan files (any format); default every file in source_text/.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Rewrite documents whose content is already stored.")] = False,
    bulk: Annotated[
        bool,
        typer.Option(help="Into an EMPTY local Neo4j, with Neo4j's own importer (neo4j-admin database import full): "
                          "the server is stopped for the import and started again."),
    ] = False,
) -> None:
    """Load plans into Neo4j (NEO4J_URI, else the local Neo4j this checkout runs): all-or-nothing per document."""
    from tqdm import tqdm

    from graph_loader.loader import LoadError, load_plans

    with user_errors():
        config = settings()
        paths = files or plan_files(config.source_dir)
        if not paths:
            raise UserError(f"no plans to load: {config.source_dir} holds no files")
        if bulk:
            _bulk_load(config, paths, force)
            return
        uri = config.neo4j_target()
        # Every file is parsed once before anything is written, so that a bad one stops the load with
        # nothing loaded; then again, a batch at a time, as the loader takes them: memory stays that of
        # one batch however many plans there are.
        warnings = _Warnings()
        for path in tqdm(paths, unit="file", desc="checking", disable=None, file=sys.stderr):
            warnings.note(parse_file(path), path)
        warnings.summary()
        with (
            config.driver(uri) as driver,
            tqdm(total=len(paths), unit="doc", desc="loading", disable=None, file=sys.stderr) as bar,
        ):
            try:
                report = load_plans(
                    driver,
                    (parse_file(p) for p in paths),
                    database=config.neo4j_database,
                    force=force,
                    progress=lambda event, n: bar.update(n) if event == "document" else None,
                )
            except LoadError as e:
                raise UserError(f"{uri}: {e}") from None
    typer.echo(
        f"{len(report.loaded)} loaded, {len(report.unchanged)} unchanged "
        f"({report.nodes} nodes, {report.relationships} relationships written) into {uri}"
    )


@dataclass
class _Warnings:
    """A corpus may hold thousands of warnings: say which plans name no owners, count the rest (`policykg
    check` lists them), so stderr stays a few lines however many plans there are."""

    files: int = 0
    count: int = 0

    def note(self, plan: Plan, path: Path) -> None:
        from tqdm import tqdm

        if plan.warnings:
            self.files += 1
            self.count += len(plan.warnings)
        if not any(m.agencies for m in plan.measures()):
            tqdm.write(warning_lines(plan, path)[0], file=sys.stderr)

    def summary(self) -> None:
        if self.files:
            typer.echo(f"warning: {self.count} warning(s) in {self.files} file(s); policykg check lists them", err=True)


def _bulk_load(config: Settings, paths: list[Path], force: bool) -> None:
    """``load --bulk``: every plan parsed once and written as CSV, then imported by neo4j-admin.

    The importer writes the store files of a stopped server, so the target must be the local Neo4j of this
    checkout; it replaces the database, so that must be empty, which only the running server can tell. Hence:
    refused unless the local server runs and its database holds no node; then, under the server folder's lock
    (no other start or stop comes in between), checked empty again, stopped, imported, started (the server is
    left running, as ``load`` found it); then the schema statements run as before any load. Refusals and a bad
    plan file change nothing; a failed import puts the old (empty) store back.
    """
    import tempfile
    from urllib.parse import urlsplit

    from tqdm import tqdm

    from api.settings import is_loopback_uri
    from graph_loader.bulk import ARRAY_DELIMITER, BulkError, ensure_empty, finish_import, write_import_files
    from graph_loader.loader import LoadError
    from local_neo4j import Neo4jServerError

    if force:
        raise UserError("--force rewrites stored documents and --bulk writes into an empty database: use one of them")
    server = config.local_neo4j()
    if config.neo4j_uri and not (
        is_loopback_uri(config.neo4j_uri) and urlsplit(config.neo4j_uri).port == urlsplit(server.bolt_uri).port
    ):
        raise UserError(
            f"--bulk imports into the local Neo4j of this checkout ({server.bolt_uri}) only, not NEO4J_URI "
            f"{config.neo4j_uri}: neo4j-admin writes the files of a stopped server; load without --bulk"
        )
    if config.neo4j_database not in (None, "neo4j"):
        raise UserError(f"--bulk imports into the database neo4j, not NEO4J_DATABASE {config.neo4j_database}")
    info = server.status()
    if info is None:
        raise UserError(
            f"the local Neo4j of {config.cache_dir} is not running; start it with `policykg neo4j start` "
            "(--bulk checks that its database is empty, then stops it for the import and starts it again)"
        )
    uri = info.bolt_uri

    def check_empty() -> None:
        with config.driver(uri) as driver:
            ensure_empty(driver)

    warnings = _Warnings()

    def checked() -> Iterator[Plan]:
        for path in paths:
            plan = parse_file(path)
            warnings.note(plan, path)
            yield plan

    try:
        check_empty()
        with tempfile.TemporaryDirectory(prefix="policykg-bulk-") as tmp:
            with tqdm(total=len(paths), unit="file", desc="writing CSV", disable=None, file=sys.stderr) as bar:
                written = write_import_files(checked(), Path(tmp), on_document=lambda plan: bar.update(1))
            warnings.summary()
            imported = server.import_csv(written.nodes, written.relationships, array_delimiter=ARRAY_DELIMITER,
                                         multiline=written.multiline, work_dir=Path(tmp), check=check_empty)
            with config.driver(uri) as driver:
                finish_import(driver, written)
    except (BulkError, LoadError) as e:
        raise UserError(f"{uri}: {e}") from None
    except Neo4jServerError as e:
        raise UserError(str(e)) from None
    expected = (written.node_count, written.relationship_count + written.co_responsible)
    if (imported.nodes, imported.relationships) != expected:
        raise UserError(f"{uri}: neo4j-admin imported {imported.nodes} nodes and {imported.relationships} "
                        f"relationships of the {expected[0]} and {expected[1]} written")
    typer.echo(
        f"{len(written.documents)} loaded, 0 unchanged ({written.node_count} nodes, {written.relationship_count} "
        f"relationships written) into {uri} by neo4j-admin database import full in {imported.seconds:.1f} s"
    )


# -- the local Neo4j ---------------------------------------------------------------------------------------

neo4j_app = typer.Typer(no_args_is_help=True, help="The local Neo4j server (from Maven Central, loopback only).")
app.add_typer(neo4j_app, name="neo4j")


def local_neo4j() -> LocalNeo4j:
    return settings().local_neo4j()


def _running(info: ServerInfo) -> str:
    return f"Neo4j {info.version} running (pid {info.pid}): {info.bolt_uri}, Browser {info.http_url}/browser/"


@contextmanager
def server_errors() -> Iterator[None]:
    from local_neo4j import Neo4jServerError

    with user_errors():
        try:
            yield
        except Neo4jServerError as e:
            raise UserError(str(e)) from None


@neo4j_app.command("start")
def neo4j_start(timeout: Annotated[float, typer.Option(help="Seconds to wait for Bolt to answer.")] = 120) -> None:
    """Fetch (first time), configure and start Neo4j; returns when Bolt answers."""
    with server_errors():
        info = local_neo4j().start(timeout=timeout)
    typer.echo(_running(info))


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j cleanly."""
    with server_errors():
        stopped = local_neo4j().stop()
    typer.echo("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether the local Neo4j runs, and where (exit 1 when it does not)."""
    with server_errors():
        info = local_neo4j().status()
    if info is None:
        typer.echo("Neo4j is not running")
        raise typer.Exit(1)
    typer.echo(_running(info))


def main() -> None:
    # The driver logs its retries and server notices as warnings; our errors already say what
    # went wrong in one line, so the driver's log stays out of the user's terminal.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    try:
        app()
    except BrokenPipeError:  # policykg parse … | head
        sys.stderr.close()


if __name__ == "__main__":
    main()
