"""Each reader on files the tests build: HTML pages, DOCX, OFD, XLSX and text in the encodings plans come in."""

from __future__ import annotations

import pytest

from graph_loader import PlanParseError, parse_text
from graph_loader.parser import parse_document
from graph_loader.readers import read_bytes

from ...conftest import PLAN_FILE  # noqa: TID252
from .build_files import (
    TASK_TABLE,
    TASK_TABLE_DEADLINES,
    TASK_TABLE_OWNERS,
    TASK_TABLE_TASKS,
    TASK_TABLE_TITLE,
    article_page_without_container,
    cms_page,
    docx_from_text,
    docx_table,
    html_table_page,
    ofd_from_text,
    xlsx_table,
)
from .facts import plan_facts

SEED = PLAN_FILE.read_text(encoding="utf-8")
SHORT_PLAN = """烟台市2026年数字乡村建设工作要点
一、夯实乡村数字基础
1.网络覆盖。新建5G基站800个,实现行政村千兆光网全覆盖。(责任单位:市通信发展办、市农业农村局)
2.益农服务。建设村级益农信息社300个。(责任单位:市农业农村局、各区市政府)
"""


def _owners(text: str) -> list[list[tuple[str, str]]]:
    return [[(a.name, a.role) for a in m.agencies] for t in parse_text(text).tasks for m in t.measures]


# -- HTML ------------------------------------------------------------------------------------


def test_a_cms_page_gives_the_article_and_nothing_of_the_site_around_it() -> None:
    read = read_bytes(cms_page(SHORT_PLAN), "plan.html")
    assert read.kind == "HTML page (CMS container TRS_Editor)"
    assert read.text == SHORT_PLAN
    for site in ("索引号", "发文字号", "字体", "打印", "扫一扫", "相关链接", "ICP", "首页", "统计"):
        assert site not in read.text
    assert read.attachments == ("1.重点任务分工表 (/files/fenggong.docx)", "附件2.方案全文(PDF版) (/files/2026-plan.pdf)")


def test_a_page_declared_gb2312_with_characters_only_gbk_has() -> None:
    text = SHORT_PLAN.replace("新建5G基站", "新建5G基站(含镕铖两县)")  # 镕 and 铖 are in GBK, not GB2312
    data = cms_page(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")
    assert read_bytes(data, "plan.html").text == text


def test_a_page_without_a_known_container_is_read_by_its_main_text() -> None:
    read = read_bytes(article_page_without_container(SEED), "plan.htm")
    assert read.kind == "HTML page (main text by trafilatura)"
    assert plan_facts(parse_text(read.text)) == plan_facts(parse_text(SEED))
    assert "索引号" not in read.text and "相关链接" not in read.text


def test_an_html_task_table_parses_like_the_table_in_text() -> None:
    read = read_bytes(html_table_page(TASK_TABLE, TASK_TABLE_TITLE), "fenggong.html")
    plan = parse_text(read.text)
    assert [(t.number, t.title) for t in plan.tasks] == TASK_TABLE_TASKS
    assert [[(a.name, a.role) for a in m.agencies] for t in plan.tasks for m in t.measures] == TASK_TABLE_OWNERS
    assert [p.title for p in plan.projects] == ["夯实数字底座", "优化政务服务"]
    assert read.place_at(plan.tasks[2].span[0]) == "table 1, row 6"
    assert [m.deadline for t in plan.tasks for m in t.measures] == TASK_TABLE_DEADLINES


# -- DOCX ------------------------------------------------------------------------------------


def test_a_docx_plan_reads_paragraph_by_paragraph() -> None:
    read = read_bytes(docx_from_text(SHORT_PLAN), "plan.docx")
    assert (read.kind, read.text) == ("DOCX", SHORT_PLAN)
    plan = parse_document(read, document="plan.docx")
    assert [t.place for t in plan.tasks] == ["paragraph 3", "paragraph 4"]


def test_a_docx_task_table_with_merged_section_rows_and_a_name_a_line() -> None:
    read = read_bytes(docx_table(TASK_TABLE, TASK_TABLE_TITLE), "fenggong.docx")
    plan = parse_document(read, document="fenggong.docx")
    assert plan.document.title == TASK_TABLE_TITLE
    assert [(t.number, t.title) for t in plan.tasks] == TASK_TABLE_TASKS
    assert [[(a.name, a.role) for a in m.agencies] for t in plan.tasks for m in t.measures] == TASK_TABLE_OWNERS
    assert [p.title for p in plan.projects] == ["夯实数字底座", "优化政务服务"]
    assert [t.place for t in plan.tasks] == ["table 1, row 3", "table 1, row 4", "table 1, row 6"]
    assert [m.deadline for t in plan.tasks for m in t.measures] == TASK_TABLE_DEADLINES
    assert [(g.value, g.unit) for g in plan.tasks[0].goals] == [(100_000, "个")]


# -- XLSX ------------------------------------------------------------------------------------


def test_an_xlsx_task_table_with_its_title_row_and_numbers_typed_as_numbers() -> None:
    read = read_bytes(xlsx_table(TASK_TABLE, TASK_TABLE_TITLE), "fenggong.xlsx")
    plan = parse_document(read, document="fenggong.xlsx")
    assert read.kind == "XLSX workbook"
    assert plan.document.title == TASK_TABLE_TITLE
    assert [(t.number, t.title) for t in plan.tasks] == TASK_TABLE_TASKS
    assert [[(a.name, a.role) for a in m.agencies] for t in plan.tasks for m in t.measures] == TASK_TABLE_OWNERS
    assert plan.tasks[0].place == "sheet 分工表, row 4"  # the row Excel shows


@pytest.mark.parametrize(
    "header",
    [
        ["序号", "工作任务", "责任单位", "协办单位", "完成时限"],
        ["完成时限", "配合单位", "牵头单位", "具体举措", "序号"],
        ["序号", "重点工作", "牵头部门", "配合部门", "时间节点"],
    ],
    ids=["工作任务-责任-协办", "columns-reversed", "重点工作-牵头部门"],
)
def test_each_column_form_of_a_task_table_in_docx_and_xlsx(header: list[str]) -> None:
    order = [TASK_TABLE[0].index(_standard(name)) for name in header]
    rows = [header] + [[row[i] for i in order] for row in TASK_TABLE[1:]]
    for data in (docx_table(rows, TASK_TABLE_TITLE), xlsx_table(rows, TASK_TABLE_TITLE)):
        plan = parse_text(read_bytes(data, "fenggong").text)
        assert [(t.number, t.title) for t in plan.tasks] == TASK_TABLE_TASKS
        owners = [sorted((a.name, a.role) for a in m.agencies) for t in plan.tasks for m in t.measures]
        assert owners == [sorted(o) for o in TASK_TABLE_OWNERS]
        assert [m.deadline for t in plan.tasks for m in t.measures] == TASK_TABLE_DEADLINES


def _standard(name: str) -> str:
    return {"工作任务": "重点任务", "具体举措": "重点任务", "重点工作": "重点任务", "责任单位": "牵头单位",
            "牵头部门": "牵头单位", "协办单位": "配合单位", "配合部门": "配合单位", "时间节点": "完成时限"}.get(name, name)


# -- OFD -------------------------------------------------------------------------------------


def test_an_ofd_plan_joins_the_lines_its_layout_broke_and_drops_page_numbers() -> None:
    read = read_bytes(ofd_from_text(SHORT_PLAN), "plan.ofd")
    assert read.kind == "OFD"
    assert "— 1 —" not in read.text
    assert _owners(read.text) == _owners(SHORT_PLAN)
    plan = parse_document(read, document="plan.ofd")
    assert plan.tasks[1].title == "益农服务"
    assert plan.tasks[1].place == "page 1, line 5"


# -- text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "codec", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]
)
def test_a_short_text_in_each_encoding(codec: str) -> None:
    # Short texts fool detectors: two lines are enough to tell these apart by their Han characters.
    text = "台州市2026年數位政府工作要點\n1.網路建設。(責任單位:市大數據局)\n" if codec == "big5" else SHORT_PLAN[:60]
    read = read_bytes(text.encode(codec), "short.txt")
    assert read.text == text
    assert read.kind == "text"


