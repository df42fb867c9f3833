"""The accuracy benchmark's scoring, on hand-made facts and plans, and the labelled set it scores against.

The scoring must be right before its numbers mean anything. The labels must agree with their texts:
each task line is a heading, each owner is written in the plan, each topic is one of the list.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/ is run from the checkout (python -m bench.…), not installed
    sys.path.insert(0, str(ROOT))

from bench import accuracy  # noqa: E402
from bench.accuracy import (  # noqa: E402
    Score,
    TaskFacts,
    collect,
    differences,
    expected_facts,
    found_facts,
    goal_value,
    jurisdiction_key,
    line_of,
    score,
    task_owners,
)
from graph_loader.models import (  # noqa: E402
    AgencyMention,
    Document,
    Goal,
    Measure,
    Plan,
    Project,
    Role,
    Task,
    TopicMatch,
)
from graph_loader.numerals import read_numeral  # noqa: E402
from graph_loader.text import fold  # noqa: E402

LABELLED = ROOT / "tests" / "graph_loader" / "labelled"
TOPICS = {"人工智能", "数据要素", "数字政府", "数字基础设施", "数字经济", "智慧民生", "网络与数据安全", "绿色低碳", "数字文化"}
ALLOWED_FORMS = set(range(1, 16)) | set(range(19, 24)) | {25, 26}
HEADING = re.compile(r"^\s*(?:(?P<arabic>\d{1,3})[.、．]|[(（](?P<cn>[一二三四五六七八九十]+)[)）])")
PREFIXES = "市省区州县"


# -- scores ---------------------------------------------------------------------------------------------------


def test_a_score_counts_matches_misses_and_extras() -> None:
    expected = Counter({(7, "市公安局"): 1, (7, "市税务局"): 1, (8, "市财政局"): 1})
    found = Counter({(7, "市公安局"): 1, (8, "市财政局"): 1, (8, "市发展改革委"): 1})
    s = score(expected, found)
    assert (s.tp, s.fp, s.fn) == (2, 1, 1)
    assert (s.expected, s.found) == (3, 3)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(2 / 3)


def test_precision_and_recall_differ_when_the_counts_do() -> None:
    s = score(Counter({(3,): 1, (4,): 1, (5,): 1, (9,): 1}), Counter({(3,): 1, (4,): 1, (5,): 1}))
    assert (s.precision, s.recall) == (1.0, 0.75)
    assert s.f1 == pytest.approx(6 / 7)


def test_goals_are_a_multiset() -> None:
    """Two equal targets in one task are two facts: finding one of them is one match and one miss."""
    expected = Counter({(9, 95, "%"): 2, (9, 20, "个"): 1})
    found = Counter({(9, 95, "%"): 1, (9, 20, "个"): 1, (9, 98, "%"): 1})
    assert score(expected, found) == Score(tp=2, fp=1, fn=1)
    assert differences(expected, found) == ([(9, 95, "%")], [(9, 98, "%")])


def test_undefined_ratios_are_none_and_nothing_matched_is_zero() -> None:
    nothing = score(Counter(), Counter())
    assert (nothing.precision, nothing.recall, nothing.f1) == (None, None, None)
    all_missed = score(Counter({(3, "数字政府"): 1, (4, "人工智能"): 1}), Counter())
    assert (all_missed.precision, all_missed.recall, all_missed.f1) == (None, 0.0, 0.0)
    all_extra = score(Counter(), Counter({(3, "数字政府"): 1}))
    assert (all_extra.precision, all_extra.recall, all_extra.f1) == (0.0, None, 0.0)


def test_scores_add_up_over_plans() -> None:
    assert Score(3, 1, 2) + Score(1, 0, 4) == Score(4, 1, 6)
    assert (Score(3, 1, 2) + Score(1, 0, 4)).recall == 0.4


def test_differences_are_sorted_by_line_as_numbers() -> None:
    missed, extra = differences(Counter({(11, "市公安局"): 1, (9, "市公安局"): 1, (10, "市财政局"): 1}), Counter())
    assert missed == [(9, "市公安局"), (10, "市财政局"), (11, "市公安局")]
    assert extra == []


# -- facts ----------------------------------------------------------------------------------------------------


def test_line_of_counts_from_one() -> None:
    text = "数字测试2026年行动方案\n一、实施工程\n1.建设平台。\n"
    assert line_of(text, 0) == 1
    assert line_of(text, text.index("一、")) == 2
    assert line_of(text, text.index("1.")) == 3
    assert line_of(text, text.index("\n")) == 1  # a line's break belongs to it


def test_goal_values_compare_in_one_form() -> None:
    assert goal_value(65000.0) == 65000 and isinstance(goal_value(65000.0), int)
    assert goal_value(0.1 + 0.2) == 0.3
    assert goal_value(5.5) == 5.5
    assert goal_value(2_000_000_000_000) == 2_000_000_000_000  # 2万亿元, exact
    assert {(3, goal_value(6.5 * 10_000), "个")} == {(3, goal_value(65000), "个")}


def test_jurisdiction_key_drops_the_level() -> None:
    assert jurisdiction_key("山东省") == "山东"
    assert jurisdiction_key("威海市") == jurisdiction_key("威海") == "威海"
    assert jurisdiction_key("湘西州") == "湘西"
    assert jurisdiction_key("蔡甸区") == "蔡甸"
    assert jurisdiction_key("广西壮族自治区") == "广西壮族"
    assert jurisdiction_key("市南区") == "市南"
    assert jurisdiction_key("未知") == "未知"


def test_task_owners_lead_wins_over_co() -> None:
    owners = task_owners([
        ("市大数据局", "co", False),
        ("各区市政府", "co", True),
        ("市大数据局", "lead", False),
        ("市财政局", "lead", False),
        ("市财政局", "co", False),
    ])
    assert owners == {"市大数据局": ("lead", False), "各区市政府": ("co", True), "市财政局": ("lead", False)}


def test_collect_builds_every_field() -> None:
    facts = collect(
        [
            TaskFacts(7, {"市大数据局": ("lead", False), "各区市政府": ("co", True)}, [(8000, "个"), (12.0, "%")], ["数字基础设施"]),
            TaskFacts(9, {}, [], []),
        ],
        jurisdiction="青岛市",
        year=2026,
    )
    assert facts["tasks"] == Counter({(7,): 1, (9,): 1})
    assert facts["owners"] == Counter({(7, "市大数据局"): 1, (7, "各区市政府"): 1})
    assert facts["leads"] == Counter({(7, "市大数据局"): 1})
    assert facts["generic"] == Counter({(7, "市大数据局", False): 1, (7, "各区市政府", True): 1})
    assert facts["goals"] == Counter({(7, 8000, "个"): 1, (7, 12, "%"): 1})
    assert facts["topics"] == Counter({(7, "数字基础设施"): 1})
    assert facts["document"] == Counter({("jurisdiction", "青岛"): 1, ("year", 2026): 1})


def test_expected_facts_of_a_label_file() -> None:
    labels = tomllib.loads("""
