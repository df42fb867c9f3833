"""Property tests: on any text the parser returns a plan or its own error, and spans never lie."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_loader import Plan, PlanParseError, parse_text

# Text drawn from the plan's own alphabet, so random inputs hit the grammar often.
_PIECES = st.sampled_from(
    [
        "\n",
        "一、",
        "二、",
        "(一)",
        "(二)",
        "1.",
        "2.",
        "12.",
        "。",
        ",",
        "、",
        ";",
        ":",
        "(",
        ")",
        "(",
        ")",
        "责任单位:",
        "牵头单位:",
        "責任單位:",
        "市大数据局",
        "市\n大数据局",
        "市公安局",
        "各区(市)政府",
        "按职责分工负责",
        "负责",
        "牵头",
        "行动方案",
        "2025年",
        "力争",
        "达到",
        "12%",
        "以上",
        "不少于",
        "300家",
        "6.5万架",
        "3100亿元",
        "人工智能",
        "大模型",
        "智能家电",
        "“10+1”",
        "全文如下",
        " ",
        "　",
    ]
)
_PLANLIKE = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=60).map("".join)
_ANY = st.one_of(_PLANLIKE, st.text(max_size=300))

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _spans(plan: Plan) -> list[tuple[int, int]]:
    out = [plan.document.span]
    for t in plan.tasks:
        out.append(t.span)
        for m in t.measures:
            out.append(m.span)
            if m.responsibility_span:
                out.append(m.responsibility_span)
            out += [a.span for a in m.agencies]
        out += [g.span for g in t.goals]
    return out


@_SETTINGS
@given(_ANY)
def test_parser_returns_a_plan_or_its_own_error(text: str) -> None:
    try:
        plan = parse_text(text)
    except PlanParseError as e:
        assert e.reason
        return
    assert plan.tasks
    for start, end in _spans(plan):
        assert 0 <= start <= end <= len(text)
    for m in plan.measures():
        for a in m.agencies:
            assert text[a.span[0] : a.span[1]] == a.raw
            assert a.name and not any(c.isspace() for c in a.name)


@_SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(["市大数据局", "市\n公安局", "市教育局", "市財政局"]), st.booleans()),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["、", ",", ","]),
)
def test_owners_come_back_in_order(owners: list[tuple[str, bool]], sep: str) -> None:
    names = [n for n, _ in owners]
    text = f"青岛市2026年行动方案\n一、工程\n1.任务。内容。(责任单位:{sep.join(names)})\n"
    plan = parse_text(text)
    mentions = plan.tasks[0].measures[0].agencies
    assert [a.raw for a in mentions] == names
    assert [a.role for a in mentions] == ["lead"] + ["co"] * (len(names) - 1)
