"""Policy tools of the seed plan's measures, as an analyst reads each clause (data/policy_tools.toml)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from graph_loader import Plan, parse_text
from graph_loader.dictionary import default_vocabulary
from graph_loader.models import Measure
from graph_loader.policy_tools import (
    LEXICON,
    TOOL_TYPES,
    PolicyTools,
    counts_by_agency,
    counts_by_topic,
    policy_tools,
    read_lexicon,
    tools_of,
)

SUPPLY, DEMAND, ENVIRONMENT = TOOL_TYPES


def _tools(measure: Measure) -> dict[str, list[str]]:
    return {tool.subtype: tool.terms for tool in measure.tools}


def _measure(plan: Plan, id_in_plan: str) -> Measure:
    (measure,) = [m for m in plan.measures() if m.id.endswith(f":{id_in_plan}")]
    return measure


# -- the lexicon ---------------------------------------------------------------------------------------------


def test_the_types_are_rothwell_and_zegvelds_three() -> None:
    assert TOOL_TYPES == ("供给型", "需求型", "环境型")


def test_the_lexicon_gives_every_subtype_a_known_type_and_terms_and_each_term_one_subtype() -> None:
    subtypes = read_lexicon()
    assert {s.type for s in subtypes} == set(TOOL_TYPES)
    assert all(s.terms for s in subtypes)
    terms = [t for s in subtypes for t in s.terms]
    assert len(terms) == len(set(terms))
    assert {s.type: [x.name for x in subtypes if x.type == s.type] for s in subtypes} == {
        SUPPLY: ["人才培养", "资金支持", "技术支持", "基础设施建设", "公共服务"],
        DEMAND: ["政府采购", "示范应用", "服务外包", "贸易管制", "海外合作"],
        ENVIRONMENT: ["目标规划", "金融支持", "税收优惠", "法规管制", "策略性措施"],
    }


def test_every_term_is_kept_whole_by_the_tool_segmenter() -> None:
    # As for topic terms: a term that beats its characters is found the same with jieba's HMM as without.
    tools = policy_tools()
    assert [t for t in tools.term_subtype if not tools.segmenter.term_beats_its_characters(t)] == []
    assert [t for t in tools.term_subtype if t not in tools.segmenter.segment(t)] == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('["x"]\ntype = "供给"\nterms = ["人才"]\n', "not one of"),
        ('["x"]\ntype = "供给型"\nterms = []\n', "has no terms"),
        ('["x"]\ntype = "供给型"\nterms = ["人才"]\n["y"]\ntype = "需求型"\nterms = ["人才"]\n', "in both x and y"),
        ('["x"]\ntype = "供给型"\nterms = ["首台(套)"]\n', "not one word"),
        ('["x"]\ntype = "供给型"\nterms = ["税"]\n', "not one word"),
    ],
)
def test_a_broken_lexicon_is_refused(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "policy_tools.toml"
    path.write_text(table, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        read_lexicon(path)


def test_the_words_left_out_are_no_terms_and_the_file_says_why() -> None:
    left_out = ["建设", "推广", "平台", "鼓励", "新建", "标准", "金融", "税收", "评估", "监管", "开放", "国际", "研究"]
    assert set(left_out) & set(policy_tools().term_subtype) == set()
    header = "\n".join(line for line in LEXICON.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    assert [w for w in left_out if w not in header] == []


def test_the_tool_terms_stay_out_of_the_tokenizer_topics_and_lineage_use() -> None:
    # The segmenter has its own copy: adding the terms to the shared one would change topics, and only
    # once the first measure had been tagged.
    tools, shared = policy_tools(), default_vocabulary().tokenizer.FREQ
    tools.tools_of("统筹各项政策性资金支持重点项目建设")
    assert not shared.get("政策性资金")
    assert tools.segmenter.tokenizer.FREQ["政策性资金"]


# -- matching: jieba's words, search mode -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "inside", "words"),
    [
        ("培养个人才能", "人才", "个人|才能"),
        ("建设施工现场", "设施", "建设|施工"),
        ("正规划分区域", "规划", "正规|划分"),
        ("现场景观提升", "场景", "现场|景观"),
    ],
)
def test_a_term_that_jieba_cuts_across_is_not_found(text: str, inside: str, words: str) -> None:
    assert inside in text and inside in policy_tools().term_subtype
    assert set(words.split("|")) <= set(policy_tools().segmenter.segment(text))
    assert tools_of(text) == []


@pytest.mark.parametrize(
    ("text", "subtype", "terms"),
    [
        ("完善基础设施", "基础设施建设", ["设施"]),
        ("建设示范区", "示范应用", ["示范"]),
        # Search mode, as topics use it (大模型 in 政务大模型): jieba keeps 基金会 whole, then gives its parts.
        # A foundation is no fund, but the words cannot tell; plans rarely found one.
        ("成立基金会", "金融支持", ["基金"]),
        # A term inside a longer term: both are evidence, the part first, as search mode gives them.
        ("制定实施细则", "法规管制", ["细则", "实施细则"]),
    ],
)
def test_search_mode_finds_a_term_inside_a_longer_word(text: str, subtype: str, terms: list[str]) -> None:
    assert [(t.subtype, t.terms) for t in tools_of(text)] == [(subtype, terms)]


def _tools_of_the_whole_text(tools: PolicyTools, text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for word in tools.segmenter.segment(text):
        if (subtype := tools.term_subtype.get(word)) and word not in found.setdefault(subtype.name, []):
            found[subtype.name].append(word)
    return found


def test_segmenting_only_the_blocks_with_a_term_finds_what_the_whole_text_gives(plan: Plan) -> None:
    tools = policy_tools()
    texts = [m.text for m in plan.measures()] + [t.text for t in plan.tasks]
    found = {text: {t.subtype: t.terms for t in tools.tools_of(text)} for text in texts}
    assert [text for text in texts if found[text] != _tools_of_the_whole_text(tools, text)] == []


def test_a_measure_read_without_tools_has_none() -> None:
    assert Measure(id="m", number=1, text="", span=(0, 0), responsibility_span=None, agencies=[]).tools == []


# -- the seed plan ----------------------------------------------------------------------------------------------

SEED_TOOLS: dict[str, dict[str, list[str]]] = {
    # 争创省级数字经济创新发展试验区
    "t1:m1": {"示范应用": ["试验区"]},
    # 高标准完成…城市试点工作 … 企业标杆: a pilot and benchmarks; 高标准 ("to a high standard") is no rule
    "t5:m1": {"示范应用": ["试点", "标杆"]},
    # 数据基础制度体系, 《青岛市数据条例》, 《…公共数据管理办法》, 宣贯落实, 实施细则和标准规范
    "t9:m1": {
        "法规管制": ["制度", "条例", "管理办法", "细则", "实施细则", "规范", "标准规范"],
        "策略性措施": ["宣贯"],
    },
    # 出台数字贸易高质量发展的实施方案, 数字服务贸易…, 跨境通信技术创新中心
    "t13:m1": {"技术支持": ["创新中心"], "贸易管制": ["贸易", "跨境"], "目标规划": ["方案", "实施方案"]},
    # 提升发改、财政、税收、金融…市场监管等领域数字化应用水平: domains made digital, no tool
    "t19:m1": {},
    # 推出养老补贴等"免申即享"场景 … 应用试点. 养老补贴 is a benefit the clause makes automatic, not a
    # subsidy the plan gives: the words cannot tell, and it is pinned so that a change is seen.
    "t29:m1": {"资金支持": ["补贴"], "示范应用": ["场景", "试点"]},
    # 落实人工智能"算力券"奖补政策, 数据中心标准机架数 (a rack of standard size: no 标准 rule)
    "t42:m1": {"资金支持": ["奖补"], "基础设施建设": ["数据中心"]},
    # 试点部署, 通信信号覆盖, 5G基站, 互联网骨干直联点
    "t43:m1": {"基础设施建设": ["信号覆盖", "基站", "骨干直联点"], "示范应用": ["试点"]},
    # 首席数据官制度, 职称专业, 数字化人才培养工程, 先进集体、先进个人表彰
    "t51:m1": {"人才培养": ["职称", "人才"], "法规管制": ["制度"], "策略性措施": ["表彰"]},
    # 将数据纠纷纳入仲裁体系
    "t52:m2": {"法规管制": ["仲裁"]},
    # 政策性资金支持, 数据基础设施等项目, 引导社会资本, 中长期贷款 (金融机构 alone is no tool: see t7:m2)
    "t53:m1": {"资金支持": ["政策性资金"], "基础设施建设": ["设施"], "金融支持": ["社会资本", "贷款"]},
    # 经验做法、典型模式宣传, 评选…典型案例、场景, 公共数据运营大会, 行业标准制修订
    "t54:m1": {
        "示范应用": ["场景"],
        "法规管制": ["行业标准", "制修订"],
        "策略性措施": ["经验做法", "宣传", "评选", "典型案例", "大会"],
    },
    # 支持金融机构拓展"数字+普惠金融"…应用场景 … 数字人民币试点: finance is the sector here, not a tool
    "t7:m2": {"示范应用": ["场景", "试点"]},
}


@pytest.mark.parametrize(("measure", "tools"), sorted(SEED_TOOLS.items()))
def test_seed_measure_tools(plan: Plan, measure: str, tools: dict[str, list[str]]) -> None:
    assert _tools(_measure(plan, measure)) == tools


def test_tools_are_sorted_by_type_then_subtype_as_listed(plan: Plan) -> None:
    order = {s.name: (TOOL_TYPES.index(s.type), i) for i, s in enumerate(read_lexicon())}
    for measure in plan.measures():
        keys = [order[t.subtype] for t in measure.tools]
        assert keys == sorted(keys), measure.id
        assert all(t.type == TOOL_TYPES[order[t.subtype][0]] for t in measure.tools)
    assert [t.type for t in _measure(plan, "t53:m1").tools] == [SUPPLY, SUPPLY, ENVIRONMENT]


# Measures using each type at least once (69 measures; 25 use none). Computed, then checked by reading the
# measures of tasks 1–13, 42–46 and 50–54 against their clauses.
SEED_TYPE_TOTALS = {SUPPLY: 23, DEMAND: 25, ENVIRONMENT: 12}
SEED_SUBTYPE_TOTALS = {
    "示范应用": 24, "基础设施建设": 11, "法规管制": 7, "技术支持": 6, "策略性措施": 5, "公共服务": 4,
    "资金支持": 3, "目标规划": 2, "贸易管制": 1, "人才培养": 1, "金融支持": 1,
}  # fmt: skip


def test_seed_totals_per_type(plan: Plan) -> None:
    measures = plan.measures()
    assert len(measures) == 69
    assert Counter(t for m in measures for t in {x.type for x in m.tools}) == SEED_TYPE_TOTALS
    assert sum(1 for m in measures if not m.tools) == 25


def test_seed_totals_per_subtype(plan: Plan) -> None:
    # None buys, outsources, works abroad or cuts a tax: a city's digital plan, not an industrial one.
    assert Counter(t.subtype for m in plan.measures() for t in m.tools) == SEED_SUBTYPE_TOTALS


# -- counts ----------------------------------------------------------------------------------------------------


def test_counts_by_agency_of_the_big_data_bureau(plan: Plan) -> None:
    # 需求型: t1, t11, t12, t15, t16, t17, t36 (both), t44, t50, t54; 环境型: t9, t10, t11, t12, t51,
    # t52 (both), t53, t54; 供给型: t16, t36:m2, t42, t44, t50, t51, t53. Its t14, t18 and t19 use none.
    assert counts_by_agency([plan])["青岛:市大数据局"] == Counter({DEMAND: 11, ENVIRONMENT: 9, SUPPLY: 7})


def test_counts_by_topic_of_the_seed(plan: Plan) -> None:
    # 数据要素 is in tasks 9–12, 20, 38, 41, 44, 49, 50 and 54; tasks 20, 38 and 41 use no tool.
    assert counts_by_topic([plan])["数据要素"] == Counter({ENVIRONMENT: 5, DEMAND: 5, SUPPLY: 3})


_SMALL_PLAN = """数字测试2025年行动方案
一、实施工程
1.试点示范。开展试点示范,建设示范区,完善基础设施。(责任单位:市大数据局、市工业和信息化局)
2.数据要素。推动数据要素和人工智能试点。(责任单位:市大数据局)
"""


def test_a_measure_counts_once_per_type_for_each_owner_and_each_topic() -> None:
    plan = parse_text(_SMALL_PLAN)
    assert [_tools(m) for m in plan.measures()] == [
        {"基础设施建设": ["设施"], "示范应用": ["试点", "示范"]},
        {"示范应用": ["试点"]},
    ]
    assert counts_by_agency([plan]) == {
        "测试:市大数据局": Counter({DEMAND: 2, SUPPLY: 1}),
        "测试:市工业和信息化局": Counter({DEMAND: 1, SUPPLY: 1}),
    }
    assert counts_by_topic([plan]) == {"人工智能": Counter({DEMAND: 1}), "数据要素": Counter({DEMAND: 1})}
    assert counts_by_agency([plan, plan])["测试:市大数据局"] == Counter({DEMAND: 4, SUPPLY: 2})
