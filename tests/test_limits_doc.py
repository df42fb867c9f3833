"""docs/LIMITS.md says what the code does: each number written beside a constant's name is that constant."""

from __future__ import annotations

import importlib
import re

from .conftest import ROOT

LIMITS = (ROOT / "docs" / "LIMITS.md").read_text(encoding="utf-8")
CONSTANTS = {
    "graph_loader.loader": ("DOCUMENTS_PER_TRANSACTION", "ROWS_PER_TRANSACTION", "ROWS_PER_STATEMENT"),
    "graph_loader.kept": ("FILL_PAIRS_PER_TRANSACTION",),
    "graph_loader.parser": ("_MAX_TITLE",),
    "graph_loader.readers.text": ("MAX_INPUT_BYTES",),
    "graph_loader.responsibility": ("_MAX_NAME",),
    "api.deps": ("MAX_TEXT", "MAX_OFFSET", "MAX_MIN_WEIGHT", "MAX_TASK_NUMBER"),
    "api.schemas": ("NESTED_CAP",),
}


def _documented(name: str) -> list[int]:
    """Every number the page writes for ``name``: ``40,000 (`NAME`)`` or ``(`NAME` = 5,242,880``."""
    before = re.findall(rf"([\d,]+)[^\d|`]{{0,20}}\(`{re.escape(name)}`", LIMITS)
    after = re.findall(rf"`{re.escape(name)}` = ([\d,]+)", LIMITS)
    return [int(n.replace(",", "")) for n in before + after]


def test_every_constant_is_documented_with_its_value() -> None:
    wrong = {}
    for module, names in CONSTANTS.items():
        for name in names:
            value = getattr(importlib.import_module(module), name)
            if not _documented(name) or any(n != value for n in _documented(name)):
                wrong[f"{module}.{name}"] = (value, _documented(name))
    assert wrong == {}
