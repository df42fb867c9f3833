"""The parser on 《数字青岛2025年行动方案》, checked against the text itself."""

from __future__ import annotations

import re

from graph_loader import Plan

# An independent reading of the owners: every (责任单位:…) in the text, split on
# the plan's separators, with line breaks removed. The parser must agree exactly.
_PAREN = re.compile(r"\(责任单位:([^)]*)\)")


def _owners_by_regex(text: str) -> list[list[str]]:
    return [["".join(n.split()) for n in re.split("[、,]", m.group(1))] for m in _PAREN.finditer(text)]


def test_structure_counts(plan: Plan) -> None:
    assert len(plan.projects) == 7
    assert len(plan.sections) == 20
    assert len(plan.tasks) == 54
    assert [t.number for t in plan.tasks] == list(range(1, 55))
    assert len(plan.measures()) == 69
    assert len(plan.agencies) == 59
    assert plan.warnings == []


def test_document(plan: Plan) -> None:
    assert plan.document.title == "数字青岛2025年行动方案"
    assert plan.document.year == 2025
    assert plan.document.jurisdiction == "青岛"


def test_plan_starts_after_the_preamble(plan: Plan, plan_source: str) -> None:
    start = plan.document.span[0]
    assert plan_source[start:].startswith("数字青岛2025年行动方案\n")
    assert "全文如下" in plan_source[:start]


def test_every_measure_has_the_owners_printed_in_order(plan: Plan, plan_source: str) -> None:
    expected = _owners_by_regex(plan_source)
    got = [[a.name for a in m.agencies] for m in plan.measures()]
    assert got == expected
    for m in plan.measures():
        assert [a.role for a in m.agencies] == ["lead"] + ["co"] * (len(m.agencies) - 1)
        assert [a.position for a in m.agencies] == list(range(1, len(m.agencies) + 1))


def test_tasks_with_several_measures(plan: Plan) -> None:
    by_number = {t.number: t for t in plan.tasks}
    assert [[a.name for a in m.agencies] for m in by_number[3].measures] == [
        ["市工业和信息化局"],
        ["市发展改革委", "市商务局"],
    ]
    assert [len(m.agencies) for m in by_number[35].measures] == [4, 2, 6]
    assert by_number[35].measures[2].agencies[0].name == "市教育局"
    multi = sorted(t.number for t in plan.tasks if len(t.measures) > 1)
    assert multi == [3, 7, 8, 13, 15, 18, 20, 27, 28, 33, 35, 36, 52]


def test_measure_text_is_the_clause_before_its_owners(plan: Plan, plan_source: str) -> None:
    task3 = plan.tasks[2]
    assert task3.title == "产业集群培育"
    assert task3.measures[0].text == "支持高端软件、人工智能省级数字经济产业集群建设,高水平建设中国软件名城。"
    assert task3.measures[1].text == "加快布局建设平台经济集聚区。"
    for m in plan.measures():
        start, end = m.span
        assert plan_source[start:end].replace("\n", "") == m.text


def test_tasks_50_to_54_hang_under_their_project(plan: Plan) -> None:
    for t in plan.tasks:
        if t.number >= 50:
            assert t.section is None
            assert t.project.number == 7
        else:
            assert t.section is not None
    assert plan.tasks[48].section.number == 20  # type: ignore[union-attr]


def test_name_broken_across_lines_joins(plan: Plan, plan_source: str) -> None:
    mention = plan.tasks[0].measures[0].agencies[0]
    assert mention.name == "市大数据局"
    assert mention.raw == "市\n大数据局"
    assert plan_source[mention.span[0] : mention.span[1]] == mention.raw


def test_every_span_shows_its_evidence(plan: Plan, plan_source: str) -> None:
    for t in plan.tasks:
        assert plan_source[t.span[0] : t.span[1]].startswith(f"{t.number}.{t.title}")
        for m in t.measures:
            for a in m.agencies:
                assert plan_source[a.span[0] : a.span[1]] == a.raw
            assert m.responsibility_span is not None
            paren = plan_source[m.responsibility_span[0] : m.responsibility_span[1]]
            assert paren.startswith("(责任单位:") and paren.endswith(")")
        for g in t.goals:
            assert plan_source[g.span[0] : g.span[1]].replace("\n", "") == g.text


