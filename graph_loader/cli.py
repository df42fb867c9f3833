"""The ``policykg`` command line.

User mistakes (a file that is not a plan, Neo4j down, a wrong password) print
one line on stderr and exit 2; there is no traceback for them.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer
from tqdm import tqdm

from graph_loader.errors import PlanParseError
from graph_loader.models import Plan, Task
from graph_loader.parser import parse_file

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="policykg: who is responsible for what in Chinese government action plans.",
)

EXIT_USER_ERROR = 2


@app.callback()
def _root() -> None:
    """policykg: who is responsible for what in Chinese government action plans."""


class ParseFormat(StrEnum):
    table = "table"
    json = "json"


def fail(message: str) -> typer.Exit:
    """Print one line for the user and return the exit to raise."""
    typer.echo(f"policykg: {message}", err=True)
    return typer.Exit(EXIT_USER_ERROR)


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="Plan text, UTF-8 (BOM optional) or GB18030/GBK.")],
    format: Annotated[
        ParseFormat, typer.Option("--format", "-f", help="table for people, json for programs.")
    ] = ParseFormat.table,
    jurisdiction: Annotated[str | None, typer.Option(help="Override the jurisdiction read from the title.")] = None,
) -> None:
    """Parse one plan and print its tasks, owners, goals and topics."""
    try:
        plan = parse_file(file, jurisdiction=jurisdiction)
    except PlanParseError as e:
        raise fail(str(e)) from None
    if format is ParseFormat.json:
        typer.echo(json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_table(plan))
    for warning in plan.warnings:
        typer.echo(f"warning: {warning}", err=True)


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


class ExportKind(StrEnum):
    network = "network"
    ego = "ego"
    topic = "topic"
    document = "document"


class ExportFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (POLICYKG_HOST, default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (POLICYKG_PORT, default 8000).")] = None,
) -> None:
    """Serve the JSON API: Neo4j when NEO4J_URI is set, else the embedded store over source_text/."""
    from api.commands import CommandError
    from api.commands import serve as run

    try:
        run(host=host, port=port, echo=typer.echo)
    except CommandError as e:
        raise fail(str(e)) from None


@app.command()
def export(
    kind: Annotated[ExportKind, typer.Argument(help="network, ego (of an agency), topic or document.")],
    target: Annotated[str | None, typer.Argument(help="The agency, topic or document.")] = None,
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="graphml, gexf or json (node-link).")
    ] = ExportFormat.graphml,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout.")] = None,
    radius: Annotated[int, typer.Option(min=1, help="ego: shared-task steps from the agency.")] = 1,
    min_weight: Annotated[int, typer.Option(min=1, help="network, ego: least shared tasks per edge.")] = 1,
    include_generic: Annotated[
        bool, typer.Option(help="network, ego: keep 各区市政府 and other placeholders.")
    ] = False,
    document: Annotated[str | None, typer.Option(help="network: only this document (id or title).")] = None,
) -> None:
    """Write a subgraph as GraphML, GEXF or node-link JSON (from the store `serve` would use)."""
    from api.commands import CommandError, export_graph
    from graph_loader.export import dumps

    try:
        graph = export_graph(
            kind.value, target, radius=radius, min_weight=min_weight, include_generic=include_generic, document=document
        )
    except CommandError as e:
        raise fail(str(e)) from None
    data = dumps(graph, format.value)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
    typer.echo(
        f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges" + (f" -> {output}" if output else ""),
        err=True,
    )


@app.command()
def load(
    files: Annotated[list[Path] | None, typer.Argument(help="Plan files; default every *.txt in source_text/.")] = None,
    force: Annotated[bool, typer.Option(help="Rewrite documents whose content is already stored.")] = False,
) -> None:
    """Load plans into Neo4j (NEO4J_URI, default the local server): all-or-nothing per document."""
    import neo4j

    from api.commands import CommandError, settings_from_env
    from graph_loader import neo4j_server
    from graph_loader.loader import LoadError, load_plans

    try:
        settings = settings_from_env()
    except CommandError as e:
        raise fail(str(e)) from None
    paths = files or sorted(settings.source_dir.glob("*.txt"))
    if not paths:
        raise fail(f"no plans to load: {settings.source_dir} has no *.txt files")
    try:
        # Parse everything first: a bad file stops the load before anything is written.
        plans = [parse_file(p) for p in paths]
    except PlanParseError as e:
        raise fail(str(e)) from None
    uri = settings.neo4j_uri or neo4j_server.local_bolt_uri()
    auth = (settings.neo4j_user, settings.neo4j_password)
    with (
        neo4j.GraphDatabase.driver(uri, auth=auth) as driver,
        tqdm(total=len(plans), unit="doc", desc="loading", disable=None, file=sys.stderr) as bar,
    ):
        try:
            report = load_plans(
                driver,
                plans,
                database=settings.neo4j_database,
                force=force,
                progress=lambda event, n: bar.update(n) if event == "document" else None,
            )
        except LoadError as e:
            raise fail(f"{uri}: {e}") from None
    typer.echo(
        f"{len(report.loaded)} loaded, {len(report.unchanged)} unchanged "
        f"({report.nodes} nodes, {report.relationships} relationships written) into {uri}"
    )


neo4j_app = typer.Typer(no_args_is_help=True, help="The local Neo4j server (from Maven Central, loopback only).")
app.add_typer(neo4j_app, name="neo4j")


@neo4j_app.command("start")
def neo4j_start(timeout: Annotated[float, typer.Option(help="Seconds to wait for Bolt to answer.")] = 120) -> None:
    """Fetch (first time), configure and start Neo4j; returns when Bolt answers."""
    _neo4j_call(lambda server: server.start(timeout=timeout))


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j cleanly."""
    _neo4j_call(lambda server: server.stop())


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether the local Neo4j runs, and where (exit 1 when it does not)."""
    _neo4j_call(lambda server: server.status())


def _neo4j_call(action: Callable[[ModuleType], object]) -> None:
    from graph_loader import neo4j_server

    try:
        result = action(neo4j_server)
    except neo4j_server.Neo4jServerError as e:
        raise fail(str(e)) from None
    if isinstance(result, neo4j_server.ServerInfo):
        typer.echo(
            f"Neo4j {result.version} running (pid {result.pid}): {result.bolt_uri}, Browser {result.http_url}/browser/"
        )
    elif result is None:
        typer.echo("Neo4j is not running")
        raise typer.Exit(1)
    else:
        typer.echo("Neo4j stopped" if result else "Neo4j was not running")


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
