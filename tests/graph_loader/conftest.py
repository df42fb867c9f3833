"""Plans of the loader's tests that keep aggregates by difference (agency counts, CO_RESPONSIBLE's shares):
the seed plan and its series, and a changed version of the 2026 plan to replace the stored one with."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader import Plan, parse_file, parse_text

from ..conftest import PLAN_FILE  # noqa: TID252  (importlib mode resolves the package-less tests dir)

SERIES = Path(__file__).resolve().parent / "series"


@pytest.fixture(scope="module")
def series_plans() -> list[Plan]:
    """The seed plan, then the 2024 and 2026 plans of its series."""
    return [parse_file(PLAN_FILE), *(parse_file(SERIES / f"digital-qingdao-{year}.txt") for year in (2024, 2026))]


@pytest.fixture(scope="module")
def replaced_2026(series_plans: list[Plan]) -> Plan:
    """The 2026 plan with 市审计局 named first among its first task's owners and its second task gone."""
    plan = series_plans[2]
    lines = (SERIES / "digital-qingdao-2026.txt").read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("1."))
    second = next(i for i, line in enumerate(lines) if line.startswith("2."))
    lines[first] = lines[first].replace("责任单位:", "责任单位:市审计局、", 1)
    del lines[second]
    changed = parse_text("\n".join(lines), document=plan.document.source)
    assert changed.document.id == plan.document.id and len(changed.tasks) == len(plan.tasks) - 1
    return changed
