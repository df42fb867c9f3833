"""The PDF reader on PDFs each test builds from our own text (build_pdf.py), in the three kinds of
font exporters write: an embedded TrueType subset, an embedded CFF font, a non-embedded Adobe CID font.

The oracle is the plan as text: a PDF of the seed plan must parse into the same tasks, owners, goals
and topics as the .txt it was made from, and a 任务分工表 in a PDF into what the same table gives as
``|``-separated text.
"""

from __future__ import annotations

import re
import time

import pypdfium2 as pdfium
import pytest

from graph_loader import Plan, PlanParseError
from graph_loader.parser import parse_file, parse_text
from graph_loader.readers import ReadDocument, read_bytes
from tests.conftest import PLAN_FILE
from tests.graph_loader.readers.build_pdf import (
    FONTS,
    encrypted_pdf,
    pdf_from_text,
    pdf_table,
    rotated_pdf,
    scanned_pdf,
    wrapped_lines,
)

SEED = PLAN_FILE.read_text(encoding="utf-8")
TITLE = "数字青岛2025年行动方案"


def _summary(plan: Plan) -> list[tuple[object, ...]]:
    """What a plan says, without where it says it (spans differ between a PDF's text and the .txt)."""
    return [
        (
            t.number,
            t.title,
            t.section.number if t.section else None,
            [[(a.name, a.role) for a in m.agencies] for m in t.measures],
            [(g.value, g.unit) for g in t.goals],
            sorted(x.name for x in t.topics),
        )
        for t in plan.tasks
    ]


def _raw_pages(data: bytes) -> list[str]:
    """The text layer as PDFium gives it, line breaks and all: what the PDF really holds."""
    pdf = pdfium.PdfDocument(data)
    try:
        return [pdf[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(pdf))]
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def seed_plan() -> Plan:
    return parse_file(PLAN_FILE)


@pytest.fixture(scope="module", params=FONTS)
def seed_pdf(request: pytest.FixtureRequest) -> bytes:
    return pdf_from_text(SEED, request.param, centered=(TITLE,), header=TITLE, exporter_spaces=True)


# -- the seed plan ---------------------------------------------------------------------------------


def test_the_seed_plan_as_a_pdf_parses_as_the_text_does(seed_pdf: bytes, seed_plan: Plan) -> None:
    pages = _raw_pages(seed_pdf)
    assert len(pages) == 13
    assert "2025 年" in pages[0]  # the exporter's spaces are in the PDF …
    read = read_bytes(seed_pdf, "seed.pdf")
    assert read.kind == "PDF"
    plan = parse_text(read.text, document="seed.pdf")
    assert _summary(plan) == _summary(seed_plan)
    assert len(plan.tasks) == 54
    assert plan.document.title == TITLE
    assert [(p.number, p.title) for p in plan.projects] == [(p.number, p.title) for p in seed_plan.projects]
    assert plan.warnings == seed_plan.warnings == []
    # … and each paragraph of the PDF is one line of the text it was made from, wrapped lines joined
    assert read.text.splitlines() == SEED.splitlines()


def test_paragraphs_without_indent_still_give_the_same_tasks(seed_plan: Plan) -> None:
    read = read_bytes(pdf_from_text(SEED, "ttf", indent=False), "seed.pdf")
    assert _summary(parse_text(read.text, document="seed.pdf")) == _summary(seed_plan)


def test_a_task_on_page_2_is_placed_on_page_2(seed_pdf: bytes) -> None:
    read = read_bytes(seed_pdf, "seed.pdf")
    plan = parse_text(read.text, document="seed.pdf")
    page2 = _raw_pages(seed_pdf)[1]
    on_page2 = [t for t in plan.tasks if re.search(rf"^{t.number}\.{t.title}", page2, re.M)]
    assert [t.number for t in on_page2] == [1, 2, 3, 4, 5]
    for task in on_page2:
        assert re.fullmatch(r"page 2, line \d+", read.place_at(task.span[0]))
    assert read.place_at(plan.tasks[-1].span[0]).startswith("page 13, line ")


