"""Small hand-made plans, one for each form the grammar allows."""

from __future__ import annotations

import pytest

from graph_loader import PlanParseError, parse_text


def _plan(body: str, title: str = "青岛市2026年数字政府建设行动方案") -> str:
    return f"{title}\n一、实施数字政府工程\n(一)打造标杆\n{body}\n"


def _owners(source: str) -> list[list[tuple[str, str]]]:
    plan = parse_text(source)
    return [[(a.name, a.role) for a in m.agencies] for m in plan.measures()]


@pytest.mark.parametrize(
    ("paren", "expected"),
    [
        ("(责任单位:市大数据局、市公安局、市教育局)", [("市大数据局", "lead"), ("市公安局", "co"), ("市教育局", "co")]),
        ("(责任单位:市大数据局,市公安局、市教育局)", [("市大数据局", "lead"), ("市公安局", "co"), ("市教育局", "co")]),
        (
            "(牵头单位:市公安局;责任单位:市大数据局、市教育局)",
            [("市公安局", "lead"), ("市大数据局", "co"), ("市教育局", "co")],
        ),
        ("(市教育局、市大数据局按职责分工负责)", [("市教育局", "lead"), ("市大数据局", "co")]),
        ("(市水务管理局负责)", [("市水务管理局", "lead")]),
        ("(市大数据局牵头,市公安局、市教育局配合)", [("市大数据局", "lead"), ("市公安局", "co"), ("市教育局", "co")]),
    ],
)
def test_responsibility_forms(paren: str, expected: list[tuple[str, str]]) -> None:
    assert _owners(_plan(f"1.智慧机关。建设数字办公平台。{paren}")) == [expected]


def test_full_width_punctuation() -> None:
    source = _plan("1．智慧机关。建设数字办公平台，力争不少于10个部门接入。（责任单位：市大数据局，市公安局）")
    plan = parse_text(source)
    mention = plan.tasks[0].measures[0].agencies[1]
    assert (mention.name, mention.raw) == ("市公安局", "市公安局")
    assert source[mention.span[0] : mention.span[1]] == "市公安局"
    goal = plan.tasks[0].goals[0]
    assert (goal.value, goal.unit, goal.comparator) == (10, "个", ">=")


def test_traditional_script_is_stored_simplified() -> None:
    source = "青島市2026年數字政府建設行動方案\n一、實施數字政府工程\n(一)打造標桿\n1.智慧機關。建設數字辦公平台。(責任單位:市大數據局、市工業和信息化局)\n"
    plan = parse_text(source)
    assert plan.document.title == "青岛市2026年数字政府建设行动方案"
    assert plan.document.jurisdiction == "青岛"
    names = [(a.name, a.raw) for a in plan.tasks[0].measures[0].agencies]
    assert names == [("市大数据局", "市大數據局"), ("市工业和信息化局", "市工業和信息化局")]
    assert plan.tasks[0].title == "智慧机关"


def test_generic_placeholders_are_kept_and_marked() -> None:
    source = _plan("1.智慧机关。建设平台。(责任单位:市大数据局、市直有关部门、单位、各区(市)政府、市政府有关部门)")
    mentions = parse_text(source).tasks[0].measures[0].agencies
    assert [(a.name, a.generic) for a in mentions] == [
        ("市大数据局", False),
        ("市直有关部门、单位", True),
        ("各区市政府", True),
        ("市政府有关部门", True),
    ]
    assert mentions[2].raw == "各区(市)政府"


def test_other_parentheses_are_text() -> None:
    source = _plan(
        "1.网络设施。加快5G轻量化(RedCap)应用,推进海洋平台(二期)和城市道路(含隧道及高架路)建设,"
        "推行(一次告知、一套材料)服务。(责任单位:市通信管理局)"
    )
    plan = parse_text(source)
    assert len(plan.measures()) == 1
    assert "(RedCap)" in plan.measures()[0].text
    assert "(一次告知、一套材料)" in plan.measures()[0].text
    assert [a.name for a in plan.measures()[0].agencies] == ["市通信管理局"]


