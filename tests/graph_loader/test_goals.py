"""The goal finder on invented phrases of each shape, and its goals on their way into the stores."""

from __future__ import annotations

from typing import Any

import pytest

from api.stores.answers import goal_out
from graph_loader import parse_file, parse_text
from graph_loader.goals import FoundGoal, find_goals
from graph_loader.rows import plan_rows
from graph_loader.text import TextView
from tests.conftest import PLAN_FILE

_PLAN_YEAR = 2026
_LEVEL: dict[str, Any] = {
    "relative": False, "direction": None, "base": None, "base_year": None, "deadline_year": None, "approximate": False
}


def _goals(text: str, plan_year: int | None = _PLAN_YEAR) -> list[FoundGoal]:
    return find_goals(TextView.of_source(text), plan_year=plan_year)


def _reading(g: FoundGoal) -> dict[str, Any]:
    return {
        "value": g.value, "value_max": g.value_max, "unit": g.unit, "comparator": g.comparator, "metric": g.metric,
        "relative": g.relative, "direction": g.direction, "base": g.base, "base_year": g.base_year,
        "deadline_year": g.deadline_year, "approximate": g.approximate,
    }


def _goal(value: float, value_max: float | None, unit: str, comparator: str, metric: str | None,
          **fields: Any) -> dict[str, Any]:
    return {"value": value, "value_max": value_max, "unit": unit, "comparator": comparator, "metric": metric,
            **_LEVEL, **fields}


