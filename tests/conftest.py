from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader import Plan, parse_file

ROOT = Path(__file__).resolve().parent.parent
PLAN_FILE = ROOT / "source_text" / "digital-qingdao-2025.txt"


@pytest.fixture(scope="session")
def plan_source() -> str:
    return PLAN_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def plan() -> Plan:
    return parse_file(PLAN_FILE)
