"""PDFs the reader tests build from their own text, laid out like a real plan's export.

A4 pages with margins, a running header and a "— N —" page number, paragraphs with a two-character
first-line indent, lines wrapped at the text width wherever the width runs out (so names and
sentences break across lines: "市" at one line's end, "大数据局" at the next one's start), and tables
with wrapped cells that run on to the next page. Three kinds of font, as exporters write them:

* ``"ttf"``: an embedded TrueType subset (WenQuanYi Zen Hei, written by reportlab);
* ``"cid"``: a non-embedded Adobe CID font (STSong-Light, UniGB-UCS2-H), as old exporters write;
* ``"cff"``: an embedded CFF font (Noto Sans CJK SC, CID-keyed, subset with fontTools), which
  reportlab cannot write, so this module writes that PDF itself (Type0 / CIDFontType0 / FontFile3
  CIDFontType0C, Identity-H codes and a ToUnicode CMap).

Missing font files fail the test with the package to install; they never skip it.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_SC = 2  # Noto Sans CJK SC in the collection
FONTS = ("ttf", "cff", "cid")
A4 = (595.28, 841.89)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT = 100.0, 90.0, 80.0
PADDING = 4.0

_EXPORTER_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%])(?=[\u4e00-\u9fff])")
_WORD = re.compile(r"[0-9A-Za-z.%+\-/]+|.", re.S)
_HANGING = set("，。、；：）)》”’！？,.;:!?")


def _font_file(path: Path, package: str) -> Path:
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: install the Debian package {package} (scripts/install-browser)")
    return path


# -- fonts: how wide a text is, and how a backend names the font -----------------------------------


@cache
def _reportlab_font(kind: str) -> str:
    if kind == "ttf":
        pdfmetrics.registerFont(TTFont("WQY", str(_font_file(WQY, "fonts-wqy-zenhei")), subfontIndex=0))
        return "WQY"
    if kind == "cid":
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"
    raise ValueError(kind)


@cache
def _noto() -> Any:
    from fontTools.ttLib import TTCollection

    return TTCollection(str(_font_file(NOTO, "fonts-noto-cjk"))).fonts[NOTO_SC]


def _width(text: str, kind: str, size: float) -> float:
    if kind == "cff":
        font = _noto()
        cmap, advances = font.getBestCmap(), font["hmtx"].metrics
        return sum(advances[cmap.get(ord(c), ".notdef")][0] for c in text) * size / 1000
    return float(pdfmetrics.stringWidth(text, _reportlab_font(kind), size))


# -- layout: text and tables into pages of drawn strings and rules (top-down coordinates) ----------


@dataclass
class _Page:
    texts: list[tuple[float, float, str, float, float]] = field(default_factory=list)  # x, baseline, text, size, °
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, y0, x1, y1

    def text(self, x: float, top: float, text: str, size: float) -> None:
        self.texts.append((x, top + size * 0.88, text, size, 0.0))


class _Layout:
    def __init__(self, kind: str, size: float, width: float, page: tuple[float, float], header: str | None):
        self.kind, self.size, self.width, self.page_size, self.header = kind, size, width, page, header
        self.pages: list[_Page] = []
        self.y, self.bottom = 0.0, page[1] - MARGIN_BOTTOM
        self._new_page()

    def _new_page(self) -> None:
        self.pages.append(_Page())
        self.y = MARGIN_TOP

    def wrap(self, text: str, width: float, first_indent: float = 0.0, hang: bool = True) -> list[str]:
        """Greedy wrapping at ``width``: Han characters break anywhere, ASCII words stay whole, and a
        closing punctuation mark may hang past the edge (``hang``; not in table cells) rather than
        open a line."""
        lines: list[str] = []
        for part in text.split("\n"):
            line, room = "", width - first_indent
            for word in _WORD.findall(part):
                w = _width(word, self.kind, self.size)
                if line and w > room and not (hang and word in _HANGING):
                    lines.append(line)
                    line, room = "", width
                line, room = line + word, room - w
            lines.append(line)
            first_indent = 0.0
        return lines

    def paragraph(self, text: str, indent: bool = True, center: bool = False) -> None:
        leading = self.size * 1.75
        first = 2 * self.size if indent and not center else 0.0
        for i, line in enumerate(self.wrap(text, self.width, first)):
            if self.y + leading > self.bottom:
                self._new_page()
            x = MARGIN_LEFT + (first if i == 0 else 0.0)
            if center:
                x = MARGIN_LEFT + (self.width - _width(line, self.kind, self.size)) / 2
            self.pages[-1].text(x, self.y, line, self.size)
            self.y += leading

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float], *, ruled: bool, repeat_header: bool,
              valign: str, split_rows: bool) -> None:
        size, leading = self.size, self.size * 1.4
        edges = [MARGIN_LEFT + sum(widths[:i]) for i in range(len(widths) + 1)]

        def lay(row: Sequence[str]) -> list[tuple[float, float, list[str]]]:
            if len(row) == 1:  # a section row across the table
                return [(edges[0], edges[-1], self.wrap(row[0], edges[-1] - edges[0] - 2 * PADDING, hang=False))]
            return [(edges[i], edges[i + 1], self.wrap(t, edges[i + 1] - edges[i] - 2 * PADDING, hang=False))
                    for i, t in enumerate(row)]

        def place(laid: list[tuple[float, float, list[str]]]) -> None:
            height = max(len(lines) for _, _, lines in laid) * leading + 2 * PADDING
            page, top = self.pages[-1], self.y
            for left, _, lines in laid:
                spare = height - 2 * PADDING - len(lines) * leading
                y = top + PADDING + (spare / 2 if valign == "middle" else 0.0) + (leading - size) / 2
                for line in lines:
                    page.text(left + PADDING, y, line, size)
                    y += leading
            if ruled:
                page.rules += [(edges[0], top, edges[-1], top), (edges[0], top + height, edges[-1], top + height)]
                for left, right, _ in laid:
                    page.rules += [(left, top, left, top + height), (right, top, right, top + height)]
            self.y += height

        for row in rows:
            laid = lay(row)
            if self.y + max(len(lines) for _, _, lines in laid) * leading + 2 * PADDING > self.bottom:
                room = int((self.bottom - self.y - 2 * PADDING) // leading)
                if split_rows and room >= 1:  # the row's first lines on this page, the rest on the next
                    place([(left, right, lines[:room]) for left, right, lines in laid])
                    laid = [(left, right, lines[room:]) for left, right, lines in laid]
                self._new_page()
                if repeat_header and row is not rows[0]:
                    place(lay(rows[0]))
            place(laid)
        self.y += leading

    def decorate(self, page_label: str | None, watermark: str | None = None) -> None:
        """The running header (not on page 1, as plans print it), the page numbers, a watermark."""
        width, height = self.page_size
        for n, page in enumerate(self.pages, 1):
            if watermark:
                page.texts.append((width / 4, height * 0.7, watermark, 60.0, 45.0))
            if self.header and n > 1:
                page.text((width - _width(self.header, self.kind, 9)) / 2, 50.0, self.header, 9)
                page.rules.append((MARGIN_LEFT, 64.0, width - MARGIN_LEFT, 64.0))
            if page_label:
                label = page_label.format(n=n, total=len(self.pages))
                page.text((width - _width(label, self.kind, 12)) / 2, height - 60.0, label, 12)


# -- writing: reportlab for the TrueType and CID fonts, by hand for the CFF font -------------------


def _write_reportlab(pages: list[_Page], kind: str, page_size: tuple[float, float], **options: Any) -> bytes:
    name = _reportlab_font(kind)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=page_size, invariant=1, **options)
    height = page_size[1]
    for page in pages:
        for x, baseline, text, size, angle in page.texts:
            c.setFont(name, size)
            if not angle:
                c.drawString(x, height - baseline, text)
                continue
            c.saveState()  # a watermark: grey, turned
            c.setFillGray(0.85)
            c.translate(x, height - baseline)
            c.rotate(angle)
            c.drawString(0, 0, text)
            c.restoreState()
        c.setLineWidth(0.5)
        for x0, y0, x1, y1 in page.rules:
            c.line(x0, height - y0, x1, height - y1)
        c.showPage()
    c.save()
    return out.getvalue()


def _write_cff(pages: list[_Page], page_size: tuple[float, float], to_unicode: bool = True) -> bytes:
    from fontTools import subset

    font = _noto()
    cmap = font.getBestCmap()
    used = sorted({ord(ch) for page in pages for _, _, text, _, _ in page.texts for ch in text if ord(ch) in cmap})
    subsetter = subset.Subsetter(subset.Options(notdef_outline=True, name_IDs=["*"], layout_features=[]))
    subsetter.populate(unicodes=used)
    sub = _noto.__wrapped__()  # a fresh copy: subsetting changes the font
    subsetter.subset(sub)
    cff_data = io.BytesIO()
    sub["CFF "].cff.compile(cff_data, sub)
    cid_of = {u: int(cmap[u][3:]) if cmap[u].startswith("cid") else 0 for u in used}
    advances = font["hmtx"].metrics

    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: str = "") -> bytes:
        packed = zlib.compress(data)
        return f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode() + packed + b"\nendstream"

    font_file = add(stream(cff_data.getvalue(), "/Subtype /CIDFontType0C "))
    descriptor = add(
        f"<< /Type /FontDescriptor /FontName /ABCDEF+NotoSansCJKsc-Regular /Flags 4 /FontBBox [-1000 -500 3000 1500]"
        f" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 733 /StemV 80 /FontFile3 {font_file} 0 R >>".encode()
    )
    w = " ".join(f"{cid_of[u]} [{advances[cmap[u]][0]}]" for u in used)
    cid_font = add(
        f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /ABCDEF+NotoSansCJKsc-Regular /CIDSystemInfo"
        f" << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R"
        f" /DW 1000 /W [{w}] >>".encode()
    )
    cmap_ref = f" /ToUnicode {add(stream(_to_unicode({cid_of[u]: u for u in used}).encode()))} 0 R" if to_unicode else ""
    type0 = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+NotoSansCJKsc-Regular /Encoding /Identity-H"
        f" /DescendantFonts [{cid_font} 0 R]{cmap_ref} >>".encode()
    )
    width, height = page_size
    pages_id = len(objects) + 2 * len(pages) + 1
    kids = []
    for page in pages:
        ops = []
        for x, baseline, text, size, angle in page.texts:
            codes = "".join(f"{cid_of.get(ord(ch), 0):04X}" for ch in text)
            a, b, grey = math.cos(math.radians(angle)), math.sin(math.radians(angle)), 0.85 if angle else 0
            ops.append(f"BT {grey} g /F1 {size:.2f} Tf {a:.4f} {b:.4f} {-b:.4f} {a:.4f} {x:.2f} {height - baseline:.2f}"
                       f" Tm <{codes}> Tj ET")
        ops.append("0.5 w")
        ops += [f"{x0:.2f} {height - y0:.2f} m {x1:.2f} {height - y1:.2f} l S" for x0, y0, x1, y1 in page.rules]
        content = add(stream("\n".join(ops).encode()))
        kids.append(add(
            f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {width:.2f} {height:.2f}]"
            f" /Resources << /Font << /F1 {type0} 0 R >> >> /Contents {content} 0 R >>".encode()
        ))
    add(f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode())
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _to_unicode(mapping: dict[int, int]) -> str:
    """A ToUnicode CMap: each CID code to its character (at most 100 a block, as CMaps allow)."""
    items = sorted(mapping.items())
    chunks = [items[i : i + 100] for i in range(0, len(items), 100)]
    blocks = [f"{len(c)} beginbfchar\n" + "\n".join(f"<{k:04X}> <{u:04X}>" for k, u in c) + "\nendbfchar" for c in chunks]
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )


def _write(layout: _Layout, to_unicode: bool = True, **options: Any) -> bytes:
    if layout.kind == "cff":
        return _write_cff(layout.pages, layout.page_size, to_unicode)
    if not to_unicode:
        raise ValueError("only the CFF font can be written without a ToUnicode map")
    return _write_reportlab(layout.pages, layout.kind, layout.page_size, **options)


# -- what the tests call ---------------------------------------------------------------------------


def pdf_from_text(
    text: str,
    font: str = "ttf",
    *,
    size: float = 14.0,
    chars_per_line: int = 28,
    header: str | None = "行动方案",
    page_label: str | None = "— {n} —",
    exporter_spaces: bool = False,
    indent: bool = True,
    centered: Sequence[str] = (),
    watermark: str | None = None,
    to_unicode: bool = True,
) -> bytes:
    """A plan's text as an A4 PDF: each line of ``text`` a paragraph (first line indented two
    characters unless ``indent`` is false; lines in ``centered`` centred), wrapped at
    ``chars_per_line`` Han characters of ``size`` points; ``header`` at the top of every page but the
    first, ``page_label`` (formatted with ``n`` and ``total``) at the bottom of every page.
    ``exporter_spaces`` puts a space between Han characters and digits or Latin letters, as some
    exporters do ("2023 年"); ``watermark`` is drawn large, grey and at 45° across every page;
    ``to_unicode=False`` (CFF only) leaves out the font's ToUnicode map, so the text cannot be read."""
    layout = _Layout(font, size, chars_per_line * size, A4, header)
    for line in text.splitlines():
        if exporter_spaces:
            line = _EXPORTER_SPACE.sub(" ", line)
        if line.strip():
            layout.paragraph(line, indent=indent, center=line in centered)
    layout.decorate(page_label, watermark)
    return _write(layout, to_unicode)