def test_utf16_without_a_bom_as_some_exporters_write_it() -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        assert read_bytes(SEED.encode(codec), "plan.txt").text == SEED


# -- detection by content --------------------------------------------------------------------


def test_the_format_is_told_by_the_content_not_the_name() -> None:
    named_wrong = {
        "plan.txt": docx_from_text(SHORT_PLAN),
        "plan.pdf": cms_page(SHORT_PLAN),
        "plan.docx": SHORT_PLAN.encode("gb18030"),
        "plan": ofd_from_text(SHORT_PLAN),
    }
    kinds = {name: read_bytes(data, name).kind for name, data in named_wrong.items()}
    assert kinds == {"plan.txt": "DOCX", "plan.pdf": "HTML page (CMS container TRS_Editor)", "plan.docx": "text",
                     "plan": "OFD"}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "an image (PNG), not a text: OCR it into text first"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "an image (JPEG)"),
        (b"PK\x03\x04" + b"\x14\x00" * 20, "a zip file (DOCX, XLSX and OFD are zips) that is corrupt or truncated"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 32, "a gzip archive; unpack it first"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 32, "a program (ELF), not a document"),
        (b"{\\rtf1\\ansi " + "青岛".encode() * 4, "an RTF document; save it as DOCX"),
    ],
    ids=["png", "jpeg", "broken-zip", "gzip", "elf", "rtf"],
)
def test_what_is_not_a_plan_is_named(data: bytes, words: str) -> None:
    with pytest.raises(PlanParseError) as info:
        read_bytes(data, "upload.bin")
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_a_truncated_docx_and_a_zip_of_other_files_are_refused_apart() -> None:
    whole = docx_from_text(SHORT_PLAN)
    with pytest.raises(PlanParseError, match="corrupt or truncated.*get the file again"):
        read_bytes(whole[: len(whole) // 2], "plan.docx")
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("plan.txt", SHORT_PLAN)
        archive.writestr("fenggong.txt", "x")
    with pytest.raises(PlanParseError, match="a zip archive that is not a DOCX, XLSX or OFD document .it holds 2 files"):
        read_bytes(buffer.getvalue(), "plans.zip")
