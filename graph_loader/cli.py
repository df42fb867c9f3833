"""The ``policykg`` command line.

User mistakes (a file that is not a plan, Neo4j down, a wrong password) print
one line on stderr and exit 2; there is no traceback for them.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

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


class ParseFormat(str, Enum):
    table = "table"
    json = "json"


def fail(message: str) -> typer.Exit:
    """Print one line for the user and return the exit to raise."""
    typer.echo(f"policykg: {message}", err=True)
    return typer.Exit(EXIT_USER_ERROR)


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="Plan text, UTF-8 (BOM optional) or GB18030/GBK.")],
    format: Annotated[ParseFormat, typer.Option("--format", "-f", help="table for people, json for programs.")] = ParseFormat.table,
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


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # policykg parse … | head
        sys.stderr.close()


if __name__ == "__main__":
    main()
