"""The plan of the house: imports run down, the local Neo4j reads no environment, long modules say why."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGES = ("graph_loader", "api", "local_neo4j")
MAX_LINES = 400


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize(("package", "forbidden"), [
    ("graph_loader", {"api", "local_neo4j"}),  # the bottom floor: parser, rows, loader
    ("local_neo4j", {"api", "graph_loader", "neo4j"}),  # a dev tool of its own, not even the driver
])
def test_imports_run_down(package: str, forbidden: set[str]) -> None:
    upward = {str(p.relative_to(ROOT)): _imported(p) & forbidden for p in _modules(package)}
    assert {p: names for p, names in upward.items() if names} == {}


def test_only_the_cli_imports_the_cli() -> None:
    users = [str(p.relative_to(ROOT)) for pkg in PACKAGES for p in _modules(pkg)
             if "api.cli" in p.read_text(encoding="utf-8") and p.name != "cli.py"]
    assert users == []


def test_the_local_neo4j_reads_no_environment() -> None:
    reads = re.compile(r"os\.environ\[|os\.environ\.get|os\.getenv|getenv\(")
    found = [f"{p.name}:{i}" for p in _modules("local_neo4j")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if reads.search(line)]
    assert found == []


def test_long_modules_say_why_at_the_top() -> None:
    long_ones = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for pkg in PACKAGES
                 for p in _modules(pkg) if len(p.read_text(encoding="utf-8").splitlines()) > MAX_LINES}
    unexplained = [p for p, text in long_ones.items()
                   if not re.search(r"longer than 400 lines", ast.get_docstring(ast.parse(text)) or "", re.I)]
    assert unexplained == []
