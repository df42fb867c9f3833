"""Every responsibility form of docs/FORMS.md, in sentences of our own, read as a careful reader would.

The form numbers are FORMS.md's; each case is one task of a small plan of a jurisdiction where
the form was seen.
"""

from __future__ import annotations

import pytest

from graph_loader import Plan, PlanParseError, parse_text
from graph_loader.responsibility import is_name


def _plan(body: str, title: str = "威海市2026年数字政府建设工作要点") -> Plan:
    return parse_text(f"{title}\n一、实施数字政府工程\n(一)打造标杆\n{body}\n")


def _owners(plan: Plan) -> list[list[tuple[str, str]]]:
    return [[(a.name, a.role) for a in m.agencies] for t in plan.tasks for m in t.measures]


@pytest.mark.parametrize(
    ("form", "responsibility", "expected"),
    [
        (
            1,
            "(责任单位:市住房城乡建设局、市市场监管局,各区市政府)",
            [("市住房城乡建设局", "lead"), ("市市场监管局", "co"), ("各区市政府", "co")],
        ),
        (
            2,
            "(牵头单位:市发展改革委;责任单位:市城市管理局、市交通运输局)",
            [("市发展改革委", "lead"), ("市城市管理局", "co"), ("市交通运输局", "co")],
        ),
        (3, "(牵头单位:市科技局、市工业和信息化局)", [("市科技局", "lead"), ("市工业和信息化局", "lead")]),
        (4, "(牵头单位:市海洋发展局,参与单位:市科技局)", [("市海洋发展局", "lead"), ("市科技局", "co")]),
        (
            5,
            "(牵头领导:王某,牵头单位:市经信局,责任单位:市财政局,数据提供单位:市统计局)",
            [("市经信局", "lead"), ("市财政局", "co")],
        ),
        (
            6,
            "(市大数据局牵头,市南区、市北区政府配合)",
            [("市大数据局", "lead"), ("市南区政府", "co"), ("市北区政府", "co")],
        ),
        (
            7,
            "(市司法局、市商务局牵头,市财政局及各区县政府按职责分工负责)",
            [("市司法局", "lead"), ("市商务局", "lead"), ("市财政局", "co"), ("各区县政府", "co")],
        ),
        (
            8,
            "(市商务局、财政局、税务局等市有关部门和各区市政府按职责分工负责)",
            [("市商务局", "lead"), ("市财政局", "co"), ("市税务局", "co"), ("市有关部门", "co"), ("各区市政府", "co")],
        ),
        (9, "(市应急局、各区市政府牵头)", [("市应急局", "lead"), ("各区市政府", "lead")]),
        (9, "(市发展改革委牵头负责)", [("市发展改革委", "lead")]),
        (10, "(市文化和旅游局、团市委配合落实)", [("市文化和旅游局", "co"), ("团市委", "co")]),
        (
            12,
            "(牵头单位:市人力资源社会保障局;责任单位:市财政局,9月底前完成)",
            [("市人力资源社会保障局", "lead"), ("市财政局", "co")],
        ),
        (12, "(责任单位:市财政局;完成时限:2026年12月底)", [("市财政局", "lead")]),
        (
            13,
            "〔牵头单位:市市场监管局;配合单位:市税务局,各县(区)人民政府〕",
            [("市市场监管局", "lead"), ("市税务局", "co"), ("各县(区)人民政府", "co")],
        ),
        (20, "(责任单位:市农业农村局(市乡村振兴局)、市财政局)", [("市农业农村局", "lead"), ("市财政局", "co")]),
        (
            21,
            "(责任单位:市教育局、体育局、卫生健康委)",
            [("市教育局", "lead"), ("市体育局", "co"), ("市卫生健康委", "co")],
        ),
        (22, "(责任单位:市卫生健康委,各区、市政府)", [("市卫生健康委", "lead"), ("各区、市政府", "co")]),
        (
            22,
            "(责任单位:市商务局,各区、县(市)政府(管委会))",
            [("市商务局", "lead"), ("各区、县(市)政府(管委会)", "co")],
        ),
        (
            23,
            "(牵头单位:市水利局;责任单位:各县(市、区)人民政府)",
            [("市水利局", "lead"), ("各县(市、区)人民政府", "co")],
        ),
    ],
)
def test_form(form: int, responsibility: str, expected: list[tuple[str, str]]) -> None:
    assert _owners(_plan(f"1.建设平台。推进数据共享。{responsibility}")) == [expected]


