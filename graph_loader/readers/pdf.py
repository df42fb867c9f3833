"""PDF → text with PDFium (pypdfium2: Apache-2.0 / BSD-3; PDFium itself BSD): the text layer, laid out again.

PDFium decodes the fonts (embedded TrueType or CFF, or the standard Adobe CID fonts an exporter
leaves out) and gives each character's Unicode value and box; characters on one baseline that touch
make a run, and the ruling lines drawn on a page are kept as the borders tables have. Boxes are
turned to the page as shown (/Rotate), y down; text not level on it (a watermark) is left out. From
there :mod:`graph_loader.readers.layout` rebuilds lines, paragraphs and tables, as it does for OFD.

Refused, each in one line that says what to do: a PDF with no text layer (a scan: OCR it), one whose
fonts give no characters (mojibake: OCR it), one that asks for a password (save an unprotected copy),
one that is corrupt or cut short (get it again). PDFium is not thread-safe: one lock covers its calls.

Speed: what PDFium does itself (parse a page, lay out its text page; for a CFF font, or a CID font it
substitutes with a system CFF font, that means interpreting each character's glyph outline, twice) is
the floor. Around it, this module makes two PDFium calls a character (its Unicode value and its box),
without ctypes' per-argument checks, and one walk over each page's objects that gives both the ruling
lines and whether any text on the page is turned: only on such a page is each character's angle asked.
"""

from __future__ import annotations

import ctypes
import math
import re
import struct
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from graph_loader.errors import PlanParseError
from graph_loader.readers.document import DocumentBuilder, ReadDocument
from graph_loader.readers.layout import Rule, TextRun, add_pages

_LOCK = threading.Lock()
_SPACES = {0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000}
_UNUSUAL = re.compile(r"[^\x20-\x7e\u00a0-\u00ff\u2000-\u27bf\u3000-\u33ff\u4e00-\u9fff\ufe30-\ufe4f\uff00-\uffef]")
"""Characters a Chinese plan hardly has (CJK extension A, Yi, Hangul, private use …): text made mostly of
them is a font's glyph numbers read as Unicode, i.e. a font without a map to Unicode (mojibake)."""
_MAX_DEPTH = 4  # form XObjects inside form XObjects: how deep rules are looked for (text: at any depth)


def read_pdf(data: bytes, document: str) -> ReadDocument:
    """The text of a PDF's text layer, its places "page N, line M" and "page N, table K"."""
    if b"%%EOF" not in data[-4096:]:
        raise PlanParseError("a PDF that is truncated (it has no end-of-file marker); get the file again",
                             document=document)
    with _LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            if e.err_code == pdfium_c.FPDF_ERR_PASSWORD:
                raise PlanParseError("an encrypted PDF that needs a password to open; save an unprotected copy"
                                     " (remove the password, or print to PDF) and give that",
                                     document=document) from None
            raise PlanParseError(f"a PDF that is corrupt ({e}); get the file again", document=document) from None
        try:
            pages, heights, rules = [], [], []
            for index in range(len(pdf)):
                page = pdf[index]
                try:
                    display = _Display(page.get_cropbox(), page.get_rotation())
                    heights.append(display.height)
                    objects = _Objects(page.raw, display)
                    rules.append(objects.rules)
                    textpage = page.get_textpage()
                    try:
                        pages.append(_runs(textpage.raw, display, objects.level))
                    finally:
                        textpage.close()
                finally:
                    page.close()
        except pdfium.PdfiumError as e:
            raise PlanParseError(f"a PDF that is corrupt ({e}); get the file again", document=document) from None
        finally:
            pdf.close()
    text = "".join(run.text for runs in pages for run in runs)
    if len(_UNUSUAL.findall(text)) > 0.2 * len(text) > 0:
        raise PlanParseError(
            "a PDF whose fonts do not map their glyphs to characters, so its text layer reads as mojibake; OCR"
            " it first", document=document)
    if not any(pages):
        raise PlanParseError(
            f"a PDF with no text layer ({len(pages)} page{'' if len(pages) == 1 else 's'} without text: a scanned"
            " document?); OCR it first",
            document=document,
        )
    builder = DocumentBuilder("PDF", document)
    add_pages(builder, pages, page_height=heights, rules=rules)
    return builder.build()


