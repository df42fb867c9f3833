"""Files the reader tests build from our own texts: a government CMS page, DOCX, OFD, XLSX.

Each builder takes a plan's text (one paragraph a line) or a table's rows and gives the bytes a
user would download. The site around a CMS page (navigation, metadata table, font-size switch,
print and close links, QR code, related links, footer) is in the shape government sites use;
every word of it is ours.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Sequence

TASK_TABLE = [
    ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
    ["一、夯实数字底座", "一、夯实数字底座", "一、夯实数字底座", "一、夯实数字底座", "一、夯实数字底座"],
    ["1", "建成城市级物联感知平台,接入感知设备10万个", "市大数据局", "市公安局\n市城市管理局", "2026年6月底"],
    ["2", "推进政务云扩容,新增算力\n500PFlops", "市大数据局", "", "2026年底"],
    ["二、优化政务服务", "二、优化政务服务", "二、优化政务服务", "二、优化政务服务", "二、优化政务服务"],
    ["3", "推行高效办成一件事,新增集成服务20项", "市行政审批服务局", "市直有关部门、单位\n各区市政府", "全年"],
]
"""A 任务分工表 (section rows merged across the width, owner cells with a name a line) and what it says."""
TASK_TABLE_TITLE = "威海市2026年数字政府建设重点任务分工方案"
TASK_TABLE_OWNERS = [
    [("市大数据局", "lead"), ("市公安局", "co"), ("市城市管理局", "co")],
    [("市大数据局", "lead")],
    [("市行政审批服务局", "lead"), ("市直有关部门、单位", "co"), ("各区市政府", "co")],
]
TASK_TABLE_DEADLINES = ["2026年6月底", "2026年底", "全年"]
TASK_TABLE_TASKS = [
    (1, "建成城市级物联感知平台,接入感知设备10万个"),
    (2, "推进政务云扩容,新增算力500PFlops"),
    (3, "推行高效办成一件事,新增集成服务20项"),
]


# -- HTML ------------------------------------------------------------------------------------

_SITE_TOP = """<div class="top"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/hdjl/">互动交流</a>
<form><input name="q" placeholder="请输入关键词"><button>搜索</button></form></div>
<div class="crumbs">当前位置:<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
<table class="meta"><tr><td>索引号:</td><td>11370200MB0000000X/2026-00001</td><td>发文字号:</td><td>青政办字〔2026〕1号</td></tr>
<tr><td>发布机构:</td><td>市政府办公厅</td><td>成文日期:</td><td>2026-01-05</td></tr></table>
<div class="tools">【字体:<a>大</a> <a>中</a> <a>小</a>】 <a href="javascript:print()">打印</a> <a href="javascript:close()">关闭</a></div>
"""
_SITE_BOTTOM = """<div class="attach"><p>附件:<a href="/files/fenggong.docx">1.重点任务分工表</a></p>
<p><a href="/files/2026-plan.pdf">附件2.方案全文(PDF版)</a></p></div>
<div class="share">扫一扫在手机打开当前页<img src="/qr.png" alt="二维码"></div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a">关于开展数字化转型试点的通知</a></li>
<li><a href="/b">市政府常务会议召开</a></li></ul></div>
<div class="footer">主办单位:某市人民政府办公厅 网站标识码:3702000000 鲁ICP备00000000号
<script>var _hmt = _hmt || []; document.write("统计");</script></div>
"""


def cms_page(text: str, *, container: str = 'id="zoom" class="TRS_Editor"', charset: str = "gb2312",
             title: str | None = None) -> bytes:
    """A plan as a government site publishes it: the site around it, the text in the CMS's container.

    Declared as gb2312 and encoded as GB18030, as such sites do (they write GBK characters the
    name does not cover).
    """
    lines = [line for line in text.splitlines() if line.strip()]
    title = title or lines[0]
    body = "\n".join(f"<p style=\"text-indent:2em\">{html.escape(line)}</p>" for line in lines)
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="ArticleTitle" content="{html.escape(title)}"><title>{html.escape(title)}_政策文件_某市人民政府</title>
<style>.TRS_Editor p {{ font-size: 16px; }}</style></head>
<body>{_SITE_TOP}<div class="article"><h1>{html.escape(title)}</h1>
<div {container}>{body}</div></div>{_SITE_BOTTOM}</body></html>
"""
    codec = "gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset
    return page.encode(codec)


def html_table_page(rows: Sequence[Sequence[str]], title: str, *, charset: str = "utf-8") -> bytes:
    """A 任务分工表 as an HTML ``<table>``: section rows as one cell with colspan, owner lines as ``<br>``."""
    width = len(rows[0])
    out = [f"<tr>{''.join(f'<th>{html.escape(c)}</th>' for c in rows[0])}</tr>"]
    for row in rows[1:]:
        if len(set(row)) == 1:
            out.append(f'<tr><td colspan="{width}"><strong>{html.escape(row[0])}</strong></td></tr>')
        else:
            cells = "".join(f"<td><p>{'<br/>'.join(html.escape(x) for x in c.split(chr(10)))}</p></td>" for c in row)
            out.append(f"<tr>{cells}</tr>")
    body = f"<p>{html.escape(title)}</p><table border=\"1\">{''.join(out)}</table>"
    page = f"""<html><head><meta charset="{charset}"><title>{html.escape(title)}</title></head>
<body>{_SITE_TOP}<div class="pages_content">{body}</div>{_SITE_BOTTOM}</body></html>"""
    return page.encode(charset)