@pytest.mark.parametrize(
    ("responsibility", "deadline"),
    [
        ("(牵头单位:市人力资源社会保障局;责任单位:市财政局,9月底前完成)", "9月底"),
        ("(责任单位:市财政局;完成时限:2026年12月底)", "2026年12月底"),
        ("(牵头单位:市大数据局;时间节点:全年)", "全年"),
        ("(责任单位:市财政局、市税务局)", None),
    ],
)
def test_the_deadline_inside_the_parenthesis_is_kept_on_the_measure(responsibility: str, deadline: str | None) -> None:
    (measure,) = _plan(f"1.建设平台。推进数据共享。{responsibility}").tasks[0].measures  # form 12
    assert measure.deadline == deadline
    assert all(a.name.startswith("市") for a in measure.agencies)  # the deadline is no owner


def test_pinyin_annotations_of_mirror_copies_are_dropped() -> None:  # form 24
    plan = _plan("1.建设平台。推进数据共享。(責(zé)任單位:市交通運輸局、市公(gōng)安局)")
    assert _owners(plan) == [[("市交通运输局", "lead"), ("市公安局", "co")]]
    source = "威海市2026年数字政府建设工作要点\n一、实施数字政府工程\n(一)打造标杆\n1.建设平台。推进数据共享。(責(zé)任單位:市交通運輸局、市公(gōng)安局)\n"
    mention = parse_text(source).tasks[0].measures[0].agencies[1]
    assert mention.raw == "市公(gōng)安局"  # the evidence is the source as written


def test_a_rider_puts_its_owners_on_every_later_task() -> None:  # form 11
    plan = _plan(
        "1.建设平台。推进数据共享。(牵头单位:市民政局;责任单位:市卫生健康委,各区市政府。"
        "以下任务均需各区市政府、开发区管委落实,不再一一列出)\n"
        "2.建设养老服务中心。(责任单位:市民政局)\n"
        "3.推进医养结合。(责任单位:市卫生健康委、各区市政府)"
    )
    assert _owners(plan) == [
        [("市民政局", "lead"), ("市卫生健康委", "co"), ("各区市政府", "co")],
        [("市民政局", "lead"), ("各区市政府", "co"), ("开发区管委", "co")],
        [("市卫生健康委", "lead"), ("各区市政府", "co"), ("开发区管委", "co")],
    ]
    rider_mention = plan.tasks[1].measures[0].agencies[2]
    source_rider = plan.tasks[0].source_text
    assert rider_mention.raw == "开发区管委" and "以下任务均需" in source_rider


@pytest.mark.parametrize(
    "inside",
    [
        "责任单位:市大数据局,各区市政府。以下任务均需各区市政府、开发区管委落实,不再一一列出",
        "责任单位:市大数据局;各区市政府负责落实。不再一一列出",
        "责任单位:市大数据局,6月底完成",
        "责任单位:市大数据局,长期坚持",
        "牵头单位:市大数据局;责任单位:市财政局。其余工作由各区市政府结合实际推进",
    ],
)
def test_no_sentence_fragment_becomes_an_agency(inside: str) -> None:
    names = {a.name for a in _plan(f"1.建设平台。推进数据共享。({inside})").agencies}
    assert "市大数据局" in names
    assert all(is_name(n) for n in names), names
    assert not any(word in n for n in names for word in ("落实", "列出", "完成", "坚持", "推进", "。"))