# -- lines, page furniture, spaces -----------------------------------------------------------------


def _paragraph_breaking(before: str, after: str, font: str) -> str:
    """A task paragraph that :func:`pdf_from_text` wraps right between ``before`` and ``after``."""
    for filler in range(60):
        text = f"1.数据底座。{'建' * filler}统筹推进数据资源体系建设。(责任单位:{before}{after}、市财政局)"
        lines = wrapped_lines(text, font)
        if any(a.endswith(before) and b.startswith(after) for a, b in zip(lines, lines[1:], strict=False)):
            return text
    raise AssertionError(f"no filler breaks the line between {before} and {after}")


@pytest.mark.parametrize("font", FONTS)
def test_a_name_broken_at_a_line_end_is_read_whole(font: str) -> None:
    paragraph = _paragraph_breaking("市", "大数据局", font)
    data = pdf_from_text(f"{TITLE}\n一、夯实基础\n{paragraph}", font)
    assert "市\n大数据局" in _raw_pages(data)[0]
    read = read_bytes(data, "names.pdf")
    assert read.text == f"{TITLE}\n一、夯实基础\n{paragraph}\n"
    plan = parse_text(read.text, document="names.pdf")
    assert [(a.name, a.role) for a in plan.tasks[0].measures[0].agencies] == [("市大数据局", "lead"), ("市财政局", "co")]


@pytest.mark.parametrize("label", ["— {n} —", "- {n} -", "第{n}页 共{total}页", "{n}/{total}", "{n}"])
def test_page_numbers_and_the_running_header_are_left_out(label: str) -> None:
    header = "青岛市人民政府公报 2025年第3期"
    data = pdf_from_text(SEED, "ttf", header=header, page_label=label)
    pages = _raw_pages(data)
    assert header in pages[1] and label.format(n=2, total=len(pages)) in pages[1]
    read = read_bytes(data, "seed.pdf")
    assert "公报" not in read.text
    assert not any(re.fullmatch(r"[-—\s\d/第页共]+", line) for line in read.text.splitlines())
    assert read.text.splitlines() == SEED.splitlines()


def test_exporter_spaces_between_han_and_digits_or_latin_are_removed() -> None:
    text = (
        "1.网络设施。2023年新建5G基站3000个,千兆光网覆盖率达到35%,推进IPv6 network部署。"
        "(责任单位:市通信管理局)"
    )
    data = pdf_from_text(f"{TITLE}\n一、夯实基础\n{text}", "cid", exporter_spaces=True)
    raw = "".join(_raw_pages(data)[0].split("\n"))
    assert "2023 年" in raw and "达到 35%" in raw and "新建 5G 基站" in raw
    read = read_bytes(data, "spaces.pdf")
    assert text in read.text  # IPv6 network keeps its space: it is between Latin words
    plan = parse_text(read.text, document="spaces.pdf")
    assert [(g.value, g.unit) for g in plan.tasks[0].goals] == [(3000, "个"), (35, "%")]


@pytest.mark.parametrize("font", ["ttf", "cff"])
def test_a_watermark_across_the_pages_is_left_out(font: str) -> None:
    data = pdf_from_text(SEED, font, watermark="内部资料 注意保存")
    assert all("内部资料" in page for page in _raw_pages(data))
    assert read_bytes(data, "seed.pdf").text.splitlines() == SEED.splitlines()


def test_a_landscape_page_stored_rotated_reads_as_shown() -> None:
    read = read_bytes(rotated_pdf([TITLE, "一、夯实基础", "1.数据底座。统筹推进数据资源体系建设。(责任单位:市", "大数据局)"]))
    assert read.text == f"{TITLE}\n一、夯实基础\n1.数据底座。统筹推进数据资源体系建设。(责任单位:市大数据局)\n"


