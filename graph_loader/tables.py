"""Task-division tables (任务分工表) in text: each row becomes the task line a plan would have written.

A table is a header line whose cells, split at ``|`` or tabs, name a task column (重点任务, 工作任务,
具体举措 …) and an owner column (牵头单位, 责任单位, 配合单位 …), in any order, and the rows under it.
A row numbered in its first cell reads as ``N.任务(牵头单位:A;责任单位:B;完成时限:C)``; a row with one filled
cell (一、…, (一)…) is a heading line. Every line keeps its place, so line numbers stay those of
the source, and every character added takes the origin of the cell it labels.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

from graph_loader.numerals import CN_NUMERAL
from graph_loader.text import TextView

_SEPARATORS = re.compile(r"[|\t]")
_TASK_COLUMN = re.compile(r"^(重点任务|工作任务|具体举措|主要任务|工作内容|重点工作|任务内容|任务举措|工作措施|任务)$")
_OWNER_COLUMN = re.compile(
    r"^(?P<label>牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|主要参与单位)(\(.*\))?$"
)
_DEADLINE_COLUMN = re.compile(r"^(完成时限|完成时间|完成期限|时间节点|时限要求|推进时限|时限)$")
_NUMBER_CELL = re.compile(r"^\d{1,4}$")
_RULE_ROW = re.compile(r"^[\s|:\-—=+]*$")  # a Markdown or box-drawing rule under the header
_MIN_CELLS = 3
_SECTION_ROW = re.compile(rf"^\s*({CN_NUMERAL}、|[(（]{CN_NUMERAL}[)）]|第{CN_NUMERAL}部分)")
"""A row spanning the table that a document reader wrote as a heading line: the table goes on under it."""


@dataclass(frozen=True)
class _Columns:
    number: int | None
    task: int
    owners: list[tuple[int, str]]  # column, its label (牵头单位, 责任单位 …)
    deadline: int | None = None  # the 完成时限 column


def rewrite_tables(lines: list[TextView]) -> list[TextView]:
    """The lines with every task table's rows rewritten as task lines (other lines unchanged)."""
    out: list[TextView] = []
    columns: _Columns | None = None
    for line in lines:
        cells = _cells(line)
        header = _header(cells) if len(cells) >= _MIN_CELLS else None
        if header:
            columns = header
            out.append(line[0:0])
        elif columns and len(cells) >= 2:
            out.append(_row(line, cells, columns))
        else:
            ends_table = line.strip().text and len(cells) < 2 and not _SECTION_ROW.match(line.text)
            columns = None if ends_table else columns
            out.append(line)
    return out


def _cells(line: TextView) -> list[TextView]:
    text = line.text
    if not _SEPARATORS.search(text):
        return []
    cells, start = [], 0
    for m in _SEPARATORS.finditer(text):
        cells.append(line[start : m.start()].strip())
        start = m.end()
    cells.append(line[start:].strip())
    if text.strip().startswith("|"):
        cells = cells[1:]
    if text.strip().endswith("|"):
        cells = cells[:-1]
    return cells


def is_header(cells: list[str]) -> bool:
    """Whether a row's cell texts are a task table's header: a task column and an owner column."""
    names = ["".join(c.split()) for c in cells]
    return any(_TASK_COLUMN.match(n) for n in names) and any(_OWNER_COLUMN.match(n) for n in names)


def _header(cells: list[TextView]) -> _Columns | None:
    names = [c.without_whitespace().text for c in cells]
    task = next((i for i, n in enumerate(names) if _TASK_COLUMN.match(n)), None)
    owners = [(i, m.group("label")) for i, n in enumerate(names) if (m := _OWNER_COLUMN.match(n))]
    if task is None or not owners:
        return None
    number = next((i for i, n in enumerate(names) if n in ("序号", "编号")), None)
    deadline = next((i for i, n in enumerate(names) if _DEADLINE_COLUMN.match(n)), None)
    return _Columns(number, task, owners, deadline)


def _row(line: TextView, cells: list[TextView], columns: _Columns) -> TextView:
    if _RULE_ROW.match(line.text):
        return line[0:0]
    filled = [c for c in cells if c.text]
    if len(filled) == 1:
        return filled[0]  # a section row spanning the table: 一、…, (一)…
    number = cells[columns.number] if columns.number is not None and columns.number < len(cells) else None
    task = cells[columns.task] if columns.task < len(cells) else line[0:0]
    if number is None or not _NUMBER_CELL.match(number.text) or not task.text:
        return line
    parts = [number, _added(".", number, -1), task]
    fields = [(label, cells[i]) for i, label in columns.owners if i < len(cells) and cells[i].text]
    if fields:
        parts.append(_added("(", fields[0][1], 0))
        for n, (label, cell) in enumerate(fields):
            parts.append(_added(("" if n == 0 else ";") + label + ":", cell, 0))
            parts.append(cell)
        due = cells[columns.deadline] if columns.deadline is not None and columns.deadline < len(cells) else None
        if due is not None and due.text:
            parts += [_added(";完成时限:", due, 0), due]
        parts.append(_added(")", parts[-1], -1))
    return TextView.join(parts)


def _added(text: str, cell: TextView, at: int) -> TextView:
    """Characters the rewrite adds, each with the origin of the cell character at ``at``."""
    return TextView(text, array("q", [cell.origin[at]] * len(text)))
