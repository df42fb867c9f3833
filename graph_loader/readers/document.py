"""What every reader returns: the text the parser reads, and where each part of it sits in the file.

A reader adds the file's lines and tables to a :class:`DocumentBuilder` in reading order; each
addition carries its place in the original file ("page 3, line 12", "paragraph 14", "table 1,
row 3"). Tables become one ``|``-joined line per row, the shape :mod:`graph_loader.tables` reads
as a 任务分工表, so a table in Word, HTML, a spreadsheet or a PDF parses as the same table in text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from graph_loader.errors import PlanParseError

FORMATS = "text, HTML, PDF, DOCX, DOC/WPS, OFD or XLSX"
"""What a plan may be given as, for the messages that refuse anything else."""

_NAME_LINE = re.compile(r"^[^，。；;,:：()（）]{1,24}$")
"""A line of a cell that is a unit's name on its own (no clause punctuation): such lines list owners."""


@dataclass(frozen=True)
class Place:
    offset: int  # where in the text this place starts; it lasts until the next place
    label: str  # in the file's own terms: "page 3, line 12", "paragraph 14", "table 1, row 3"


@dataclass(frozen=True)
class ReadDocument:
    """A file read: its text, what kind of file it was, and the places of the text in it."""

    text: str
    kind: str  # what the content was detected as: "UTF-8 text", "HTML page", "PDF", "DOCX" …
    places: tuple[Place, ...] = ()
    attachments: tuple[str, ...] = ()  # the 附件 an HTML page links to, as its links give them
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(p.offset for p in self.places))

    def place_at(self, offset: int) -> str:
        """Where the text at ``offset`` is in the original file: its line, for a text file."""
        if not self.places:
            return f"line {self.text.count(chr(10), 0, offset) + 1}"
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.places[max(i, 0)].label


class DocumentBuilder:
    """Collects a file's lines and tables, in reading order, into a :class:`ReadDocument`."""

    def __init__(self, kind: str, document: str):
        self.kind = kind
        self.document = document
        self._lines: list[str] = []
        self._length = 0
        self._places: list[Place] = []
        self.attachments: list[str] = []

    def add_line(self, text: str, place: str) -> None:
        """One line (a paragraph) of the document; line breaks inside it are kept as lines."""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            return
        if not self._places or self._places[-1].label != place:
            self._places.append(Place(self._length, place))
        for line in text.split("\n"):
            self._lines.append(line)
            self._length += len(line) + 1

    def add_table(self, rows: Sequence[Sequence[str]], place: str, *, first_row: int = 1) -> None:
        """A table, as rows of cell texts (merged cells repeated as the reader saw them).

        Each row is written as ``| a | b | c |``. A horizontally merged cell (the same text in
        neighbouring cells) is written once; a row whose cells all hold one text (a section row
        spanning the table) keeps that text once, as a heading line. Lines inside a cell are
        joined: with 、 when each is a name on its own (an owner list), without anything when
        they are one wrapped sentence. Rows are numbered from ``first_row`` (a sheet's own row numbers).
        """
        table_rows = [[_cell_text(c) for c in row] for row in rows]
        for number, cells in enumerate(table_rows, first_row):
            if not any(cells):
                continue
            distinct = {c for c in cells if c}
            if len(distinct) == 1:
                self.add_line(distinct.pop(), f"{place}, row {number}")
                continue
            kept = [c for i, c in enumerate(cells) if i == 0 or c != cells[i - 1] or not c]
            self.add_line("| " + " | ".join(kept) + " |", f"{place}, row {number}")
        self.add_line("", place)

    def build(self) -> ReadDocument:
        text = "\n".join(self._lines)
        if not text.strip():
            raise PlanParseError(f"{self.kind}: the file holds no text", document=self.document)
        return ReadDocument(text + "\n", self.kind, tuple(self._places), tuple(self.attachments))


def _cell_text(cell: str) -> str:
    lines = [line.strip() for line in cell.replace("\r", "\n").split("\n") if line.strip()]
    joiner = "、" if len(lines) > 1 and all(_NAME_LINE.match(line) for line in lines) else ""
    return joiner.join(lines).replace("|", "｜").replace("\t", " ")
