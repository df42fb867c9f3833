"""Lineage on a series written for it (tests/graph_loader/series/README.md is the ground truth)."""

from __future__ import annotations

import dataclasses
import random
import time
from pathlib import Path

import pytest

from graph_loader import Plan, parse_file
from graph_loader.lineage import (
    THRESHOLD,
    Continuation,
    Overrides,
    TaskText,
    continuations,
    load_overrides,
    task_texts,
)
from tests.conftest import PLAN_FILE

SERIES = Path(__file__).parent / "series"


def _pairs(*runs: tuple[int, int, int]) -> list[tuple[int, int]]:
    """(first old, last old, first new) runs of consecutive continuations → (old, new) pairs."""
    return [(old, new + old - first) for first, last, new in runs for old in range(first, last + 1)]


# The README's "Continuations" lines.
CONTINUED_2024_2025 = _pairs((1, 11, 1), (12, 14, 13), (16, 29, 16), (30, 33, 31), (35, 40, 35), (41, 48, 42), (50, 53, 50))
CONTINUED_2025_2026 = _pairs((1, 4, 1), (5, 22, 6), (24, 29, 24), (30, 37, 31), (39, 45, 39), (46, 46, 47), (48, 52, 48), (54, 54, 53))
RENAMED_2024_2025 = [(8, 8), (39, 39), (51, 51)]
RENAMED_2025_2026 = [(3, 3), (21, 22), (24, 24), (36, 37)]


@pytest.fixture(scope="module")
def series() -> dict[int, Plan]:
    return {
        2024: parse_file(SERIES / "digital-qingdao-2024.txt"),
        2025: parse_file(PLAN_FILE),
        2026: parse_file(SERIES / "digital-qingdao-2026.txt"),
    }


def numbers(found: list[Continuation]) -> list[tuple[int, int]]:
    return [(_number(c.old), _number(c.new)) for c in found]


def _number(task_id: str) -> int:
    return int(task_id.rpartition(":t")[2])


def test_the_series_parses_as_the_readme_says(series: dict[int, Plan]) -> None:
    assert [(p.document.id, len(p.tasks)) for p in series.values()] == [
        ("青岛-2024-数字青岛行动方案", 53),
        ("青岛-2025-数字青岛行动方案", 54),
        ("青岛-2026-数字青岛行动方案", 53),
    ]


@pytest.mark.parametrize(
    ("years", "expected", "added", "dropped"),
    [
        ((2024, 2025), CONTINUED_2024_2025, [12, 30, 41, 54], [15, 34, 49]),
        ((2025, 2026), CONTINUED_2025_2026, [5, 30, 46], [23, 38, 47, 53]),
    ],
)
def test_every_continued_task_is_matched_and_nothing_else(
    series: dict[int, Plan], years: tuple[int, int], expected: list[tuple[int, int]], added: list[int], dropped: list[int]
) -> None:
    old, new = series[years[0]], series[years[1]]
    found = continuations(task_texts(old), task_texts(new), overrides=Overrides())
    assert numbers(found) == expected
    assert sorted(set(range(1, len(new.tasks) + 1)) - {n for _, n in numbers(found)}) == added
    assert sorted(set(range(1, len(old.tasks) + 1)) - {o for o, _ in numbers(found)}) == dropped
    assert all(THRESHOLD <= c.score <= 1 for c in found)
    assert [c.old for c in found] == [f"{old.document.id}:t{o}" for o, _ in expected]
    assert [c.new for c in found] == [f"{new.document.id}:t{n}" for _, n in expected]


@pytest.mark.parametrize(
    ("years", "renamed"), [((2024, 2025), RENAMED_2024_2025), ((2025, 2026), RENAMED_2025_2026)]
)
def test_renamed_tasks_continue_with_a_lower_score(
    series: dict[int, Plan], years: tuple[int, int], renamed: list[tuple[int, int]]
) -> None:
    old, new = series[years[0]], series[years[1]]
    found = {(_number(c.old), _number(c.new)): c.score for c in continuations(task_texts(old), task_texts(new))}
    for o, n in renamed:
        assert old.tasks[o - 1].title != new.tasks[n - 1].title
        assert THRESHOLD <= found[(o, n)] < 0.9
    # Owner changes do not lower a score: 4 swapped its lead, 16 gained an owner, 9 lost one (same text).
    if years == (2024, 2025):
        assert [found[(4, 4)], found[(16, 16)], found[(9, 9)], found[(41, 42)]] == [1.0, 1.0, 1.0, 1.0]


def test_owner_lists_left_in_the_text_change_nothing(series: dict[int, Plan]) -> None:
    """A store may hand over the task's whole text, responsibility parentheses included."""

    def whole(plan: Plan) -> list[TaskText]:
        return [TaskText(id=t.id, number=t.number, title=t.title, text=t.text) for t in plan.tasks]

    assert "(责任单位:" in whole(series[2024])[3].text
    assert numbers(continuations(whole(series[2024]), whole(series[2025]))) == CONTINUED_2024_2025
    assert numbers(continuations(whole(series[2025]), whole(series[2026]))) == CONTINUED_2025_2026