def test_fifty_pages_read_in_well_under_two_seconds() -> None:
    text = (SEED + "\n") * 4 + SEED[:3000]
    data = pdf_from_text(text, "ttf")
    assert len(_raw_pages(data)) >= 50
    start = time.perf_counter()
    read = read_bytes(data, "long.pdf")
    assert time.perf_counter() - start < 2.0
    assert read.text.splitlines() == text.splitlines()


# -- a 任务分工表 over a page break ----------------------------------------------------------------


HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
TASKS = [
    ["1", "建成城市级物联感知平台,接入各类感知设备10万个,实现重点区域全覆盖", "市大数据局", "市公安局\n市城市管理局", "2026年6月底"],
    ["2", "推进政务云扩容升级,新增云计算资源,支撑各部门业务系统迁移上云", "市大数据局", "市财政局", "2026年底"],
    ["3", "完善城市运行管理服务平台,汇聚城市管理各类数据,提升监测预警能力", "市城市管理局", "市大数据局\n市住房城乡建设局", "2026年9月底"],
    ["4", "建设全市统一的视频资源共享平台,推进公共视频资源整合共享", "市公安局", "市大数据局", "2026年底"],
    ["5", "推进数据资源目录编制,完成公共数据资源普查,形成数据资源清单", "市大数据局", "市直各部门", "2026年6月底"],
    ["6", "建设城市信息模型平台,汇聚建筑物和地下管网等空间数据", "市自然资源和规划局", "市住房城乡建设局\n市大数据局", "2026年底"],
    ["7", "推进智慧水务建设,建成供水管网漏损监测系统,管网漏损率降到9%以下", "市水务管理局", "市城市管理局", "2026年底"],
    ["8", "建设智慧交通大脑,接入路口信号灯2000个,实现主干道绿波通行", "市公安局", "市交通运输局\n市大数据局", "2026年底"],
    ["9", "推行高效办成一件事,新增重点事项20个,实现一次申请、一次办结", "市行政审批服务局", "市大数据局", "全年"],
    ["10", "推进政务服务网办,实现依申请政务服务事项全程网办率达到90%以上", "市行政审批服务局", "市直各部门", "全年"],
    ["11", "建设企业服务平台,汇聚惠企政策500项,实现政策免申即享", "市发展改革委", "市工业和信息化局\n市财政局", "2026年底"],
    ["12", "完善12345政务服务便民热线,提升诉求办理质量,满意度达到95%以上", "市政府办公厅", "市直各部门", "全年"],
    ["13", "推进电子证照应用,新增高频电子证照30类,实现亮证即办", "市大数据局", "市行政审批服务局", "2026年底"],
]
SECTIONS = {0: "一、夯实数字底座", 8: "二、提升政务服务"}


def _table_rows() -> list[list[str]]:
    rows: list[list[str]] = [HEADER]
    for i, task in enumerate(TASKS):
        if i in SECTIONS:
            rows.append([SECTIONS[i]])
        rows.append(task)
    return rows


def _as_text(rows: list[list[str]]) -> str:
    """The same table as a plan would print it in text: the oracle."""
    lines = [r[0] if len(r) == 1 else "| " + " | ".join(c.replace("\n", "、") for c in r) + " |" for r in rows]
    return "威海市2026年数字政府建设重点任务分工\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("font", "ruled", "repeat_header", "valign"),
    [
        ("ttf", True, True, "top"),
        ("ttf", True, False, "middle"),
        ("cff", True, True, "middle"),
        ("cid", True, False, "top"),
        ("ttf", False, True, "top"),
        ("cid", False, False, "top"),
    ],
)
def test_a_task_table_over_a_page_break_is_one_table(font: str, ruled: bool, repeat_header: bool, valign: str) -> None:
    rows = _table_rows()
    data = pdf_table(rows, font, before=["威海市2026年数字政府建设重点任务分工"], ruled=ruled,
                     repeat_header=repeat_header, valign=valign)
    pages = _raw_pages(data)
    assert len(pages) == 2 and "推进电子证照应用" in pages[1]
    assert ("序号" in pages[1]) is repeat_header
    assert "市行政审批服务\n局" in pages[1]  # a name wrapped inside its cell
    read = read_bytes(data, "table.pdf")
    assert read.text.count("| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |") == 1
    assert {p.label.split(", ")[0] for p in read.places if ", table 1, row " in p.label} == {"page 1", "page 2"}
    plan = parse_text(read.text, document="table.pdf")
    expected = parse_text(_as_text(rows))
    assert _summary(plan) == _summary(expected)
    assert [p.title for p in plan.projects] == ["夯实数字底座", "提升政务服务"]
    assert [t.number for t in plan.tasks] == list(range(1, 14))
    assert [(a.name, a.role) for a in plan.tasks[0].measures[0].agencies] == [
        ("市大数据局", "lead"), ("市公安局", "co"), ("市城市管理局", "co")
    ]
    assert [(a.name, a.role) for a in plan.tasks[8].measures[0].agencies] == [
        ("市行政审批服务局", "lead"), ("市大数据局", "co")
    ]
    assert plan.tasks[6].title == "推进智慧水务建设,建成供水管网漏损监测系统,管网漏损率降到9%以下"