def article_page_without_container(text: str) -> bytes:
    """A page whose CMS container has no known name: the article is found by trafilatura."""
    return cms_page(text, container='class="wenzhang-neirong-2026"', charset="utf-8")


# -- DOCX, XLSX ------------------------------------------------------------------------------


def docx_from_text(text: str) -> bytes:
    """A Word document with one paragraph a line of ``text``."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    return _saved(document)


def docx_table(rows: Sequence[Sequence[str]], title: str) -> bytes:
    """A title paragraph and a 任务分工表: section rows merged across the width, owner names a line each."""
    import docx

    document = docx.Document()
    document.add_paragraph(title)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        if r and len(set(row)) == 1:
            merged = table.cell(r, 0).merge(table.cell(r, len(row) - 1))
            merged.text = row[0]
            continue
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            first, *more = value.split("\n")
            cell.text = first
            for line in more:
                cell.add_paragraph(line)
    document.add_paragraph("各单位要按照分工抓好落实。")
    return _saved(document)


def _saved(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def xlsx_table(rows: Sequence[Sequence[str]], title: str) -> bytes:
    """A workbook as plans attach it: a title row merged across, the header, merged section rows."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "分工表"
    width = len(rows[0])
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for row in rows:
        if len(set(row)) == 1:
            sheet.append([row[0]])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
        else:
            sheet.append([int(c) if c.isdigit() else c for c in row])  # 序号 as numbers, as Excel users type them
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_without_table() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["区市", "2025年", "2026年"])
    sheet.append(["市南区", 12, 15])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- OFD -------------------------------------------------------------------------------------

_OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
_PAGE_W, _PAGE_H, _MARGIN_X, _MARGIN_TOP, _SIZE, _LEADING = 210.0, 297.0, 26.0, 37.0, 5.6, 10.0
_PER_LINE = 28  # Han characters a line holds at this size: 28 × 5.6 mm = 156.8 mm of 158 mm
_LINES_PER_PAGE = 22


def ofd_from_text(text: str) -> bytes:
    """An OFD document as official-document writers lay one out: A4, 28 characters a line, the first
    line of each paragraph indented two characters, lines broken wherever the width ends (inside
    names too), a page number — N — at the foot of each page."""
    lines: list[tuple[float, str]] = []  # (indent in characters, text)
    for paragraph in text.splitlines():
        if paragraph.strip():
            lines.extend(_wrapped(paragraph.strip()))
    pages = [lines[i : i + _LINES_PER_PAGE] for i in range(0, len(lines), _LINES_PER_PAGE)]
    files = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {_OFD_NS} Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>6d1c0f3e2b</ofd:DocID></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {_OFD_NS}><ofd:CommonData>'
        f"<ofd:MaxUnitID>{10 + 1000 * len(pages)}</ofd:MaxUnitID><ofd:PageArea>"
        f"<ofd:PhysicalBox>0 0 {_PAGE_W} {_PAGE_H}</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>"
        + "".join(f'<ofd:Page ID="{i + 2}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
        + "</ofd:Pages></ofd:Document>",
        "Doc_0/PublicRes.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {_OFD_NS} BaseLoc="Res">'
        '<ofd:Fonts><ofd:Font ID="1" FontName="仿宋_GB2312" FamilyName="仿宋"/></ofd:Fonts></ofd:Res>',
    }
    for number, page in enumerate(pages):
        objects = []
        for row, (indent, line) in enumerate(page):
            objects.append(_text_object(1000 * number + 10 + row, _MARGIN_X + indent * _SIZE,
                                        _MARGIN_TOP + row * _LEADING, line))
        objects.append(_text_object(1000 * number + 999, _PAGE_W / 2 - 3 * _SIZE / 2, _PAGE_H - 20,
                                    f"— {number + 1} —"))
        files[f"Doc_0/Pages/Page_{number}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {_OFD_NS}><ofd:Area>'
            f"<ofd:PhysicalBox>0 0 {_PAGE_W} {_PAGE_H}</ofd:PhysicalBox></ofd:Area><ofd:Content>"
            f'<ofd:Layer ID="{1000 * number + 5}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode("utf-8"))
    return buffer.getvalue()


def _width(character: str) -> float:
    return 0.5 if ord(character) < 0x2E80 and character not in "“”‘’—…" else 1.0


def _wrapped(paragraph: str) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    indent, line, used = 2.0, "", 2.0
    for character in paragraph:
        if used + _width(character) > _PER_LINE:
            out.append((indent, line))
            indent, line, used = 0.0, "", 0.0
        line += character
        used += _width(character)
    out.append((indent, line))
    return out


def _text_object(unit: int, x: float, y: float, line: str) -> str:
    steps = " ".join(f"{_width(c) * _SIZE:g}" for c in line[:-1])
    width = sum(_width(c) for c in line) * _SIZE
    return (
        f'<ofd:TextObject ID="{unit}" Boundary="{x:g} {y:g} {width:g} {_SIZE * 1.4:g}" Font="1" Size="{_SIZE}">'
        f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{_SIZE:g}" DeltaX="{steps}">'
        f"{html.escape(line, quote=False)}</ofd:TextCode></ofd:TextObject>"
    )