def test_labels_on_their_own_lines_after_the_task() -> None:  # form 14
    plan = _plan(
        "1.新增公共充电桩5000个。\n牵头单位:区发改局\n责任单位:各街道,区住建局\n2.改造老旧小区。\n责任单位:区住建局"
    )
    assert _owners(plan) == [
        [("区发改局", "lead"), ("各街道", "co"), ("区住建局", "co")],
        [("区住建局", "lead")],
    ]
    mention = plan.tasks[0].measures[0].agencies[0]
    assert (mention.raw, [(g.value, g.unit) for g in plan.tasks[0].goals]) == ("区发改局", [(5000, "个")])


def test_owners_given_once_for_a_project_or_section_hold_for_its_tasks() -> None:
    plan = parse_text(
        "威海市2026年乡村振兴工作要点\n一、发展现代农业(牵头单位:市农业农村局)\n1.建设高标准农田10万亩。\n"
        "2.培育龙头企业5家。(责任单位:市商务局)\n二、建设和美乡村\n(一)改善人居环境\n责任单位:市住房城乡建设局\n"
        "3.改造农村户厕2000户。\n"
    )
    assert [p.title for p in plan.projects] == ["发展现代农业", "建设和美乡村"]
    assert plan.sections[0].title == "改善人居环境"
    assert _owners(plan) == [[("市农业农村局", "lead")], [("市商务局", "lead")], [("市住房城乡建设局", "lead")]]
    assert plan.warnings == []


def test_stated_rule_every_responsible_unit_leads() -> None:  # form 19
    plan = parse_text(
        "武汉市2026年政府工作报告目标任务责任分解方案\n牵头单位(无牵头单位的,责任单位即为牵头单位,下同)\n"
        "一、稳增长\n1.地区生产总值增长6%。(责任单位:市发展改革委、市统计局)\n"
        "2.扩大有效投资。(牵头单位:市发展改革委;责任单位:市财政局)\n"
    )
    assert _owners(plan) == [
        [("市发展改革委", "lead"), ("市统计局", "lead")],
        [("市发展改革委", "lead"), ("市财政局", "co")],
    ]


def test_items_of_a_project_are_tasks_when_no_numbered_tasks_are_under_them() -> None:  # form 25
    plan = parse_text(
        "数字威海建设行动计划\n(2026—2028年)\n一、总体要求\n(一)指导思想\n坚持系统观念。\n(二)基本原则\n"
        "1.统筹推进。坚持全市一盘棋。\n2.需求牵引。坚持问题导向。\n二、主要任务\n"
        "(一)建设城市数据底座。汇聚数据10亿条。(市大数据局牵头,各区市政府配合)\n"
        "(二)推进一网通办。(牵头单位:市行政审批服务局;责任单位:市直有关部门)\n三、重点领域\n"
        "(一)发展智慧医疗。(市卫生健康委负责)\n四、保障措施\n(一)加强组织领导。建立工作专班。\n"
        "(二)强化资金保障。统筹资金。(责任单位:市财政局)\n"
    )
    assert (plan.document.title, plan.document.year, plan.document.jurisdiction) == (
        "数字威海建设行动计划(2026—2028年)",
        2026,
        "威海",
    )
    assert plan.document.id == "威海-2026-数字威海建设行动计划"
    # 总体要求 and the 保障措施 item without owners frame the plan; the rest are its tasks, numbered in order.
    assert [(t.number, t.title, t.project.number) for t in plan.tasks] == [
        (1, "建设城市数据底座", 2),
        (2, "推进一网通办", 2),
        (3, "发展智慧医疗", 3),
        (4, "强化资金保障", 4),
    ]
    assert len({t.id for t in plan.tasks}) == 4
    assert [s.title for s in plan.sections] == ["基本原则"]


