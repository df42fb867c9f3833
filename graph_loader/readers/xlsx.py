"""Spreadsheets (.xlsx) → the 任务分工表 they hold, with openpyxl (MIT).

Plans attach their task division as a workbook: a title row, a header (序号 | 重点任务 | 牵头单位 |
配合单位 …), section rows merged across the width and task rows. Each sheet with such a header
becomes a table; merged cells are filled with their value over the whole range. A workbook with
no task table is refused: there is no plan in it to read.
"""

from __future__ import annotations

import io

import openpyxl

from graph_loader.errors import PlanParseError
from graph_loader.readers.document import DocumentBuilder, ReadDocument
from graph_loader.tables import is_header


def read_xlsx(data: bytes, document: str) -> ReadDocument:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises KeyError, lxml and zip errors for a broken part
        raise PlanParseError(f"an XLSX workbook that is corrupt ({type(e).__name__}: {e}); get the file again",
                             document=document) from None
    builder = DocumentBuilder("XLSX workbook", document)
    found = False
    for sheet in workbook.worksheets:
        rows = _filled_rows(sheet)
        header = next((i for i, row in enumerate(rows) if is_header(row)), None)
        if header is None:
            continue
        found = True
        for number, row in enumerate(rows[:header], 1):  # the title rows above the table
            builder.add_line(" ".join(dict.fromkeys(c for c in row if c)), f"sheet {sheet.title}, row {number}")
        builder.add_table(rows[header:], f"sheet {sheet.title}", first_row=header + 1)
    if not found:
        raise PlanParseError(
            f"a spreadsheet without a task table ({len(workbook.worksheets)} sheets, none with a header row naming a"
            " task column such as 重点任务 and an owner column such as 牵头单位); give the plan's text instead",
            document=document,
        )
    return builder.build()


def _filled_rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[list[str]]:
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                rows[r][c] = value
    return rows