def wrapped_lines(text: str, font: str = "ttf", *, size: float = 14.0, chars_per_line: int = 28) -> list[str]:
    """The lines :func:`pdf_from_text` breaks one paragraph into (indented), to show where breaks fall."""
    layout = _Layout(font, size, chars_per_line * size, A4, None)
    return layout.wrap(text, layout.width, 2 * size)


def pdf_table(
    rows: Sequence[Sequence[str]],
    font: str = "ttf",
    *,
    widths: Sequence[float] = (40, 170, 90, 90, 70),
    before: Sequence[str] = (),
    after: Sequence[str] = (),
    size: float = 11.0,
    ruled: bool = True,
    repeat_header: bool = True,
    valign: str = "top",
    split_rows: bool = False,
    header: str | None = "任务分工",
) -> bytes:
    """A PDF with paragraphs ``before``, a table, and paragraphs ``after``. ``rows[0]`` is the header
    row (repeated at the top of each page the table runs on to if ``repeat_header``); a row of one
    cell is a section row spanning the table; a cell's text wraps at its column's width and keeps
    its own line breaks. ``ruled`` draws the grid; without it the columns show only by alignment.
    ``valign`` places cell text at the "top" or the "middle" of its row; ``split_rows`` lets a row
    that does not fit at a page's end run on to the next page, as Word does by default."""
    layout = _Layout(font, size, sum(widths), A4, header)
    for line in before:
        layout.paragraph(line)
    layout.table(rows, widths, ruled=ruled, repeat_header=repeat_header, valign=valign, split_rows=split_rows)
    for line in after:
        layout.paragraph(line)
    layout.decorate("— {n} —")
    return _write(layout)