def test_a_plan_of_paragraphs() -> None:
    plan = parse_text(
        "烟台市2026年营商环境工作要点\n一、提升政务服务效能。推行企业开办一日办结。(责任单位:市行政审批服务局)\n"
        "二、优化法治环境\n加强涉企执法监督。(责任单位:市司法局)\n推行柔性执法清单。(市司法局、市市场监管局按职责分工负责)\n"
    )
    assert [(t.number, t.title, t.project.number) for t in plan.tasks] == [
        (1, "提升政务服务效能", 1),
        (2, "加强涉企执法监督", 2),
        (3, "推行柔性执法清单", 2),
    ]
    assert plan.tasks[2].measures[0].agencies[1].name == "市市场监管局"


def test_a_plan_with_targets_and_no_owners_is_a_plan_with_a_warning() -> None:  # form 26
    plan = parse_text(
        "江苏省数字经济三年行动计划(2025-2027年)\n一、做强数字产业\n到2027年,全省新增5G基站8000个,重点企业上云率达到60%以上。\n"
        "二、推进产业数字化\n规上工业企业数字化改造全覆盖。\n"
    )
    assert (plan.document.jurisdiction, plan.document.year) == ("江苏", 2025)
    assert [t.title for t in plan.tasks] == [
        "到2027年,全省新增5G基站8000个,重点企业上云率达到60%以上",
        "规上工业企业数字化改造全覆盖",
    ]
    assert [(g.value, g.unit) for g in plan.tasks[0].goals] == [(8000, "个"), (60, "%")]
    assert plan.agencies == []
    assert plan.warnings == ["no owners were found: no task names its responsible units (责任单位…)"]


def test_numbering_that_restarts_in_each_project_gives_distinct_tasks() -> None:
    plan = parse_text(
        "威海市2026年数字经济工作要点\n一、数字产业化\n1.培育软件企业。(责任单位:市工业和信息化局)\n"
        "2.发展算力。(责任单位:市大数据局)\n二、产业数字化\n1.推动企业上云。(责任单位:市工业和信息化局)\n"
    )
    assert [(t.number, t.id.rsplit(":", 1)[1]) for t in plan.tasks] == [(1, "t1"), (2, "t2"), (3, "t3")]


def test_key_value_cards_without_project_headings() -> None:  # form 18
    plan = parse_text(
        "广州市2026年重点工作落实情况\n重点工作: 42.推进地下管网改造。\n牵头单位: 市水务局\n"
        "年度阶段性工作目标: 第二季度完成50%以上\n重点工作: 43.建设海绵城市示范区。\n牵头单位: 市住房城乡建设局\n"
    )
    assert [(p.number, p.title) for p in plan.projects] == [(1, "广州市2026年重点工作落实情况")]
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "推进地下管网改造"), (2, "建设海绵城市示范区")]
    # The card's milestone line after its owner label is a measure of the same unit.
    assert _owners(plan) == [[("市水务局", "lead")], [("市水务局", "lead")], [("市住房城乡建设局", "lead")]]
    assert [(g.value, g.unit) for g in plan.tasks[0].goals] == [(50, "%")]


def test_a_numbered_list_without_projects_or_owners_is_not_a_plan() -> None:
    with pytest.raises(PlanParseError, match="no plan structure"):
        parse_text("周末安排\n1.去公园散步。\n2.买菜做饭。\n")


@pytest.mark.parametrize(
    "responsibility",
    ["(责任单位:市财政局、市大数据局(牵头)、市公安局)", "(市财政局、市大数据局牵头、市公安局按职责分工负责)"],
)
def test_the_lead_marked_inside_a_plain_list(responsibility: str) -> None:
    plan = _plan(f"1.建设平台。推进数据共享。{responsibility}")
    assert _owners(plan) == [[("市财政局", "co"), ("市大数据局", "lead"), ("市公安局", "co")]]


def test_a_target_in_the_title_is_a_goal_of_the_first_measure() -> None:
    plan = _plan("1.新建5G基站1000个。推进网络共建共享。(责任单位:市通信管理局)")
    goals = plan.tasks[0].goals
    assert [(g.value, g.unit, g.measure_id) for g in goals] == [(1000, "个", plan.tasks[0].measures[0].id)]
