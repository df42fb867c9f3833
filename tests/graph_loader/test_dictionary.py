"""The agency directory: names resolved within a plan's jurisdiction, kinds, collective placeholders."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from graph_loader import parse_text
from graph_loader.dictionary import AGENCY_KINDS, DATA_DIR, Vocabulary, default_vocabulary

VOCABULARY = default_vocabulary()


# -- aliases apply in their own jurisdiction ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "in_qingdao", "in_weihai"),
    [
        ("市行政审批服务局", "市行政审批局", "市行政审批服务局"),  # 威海's is a bureau of its own
        ("市大数据发展管理局", "市大数据局", "市大数据发展管理局"),
        ("市自然资源局", "市自然资源和规划局", "市自然资源局"),
        ("市发改委", "市发展改革委", "市发展改革委"),  # an abbreviation every city's plans use
        ("市卫健委", "市卫生健康委", "市卫生健康委"),
    ],
)
def test_aliases_apply_only_in_their_jurisdiction(written: str, in_qingdao: str, in_weihai: str) -> None:
    assert VOCABULARY.resolve_agency(written, "青岛").name == in_qingdao
    assert VOCABULARY.resolve_agency(written, "威海").name == in_weihai


def test_a_qingdao_alias_is_not_known_in_weihai() -> None:
    qingdao = VOCABULARY.resolve_agency("市行政审批服务局", "青岛")
    weihai = VOCABULARY.resolve_agency("市行政审批服务局", "威海")
    assert (qingdao.jurisdiction, qingdao.known) == ("青岛", True)
    assert (weihai.jurisdiction, weihai.known) == ("威海", False)


@pytest.mark.parametrize(
    ("name", "known_in_weihai"),
    [
        ("市大数据局", True),
        ("市公安局", True),
        ("市委网信办", True),
        ("市海洋发展局", False),  # 青岛's row
        ("青岛开放大学", False),
        ("崂山区政府", False),
        ("市行政审批局", False),
    ],
)
def test_a_name_of_another_jurisdiction_is_not_known(name: str, known_in_weihai: bool) -> None:
    assert VOCABULARY.resolve_agency(name, "青岛").known
    assert VOCABULARY.resolve_agency(name, "威海").known is known_in_weihai
    assert VOCABULARY.is_known_agency(name, "威海") is known_in_weihai
    assert VOCABULARY.is_known_agency(name)  # in some jurisdiction


def test_the_old_calls_without_a_jurisdiction_still_resolve_aliases() -> None:
    # What the API does with a name typed on its own: any jurisdiction's alias, when they agree.
    assert VOCABULARY.canonical_agency("市大数据发展管理局") == "市大数据局"
    assert VOCABULARY.canonical_agency("市大數據局") == "市大数据局"
    assert VOCABULARY.canonical_agency("市行政审批服务局", "威海") == "市行政审批服务局"
    assert VOCABULARY.agency_kind("市委网信办") == "party_committee"
    assert VOCABULARY.agency_kind("青岛仲裁办") == "institution"
    assert VOCABULARY.agency_kind("青岛仲裁办", "威海") == "government_department"  # not 威海's: guessed


def test_the_directory_lists_units_and_their_aliases_apart() -> None:
    units = {e.name for e in VOCABULARY.agencies}
    assert {"市大数据局", "市行政审批局", "各区市政府"} <= units
    assert not units & {"市大数据发展管理局", "市行政审批服务局", "市发改委"}
    alias = next(e for e in VOCABULARY.agency_names if e.name == "市行政审批服务局")
    assert (alias.jurisdiction, alias.alias_of, alias.kind) == ("青岛", "市行政审批局", "government_department")


# -- a jurisdiction's name in front ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "plan", "name", "jurisdiction", "known"),
    [
        ("青岛市大数据局", "青岛", "市大数据局", "青岛", True),
        ("青岛市大数据发展管理局", "青岛", "市大数据局", "青岛", True),  # then the alias
        ("青島市大數據局", "青島", "市大数据局", "青岛", True),
        ("青岛市市南区政府", "青岛", "市南区政府", "青岛", False),  # a district's name follows the city's
        ("山东省大数据局", "青岛", "省大数据局", "山东", False),
        ("山东省大数据局", "山东省", "省大数据局", "山东", False),
        ("广西壮族自治区商务厅", "南宁", "自治区商务厅", "广西", False),
        ("北京市大数据中心", "青岛", "市大数据中心", "北京", False),
        ("湘西州民政局", "湘西州", "州民政局", "湘西州", False),
        # The prefix is part of these names, or not the plan's jurisdiction's:
        ("青岛西海岸新区管委", "青岛", "青岛西海岸新区管委", "青岛", True),
        ("人民银行青岛市分行", "青岛", "人民银行青岛市分行", "青岛", True),
        ("青岛开放大学", "青岛", "青岛开放大学", "青岛", True),
        ("威海市大数据局", "青岛", "威海市大数据局", "青岛", False),
        ("山东大学", "青岛", "山东大学", "青岛", False),
        ("市南区政府", "青岛", "市南区政府", "青岛", False),
        ("黄埔区政府", "广州", "黄埔区政府", "广州", False),
    ],
)
def test_a_jurisdiction_in_front_is_taken_off(
    written: str, plan: str, name: str, jurisdiction: str, known: bool
) -> None:
    resolved = VOCABULARY.resolve_agency(written, plan)
    assert (resolved.name, resolved.jurisdiction, resolved.known) == (name, jurisdiction, known)


# -- kind and the generic flag: by what the name is --------------------------------------------------------------

_COLLECTIVE = [
    ("有关部门", "青岛"),
    ("相关单位", "青岛"),
    ("各相关单位", "鞍山"),
    ("各区市政府", "威海"),
    ("各区、市政府", "青岛"),
    ("各县(市、区)人民政府", "韶关"),
    ("各县(区)人民政府", "河池"),
    ("各区、县(市)政府(管委会)", "杭州"),
    ("各区(市)县政府(管委会)", "成都"),
    ("区直各部门", "鞍山"),
    ("市直各部门", "威海"),
    ("市直相关部门", "定州"),
    ("市直有关部门、单位", "威海"),
    ("市级有关部门", "成都"),
    ("州直相关单位", "湘西州"),
    ("省有关部门", "广东"),
    ("各地级以上市人民政府", "广东"),
    ("各设区市政府", "浙江"),
    ("其他成员单位", "浙江"),
    ("省减轻企业负担领导小组其他成员单位", "浙江"),
    ("领导小组成员单位", "浙江"),
    ("市政府各直属单位", "杭州"),
    ("市政府有关部门", "青岛"),
    ("各街道", "鞍山"),
    ("各乡镇(街道)", "定州"),
    ("各平台、镇街", "杭州"),
    ("全区经济运行各专班", "鞍山"),
]


@pytest.mark.parametrize(("written", "jurisdiction"), _COLLECTIVE)
def test_collective_placeholders_are_generic(written: str, jurisdiction: str) -> None:
    resolved = VOCABULARY.resolve_agency(written, jurisdiction)
    assert (resolved.kind, resolved.generic) == ("generic", True)


@pytest.mark.parametrize(
    ("written", "jurisdiction", "kind"),
    [
        ("市大数据局", "青岛", "government_department"),
        ("市行政审批服务局", "威海", "government_department"),
        ("省商务厅", "广东", "government_department"),
        ("省发展改革委", "广东", "government_department"),
        ("市口岸办", "青岛", "government_department"),
        ("区金融办", "杭州", "government_department"),  # an office of a government, not an institution
        ("市大数据中心", "威海", "institution"),
        ("省委宣传部", "广东", "party_committee"),
        ("市委金融办", "青岛", "party_committee"),
        ("市直机关工委", "威海", "party_committee"),  # 市直 in front, yet one unit
        ("州委编办", "湘西州", "party_committee"),
        ("团市委", "杭州", "mass_organization"),
        ("市总工会", "杭州", "mass_organization"),
        ("市人大常委会办公厅", "青岛", "legislature"),
        ("市中级人民法院", "青岛", "judicial"),
        ("崂山区政府", "青岛", "district_government"),
        ("黄埔区政府", "广州", "district_government"),
        ("霍山县人民政府", "六安", "district_government"),
        ("胶州市政府", "青岛", "district_government"),
        ("青岛西海岸新区管委", "青岛", "zone_committee"),
        ("医药高新区管委会", "泰州", "zone_committee"),
        ("人民银行青岛市分行", "青岛", "vertical_agency"),
        ("成都调查队", "成都", "vertical_agency"),
        ("青岛出版集团", "青岛", "enterprise"),
    ],
)
def test_a_named_unit_is_specific_and_of_its_kind(written: str, jurisdiction: str, kind: str) -> None:
    resolved = VOCABULARY.resolve_agency(written, jurisdiction)
    assert (resolved.kind, resolved.generic) == (kind, False)


def test_a_placeholder_with_its_separator_inside_is_qingdaos_one_collective() -> None:
    assert VOCABULARY.resolve_agency("各区、市政府", "青岛").name == "各区市政府"
    assert VOCABULARY.resolve_agency("各区(市)人民政府", "青岛").name == "各区市政府"


# -- the nearest directory name, for review reports --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "jurisdiction", "closest"),
    [
        ("市工业信息化局", "青岛", "市工业和信息化局"),
        ("青岛市大数据发展局", "青岛", "市大数据局"),  # prefix off, then near the alias 市大数据发展管理局
        ("市民营经济发展中心", "青岛", "市民营经济局"),
        ("市民营经济发展中心", "威海", None),  # 市民营经济局 is 青岛's
        ("市大數據局", "威海", "市大数据局"),  # known: itself
        ("联合国", "青岛", None),
    ],
)
def test_closest_known(name: str, jurisdiction: str, closest: str | None) -> None:
    assert VOCABULARY.closest_known(name, jurisdiction) == closest


# -- the file itself -------------------------------------------------------------------------------------------


def test_the_header_lists_exactly_the_kinds() -> None:
    header = (DATA_DIR / "agencies.tsv").read_text(encoding="utf-8").split("# Kinds:\n", 1)[1]
    listed = re.findall(r"^#   (\w+) ", header, re.M)
    assert listed == list(AGENCY_KINDS)


def _directory(tmp_path: Path, rows: str) -> Path:
    for name in ("topics.toml", "dictionary.txt"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    (tmp_path / "agencies.tsv").write_text("# test\nname\tjurisdiction\tkind\talias_of\n" + rows, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("市大数据局\t*\tbureau\n", r"agencies.tsv:3: kind 'bureau' of 市大数据局 is not one of"),
        ("市大数据局\t青岛\tgovernment_department\n市大数据局\t青島\tinstitution\n", "listed twice for jurisdiction 青岛"),
        # An alias valid everywhere cannot stand for a unit of one jurisdiction.
        ("市大数据局\t青岛\tgovernment_department\n市数据局\t*\t\t市大数据局\n", "which is no unit in \\*"),
    ],
)
def test_a_broken_directory_is_refused_with_the_reason(tmp_path: Path, rows: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Vocabulary(_directory(tmp_path, rows))


def test_columns_are_found_by_name(tmp_path: Path) -> None:
    data = _directory(tmp_path, "")
    (data / "agencies.tsv").write_text(
        "note\tjurisdiction\talias_of\tname\tkind\n"
        "\t威海\t\t市行政审批服务局\tgovernment_department\n"
        "a shorter form\t威海\t市行政审批服务局\t市审批服务局\t\n",
        encoding="utf-8",
    )
    vocabulary = Vocabulary(data)
    resolved = vocabulary.resolve_agency("市审批服务局", "威海")
    assert (resolved.name, resolved.known) == ("市行政审批服务局", True)
    assert not vocabulary.resolve_agency("市行政审批服务局", "青岛").known


def _renamed_directory(tmp_path: Path, rows: str) -> Path:
    data = _directory(tmp_path, "")
    (data / "agencies.tsv").write_text("name\tjurisdiction\tkind\talias_of\tnote\tchange\tyear\n" + rows,
                                       encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("市数据局\t*\tgovernment_department\n市大数据局\t*\t\t市数据局\t\trename\t2024\n", "needs its reason in note"),
        ("市数据局\t*\tgovernment_department\t\ta reform\trename\n", "one of alias, rename, merge, on an alias"),
        ("市数据局\t*\tgovernment_department\n市大数据局\t*\t\t市数据局\treform\tsplit\t2024\n", "change 'split'"),
        ("市数据局\t*\tgovernment_department\n市大数据局\t*\t\t市数据局\treform\trename\tlate\n", "year 'late'"),
    ],
)
def test_a_rename_needs_a_reason_and_a_year_that_is_one(tmp_path: Path, rows: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Vocabulary(_renamed_directory(tmp_path, rows))


def test_a_renamed_agency_is_one_node_across_the_years() -> None:
    """The 2018 reform merged 工商, 质监 and 食药监 into 市场监管 (agencies.tsv): older plans name the same node."""
    ids = []
    for year, names in ((2017, "市工商局、市食品药品监督管理局"), (2020, "市市场监管局")):
        plan = parse_text(f"数字青岛{year}年行动方案\n一、工程\n1.信用监管。推进信用监管。(责任单位:{names}、市大数据局)\n")
        mentions = plan.tasks[0].measures[0].agencies
        ids.append([a.agency_id for a in mentions])
        assert [a.raw for a in mentions] == [*names.split("、"), "市大数据局"]  # as each plan wrote them
        assert plan.warnings == []
    assert ids == [["青岛:市市场监管局", "青岛:市市场监管局", "青岛:市大数据局"], ["青岛:市市场监管局", "青岛:市大数据局"]]
    merged = [row for row in default_vocabulary().agency_names if row.change == "merge"]
    assert {row.alias_of for row in merged} == {"市市场监管局"} and all(row.note for row in merged)


def test_a_dated_rename_of_one_jurisdiction(tmp_path: Path) -> None:
    data = _renamed_directory(
        tmp_path,
        "市数据局\t烟台\tgovernment_department\n"
        "市大数据局\t烟台\t\t市数据局\tthe data bureau took its new name in the 2024 reform\trename\t2024\n"
        "市大数据局\t*\tgovernment_department\n",
    )
    vocabulary = Vocabulary(data)
    assert vocabulary.resolve_agency("市大数据局", "烟台").name == "市数据局"
    assert vocabulary.resolve_agency("市大数据局", "青岛").name == "市大数据局"  # not renamed elsewhere
    (row,) = [r for r in vocabulary.agency_names if r.change == "rename"]
    assert (row.name, row.alias_of, row.year, row.jurisdiction) == ("市大数据局", "市数据局", 2024, "烟台")