def test_a_new_task_alone_matches_nothing_of_the_plan_before(series: dict[int, Plan]) -> None:
    """Without the one-to-one rule to hide behind: each added task against the whole earlier plan."""
    for years, added in (((2024, 2025), [12, 30, 41, 54]), ((2025, 2026), [5, 30, 46])):
        new = task_texts(series[years[1]])
        for number in added:
            assert continuations(task_texts(series[years[0]]), [new[number - 1]]) == []


def test_a_plan_against_itself_matches_every_task_to_itself(series: dict[int, Plan]) -> None:
    tasks = task_texts(series[2025])
    found = continuations(tasks, tasks)
    assert [(c.old, c.new, c.score) for c in found] == [(t.id, t.id, 1.0) for t in tasks]


def test_the_result_is_the_same_every_time_and_in_any_order(series: dict[int, Plan]) -> None:
    old, new = task_texts(series[2025]), task_texts(series[2026])
    first = continuations(old, new)
    assert continuations(old, new) == first
    shuffled_old, shuffled_new = old[::-1], new[:]
    random.Random(7).shuffle(shuffled_new)
    assert continuations(shuffled_old, shuffled_new) == first


def test_ties_go_to_the_lower_numbers() -> None:
    """Two identical tasks on each side: the first continues the first, the second the second."""
    same = "建设城市数据中台,汇聚各部门业务数据。"
    old = [TaskText(f"甲-2024-乙:t{n}", n, "数据中台", same) for n in (1, 2)]
    new = [TaskText(f"甲-2025-乙:t{n}", n, "数据中台", same) for n in (2, 1)]
    assert numbers(continuations(old, new)) == [(1, 1), (2, 2)]


OVERRIDES = """
[[pair]]
old = "青岛-2024-数字青岛行动方案"
new = "青岛-2025-数字青岛行动方案"
force = [
  {old = 15, new = 12, reason = "the test: a pair whose words differ"},
]
forbid = [
  {old = 8, new = 8, reason = "the test: a renamed task kept apart"},
  {old = 1, new = 1, reason = "the test: a task kept from itself"},
]

[[pair]]
old = "青岛-2025-数字青岛行动方案"
new = "青岛-2026-数字青岛行动方案"
force = [{old = 1, new = 2, reason = "the test: a forced pair takes both tasks out of matching"}]
"""


def test_overrides_force_and_forbid_pairs(series: dict[int, Plan], tmp_path: Path) -> None:
    path = tmp_path / "lineage.toml"
    path.write_text(OVERRIDES, encoding="utf-8")
    overrides = load_overrides(path)
    t24, t25, t26 = (task_texts(series[y]) for y in (2024, 2025, 2026))

    found = continuations(t24, t25, overrides=overrides)
    pairs = numbers(found)
    assert (15, 12) in pairs
    assert next(c.score for c in found if (_number(c.old), _number(c.new)) == (15, 12)) < THRESHOLD
    assert (8, 8) not in pairs and (1, 1) not in pairs
    assert sorted(set(pairs) ^ set(CONTINUED_2024_2025)) == [(1, 1), (8, 8), (15, 12)]

    found = numbers(continuations(t25, t26, overrides=overrides))
    assert (1, 2) in found
    assert sorted(set(found) ^ set(CONTINUED_2025_2026)) == [(1, 1), (1, 2), (2, 2)]

    # Another pair of plans is untouched by these rules.
    assert numbers(continuations(t24, t26, overrides=overrides)) == numbers(continuations(t24, t26, overrides=Overrides()))


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('[[pair]]\nold = "a"\nnew = "b"\nforce = [{old = 1, new = 2}]', "reason"),
        ('[[pair]]\nold = "a"\nnew = "b"\nforce = [{old = 1, new = 2, reason = " "}]', "reason"),
        ('[[pair]]\nold = "a"\nnew = "b"\nforce = [{old = 1, new = 2, reason = "x"}]\n'
         'forbid = [{old = 1, new = 2, reason = "y"}]', "both forced and forbidden"),
        ('[[pair]]\nold = "a"\nnew = "b"\nforce = [{old = 1, new = 2, reason = "x"}, {old = 1, new = 3, reason = "y"}]',
         "twice"),
        ('[[pair]]\nold = "a"', "document ids"),
        ('[[pair]]\nold = "a"\nnew = "b"\nforced = []', "unknown keys forced"),
    ],
)
def test_malformed_overrides_are_refused(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "lineage.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        load_overrides(path)


def test_an_override_naming_a_missing_task_is_refused(series: dict[int, Plan], tmp_path: Path) -> None:
    path = tmp_path / "lineage.toml"
    path.write_text(OVERRIDES.replace("old = 15, new = 12", "old = 99, new = 12"), encoding="utf-8")
    with pytest.raises(ValueError, match="99 → 12"):
        continuations(task_texts(series[2024]), task_texts(series[2025]), overrides=load_overrides(path))


def test_the_shipped_overrides_file_holds_no_rules() -> None:
    assert load_overrides() == Overrides()


def test_two_plans_of_54_tasks_match_quickly(series: dict[int, Plan]) -> None:
    """Tens of milliseconds on a quiet machine; the bound here allows a busy one and catches a slow algorithm."""
    old = task_texts(series[2025])
    new = [dataclasses.replace(t, id=t.id.replace("2025", "2026"), text=t.text + "持续推进。") for t in old]
    start = time.perf_counter()
    found = continuations(old, new)
    assert time.perf_counter() - start < 1.0
    assert len(found) == 54