_INCREASE = {"relative": True, "direction": "increase"}
_DECREASE = {"relative": True, "direction": "decrease"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Shares listed with 、 take the predicate the last one states.
        ("力争全区80%的社区卫生服务中心、50%的村卫生室开通远程会诊。",
         [_goal(80, None, "%", "=", "社区卫生服务中心开通远程会诊"), _goal(50, None, "%", "=", "村卫生室开通远程会诊")]),
        ("推动90%的规上企业完成设备联网、70%的中小企业上云。",
         [_goal(90, None, "%", "=", "规上企业完成设备联网"), _goal(70, None, "%", "=", "中小企业上云")]),
        ("建设2个冷链物流园、3个直播基地。",
         [_goal(2, None, "个", "=", "冷链物流园"), _goal(3, None, "个", "=", "直播基地")]),
        # Ranges: em dash, hyphen, full-width tilde, 至, 到; a unit or scale on both ends.
        ("培育6—9个链主企业。", [_goal(6, 9, "个", "between", "链主企业")]),
        ("研发经费占比提高到10%—15%。", [_goal(10, 15, "%", "between", "研发经费占比")]),
        ("物流成本占比控制在8%-12%。", [_goal(8, 12, "%", "between", "物流成本占比")]),
        ("新增3～5家总部企业。", [_goal(3, 5, "家", "between", "总部企业")]),
        ("开展4至6场供需对接会。", [_goal(4, 6, "场", "between", "供需对接会")]),
        ("引进20到30名高端人才。", [_goal(20, 30, "名", "between", "高端人才")]),
        ("带动社会投资1万亿—1.5万亿元。", [_goal(10**12, 1_500_000_000_000, "元", "between", "带动社会投资")]),
        # Scales and compound units.
        ("全市经济总量突破2.3万亿元。", [_goal(2_300_000_000_000, None, "元", ">=", "经济总量")]),
        ("外贸出口额达到860亿美元。", [_goal(86_000_000_000, None, "美元", ">=", "外贸出口额")]),
        ("能源消费总量控制在3500万吨标准煤以内。", [_goal(35_000_000, None, "吨标准煤", "<=", "能源消费总量")]),
        ("企业开办时间压缩至3个工作日以内。", [_goal(3, None, "工作日", "<=", "企业开办时间")]),
        ("恩格尔系数下降2个百分点。", [_goal(2, None, "百分点", "=", "恩格尔系数", **_DECREASE)]),
        # Changes from a base.
        ("全社会研发投入增长12%。", [_goal(12, None, "%", "=", "全社会研发投入", **_INCREASE)]),
        ("单位产值水耗下降9%以上。", [_goal(9, None, "%", ">=", "单位产值水耗", **_DECREASE)]),
        ("数字化车间比重提高3个百分点。", [_goal(3, None, "百分点", "=", "数字化车间比重", **_INCREASE)]),
        ("港口集装箱吞吐量较2022年增长35%以上。",
         [_goal(35, None, "%", ">=", "港口集装箱吞吐量", **_INCREASE, base="2022年", base_year=2022)]),
        ("快递业务量比上年增加1.5倍。", [_goal(1.5, None, "倍", "=", "快递业务量", **_INCREASE, base="上年")]),
        ("工业用地亩均税收在2021年基础上提升20%。",
         [_goal(20, None, "%", "=", "工业用地亩均税收", **_INCREASE, base="2021年", base_year=2021)]),
        ("跨境电商交易额同比增长18%。", [_goal(18, None, "%", "=", "跨境电商交易额", **_INCREASE, base="上年同期")]),
        ("旅游总收入增长不低于7%。", [_goal(7, None, "%", ">=", "旅游总收入", **_INCREASE)]),
        ("农产品加工产值年均增长6%左右。",
         [_goal(6, None, "%", "=", "农产品加工产值", **_INCREASE, approximate=True)]),
        ("审批事项压减30%至40%。", [_goal(30, 40, "%", "between", "审批事项", **_DECREASE)]),
        ("海洋经济规模较2020年翻一番。",
         [_goal(100, None, "%", "=", "海洋经济规模", **_INCREASE, base="2020年", base_year=2020)]),
        ("软件信息服务业营收实现翻番。", [_goal(100, None, "%", "=", "软件信息服务业营收", **_INCREASE)]),
        ("数据要素市场规模翻两番以上。", [_goal(300, None, "%", ">=", "数据要素市场规模", **_INCREASE)]),
        ("空气优良天数比例保持在85%左右。", [_goal(85, None, "%", "=", "空气优良天数比例", approximate=True)]),
        # A level reached by a fall is a bound, not a change.
        ("单位产值固废产生量降至0.8吨。", [_goal(0.8, None, "吨", "<=", "单位产值固废产生量")]),
        # Deadlines: in the goal's clause, or earlier in the measure; 年底前/年内/全年 are the plan's year.
        ("到2024年,建成智慧停车场40处。", [_goal(40, None, "处", "=", "智慧停车场", deadline_year=2024)]),
        ("2025年底前上线15个数字孪生场景。", [_goal(15, None, "个", "=", "数字孪生场景", deadline_year=2025)]),
        ("到2027年底,光伏装机达到300万千瓦、储能项目8个。",
         [_goal(3_000_000, None, "千瓦", ">=", "光伏装机", deadline_year=2027),
          _goal(8, None, "个", "=", "储能项目", deadline_year=2027)]),
        ("2024年,新建驿站10个;2025年底前再新建驿站20个。",
         [_goal(10, None, "个", "=", "驿站", deadline_year=2024), _goal(20, None, "个", "=", "驿站", deadline_year=2025)]),
        ("年底前完成5个老旧小区改造。", [_goal(5, None, "个", "=", "老旧小区改造", deadline_year=_PLAN_YEAR)]),
        ("年内培育12家瞪羚企业。", [_goal(12, None, "家", "=", "瞪羚企业", deadline_year=_PLAN_YEAR)]),
        ("全年新增城镇就业7万人。", [_goal(70_000, None, "人", "=", "城镇就业", deadline_year=_PLAN_YEAR)]),
        ("9月底前新增12条公交线路。", [_goal(12, None, "条", "=", "公交线路", deadline_year=_PLAN_YEAR)]),
        ("截至2026年6月底,累计建成驿站80个。", [_goal(80, None, "个", "=", "驿站", deadline_year=2026)]),
    ],
)
def test_goal_phrases(text: str, expected: list[dict[str, Any]]) -> None:
    assert [_reading(g) for g in _goals(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "数字经济规模较2023年增长5%。",  # a base
        "比2024年底增长5%。",
        "三年内建成示范区4个,3年内再建5个。",  # durations
        "落实《发展规划(2023—2025年)》,建成书屋30个。",  # a period in a title
        "2023年以来建成书屋30个。",  # a year alone
        "2025年行动方案提出建成书屋30个。",
    ],
)
def test_years_that_are_no_deadline(text: str) -> None:
    goals = _goals(text)
    assert goals and [g.deadline_year for g in goals] == [None] * len(goals)