@pytest.mark.parametrize("ruled", [True, False])
def test_a_row_split_by_the_page_break_is_joined_again(ruled: bool) -> None:
    rows = [r if r[0] != "8" else [r[0], "。".join([r[1]] * 4), *r[2:]] for r in _table_rows()]
    data = pdf_table(rows, "ttf", before=["威海市2026年数字政府建设重点任务分工"], ruled=ruled, split_rows=True)
    page1, page2 = _raw_pages(data)
    assert page1.removesuffix("\n— 1 —").endswith("10 推进政务服务网办,实现依申请政\n务服务事项全程网办率达到90%\n市行政审批服务\n局\n市直各部门 全年")
    assert page2.startswith("序号 重点任务 牵头单位 配合单位 完成时限\n以上\n11 ")  # task 10's last line
    read = read_bytes(data, "split.pdf")
    assert "| 10 | 推进政务服务网办,实现依申请政务服务事项全程网办率达到90%以上 | 市行政审批服务局 | 市直各部门 | 全年 |" in read.text
    plan = parse_text(read.text, document="split.pdf")
    assert _summary(plan) == _summary(parse_text(_as_text(rows)))
    assert [(g.value, g.unit) for g in plan.tasks[9].goals] == [(90, "%")]


# -- what is refused ---------------------------------------------------------------------------------


def _refusal(data: bytes) -> str:
    with pytest.raises(PlanParseError) as caught:
        read_bytes(data, "plan.pdf")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("plan.pdf: ")
    return message


def test_a_scan_is_refused_with_the_advice_to_ocr_it() -> None:
    message = _refusal(scanned_pdf(SEED, pages=2))
    assert "no text layer" in message and "OCR" in message and "2 pages" in message


def test_an_encrypted_pdf_is_refused_with_the_advice_to_save_an_unprotected_copy() -> None:
    message = _refusal(encrypted_pdf(SEED))
    assert "encrypted" in message and "password" in message and "unprotected copy" in message


def test_an_encrypted_pdf_that_opens_without_a_password_is_read() -> None:
    read: ReadDocument = read_bytes(encrypted_pdf(SEED, user_password=""), "plan.pdf")
    assert read.text.splitlines() == SEED.splitlines()


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_pdf_is_refused(cut: float) -> None:
    data = pdf_from_text(SEED, "ttf")
    message = _refusal(data[: int(len(data) * cut)])
    assert "truncated" in message and "get the file again" in message


def test_a_pdf_whose_font_has_no_map_to_unicode_is_refused() -> None:
    data = pdf_from_text(SEED, "cff", to_unicode=False)
    assert "数字经济" not in _raw_pages(data)[1]  # PDFium reads glyph numbers as characters: mojibake
    message = _refusal(data)
    assert "mojibake" in message and "OCR" in message


def test_a_corrupt_pdf_is_refused() -> None:
    message = _refusal(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    assert "corrupt" in message and "get the file again" in message
