"""The registry of Cypher statements: every file in ``cypher/``, loaded once, keyed by file name.

Each file opens with ``//`` comment lines: its name and what it answers, a
``Parameters:`` line naming every ``$parameter`` the body uses, and a ``Result
columns:`` line. Values always travel as parameters; nothing is ever formatted
into the text. ``schema.cypher`` holds several statements separated by ``;``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class CypherFile:
    name: str
    header: str
    body: str

    @property
    def statements(self) -> list[str]:
        return [s.strip() for s in self.body.split(";") if s.strip()]

    @property
    def declared_parameters(self) -> set[str]:
        line = next((ln for ln in self.header.splitlines() if ln.startswith("Parameters:")), "")
        return set(_PARAM.findall(line))

    @property
    def used_parameters(self) -> set[str]:
        return set(_PARAM.findall(self.body))


def _read(path: Path) -> CypherFile:
    header: list[str] = []
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not body and line.startswith("//"):
            header.append(line[2:].strip())
        else:
            body.append(line)
    return CypherFile(path.stem, "\n".join(header), "\n".join(body).strip())


@lru_cache(maxsize=1)
def registry(directory: Path = CYPHER_DIR) -> dict[str, CypherFile]:
    """All statement files of ``directory`` (not its sub-folders), keyed by file name without .cypher."""
    return {p.stem: _read(p) for p in sorted(directory.glob("*.cypher"))}


def query(name: str) -> str:
    """The one statement in ``cypher/<name>.cypher``."""
    (statement,) = registry()[name].statements
    return statement