def test_the_plan_year_is_only_the_deadline_of_words_that_name_it() -> None:
    assert [g.deadline_year for g in _goals("年底前完成5个。", plan_year=None)] == [None]
    assert [g.deadline_year for g in _goals("完成5个。")] == [None]


def test_each_goal_text_is_its_own_words() -> None:
    text = "力争全区80%的社区卫生服务中心、50%的村卫生室开通远程会诊,数字经济规模较2020年翻一番。"
    assert [g.text for g in _goals(text)] == [
        "80%的社区卫生服务中心", "50%的村卫生室开通远程会诊", "数字经济规模较2020年翻一番"
    ]
    for g in _goals(text):
        assert text[g.start : g.end] == g.text


def test_the_seed_share_keeps_its_predicate() -> None:
    task27 = parse_file(PLAN_FILE).tasks[26]
    assert [(g.text, g.value, g.unit, g.comparator, g.metric) for g in task27.goals] == [
        ("100%的三级综合医院", 100, "%", "=", "三级综合医院实现医保移动支付"),
        ("60%的二级综合医院实现医保移动支付", 60, "%", "=", "二级综合医院实现医保移动支付"),
    ]


def test_the_seed_has_no_relative_dated_or_approximate_goals() -> None:
    goals = [g for t in parse_file(PLAN_FILE).tasks for g in t.goals]
    assert len(goals) == 29
    assert [g for g in goals if g.relative or g.deadline_year or g.base or g.approximate or g.value_max] == []


_SOURCE = (
    "青岛市2026年数字经济行动方案\n一、实施数字经济工程\n(一)壮大产业\n"
    "1.做强产业。到2027年,软件业务收入较2025年增长20%以上,数据中心机架6—8万架。(责任单位:市工业和信息化局)\n"
    "2.扩大消费。年底前网络零售额达到500亿元左右。(责任单位:市商务局)\n"
)


def test_the_parser_dates_goals_by_the_plan_year() -> None:
    goals = [g for t in parse_text(_SOURCE).tasks for g in t.goals]
    assert [(g.metric, g.value, g.value_max, g.comparator, g.relative, g.direction, g.base_year, g.deadline_year,
             g.approximate) for g in goals] == [
        ("软件业务收入", 20, None, ">=", True, "increase", 2025, 2027, False),
        ("数据中心机架", 60_000, 80_000, "between", False, None, None, 2027, False),
        ("网络零售额", 50_000_000_000, None, ">=", False, None, None, 2026, True),
    ]


def test_every_goal_field_reaches_the_stores() -> None:
    plan = parse_text(_SOURCE)
    goals = {g.id: g for t in plan.tasks for g in t.goals}
    nodes = [n for n in plan_rows(plan).nodes if n.label == "Goal"]
    assert sorted(n.id for n in nodes) == sorted(goals)
    for n in nodes:
        goal = goals[n.id]
        # Neo4j stores scalars only (its SET drops nulls, which goal_out reads as missing), ints within int64.
        assert all(v is None or isinstance(v, bool | int | float | str) for v in n.props.values())
        assert all(abs(v) < 2**63 for v in n.props.values() if isinstance(v, int))
        stored = {k: v for k, v in n.props.items() if v is not None}
        for props in (n.props, stored):  # as the embedded store holds them, and as Neo4j gives them back
            out = goal_out(props, goal.measure_id)
            assert out.model_dump() == goal.model_dump()


@pytest.mark.timeout(60)
def test_a_long_list_of_shares_is_read_in_linear_time() -> None:
    text = "力争" + "1%的甲类单位、" * 100_000 + "2%的乙类单位实现联网。"
    goals = _goals(text)
    assert len(goals) == 100_001
    assert {g.metric for g in goals[:-1]} == {"甲类单位实现联网"}
    assert goals[-1].metric == "乙类单位实现联网"


@pytest.mark.timeout(60)
def test_many_deadlines_and_changes_in_one_clause() -> None:
    text = "到2025年增长1%" * 50_000 + "年底前翻一番" * 50_000
    goals = _goals(text)
    assert len(goals) == 100_000
    assert (goals[0].deadline_year, goals[0].direction, goals[-1].deadline_year, goals[-1].value) == (
        2025, "increase", _PLAN_YEAR, 100
    )