def scanned_pdf(text: str, pages: int = 1) -> bytes:
    """A scan: pages that are pictures of ``text`` (rendered with Pillow), with no text layer."""
    face = ImageFont.truetype(str(_font_file(WQY, "fonts-wqy-zenhei")), 28, index=0)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    for _ in range(pages):
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(text.splitlines()[:40]):
            draw.text((120, 150 + 40 * i), line[:36], font=face, fill=0)
        c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return out.getvalue()


def encrypted_pdf(text: str, user_password: str = "secret") -> bytes:
    """``text`` as a PDF encrypted with ``user_password`` (empty: encrypted, but it opens without one)."""
    layout = _Layout("ttf", 14.0, 28 * 14.0, A4, None)
    for line in filter(str.strip, text.splitlines()):
        layout.paragraph(line)
    return _write(layout, encrypt=StandardEncryption(user_password, ownerPassword="owner-secret"))


def rotated_pdf(lines: Sequence[str], font: str = "ttf") -> bytes:
    """A landscape page stored as a portrait page turned by /Rotate 90, its text drawn turned the
    other way so that it reads across the page as shown (as some exporters write landscape pages)."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.setPageRotation(90)
    c.rotate(90)  # text now runs up the stored page: across the page as shown
    c.setFont(_reportlab_font(font), 14)
    for i, line in enumerate(lines):
        c.drawString(MARGIN_LEFT, -(MARGIN_TOP + 24.5 * i), line)
    c.showPage()
    c.save()
    return out.getvalue()
