"""Property tests: on any text the parser returns a plan or its own error, and spans never lie."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_loader import Plan, PlanParseError, parse_text
from graph_loader.dictionary import SEGMENT_WINDOW, default_vocabulary

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


# -- topic terms: found without jieba's HMM and in windows exactly as jieba finds them in one go with it ----------

_VOCABULARY = default_vocabulary()
_TERMS = sorted(_VOCABULARY.term_topics)
_HAN_PIECES = st.one_of(
    st.sampled_from([*_TERMS, "建设", "智能家电", "智能化", "政务大模型", "市大数据局", "推进", "数据", "5G-A", "GPT"]),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.text("abcAI19-.", max_size=3),
)
# With punctuation (where jieba splits by itself) or without (long runs that windows must cut inside).
_TOPIC_TEXT = st.one_of(
    st.lists(st.one_of(_PIECES, _HAN_PIECES), max_size=60).map("".join),
    st.lists(_HAN_PIECES, min_size=1, max_size=60).map("".join),
)


def test_every_topic_term_beats_its_characters() -> None:
    # Why the HMM can be left out: a term in a run of single characters would have been taken whole.
    assert [t for t in _TERMS if not _VOCABULARY.term_beats_its_characters(t)] == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TOPIC_TEXT, st.integers(1, 40))
def test_topic_terms_are_the_ones_jieba_finds_with_its_hmm(text: str, copies: int) -> None:
    long = text * copies  # often past the window, so it is cut
    found = [w for w in _VOCABULARY.segment(long) if w in _VOCABULARY.term_topics]
    assert found == [w for w in _VOCABULARY.tokenizer.lcut_for_search(long, HMM=True) if w in _VOCABULARY.term_topics]


def test_a_long_run_is_cut_where_no_word_crosses() -> None:
    text = "人工智能大模型建设" * (SEGMENT_WINDOW // 3)
    windows = _VOCABULARY._windows(text)
    assert "".join(windows) == text and len(windows) > 1
    assert all(len(w) <= SEGMENT_WINDOW for w in windows)
    assert _VOCABULARY.segment(text) == _VOCABULARY.tokenizer.lcut_for_search(text, HMM=False)