class _Display:
    """PDF user space (y up, maybe rotated by /Rotate) → the page as shown, y down."""

    def __init__(self, box: tuple[float, float, float, float], rotation: int):
        self.x0, self.y0, self.x1, self.y1 = box
        self.rotation = rotation % 360
        self.height = self.y1 - self.y0 if self.rotation in (0, 180) else self.x1 - self.x0

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.rotation == 90:
            return y - self.y0, x - self.x0
        if self.rotation == 180:
            return self.x1 - x, y - self.y0
        if self.rotation == 270:
            return self.y1 - y, self.x1 - x
        return x - self.x0, self.y1 - y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _unchecked(function: Any, restype: type) -> Callable[..., Any]:
    """PDFium's ``function`` called without ctypes converting and checking each argument against its
    declared type: half the cost of a call (0.3 µs, not 0.6), which counts in the loops that call PDFium
    for each character or page object. Only for arguments that need no conversion: handles PDFium gave,
    ints, ``byref``."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    if not address:
        raise ImportError(f"pypdfium2 has no {function.__name__} to call")
    return ctypes.CFUNCTYPE(restype)(address)


_get_unicode = _unchecked(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
_is_generated = _unchecked(pdfium_c.FPDFText_IsGenerated, ctypes.c_int)
_loose_box = _unchecked(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
_char_angle = _unchecked(pdfium_c.FPDFText_GetCharAngle, ctypes.c_float)
_object_type = _unchecked(pdfium_c.FPDFPageObj_GetType, ctypes.c_int)
_object_matrix = _unchecked(pdfium_c.FPDFPageObj_GetMatrix, ctypes.c_int)
_count_objects = _unchecked(pdfium_c.FPDFPage_CountObjects, ctypes.c_int)
_get_object = _unchecked(pdfium_c.FPDFPage_GetObject, pdfium_c.FPDF_PAGEOBJECT)
# forms are few, and FPDFFormObj_GetObject's index an unsigned long: their objects are got the checked way
_count_form_objects, _get_form_object = pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject
_RECT = struct.Struct("4f")  # an FS_RECTF: left, top, right, bottom; one unpack reads all four fields
_MATRIX = struct.Struct("6f")  # an FS_MATRIX: a, b, c, d, e, f
_LEVEL = math.tan(math.radians(2.5))  # text this close to level is surely within _runs' 3°


def _runs(textpage: pdfium_c.FPDF_TEXTPAGE, display: _Display, level: bool) -> list[TextRun]:
    """Characters in PDFium's order, joined into runs while they follow each other on one baseline.

    A run ends where the next character is on another line, goes back, or stands over a quarter of
    a character away (the space between table columns); spaces PDFium generates are left out (the
    layout sees gaps itself), spaces in the file are kept. Text not level on the page as shown (a
    watermark across it) is left out; ``level`` says the page objects have none, so no character's
    angle is asked for."""
    turned, upright = display.rotation, display.rotation == 0
    ox, oy = display.x0, display.y1
    rect = pdfium_c.FS_RECTF()
    ref, unpack = ctypes.byref(rect), _RECT.unpack_from
    runs: list[TextRun] = []
    text: list[str] = []
    left = top = right = bottom = 0.0
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        code = _get_unicode(textpage, i)
        if code in _SPACES:
            if text and code != 0x0A and code != 0x0D and not _is_generated(textpage, i):
                text.append(" ")
            continue
        if code < 0x20 or 0xD800 <= code < 0xE000 or code > 0x10FFFF or not _loose_box(textpage, i, ref):
            continue
        if not level and abs((math.degrees(_char_angle(textpage, i)) + turned + 180) % 360 - 180) > 3:
            continue  # PDFium's angle is clockwise
        r_left, r_top, r_right, r_bottom = unpack(rect)
        if upright:  # the common case, spelt out: this loop runs once a character
            x0, y0, x1, y1 = r_left - ox, oy - r_top, r_right - ox, oy - r_bottom
        else:
            x0, y0, x1, y1 = display.box(r_left, r_bottom, r_right, r_top)
        height = y1 - y0
        if text and (abs(y0 + y1 - top - bottom) > height or x0 < right - 0.5 * height or x0 - right > 0.25 * height):
            runs.append(TextRun("".join(text), left, top, right, bottom))
            text = []
        if not text:
            left, top, right, bottom = x0, y0, x1, y1
        text.append(chr(code))
        if x1 > right:  # max() and min(), without the calls
            right = x1
        if y0 < top:
            top = y0
        if y1 > bottom:
            bottom = y1
    if text:
        runs.append(TextRun("".join(text), left, top, right, bottom))
    return runs


class _Objects:
    """What a page's objects give besides its text: the ruling lines (the straight horizontal and
    vertical strokes of its paths, and thin filled rectangles, as Word draws cell borders) a table's
    grid is made of; and whether all its text is level on the page as shown, which spares asking
    PDFium each character's angle. One walk over the objects gives both (a page may have thousands:
    an exporter starts a text object wherever the font changes)."""

    def __init__(self, page: pdfium_c.FPDF_PAGE, display: _Display):
        self.display = display
        self.rules: list[Rule] = []
        self.level = True
        self._matrix = pdfium_c.FS_MATRIX()
        self._walk(page, _count_objects, _get_object, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)

    def _walk(self, parent: Any, count: Callable[..., int], get: Callable[..., Any], outer: tuple[float, ...],
              depth: int) -> None:
        """The objects of ``parent`` (a page, or a form XObject ``depth`` forms deep, drawn with ``outer``)."""
        ref, unpack = ctypes.byref(self._matrix), _MATRIX.unpack_from
        A, B, C, D, E, F = outer  # noqa: N806 — the matrix entries' usual names
        for i in range(count(parent)):
            obj = get(parent, i)
            kind = _object_type(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                if self.level:  # its characters' matrix: the text matrix, then the forms' (as _compose)
                    a, b, c, d, _, _ = unpack(self._matrix) if _object_matrix(obj, ref) else (0.0,) * 6
                    self.level = self._is_level(a * A + b * C, c * A + d * C)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM or (kind == pdfium_c.FPDF_PAGEOBJ_PATH and depth <= _MAX_DEPTH):
                if not _object_matrix(obj, ref):
                    self.level = self.level and kind == pdfium_c.FPDF_PAGEOBJ_PATH  # a form's text unseen
                    continue
                matrix = _compose(unpack(self._matrix), outer)
                if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                    self.rules.extend(_path_rules(obj, matrix, self.display))
                elif depth < _MAX_DEPTH or self.level:  # rules this deep or less; text at any depth
                    self._walk(obj, _count_form_objects, _get_form_object, matrix, depth + 1)

    def _is_level(self, a: float, c: float) -> bool:
        """Whether text drawn with a matrix whose first column is (a, c) is level on the page as shown,
        with room to spare: PDFium's angle of each character (atan2(c, a), in single precision) is then
        surely within the 3° :func:`_runs` allows. Too small a matrix has no sure angle: not level."""
        rotation = self.display.rotation
        u, v = (a, c) if rotation == 0 else (-c, a) if rotation == 90 else (-a, -c) if rotation == 180 else (c, -a)
        return u > 1e-3 and abs(v) < _LEVEL * u  # (a, c) turned by the page's /Rotate points right


def _path_rules(obj: pdfium_c.FPDF_PAGEOBJECT, matrix: tuple[float, ...], display: _Display) -> Iterator[Rule]:
    """The ruling lines of one path object drawn with ``matrix``: its level or plumb strokes, or itself
    if it is a thin filled bar."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        a, b, c, d, e, f = matrix
        point = display.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
    for points in subpaths:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        width, height = max(xs) - min(xs), max(ys) - min(ys)
        if len(points) >= 4 and fill.value and min(width, height) < 3.0:  # a thin filled bar
            if width >= height:
                yield Rule(min(xs), (min(ys) + max(ys)) / 2, max(xs), (min(ys) + max(ys)) / 2)
            else:
                yield Rule((min(xs) + max(xs)) / 2, min(ys), (min(xs) + max(xs)) / 2, max(ys))
        elif stroke.value:
            closed = [*points, points[0]] if len(points) >= 4 else points
            for (ax, ay), (bx, by) in zip(closed, closed[1:], strict=False):
                if abs(ay - by) < 0.5 or abs(ax - bx) < 0.5:
                    yield Rule(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix of ``inner`` applied first, then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer  # noqa: N806 — the matrix entries' usual names
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
