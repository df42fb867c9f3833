"""The parser's one error type: it says where (document, line, offset) and why."""

from __future__ import annotations


class PlanParseError(ValueError):
    """Input that cannot be read as a plan. The CLI prints ``str(err)`` and exits 2."""

    def __init__(self, reason: str, *, document: str = "<text>", line: int | None = None, offset: int | None = None):
        self.reason = reason
        self.document = document
        self.line = line
        self.offset = offset
        where = document
        if line is not None:
            where += f", line {line}"
        if offset is not None:
            where += f", offset {offset}"
        super().__init__(f"{where}: {reason}")
