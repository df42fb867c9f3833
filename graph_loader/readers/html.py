"""HTML pages → the article's text: the CMS content container, or trafilatura's main text when there is none.

A government page wraps the plan in a site: navigation, breadcrumbs, a metadata table (索引号,
发文字号), 【字体:大 中 小】, 打印/关闭, related links and a footer. The CMSs these sites run put the
article in a container with a known name (TRS_Editor, zoom, UCAP-CONTENT, pages_content …); when
one is there it is the text, exactly. Otherwise trafilatura (Apache-2.0, the benchmark leader for
main-text extraction) finds it. Tables keep their rows and cells (colspan and rowspan filled in), so
a 任务分工表 reads as one. The page is decoded by its declared charset; gb2312 and gbk are read as
GB18030, which they are subsets of (sites declare gb2312 and write GBK characters).
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from graph_loader.errors import PlanParseError
from graph_loader.readers.document import DocumentBuilder, ReadDocument
from graph_loader.readers.text import decode

CONTAINERS = (
    "TRS_Editor", "TRS_UEDITOR", "zoom", "Zoom", "UCAP-CONTENT", "pages_content", "fontzoom", "article-content",
    "article_content", "con_content", "zwnr",
)
"""Ids and classes the CMSs of government sites give the article body, tried in this order."""
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_CODECS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb18030": "gb18030", "big5": "big5",
           "utf-8": "utf-8", "utf8": "utf-8"}
_BLOCKS = frozenset([
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "br", "tr",
    "center", "blockquote", "pre", "head", "main", "doc", "list", "item",
])
_SKIPPED = frozenset(["script", "style", "noscript", "template", "iframe", "object", "select", "button"])
_ATTACHMENT = re.compile(r"\.(docx?|wps|pdf|ofd|xlsx?|et|zip|rar)(\?|$)", re.IGNORECASE)
_METADATA_LABELS = ("索引号", "发文字号", "发布机构", "成文日期", "发布日期", "主题分类", "文号")
_TITLE_META = ("ArticleTitle", "title", "og:title")


def read_html(data: bytes, document: str) -> ReadDocument:
    page = _decode_page(data, document)
    try:
        root = lxml.html.document_fromstring(page)
    except (lxml.etree.ParserError, ValueError) as e:
        raise PlanParseError(f"an HTML page that cannot be parsed ({e})", document=document) from None
    for dropped in root.xpath("//script|//style|//noscript|//template"):
        dropped.drop_tree()
    for table in root.xpath("//table"):
        card = "".join(table.text_content().split())  # sites space the labels out: 索 引 号
        if sum(label in card for label in _METADATA_LABELS) >= 2:
            table.drop_tree()  # the page's 索引号/发文字号 card: about the page, not the plan
    container, how = _container(root, document)
    builder = DocumentBuilder(f"HTML page ({how})", document)
    title = _title(root)
    body_text = "".join(container.itertext()) if container is not None else ""
    if title and title not in body_text[:400]:
        builder.add_line(title, "<title>")
    _Walker(builder).walk(container)
    builder.attachments.extend(_attachments(root))
    return builder.build()


def _decode_page(data: bytes, document: str) -> str:
    declared = _CHARSET.search(data[:4096])
    codec = _CODECS.get(declared.group(1).decode("ascii").lower()) if declared else None
    if codec:
        try:
            return data.decode(codec).lstrip("\ufeff")
        except UnicodeDecodeError:
            pass  # a page that lies about its charset: read it as any text file
    return decode(data, document)


def _container(root: lxml.html.HtmlElement, document: str) -> tuple[lxml.html.HtmlElement, str]:
    for name in CONTAINERS:
        found = root.xpath(f'//*[@id="{name}" or contains(concat(" ", normalize-space(@class), " "), " {name} ")]')
        if found and found[0].text_content().strip():
            return found[0], f"CMS container {name}"
    return _main_text(root, document), "main text by trafilatura"


def _main_text(root: lxml.html.HtmlElement, document: str) -> lxml.html.HtmlElement:
    import trafilatura

    extracted = trafilatura.extract(
        lxml.html.tostring(root, encoding="unicode"), output_format="xml", include_tables=True,
        include_comments=False, favor_recall=True,
    )
    if not extracted:
        raise PlanParseError(
            "an HTML page with no article in it (no CMS container, and trafilatura found no main text); save the"
            " plan's own page, or its text",
            document=document,
        )
    main = lxml.etree.fromstring(extracted.encode("utf-8")).find("main")
    return main if main is not None else lxml.etree.fromstring(extracted.encode("utf-8"))


def _title(root: lxml.html.HtmlElement) -> str | None:
    for name in _TITLE_META:
        content = root.xpath(f'//meta[@name="{name}" or @property="{name}"]/@content')
        if content and str(content[0]).strip():
            return str(content[0]).strip()
    heading = root.xpath("//h1")
    return heading[0].text_content().strip() or None if heading else None


def _attachments(root: lxml.html.HtmlElement) -> list[str]:
    found = []
    for link in root.xpath("//a[@href]"):
        href, text = link.get("href", ""), link.text_content().strip()
        if _ATTACHMENT.search(href) or text.startswith("附件"):
            found.append(f"{text} ({href})" if text else href)
    return found


class _Walker:
    """Turns an element tree into lines and tables, in document order, each with its element's place."""

    def __init__(self, builder: DocumentBuilder):
        self.builder = builder
        self.buffer: list[str] = []
        self.blocks = 0
        self.tables = 0

    def walk(self, element: lxml.etree._Element | None) -> None:
        if element is not None:
            self._visit(element)
        self._flush()

    def _visit(self, element: lxml.etree._Element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _SKIPPED:
            self.buffer.append(element.tail or "")
            return
        if tag == "table":
            self._flush()
            self.tables += 1
            self.builder.add_table(_table_rows(element), f"table {self.tables}")
        else:
            block = tag in _BLOCKS
            if block:
                self._flush()
            self.buffer.append(element.text or "")
            for child in element:
                self._visit(child)
            if block:
                self._flush()
        self.buffer.append(element.tail or "")

    def _flush(self) -> None:
        text = "".join(self.buffer).replace("\xa0", " ").strip()
        self.buffer.clear()
        if text:
            self.blocks += 1
            self.builder.add_line(re.sub(r"[ \t]*\n[ \t\n]*", "\n", text), f"element {self.blocks}")


def _table_rows(table: lxml.etree._Element) -> list[list[str]]:
    """Cell texts of a table, with colspan repeated across and rowspan filled down."""
    rows: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column → (text, rows it still spans)
    for tr in table.iter("tr", "row"):
        if _nearest_table(tr) is not table:
            continue  # a row of a table inside a cell
        row: list[str] = []
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th", "cell")]
        for cell in cells:
            while len(row) in pending:
                row.append(_take(pending, len(row)))
            text = _cell_text(cell)
            span, down = _int(cell.get("colspan")), _int(cell.get("rowspan"))
            for _ in range(span):
                if down > 1:
                    pending[len(row)] = (text, down - 1)
                row.append(text)
        while len(row) in pending:
            row.append(_take(pending, len(row)))
        rows.append(row)
    return rows


def _nearest_table(row: lxml.etree._Element) -> lxml.etree._Element | None:
    parent = row.getparent()
    while parent is not None and parent.tag not in ("table",):
        parent = parent.getparent()
    return parent


def _take(pending: dict[int, tuple[str, int]], column: int) -> str:
    text, left = pending[column]
    if left > 1:
        pending[column] = (text, left - 1)
    else:
        del pending[column]
    return text


def _cell_text(element: lxml.etree._Element) -> str:
    """A cell's text with its <p> and <br> as line breaks (DocumentBuilder joins them)."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag in _BLOCKS:
            parts.append("\n" + _cell_text(child) + "\n")
        elif tag not in _SKIPPED:
            parts.append(_cell_text(child))
        parts.append(child.tail or "")
    return "".join(parts).replace("\xa0", " ")


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1
