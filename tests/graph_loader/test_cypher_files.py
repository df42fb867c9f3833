"""Every Cypher file is used, says what it takes, and takes values only as parameters."""

from __future__ import annotations

import re

import pytest

from graph_loader.cypher import CYPHER_DIR, registry

ROOT = CYPHER_DIR.parent
_CODE_DIRS = ("graph_loader", "api", "tests")


def _python_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for d in _CODE_DIRS for p in (ROOT / d).rglob("*.py"))


@pytest.mark.parametrize("name", sorted(registry()))
def test_header_names_every_parameter(name: str) -> None:
    cypher = registry()[name]
    assert cypher.header.startswith(f"{name}:"), "the header opens with the file's name and what it answers"
    assert "Parameters:" in cypher.header and "Result columns:" in cypher.header
    assert cypher.declared_parameters == cypher.used_parameters


@pytest.mark.parametrize("name", sorted(registry()))
def test_every_file_is_used_by_the_code(name: str) -> None:
    sources = _python_sources()
    used_literally = re.search(rf"[\"']{re.escape(name)}[\"']", sources)
    # load_nodes_<label> files are named from the label in loader._write_batch.
    used_by_label = name.startswith("load_nodes_") and 'f"load_nodes_{label.lower()}"' in sources
    assert used_literally or used_by_label, f"cypher/{name}.cypher is not used"


def test_no_value_is_formatted_into_cypher() -> None:
    # Queries are run only through the registry; an f-string next to .run( would format values in.
    for path in (p for d in (*_CODE_DIRS, "bench") for p in (ROOT / d).rglob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert not re.search(r"\.run\(\s*f[\"']", line), f"{path}: {line.strip()}"
