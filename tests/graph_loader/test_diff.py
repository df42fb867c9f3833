"""Diffs along the series written for them (tests/graph_loader/series/README.md is the ground truth)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_loader import parse_file, parse_text
from graph_loader.diff import DocumentFacts, GoalFacts, PlanDiff, TaskChange, TaskFacts, diff, facts_from_plan, render
from graph_loader.lineage import Continuation, Overrides, continuations, task_texts
from graph_loader.text import fold
from tests.conftest import PLAN_FILE

from .test_lineage import CONTINUED_2024_2025, CONTINUED_2025_2026  # noqa: TID252

SERIES = Path(__file__).parent / "series"
FILES = {2024: SERIES / "digital-qingdao-2024.txt", 2025: PLAN_FILE, 2026: SERIES / "digital-qingdao-2026.txt"}


@pytest.fixture(scope="module")
def sources() -> dict[int, str]:
    return {year: path.read_text(encoding="utf-8") for year, path in FILES.items()}


@pytest.fixture(scope="module")
def diffs() -> dict[int, PlanDiff]:
    """The diff into each year: 2025 (from 2024) and 2026 (from 2025)."""
    plans = {year: parse_file(path) for year, path in FILES.items()}
    out = {}
    for old, new in ((2024, 2025), (2025, 2026)):
        matches = continuations(task_texts(plans[old]), task_texts(plans[new]), overrides=Overrides())
        out[new] = diff(facts_from_plan(plans[old]), facts_from_plan(plans[new]), matches)
    return out


def by_pair(d: PlanDiff) -> dict[tuple[int, int], TaskChange]:
    return {(c.old.number, c.new.number): c for c in d.continued}


def test_added_dropped_and_continued_tasks(diffs: dict[int, PlanDiff]) -> None:
    d = diffs[2025]
    assert (d.old.id, d.old.year, d.new.id, d.new.year) == ("青岛-2024-数字青岛行动方案", 2024, "青岛-2025-数字青岛行动方案", 2025)
    assert [(t.number, t.title) for t in d.added] == [(12, "数据产业生态培育"), (30, "智慧就业服务"), (41, "绿色低碳数字化"), (54, "经验推广和交流")]
    assert [(t.number, t.title) for t in d.dropped] == [(15, "政务外网升级"), (34, "信息消费"), (49, "老旧小区智能化改造")]
    assert list(by_pair(d)) == CONTINUED_2024_2025
    assert sorted(o for (o, _), c in by_pair(d).items() if c.changed) == [1, 4, 8, 9, 16, 17, 22, 31, 33, 37, 39, 41, 42, 45, 51]

    d = diffs[2026]
    assert [(t.number, t.title) for t in d.added] == [(5, "具身智能产业"), (30, "数字适老化"), (46, "低空智联网")]
    assert [(t.number, t.title) for t in d.dropped] == [(23, "城市管理一体化"), (38, "固废治理数字化"), (47, "水务融合基础设施"), (53, "统筹支持")]
    assert list(by_pair(d)) == CONTINUED_2025_2026
    assert sorted(o for (o, _), c in by_pair(d).items() if c.changed) == [1, 2, 3, 4, 11, 12, 19, 21, 24, 25, 31, 33, 36, 42, 43, 44, 46, 51]


def test_renamed_tasks(diffs: dict[int, PlanDiff]) -> None:
    renamed = {year: {pair: (c.old.title, c.new.title) for pair, c in by_pair(d).items() if c.renamed} for year, d in diffs.items()}
    assert renamed[2025] == {(8, 8): ("场景创新应用", "新场景新模式"), (39, 39): ("智慧水务建设", "水生态治理数字化"), (51, 51): ("数字人才培育", "人才保障")}
    assert renamed[2026] == {
        (3, 3): ("产业集群培育", "数字产业集群建设"),
        (21, 22): ("警务运行一体化", "智慧警务"),
        (24, 24): ("文化大数据体系", "文化数字化治理"),
        (36, 37): ("城市数字更新", "新型智慧城市建设"),
    }


def test_owner_changes(diffs: dict[int, PlanDiff]) -> None:
    def owners(d: PlanDiff) -> dict[tuple[int, int], tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
        return {
            pair: ([(o.name, o.role) for o in c.owners_added], [(o.name, o.role) for o in c.owners_removed])
            for pair, c in by_pair(d).items()
            if c.owners_added or c.owners_removed
        }

    assert owners(diffs[2025]) == {
        (9, 9): ([], [("市司法局", "co")]),
        (16, 16): ([("市行政审批局", "co")], []),
        (41, 42): ([], [("市发展改革委", "co")]),
    }
    assert owners(diffs[2026]) == {
        (19, 20): ([], [("市税务局", "co")]),
        (31, 32): ([], [("青岛开放大学", "co")]),
        (44, 44): ([("市交通运输局", "co")], []),
    }


def test_lead_changes(diffs: dict[int, PlanDiff]) -> None:
    def leads(d: PlanDiff) -> dict[tuple[int, int], tuple[list[str], list[str]]]:
        return {pair: (c.lead_before, c.lead_after) for pair, c in by_pair(d).items() if c.lead_changed}

    assert leads(diffs[2025]) == {(4, 4): (["市工业和信息化局"], ["市民营经济局"]), (22, 22): (["市消防救援局"], ["市应急局"])}
    assert leads(diffs[2026]) == {(12, 13): (["市国资委"], ["市大数据局"])}
    # Leads of an unchanged task are still reported: 智慧机关 has two measures, each with its lead.
    assert by_pair(diffs[2025])[(18, 18)].lead_before == ["市大数据局", "市人大常委会办公厅"]


def test_goal_changes(diffs: dict[int, PlanDiff]) -> None:
    def goals(d: PlanDiff) -> dict[tuple[int, int], list[tuple[str | None, str, float, float]]]:
        return {
            pair: [(g.metric, g.unit, g.old.value, g.new.value) for g in c.goals_changed]
            for pair, c in by_pair(d).items()
            if c.goals_changed
        }

    def listed(d: PlanDiff, field: str) -> dict[tuple[int, int], list[tuple[str | None, float, str]]]:
        return {
            pair: [(g.metric, g.value, g.unit) for g in getattr(c, field)]
            for pair, c in by_pair(d).items()
            if getattr(c, field)
        }

    assert goals(diffs[2025]) == {
        (1, 1): [("数字经济核心产业增加值占地区生产总值比重", "%", 11, 12)],
        (4, 4): [("数字经济领域专精特新中小企业", "家", 250, 300)],
        (8, 8): [("场景应用实验室", "家", 15, 20)],
        (33, 34): [("网络零售额", "元", 290_000_000_000, 310_000_000_000)],
        (42, 43): [("5G基站数", "个", 40_000, 45_000)],
        (45, 46): [("充电桩", "个", 20_000, 25_000)],
    }
    assert listed(diffs[2025], "goals_added") == {(17, 17): [("社会化“无证明”应用场景", 20, "个")]}
    assert listed(diffs[2025], "goals_removed") == {(45, 46): [("换电站", 50, "座")]}

    assert goals(diffs[2026]) == {
        (1, 1): [("数字经济核心产业增加值占地区生产总值比重", "%", 12, 13)],
        (4, 4): [("数字经济领域专精特新中小企业", "家", 300, 350)],
        (11, 12): [("行业专区", "个", 3, 5)],
        (42, 42): [("数据中心标准机架数", "架", 65_000, 70_000), ("智能算力占比", "%", 35, 40)],
        (43, 43): [("5G基站数", "个", 45_000, 50_000)],
        (46, 47): [("充电桩", "个", 25_000, 30_000)],
    }
    assert listed(diffs[2026], "goals_added") == {(25, 25): [("智慧场馆", 15, "个")]}
    assert listed(diffs[2026], "goals_removed") == {(43, 43): [("既有住宅小区地下车库公共移动通信信号覆盖", 700, "个")]}
    change = by_pair(diffs[2026])[(4, 4)].goals_changed[0]
    assert (change.old.comparator, change.new.comparator, change.new.text) == (">=", ">=", "数字经济领域专精特新中小企业不少于350家")


def test_topic_changes(diffs: dict[int, PlanDiff]) -> None:
    def topics(d: PlanDiff) -> dict[tuple[int, int], tuple[list[str], list[str]]]:
        return {pair: (c.topics_gained, c.topics_lost) for pair, c in by_pair(d).items() if c.topics_gained or c.topics_lost}

    assert topics(diffs[2025]) == {(22, 22): ([], ["数字基础设施"]), (31, 32): (["人工智能"], []), (37, 37): (["人工智能"], [])}
    assert topics(diffs[2026]) == {
        (2, 2): ([], ["绿色低碳"]),
        (25, 25): (["人工智能"], []),
        (33, 34): ([], ["绿色低碳"]),
        (51, 51): (["人工智能"], []),
    }


@pytest.mark.parametrize(
    ("year", "counts"),
    [
        (2025, {"市大数据局": (14, 4, 14, 5), "市工业和信息化局": (7, 7, 5, 8), "市民营经济局": (0, 3, 1, 2),
                "市应急局": (0, 1, 1, 0), "市国资委": (0, 0, 1, 0), "市行政审批局": (0, 0, 0, 1)}),
        (2026, {"市大数据局": (14, 5, 14, 5), "市工业和信息化局": (5, 8, 6, 9), "市国资委": (1, 0, 0, 1),
                "青岛开放大学": (0, 1, 0, 0), "市城市管理局": (1, 1, 0, 1), "市交通运输局": (2, 1, 3, 2)}),
    ],
)
def test_agency_counts(diffs: dict[int, PlanDiff], year: int, counts: dict[str, tuple[int, int, int, int]]) -> None:
    rows = {a.name: (a.lead_before, a.co_before, a.lead_after, a.co_after) for a in diffs[year].agencies}
    assert {name: rows[name] for name in counts} == counts
    names = [a.name for a in diffs[year].agencies]
    assert names == sorted(names) and len(names) == len(set(names))
    assert diffs[year].agencies[0].agency_id == "青岛:" + names[0]


def test_spans_point_at_the_text_on_both_sides(diffs: dict[int, PlanDiff], sources: dict[int, str]) -> None:
    for year, d in diffs.items():
        old, new = sources[year - 1], sources[year]
        sides = [(new, t) for t in d.added] + [(old, t) for t in d.dropped]
        sides += [side for c in d.continued for side in ((old, c.old), (new, c.new))]
        for source, task in sides:
            assert task.title in "".join(source[slice(*task.span)].split()), (year, task)
        for c in d.continued:
            for source, owner in [(new, o) for o in c.owners_added] + [(old, o) for o in c.owners_removed]:
                assert fold(source[slice(*owner.span)]) == owner.name
            for g in c.goals_changed:
                assert fold(old[slice(*g.old.span)]) == g.old.text
                assert fold(new[slice(*g.new.span)]) == g.new.text


def test_render_reads_line_by_line(diffs: dict[int, PlanDiff]) -> None:
    lines = render(diffs[2025]).splitlines()
    assert lines[:9] == [
        "数字青岛2024年行动方案 (青岛-2024-数字青岛行动方案) → 数字青岛2025年行动方案 (青岛-2025-数字青岛行动方案)",
        "4 added, 3 dropped, 50 continued of which 15 changed",
        "",
        "Added (4)",
        "  new  12  数据产业生态培育",
        "  new  30  智慧就业服务",
        "  new  41  绿色低碳数字化",
        "  new  54  经验推广和交流",
        "",
    ]
    assert lines[9:14] == ["Dropped (3)", "  old  15  政务外网升级", "  old  34  信息消费", "  old  49  老旧小区智能化改造", ""]
    at = lines.index("  old   4 → new   4  创新主体培育  (score 1.000)")
    assert lines[at + 1 : at + 3] == [
        "      lead:           市工业和信息化局 → 市民营经济局",
        "      target:         数字经济领域专精特新中小企业: >= 250 家 → >= 300 家",
    ]
    at = lines.index("  old  45 → new  46  能源融合基础设施  (score 0.943)")
    assert lines[at + 1 : at + 3] == ["      target:         充电桩: 20000 个 → 25000 个", "      target removed: 换电站: 50 座"]
    assert "  old   8 → new   8  场景创新应用 → 新场景新模式  (score 0.669)" in lines
    assert "Unchanged (35)" in lines and "  old  12 → new  13  数字经济国际合作" in lines
    assert "  14 → 14    4 → 5      市大数据局" in lines


def test_a_diff_is_json_and_needs_only_plain_facts(diffs: dict[int, PlanDiff]) -> None:
    """Stores build DocumentFacts from their own data: facts that went through JSON diff the same."""
    plans = [parse_file(FILES[2025]), parse_file(FILES[2026])]
    facts = [DocumentFacts.model_validate(json.loads(json.dumps(facts_from_plan(p).model_dump()))) for p in plans]
    matches = continuations(task_texts(plans[0]), task_texts(plans[1]), overrides=Overrides())
    assert diff(*facts, matches) == diffs[2026]
    assert PlanDiff.model_validate_json(diffs[2026].model_dump_json()) == diffs[2026]


def test_task_facts_name_each_agency_once_leading_if_it_leads_any_measure() -> None:
    facts = facts_from_plan(parse_file(PLAN_FILE))
    task8 = facts.tasks[7]  # (市发展改革委、市工业和信息化局) then (市科技局、市工业和信息化局)
    assert [(o.name, o.role) for o in task8.owners] == [("市发展改革委", "lead"), ("市工业和信息化局", "co"), ("市科技局", "lead")]
    task36 = facts.tasks[35]  # 市大数据局 leads both measures
    assert [o.name for o in task36.owners].count("市大数据局") == 1

    source = "数字青岛2025年行动方案\n一、实施数字经济提质工程\n1.数据开放。开放公共数据。(责任单位:市大数据局、市工业和信息化局)推动工业数据上云。(责任单位:市工业和信息化局、市大数据局)\n"
    (task,) = facts_from_plan(parse_text(source)).tasks
    assert [(o.name, o.role) for o in task.owners] == [("市大数据局", "lead"), ("市工业和信息化局", "lead")]
    assert task.owners[1].span == (source.index("市工业和信息化局"), source.index("市工业和信息化局") + 8)


def _goal(metric: str | None, value: float, unit: str, at: int) -> GoalFacts:
    return GoalFacts(metric=metric, text=f"{metric}{value}{unit}", value=value, value_max=None, unit=unit, comparator="=", span=(at, at + 5))


def _facts(doc: str, goals: list[GoalFacts]) -> DocumentFacts:
    task = TaskFacts(id=f"{doc}:t1", number=1, title="基站", span=(0, 10), text="", owners=[], goals=goals, topics=[])
    return DocumentFacts(id=doc, title=doc, year=None, tasks=[task])


@pytest.mark.parametrize(
    ("old", "new", "changed", "added", "removed"),
    [
        # A target without a metric pairs with the one target of its unit on the other side.
        ([_goal(None, 5, "个", 0)], [_goal("新建基站", 8, "个", 0)], [(5, 8)], [], []),
        # Not when its side has two of that unit: which one became the new one is anybody's guess.
        ([_goal(None, 5, "个", 0), _goal(None, 6, "个", 9)], [_goal("新建基站", 8, "个", 0)], [], [8], [5, 6]),
        # Two named targets never pair by unit.
        ([_goal("改造小区", 5, "个", 0)], [_goal("新建基站", 8, "个", 0)], [], [8], [5]),
        # The same metric twice pairs in order.
        ([_goal("基站", 1, "个", 0), _goal("基站", 2, "个", 9)], [_goal("基站", 1, "个", 0), _goal("基站", 3, "个", 9)], [(2, 3)], [], []),
        # The same value is no change.
        ([_goal("基站", 1, "个", 0)], [_goal("基站", 1, "个", 3)], [], [], []),
    ],
)
def test_goals_pair_by_metric_then_by_a_lone_unit(
    old: list[GoalFacts], new: list[GoalFacts], changed: list[tuple[float, float]], added: list[float], removed: list[float]
) -> None:
    d = diff(_facts("甲", old), _facts("乙", new), [Continuation(old="甲:t1", new="乙:t1", score=0.9)])
    (c,) = d.continued
    assert [(g.old.value, g.new.value) for g in c.goals_changed] == changed
    assert [g.value for g in c.goals_added] == added
    assert [g.value for g in c.goals_removed] == removed
    assert c.changed == bool(changed or added or removed)


def test_continuations_must_name_tasks_of_the_plans() -> None:
    a, b = _facts("甲", []), _facts("乙", [])
    with pytest.raises(ValueError, match="乙:t2"):
        diff(a, b, [Continuation(old="甲:t1", new="乙:t2", score=1.0)])
    with pytest.raises(ValueError, match="more than one"):
        diff(a, b, [Continuation(old="甲:t1", new="乙:t1", score=1.0)] * 2)