def test_tasks_directly_under_a_project() -> None:
    source = "青岛市2026年行动方案\n一、实施工程\n(一)打造标杆\n1.甲任务。内容。(责任单位:市大数据局)\n二、保障\n2.乙任务。内容。(责任单位:市财政局)\n"
    plan = parse_text(source)
    assert plan.tasks[0].section is not None and plan.tasks[0].section.number == 1
    assert plan.tasks[1].section is None
    assert plan.tasks[1].project.number == 2


def test_plan_without_numbered_tasks_uses_the_sections() -> None:
    source = (
        "青岛市2026年数字经济工作要点\n一、做强数字产业\n(一)培育软件产业。建设中国软件名城。(责任单位:市工业和信息化局)\n"
        "(二)发展算力。新建智能算力1000PFLOPS以上。(责任单位:市大数据局、市发展改革委)\n二、保障措施\n"
        "(三)强化资金保障。统筹资金支持。(责任单位:市财政局)\n"
    )
    plan = parse_text(source)
    assert [t.number for t in plan.tasks] == [1, 2, 3]
    assert [t.title for t in plan.tasks] == ["培育软件产业", "发展算力", "强化资金保障"]
    assert plan.sections == []
    assert all(t.section is None for t in plan.tasks)
    assert plan.tasks[2].project.number == 2
    assert [(g.value, g.unit, g.comparator) for g in plan.tasks[1].goals] == [(1000, "PFLOPS", ">=")]
    assert [t.name for t in plan.tasks[1].topics][0] == "人工智能"


def test_several_measures_with_different_owners() -> None:
    source = _plan(
        "1.甲任务。第一项工作。(责任单位:市大数据局)第二项工作。(责任单位:市公安局、市财政局)第三项。(市教育局负责)"
    )
    plan = parse_text(source)
    assert [m.text for m in plan.measures()] == ["第一项工作。", "第二项工作。", "第三项。"]
    assert [[a.name for a in m.agencies] for m in plan.measures()] == [
        ["市大数据局"],
        ["市公安局", "市财政局"],
        ["市教育局"],
    ]


def test_numbers_are_normalised() -> None:
    source = _plan(
        "1.目标。力争网络零售额达到3100亿元,新建充电桩2.5万个,培育10-15家标杆企业,"
        "安装水表10万块,覆盖率不低于95%。(责任单位:市商务局)"
    )
    goals = [(g.value, g.value_max, g.unit, g.comparator, g.metric) for g in parse_text(source).tasks[0].goals]
    assert goals == [
        (310_000_000_000, None, "元", ">=", "网络零售额"),
        (25_000, None, "个", "=", "充电桩"),
        (10, 15, "家", "between", "标杆企业"),
        (100_000, None, "块", "=", "水表"),
        (95, None, "%", ">=", "覆盖率"),
    ]


def test_unknown_agency_is_accepted_with_a_warning() -> None:
    plan = parse_text(_plan("1.甲任务。内容。(责任单位:市海洋渔业新局)"))
    assert plan.agencies[0].name == "市海洋渔业新局"
    assert any("市海洋渔业新局" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n  ", "empty"),
        ("今天天气很好。我们去公园散步。", "no project heading"),
        ("青岛市行动方案\n一、总体要求\n坚持问题导向。\n", "no numbered tasks"),
    ],
)
def test_text_that_is_not_a_plan(text: str, reason: str) -> None:
    with pytest.raises(PlanParseError) as info:
        parse_text(text, document="x.txt")
    assert reason in str(info.value)
    assert str(info.value).startswith("x.txt")


def test_parse_error_says_where() -> None:
    with pytest.raises(PlanParseError) as info:
        parse_text("前言\n\n青岛市行动方案\n一、总体要求\n坚持问题导向。\n", document="p.txt")
    assert info.value.line == 4
    assert info.value.offset == len("前言\n\n青岛市行动方案\n")


def test_ordinals_are_not_goals() -> None:
    source = _plan("1.目标。推进第3批试点,完成第12项改革,新建充电桩500个。(责任单位:市商务局)")
    goals = [(g.value, g.unit) for g in parse_text(source).tasks[0].goals]
    assert goals == [(500, "个")]