def _goals(plan: Plan, number: int) -> list[tuple[object, ...]]:
    return [(g.value, g.unit, g.comparator, g.metric) for g in plan.tasks[number - 1].goals]


def test_goals_are_normalised(plan: Plan) -> None:
    assert _goals(plan, 1) == [
        (12, "%", ">=", "数字经济核心产业增加值占地区生产总值比重"),
        (3, "个", "=", "千亿级数字经济产业集群"),
    ]
    assert _goals(plan, 4) == [(300, "家", ">=", "数字经济领域专精特新中小企业")]
    assert _goals(plan, 34) == [(310_000_000_000, "元", ">=", "网络零售额")]
    assert _goals(plan, 42) == [(65_000, "架", ">=", "数据中心标准机架数"), (35, "%", ">=", "智能算力占比")]
    assert _goals(plan, 43) == [
        (700, "个", "=", "既有住宅小区地下车库公共移动通信信号覆盖"),
        (45_000, "个", ">=", "5G基站数"),
    ]
    assert _goals(plan, 46) == [(25_000, "个", "=", "充电桩")]
    assert _goals(plan, 47) == [(100_000, "块", "=", "智能远传水表")]


def test_goals_belong_to_their_measure(plan: Plan) -> None:
    task27 = plan.tasks[26]
    assert [g.value for g in task27.goals] == [100, 60]
    assert {g.measure_id for g in task27.goals} == {task27.measures[1].id}
    assert task27.goals[0].metric == "三级综合医院实现医保移动支付"


def test_programme_names_are_not_goals(plan: Plan) -> None:
    # “10+1”, “151”, 2.0, 5G, 15分钟 and years carry numbers but no target.
    for number in (2, 9, 15, 16, 26, 43, 51):
        for g in plan.tasks[number - 1].goals:
            assert g.value not in (10, 151, 2, 5, 15, 2025), (number, g)
    assert plan.tasks[1].goals == []


_AI_WORDS = re.compile("人工智能|大模型|智能体|算力|算法")


def test_ai_topic_is_exactly_the_tasks_that_say_so(plan: Plan, plan_source: str) -> None:
    says_ai = {t.number for t in plan.tasks if _AI_WORDS.search(plan_source[t.span[0] : t.span[1]])}
    tagged = {t.number for t in plan.tasks if any(x.name == "人工智能" for x in t.topics)}
    assert tagged == says_ai
    assert tagged == {2, 3, 10, 15, 16, 20, 27, 30, 31, 32, 36, 37, 42}


def test_topic_evidence_is_in_the_task_text(plan: Plan) -> None:
    for t in plan.tasks:
        for topic in t.topics:
            assert topic.terms
            for term in topic.terms:
                assert term in t.text
    task42 = plan.tasks[41]
    ai = next(x for x in task42.topics if x.name == "人工智能")
    assert ai.terms[:3] == ["算力", "人工智能", "算法"]


def test_smart_home_alone_is_not_ai(plan: Plan) -> None:
    # Task 2 mentions 智能家电 and 人工智能; the evidence must be 人工智能 only.
    ai = next(x for x in plan.tasks[1].topics if x.name == "人工智能")
    assert ai.terms == ["人工智能"]


def test_agency_kinds(plan: Plan) -> None:
    kinds = {a.name: a.kind for a in plan.agencies}
    assert kinds["市大数据局"] == "government_department"
    assert kinds["市委网信办"] == "party_committee"
    assert kinds["崂山区政府"] == "district_government"
    assert kinds["青岛出版集团"] == "enterprise"
    assert not any(a.generic for a in plan.agencies)
    assert {a.jurisdiction for a in plan.agencies} == {"青岛"}