jurisdiction = "威海市"
year = 2026
[[tasks]]
line = 7
owners = [
  {name = "市行政审批服务局", role = "lead", generic = false},
  {name = "市直有关部门、单位", role = "co", generic = true, written = "市直有关部门"},
]
goals = [{value = 20, unit = "个"}, {value = 2, value_max = 3, unit = "个"}]
topics = ["数字政府"]
[[tasks]]
line = 8
owners = []
goals = [{value = 500000000, unit = "元"}]
topics = []
""")
    facts = expected_facts(labels)
    assert facts["tasks"] == Counter({(7,): 1, (8,): 1})
    assert facts["owners"] == Counter({(7, "市行政审批服务局"): 1, (7, "市直有关部门、单位"): 1})
    assert facts["leads"] == Counter({(7, "市行政审批服务局"): 1})
    assert facts["generic"] == Counter({(7, "市行政审批服务局", False): 1, (7, "市直有关部门、单位", True): 1})
    assert facts["goals"] == Counter({(7, 20, "个"): 1, (7, 2, "个"): 1, (8, 500000000, "元"): 1})
    assert facts["topics"] == Counter({(7, "数字政府"): 1})
    assert facts["document"] == Counter({("jurisdiction", "威海"): 1, ("year", 2026): 1})


_TEXT = "威海市2026年工作要点\n一、提升效能\n1.建设平台。新增场景20个。(牵头单位:市大数据局;责任单位:各区市政府)\n推进共享,覆盖率达到95%。(市财政局牵头,市大数据局配合)\n"


def _mention(name: str, role: Role, generic: bool, position: int) -> AgencyMention:
    at = _TEXT.index(name)
    return AgencyMention(name=name, role=role, generic=generic, raw=name, position=position,
                         span=(at, at + len(name)), agency_id=f"威海:{name}")


def _hand_made_plan() -> Plan:
    """One task on line 3 of two measures, the second naming 市大数据局 again as co; built by hand."""
    doc = Document(id="威海-2026-工作要点", legacy_id="doc-0", title="威海市2026年工作要点", year=2026, jurisdiction="威海",
                   source="<text>", span=(0, len(_TEXT)))
    project = Project(id="p1", number=1, title="提升效能")
    start = _TEXT.index("1.")
    second = _TEXT.index("推进")
    measures = [
        Measure(id="m1", number=1, text="建设平台。新增场景20个。", span=(start, second), responsibility_span=None,
                agencies=[_mention("市大数据局", "lead", False, 1), _mention("各区市政府", "co", True, 2)]),
        Measure(id="m2", number=2, text="推进共享,覆盖率达到95%。", span=(second, len(_TEXT)), responsibility_span=None,
                agencies=[_mention("市财政局", "lead", False, 1),
                          AgencyMention(name="市大数据局", role="co", generic=False, raw="市大数据局", position=2,
                                        span=(_TEXT.rindex("市大数据局"), _TEXT.rindex("市大数据局") + 5),
                                        agency_id="威海:市大数据局")]),
    ]
    goals = [
        Goal(id="g1", text="新增场景20个", value=20, unit="个", comparator="=", metric="新增场景", span=(0, 1), measure_id="m1"),
        Goal(id="g2", text="覆盖率达到95%", value=95.0, unit="%", comparator=">=", metric="覆盖率", span=(0, 1), measure_id="m2"),
    ]
    task = Task(id="t1", number=1, title="建设平台", text="…", source_text="…", project=project, section=None,
                span=(start, len(_TEXT) - 1), measures=measures, goals=goals,
                topics=[TopicMatch(name="数据要素", terms=["数据共享"])])
    return Plan(document=doc, projects=[project], sections=[], tasks=[task], agencies=[])


def test_found_facts_of_a_plan_key_its_tasks_by_heading_line() -> None:
    facts = found_facts(_hand_made_plan(), _TEXT)
    assert facts["tasks"] == Counter({(3,): 1})
    assert facts["owners"] == Counter({(3, "市大数据局"): 1, (3, "各区市政府"): 1, (3, "市财政局"): 1})
    assert facts["leads"] == Counter({(3, "市大数据局"): 1, (3, "市财政局"): 1})  # lead in m1, co in m2: leads
    assert facts["generic"][(3, "各区市政府", True)] == 1
    assert facts["goals"] == Counter({(3, 20, "个"): 1, (3, 95, "%"): 1})
    assert facts["topics"] == Counter({(3, "数据要素"): 1})
    assert facts["document"] == Counter({("jurisdiction", "威海"): 1, ("year", 2026): 1})


# -- whole runs (the expected side does not depend on the parser) -------------------------------------------------

_LABELS = """
jurisdiction = "威海市"
year = 2026
forms = [1]
[[tasks]]
line = 3
number = 1
owners = [{name = "市大数据局", role = "lead", generic = false}, {name = "市财政局", role = "co", generic = false}]
goals = [{value = 20, unit = "个"}]
topics = ["数字政府"]
"""


def _labelled_dir(tmp_path: Path, text: str) -> Path:
    (tmp_path / "one.txt").write_text(text, encoding="utf-8")
    (tmp_path / "one.labels.toml").write_text(_LABELS, encoding="utf-8")
    return tmp_path


def test_a_refused_plan_counts_every_label_missed(tmp_path: Path) -> None:
    ((plan, labels),) = accuracy.labelled_plans(_labelled_dir(tmp_path, "这不是一份方案,没有任何结构。\n"))
    result = accuracy.evaluate(plan, labels)
    assert result.error is not None and result.error.startswith("refused: ")
    scores = result.scores()
    assert {name: (s.tp, s.fp, s.fn) for name, s in scores.items()} == {
        "tasks": (0, 0, 1), "owners": (0, 0, 2), "leads": (0, 0, 1), "generic": (0, 0, 2),
        "goals": (0, 0, 1), "topics": (0, 0, 1), "document": (0, 0, 2),
    }
    assert "refused: " in accuracy.report([result], tmp_path)


def test_json_output_counts_what_the_labels_expect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "威海市2026年数字政府工作要点\n一、提升效能\n1.建设政务服务平台,新增场景20个。(责任单位:市大数据局、市财政局)\n"
    accuracy.main(["--labelled", str(_labelled_dir(tmp_path, text)), "--json"])
    out = json.loads(capsys.readouterr().out)
    expected = {name: f["expected"] for name, f in out["fields"].items()}
    assert expected == {"tasks": 1, "owners": 2, "leads": 1, "generic": 2, "goals": 1, "topics": 1, "document": 2}
    assert [p["name"] for p in out["plans"]] == ["one.txt"]
    for f in out["fields"].values():
        assert f["matched"] <= min(f["expected"], f["found"])


def test_plans_and_labels_must_pair_up(tmp_path: Path) -> None:
    (tmp_path / "alone.txt").write_text("威海市2026年工作要点\n", encoding="utf-8")
    with pytest.raises(ValueError, match="alone"):
        accuracy.labelled_plans(tmp_path)


# -- the labelled set -----------------------------------------------------------------------------------------------


def _labelled() -> list[tuple[str, str, dict[str, Any]]]:
    return [(plan.name, plan.read_text(encoding="utf-8"), tomllib.loads(labels.read_text(encoding="utf-8")))
            for plan, labels in accuracy.labelled_plans(LABELLED)]


PLANS = _labelled()


def test_the_set_covers_forms_jurisdictions_levels_and_fields() -> None:
    assert len(PLANS) >= 14
    forms = {f for _, _, labels in PLANS for f in labels["forms"]}
    assert forms <= ALLOWED_FORMS and len(forms) >= 10, sorted(forms)
    assert len({labels["jurisdiction"] for _, _, labels in PLANS}) >= 7
    assert {labels["level"] for _, _, labels in PLANS} == {"province", "city", "district"}
    assert {"营商环境", "乡村振兴", "生态环境", "放管服", "政府工作报告责任分解"} <= {labels["field"] for _, _, labels in PLANS}
    assert any(all(not t["owners"] for t in labels["tasks"]) for _, _, labels in PLANS), "a plan without owners"


@pytest.mark.parametrize(("name", "text", "labels"), PLANS, ids=[p[0] for p in PLANS])
def test_a_label_file_describes_its_plan(name: str, text: str, labels: dict[str, Any]) -> None:
    title = text.splitlines()[0]
    assert labels["title"] == title
    assert str(labels["year"]) in title and jurisdiction_key(labels["jurisdiction"]) in title
    assert set(labels["forms"]) <= ALLOWED_FORMS
    tasks = labels["tasks"]
    assert 6 <= len(tasks) <= 20
    lines = [t["line"] for t in tasks]
    assert lines == sorted(set(lines)), "task lines ascend, once each"


@pytest.mark.parametrize(("name", "text", "labels"), PLANS, ids=[p[0] for p in PLANS])
def test_every_label_line_is_a_task_heading_with_its_number(name: str, text: str, labels: dict[str, Any]) -> None:
    source = text.splitlines()
    wrong = []
    for task in labels["tasks"]:
        m = HEADING.match(source[task["line"] - 1])
        number = None if m is None else int(m["arabic"]) if m["arabic"] else read_numeral(m["cn"])
        if number != task["number"]:
            wrong.append((task["line"], task["number"], source[task["line"] - 1][:12]))
    assert wrong == []


def _written_in(written: str, text: str) -> bool:
    """The name as written, or its tail after a separator where the text elided the prefix (市教育局、体育局)."""
    if written in text:
        return True
    return written[0] in PREFIXES and re.search(f"[、,:;]{re.escape(written[1:])}", text) is not None


@pytest.mark.parametrize(("name", "text", "labels"), PLANS, ids=[p[0] for p in PLANS])
def test_every_owner_is_written_in_the_plan(name: str, text: str, labels: dict[str, Any]) -> None:
    folded = fold(text)  # half-width, Simplified, no line breaks (市\n大数据局)
    unwritten = [(t["line"], o["name"]) for t in labels["tasks"] for o in t["owners"]
                 if not _written_in(fold(o.get("written", o["name"])), folded)]
    assert unwritten == []


@pytest.mark.parametrize(("name", "text", "labels"), PLANS, ids=[p[0] for p in PLANS])
def test_owners_roles_goals_and_topics_are_well_formed(name: str, text: str, labels: dict[str, Any]) -> None:
    for task in labels["tasks"]:
        owners = task["owners"]
        assert set(task) <= {"line", "number", "owners", "goals", "topics"}
        names = [o["name"] for o in owners]
        assert len(names) == len(set(names)), (task["line"], names)
        assert all(o["role"] in ("lead", "co") and isinstance(o["generic"], bool) for o in owners), task["line"]
        assert all(set(o) <= {"name", "role", "generic", "written"} for o in owners), task["line"]
        assert not owners or any(o["role"] == "lead" for o in owners), f"line {task['line']}: owners and no lead"
        assert all(o["name"] == fold(o["name"]) for o in owners), "names are folded (half-width, Simplified)"
        assert set(task["topics"]) <= TOPICS, task["line"]
        for goal in task["goals"]:
            assert set(goal) <= {"value", "value_max", "unit"} and goal["unit"], task["line"]
            assert isinstance(goal["value"], int | float) and goal["value"] > 0, task["line"]
            assert goal.get("value_max", goal["value"]) >= goal["value"], task["line"]
