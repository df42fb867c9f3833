"""The review (`policykg check`): each doubt at its line and column, and none where the plan is clear."""

from __future__ import annotations

import pytest

from graph_loader import Plan, parse_text
from graph_loader.dictionary import default_vocabulary
from graph_loader.review import CODES, LineIndex, Review, review

TITLE = "青岛市2026年数字政府建设行动方案"
HEAD = [TITLE, "一、实施数字政府工程", "(一)打造标杆"]  # lines 1-3; the tasks start on line 4


def _review(source: str) -> Review:
    return review(parse_text(source), source, default_vocabulary())


def _items(source: str) -> list[tuple[str, int, int, str]]:
    return [(f.code, f.line, f.column, f.text) for f in _review(source).findings]


DOUBTFUL = "\n".join(
    [
        *HEAD,
        # 4: a name the directory does not know (a typo of 市大数据局)
        "1.数字机关。建设数字办公平台,接入不少于10个部门。(责任单位:市大数据局、市大数局)",
        # 5: no topic; a number the goal reader does not read; a list of units in no form the parser reads;
        #    a clause whose only owner is a placeholder
        "2.道路养护。修缮市区道路1000余公里。(市交通运输局、市公安局)(责任单位:各区市政府)",
        # 6: a clause after the last owners
        "3.政务服务。推进一网通办。(责任单位:市行政审批局)完善数字办公热线平台。",
        # 7: a task with no owners at all (once, not once per clause)
        "4.数字机关建设。推进数字机关建设。",
        "",
    ]
)


def test_each_doubt_at_its_line_and_column() -> None:
    assert _items(DOUBTFUL) == [
        ("unknown-agency", 4, 40, "市大数局"),
        ("no-topic", 5, 1, "2.道路养护"),
        ("unread-target", 5, 14, "1000余公里"),
        ("unread-owners", 5, 22, "(市交通运输局、市公安局)"),
        ("generic-owners", 5, 35, "(责任单位:各区市政府)"),
        ("no-owners", 6, 28, "完善数字办公热线平台。"),
        ("no-owners", 7, 1, "4.数字机关建设"),
    ]


def test_each_place_shows_its_text() -> None:
    lines = DOUBTFUL.split("\n")
    for f in _review(DOUBTFUL).findings:
        assert lines[f.line - 1][f.column - 1 :].startswith(f.text), f


def test_the_text_is_the_sources_own_on_one_line() -> None:
    source = "\n".join(
        [*HEAD, "1.数字机关。建设数字办公平台。（市交通运输局、市公安局）（责任单位：市海洋\n渔业新局）"]
    )
    assert _items(source) == [
        ("unread-owners", 4, 17, "（市交通运输局、市公安局）"),
        ("unknown-agency", 4, 36, "市海洋渔业新局"),
    ]


def test_counts_follow_the_codes() -> None:
    counts = _review(DOUBTFUL).counts()
    assert counts == {
        "unread-owners": 1,
        "unknown-agency": 1,
        "no-owners": 2,
        "generic-owners": 1,
        "no-topic": 1,
        "unread-target": 1,
    }
    assert list(counts) == [c for c in CODES if c in counts]


def test_messages_say_what_to_do() -> None:
    by_code = {f.code: f.message for f in _review(DOUBTFUL).findings}
    assert by_code["unknown-agency"].startswith("市大数局 is not in the agency directory; if it is 市大数据局, add it")
    assert "agencies.tsv" in by_code["unknown-agency"]
    assert "topics.toml" in by_code["no-topic"]
    assert all("\n" not in m for m in by_code.values())


CLEAR = "\n".join(
    [
        *HEAD,
        # Dates, an ordinal, a duration and a quoted number are no targets; (市民中心) and (二期) are text;
        # an owner list with one specific unit is not generic even with a placeholder in it.
        "1.数字机关。2026年6月底前,在青岛国际会议中心(市民中心)建设数字办公平台(二期),第3个接入不少于10个部门,"
        "“100个场景”6个月内上线。(责任单位:市大数据局、各区市政府)",
        # A name broken across lines, full-width punctuation, a goal written with a full-width percent sign.
        "2.政务服务。一网通办事项覆盖率达到95％。（责任单位：市\n大数据局，市行政审批局）",
        "",
    ]
)


def test_a_clear_plan_has_nothing_to_check() -> None:
    assert _items(CLEAR) == []


def test_an_unknown_name_is_reported_once_where_it_first_appears() -> None:
    source = "\n".join(
        [*HEAD, "1.数字机关。建设数字办公平台。(责任单位:市海洋渔业新局)", "2.政务服务。推进一网通办。(市海洋渔业新局负责)"]
    )
    (found,) = _review(source).findings
    assert (found.code, found.line, found.column) == ("unknown-agency", 4, 23)
    assert "(named 2 times)" in found.message


def test_a_plan_that_names_no_owners_says_so_once() -> None:
    source = "\n".join(
        ["新闻一则。", "全文如下:", TITLE, "一、实施数字政府工程", "1.数字机关。建设数字办公平台。", "2.政务服务。推进一网通办。"]
    )
    assert _items(source) == [("no-owners-in-plan", 3, 1, TITLE)]


def test_crlf_and_cr_end_lines_as_in_an_editor() -> None:
    for newline in ("\r\n", "\r"):
        assert _items(DOUBTFUL.replace("\n", newline)) == _items(DOUBTFUL)


def test_line_index() -> None:
    lines = LineIndex("ab\r\ncd\re\n\nf")
    assert [lines.place(i) for i in (0, 1, 2, 4, 5, 7, 9, 10)] == [
        (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (3, 1), (4, 1), (5, 1)
    ]


# -- the seed plan --------------------------------------------------------------------------------------------
# Everything `policykg check` says about source_text/digital-qingdao-2025.txt today, and why each is right.
# Update here when the parser or topics.toml change what it says.
SEED: list[tuple[str, int, str]] = [
    # (code, line, why the finding is justified)
    ("no-topic", 87, "task 51 (人才保障): 首席数据官 and 数字化人才培养 are no topic terms"),
]


def test_the_seed_plan(plan: Plan, plan_source: str) -> None:
    found = review(plan, plan_source, default_vocabulary()).findings
    assert [(f.code, f.line) for f in found] == [(code, line) for code, line, _ in SEED]


@pytest.mark.parametrize(("code", "line"), [(c, n) for c, n, _ in SEED], ids=[why for _, _, why in SEED])
def test_each_seed_finding_points_at_its_task(plan: Plan, plan_source: str, code: str, line: int) -> None:
    (found,) = [f for f in review(plan, plan_source, default_vocabulary()).findings if f.line == line]
    assert plan_source.splitlines()[line - 1].strip().startswith(found.text)
