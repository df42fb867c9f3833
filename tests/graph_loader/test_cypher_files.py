"""Every Cypher file is used, says what it takes, and takes values only as parameters.

Production files (cypher/) count as used only when production code (graph_loader, api) names them;
the tests' own files (tests/cypher/) when the tests do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph_loader.cypher import CYPHER_DIR, CypherFile, registry

from ..conftest import TESTS_CYPHER_DIR  # noqa: TID252

ROOT = CYPHER_DIR.parent
PRODUCTION_DIRS = ("graph_loader", "api")
FILES = {f"cypher/{name}": (cypher, PRODUCTION_DIRS) for name, cypher in registry().items()} | {
    f"tests/cypher/{name}": (cypher, ("tests",)) for name, cypher in registry(TESTS_CYPHER_DIR).items()
}


def _python_sources(dirs: tuple[str, ...]) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for d in dirs for p in (ROOT / d).rglob("*.py"))


@pytest.mark.parametrize("path", sorted(FILES))
def test_header_names_every_parameter(path: str) -> None:
    cypher: CypherFile = FILES[path][0]
    assert cypher.header.startswith(f"{cypher.name}:"), "the header opens with the file's name and what it answers"
    assert "Parameters:" in cypher.header and "Result columns:" in cypher.header
    assert cypher.declared_parameters == cypher.used_parameters


@pytest.mark.parametrize("path", sorted(FILES))
def test_every_file_is_used_by_its_readers(path: str) -> None:
    cypher, readers = FILES[path]
    sources = _python_sources(readers)
    used_literally = re.search(rf"[\"']{re.escape(cypher.name)}[\"']", sources)
    # load_nodes_<label> files are named from the label in loader.write_statements.
    used_by_label = cypher.name.startswith("load_nodes_") and 'f"load_nodes_{label.lower()}"' in sources
    assert used_literally or used_by_label, f"{path}.cypher is not used by {' or '.join(readers)}"


def test_the_tests_files_are_apart() -> None:
    assert not set(registry()) & set(registry(TESTS_CYPHER_DIR)), "one name, one file"
    assert Path(TESTS_CYPHER_DIR).parent.name == "tests"


def test_no_value_is_formatted_into_cypher() -> None:
    # Queries are run only through the registry; an f-string next to .run( would format values in.
    for path in (p for d in (*PRODUCTION_DIRS, "tests", "bench") for p in (ROOT / d).rglob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert not re.search(r"\.run\(\s*f[\"']", line), f"{path}: {line.strip()}"
