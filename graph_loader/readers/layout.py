"""Positioned text runs of a fixed-layout page (PDF, OFD) → the lines, paragraphs and tables a plan has.

A PDF or OFD file keeps no lines or paragraphs, only pieces of text at positions, so they are rebuilt
from geometry: runs overlapping vertically make a line; a line wrapped at the right margin joins the
next one with nothing between them (Chinese has no spaces, and "市\\n大数据局" is one name), while an
indented line, a heading (一、 (一) 1.) after a finished sentence, or a line after a short one starts a
new paragraph. Page numbers and running headers and footers are dropped; the spaces exporters put
between Han characters and digits or Latin ("2023 年") are taken out. Tables are found by their ruling
lines (a grid of cells, merged cells included) or, unruled, by text aligned in three or more columns,
and go to :meth:`DocumentBuilder.add_table`, so a 任务分工表 reads as the table it is; a table that
runs on to the next page (its header repeated or not, a row split by the break) stays one table.
Coordinates grow downward, in any unit: thresholds are multiples of the text's character width (em).

The module is longer than 400 lines on purpose: lines, margins, tables and paragraphs are passes over
one private page model (``_Line``, ``_Table``, the page's metrics); split in two, each half would have to
export that model to the other.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from graph_loader.readers.document import DocumentBuilder


class TextRun(NamedTuple):
    """A piece of text in one font on one baseline, and its box (y grows downward)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float


class Rule(NamedTuple):
    """A horizontal or vertical ruling line (a table's border), in the runs' coordinates."""

    x0: float
    y0: float
    x1: float
    y1: float


_HAN = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE = "[ \u00a0\u3000]+"
_SPACE_RUN = re.compile(r"[ \u00a0]{2,}")
_HAN_SPACE = re.compile(rf"(?<=[{_HAN}]){_SPACE}(?=[0-9A-Za-z%(])|(?<=[0-9A-Za-z%)]){_SPACE}(?=[{_HAN}])")
_N = "一二三四五六七八九十百零〇"
_HEADING = re.compile(rf"^(第[{_N}\d]+[章节条部分]|[{_N}]+[、.．]|[（(][{_N}\d]+[)）]|\d{{1,3}}[.．、](?!\d)|[①-⑳])")
_ENDS = set("。！？；：!?;:")  # a sentence ends here
_CLOSES = _ENDS | set(")）”」】")  # or a clause does (the owners' brackets)
_PAGE_NUMBER = re.compile(r"^([-—–－~]\s*\d{1,4}\s*[-—–－~]|第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4}|(page\s*)?\d{1,4}(\s*of\s*\d{1,4})?)$", re.I)
_NAME_END = re.compile(r"(局|委|办|厅|院|会|部|处|中心|公司|集团|政府|单位|部门|银行|学校|大学)$")
_NAME_START = re.compile(r"^(市|区|县|省|各|国家|中央|自治区)")
_ZONE = 0.1  # running headers and footers sit in the top and bottom tenth of a page
_NARROW = re.compile(r"[^\s\u2000-\U0010ffff]")  # a character below U+2000 that is not a space
_WHITE = re.compile(r"\s")


@dataclass
class _Line:
    runs: list[TextRun]
    left: float
    top: float
    right: float
    bottom: float
    text: str
    number: int = 0  # its line number on the page, counting text outside tables from the top


@dataclass
class _Table:
    rows: list[list[str]]
    top: float
    columns: list[float]  # the x of each column's edge
    last_full: list[bool] = field(default_factory=list)  # each cell of the last row ends at its edge


class _Metrics(NamedTuple):
    em: float  # a Han character's width
    left: float  # the body's left margin
    right: float  # the body's right margin
    pitch: float  # from one line of a paragraph to the next


def add_pages(
    builder: DocumentBuilder,
    pages: Sequence[Sequence[TextRun]],
    page_height: Sequence[float] | float | None = None,
    rules: Sequence[Sequence[Rule]] | None = None,
) -> None:
    """Add the pages' text to ``builder``: lines as "page N, line M", tables as "page N, table K"."""
    heights = [page_height] * len(pages) if isinstance(page_height, int | float) else list(page_height or [])
    em = _em([r for page in pages for r in page])
    laid: list[list[_Line | _Table]] = []
    for n, runs in enumerate(pages):
        runs = [r for r in runs if r.text.strip()]
        tables, rest = _ruled_tables(runs, rules[n] if rules and n < len(rules) else [], em)
        lines = [_make_line(group, em) for group in _group_lines(rest)]
        for number, line in enumerate(lines, 1):
            line.number = number
        aligned, lines = _aligned_tables(lines, em)
        laid.append(sorted([*lines, *tables, *aligned], key=lambda item: item.top))
    metrics = _metrics([i for page in laid for i in page if isinstance(i, _Line)], em)
    _drop_margins(laid, heights, metrics)
    _Emitter(builder, metrics).emit(laid)


def _em(runs: Sequence[TextRun]) -> float:
    """The width of a Han character (an ASCII one counts half), as the runs have it most often."""
    widths = [(r.right - r.left) / units for r in runs if (units := _units(r.text)) >= 2 and r.right > r.left]
    return statistics.median(widths or [r.bottom - r.top for r in runs if r.bottom > r.top] or [1.0])


def _units(text: str) -> float:
    """How many Han characters wide ``text`` is: a character below U+2000 counts half, a space nothing.
    Counted by regex (``\\s`` is :meth:`str.isspace`), not character by character: every run and line is
    measured, and the characters below U+2000 and the spaces are the few."""
    narrow = len(_NARROW.findall(text))
    return 0.5 * narrow + (len(text) - narrow - len(_WHITE.findall(text)))


def _group_lines(runs: Sequence[TextRun]) -> list[list[TextRun]]:
    """Runs into lines, top to bottom: a run joins the line its box overlaps for half its height."""
    lines: list[list[TextRun]] = []
    top = bottom = 0.0
    for run in sorted(runs, key=lambda r: (r.top + r.bottom) / 2):
        if lines and min(bottom, run.bottom) - max(top, run.top) > 0.5 * min(run.bottom - run.top, bottom - top):
            lines[-1].append(run)
            top, bottom = min(top, run.top), max(bottom, run.bottom)
        else:
            lines.append([run])
            top, bottom = run.top, run.bottom
    return [sorted(line, key=lambda r: r.left) for line in lines]


def _make_line(runs: list[TextRun], em: float) -> _Line:
    kept = [runs[0]]
    for run in runs[1:]:  # text drawn twice over itself (fake bold) is read once
        if not (run.text == kept[-1].text and abs(run.left - kept[-1].left) < 0.3 * em):
            kept.append(run)
    text = kept[0].text
    for prev, run in zip(kept, kept[1:], strict=False):
        gap, a, b = run.left - prev.right, text[-1:], run.text[:1]
        wide = gap > 1.5 * em or (gap > 0.15 * em and a.isascii() and b.isascii())
        text += (" " if wide and not a.isspace() and not b.isspace() else "") + run.text
    return _Line(kept, min(r.left for r in kept), min(r.top for r in kept), max(r.right for r in kept),
                 max(r.bottom for r in kept), tidy(text))


def tidy(text: str) -> str:
    """A line's text without the spaces exporters put between Han and digits or Latin, or runs of spaces."""
    if " " not in text and "\u00a0" not in text and "\u3000" not in text:
        return text.strip()  # nothing to take out (most lines): the regexes need not run
    return _HAN_SPACE.sub("", _SPACE_RUN.sub(" ", text)).strip()


def _metrics(lines: Sequence[_Line], em: float) -> _Metrics:
    if not lines:
        return _Metrics(em, 0.0, 0.0, 2 * em)
    lefts = sorted(line.left for line in lines)
    need = max(2, len(lines) // 20)  # the leftmost x that enough lines start at
    left = next((x for i, x in enumerate(lefts) if bisect.bisect_right(lefts, x + 0.3 * em) - i >= need), lefts[0])
    rights = sorted(line.right for line in lines if _units(line.text) >= 4) or [line.right for line in lines]
    edge = rights[min(len(rights) - 1, int(len(rights) * 0.95))]  # full lines end near it, some hang past it
    steps = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if 0 < b.top - a.top < 4 * em]
    right = statistics.median(r for r in rights if r > edge - 1.5 * em)
    return _Metrics(em, left, right, statistics.median(steps) if steps else 2 * em)


def _drop_margins(pages: list[list[_Line | _Table]], heights: Sequence[float], m: _Metrics) -> None:
    """Drop page numbers and running headers and footers: lines in a page's top or bottom tenth whose
    text, digits aside, comes back on most pages; after the first page, also a short one set apart by
    a gap (a header on pages 2 and 3 of 3). No page height given: the text's own height stands in."""
    edges: list[list[tuple[_Line, bool]]] = [[] for _ in pages]
    for n, items in enumerate(pages):
        height = heights[n] if n < len(heights) else max((i.top + 2 * m.em for i in items), default=0.0)
        for k, step in ((0, 1), (1, 1), (-1, -1), (-2, -1)):
            line = items[k] if -len(items) <= k < len(items) else None
            if not isinstance(line, _Line) or any(line is f for f, _ in edges[n]):
                continue
            gap = abs(items[k + step].top - line.top) if -len(items) <= k + step < len(items) else 0.0
            if line.bottom < _ZONE * height if step > 0 else line.top > (1 - _ZONE) * height:
                short = _units(line.text) <= 30 and not _HEADING.match(line.text)
                edges[n].append((line, n > 0 and gap > 1.8 * m.pitch and short))
    counts = Counter(key for found in edges for key in {_margin_key(line.text) for line, _ in found})
    repeated = {key for key, count in counts.items() if count >= max(2, (len(pages) + 1) // 2)}
    for items, found in zip(pages, edges, strict=True):
        for line, alone in found:
            if alone or _PAGE_NUMBER.match(line.text) or _margin_key(line.text) in repeated:
                items.remove(line)


def _margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


# -- tables: a grid of cells, from ruling lines or from aligned text; then its text ------------------


def _ruled_tables(runs: list[TextRun], rules: Sequence[Rule], em: float) -> tuple[list[_Table], list[TextRun]]:
    """Each set of ruling lines that cross one another and hold text is a table. Cells that no rule
    separates are one merged cell (a section row across the table, an owner shared by several rows)."""
    tol = max(0.25 * em, 1.0)
    hs = [r for r in rules if abs(r.y0 - r.y1) <= tol and abs(r.x1 - r.x0) > tol]
    vs = sorted((r for r in rules if abs(r.x0 - r.x1) <= tol and abs(r.y1 - r.y0) > tol), key=lambda r: r.x0)
    parent = list(range(len(hs) + len(vs)))
    xs = [v.x0 for v in vs]
    for i, h in enumerate(hs):
        for k in range(bisect.bisect_left(xs, min(h.x0, h.x1) - tol), bisect.bisect_right(xs, max(h.x0, h.x1) + tol)):
            if min(vs[k].y0, vs[k].y1) - tol <= h.y0 <= max(vs[k].y0, vs[k].y1) + tol:
                parent[_find(parent, i)] = _find(parent, len(hs) + k)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, rule in enumerate([*hs, *vs]):
        groups.setdefault(_find(parent, i), ([], []))[0 if i < len(hs) else 1].append(rule)
    tables = []
    for g_hs, g_vs in groups.values():
        xs, ys = _cluster([v.x0 for v in g_vs], tol), _cluster([h.y0 for h in g_hs], tol)
        if len(xs) < 3 or len(ys) < 2:
            continue
        at_x: dict[int, list[tuple[float, float]]] = {}  # the rules on each column edge, as the spans they cover
        at_y: dict[int, list[tuple[float, float]]] = {}
        for v in g_vs:
            at_x.setdefault(bisect.bisect_left(xs, v.x0 - tol), []).append((min(v.y0, v.y1), max(v.y0, v.y1)))
        for h in g_hs:
            at_y.setdefault(bisect.bisect_left(ys, h.y0 - tol), []).append((min(h.x0, h.x1), max(h.x0, h.x1)))
        n_rows, n_cols = len(ys) - 1, len(xs) - 1
        cells = list(range(n_rows * n_cols))
        for i in range(n_rows):
            for j in range(n_cols):
                mid_y, mid_x, k = (ys[i] + ys[i + 1]) / 2, (xs[j] + xs[j + 1]) / 2, i * n_cols + j
                if j + 1 < n_cols and not any(a <= mid_y <= b for a, b in at_x.get(j + 1, [])):
                    cells[_find(cells, k)] = _find(cells, k + 1)
                if i + 1 < n_rows and not any(a <= mid_x <= b for a, b in at_y.get(i + 1, [])):
                    cells[_find(cells, k)] = _find(cells, k + n_cols)
        if found := _fill(xs, ys, cells, runs, em):
            tables.append(found[0])
            runs = [r for r in runs if id(r) not in found[1]]
    return tables, runs


def _fill(xs: list[float], ys: list[float], parent: list[int], runs: Sequence[TextRun], em: float
          ) -> tuple[_Table, set[int]] | None:
    """The runs inside a grid (column edges ``xs``, row edges ``ys``, merged cells joined in ``parent``)
    as table rows, a merged cell's text in each row and column it covers; and the runs taken."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    inside: dict[int, list[TextRun]] = {}
    for run in runs:
        cx, cy = (run.left + run.right) / 2, (run.top + run.bottom) / 2
        if xs[0] < cx < xs[-1] and ys[0] < cy < ys[-1]:
            k = (bisect.bisect(ys, cy) - 1) * n_cols + bisect.bisect(xs, cx) - 1
            inside.setdefault(_find(parent, k), []).append(run)
    if not inside:
        return None
    right: dict[int, float] = {}
    for k in range(n_rows * n_cols):
        right[_find(parent, k)] = max(right.get(_find(parent, k), 0.0), xs[k % n_cols + 1])
    texts = {k: _cell_text([_make_line(g, em) for g in _group_lines(rs)], right[k], em) for k, rs in inside.items()}
    rows = [[texts.get(_find(parent, i * n_cols + j), ("", False)) for j in range(n_cols)] for i in range(n_rows)]
    rows = [row for row in rows if any(text for text, _ in row)]
    table = _Table([[text for text, _ in row] for row in rows], ys[0], xs, [full for _, full in rows[-1]])
    return table, {id(r) for rs in inside.values() for r in rs}


def _find(parent: list[int], k: int) -> int:
    while parent[k] != k:
        parent[k] = parent[parent[k]]
        k = parent[k]
    return k


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _cell_text(lines: list[_Line], right: float, em: float) -> tuple[str, bool]:
    """A cell's lines: one that reaches the cell's edge wrapped and joins the next directly; a shorter
    one ended (an owner list gives one name a line), so a line break stays for add_table to join.
    Also whether the last line reaches the edge (the cell may go on over a page break)."""
    text, full = "", False
    for line in lines:
        if text:
            text += "" if full and not (_NAME_END.search(text) and _NAME_START.match(line.text)) else "\n"
        text += line.text
        full = right - line.right < 1.5 * em and line.text[-1:] not in _ENDS
    return text, full


def _aligned_tables(lines: list[_Line], em: float) -> tuple[list[_Table], list[_Line]]:
    """Unruled tables: lines cut (by gaps over 0.6 em) into three or more cells in the same columns,
    with the lines that continue their cells and the section rows between them."""
    segs: list[list[_Line]] = []
    for line in lines:
        groups: list[list[TextRun]] = [[line.runs[0]]]
        for run in line.runs[1:]:
            if run.left - groups[-1][-1].right > 0.6 * em:
                groups.append([])
            groups[-1].append(run)
        segs.append([line] if len(groups) == 1 else [_make_line(g, em) for g in groups])  # one: the line itself
    tables, rest, i = [], [], 0
    while i < len(lines):
        end, bands = _region(lines, segs, i, em)
        if end - i >= 2 and (found := _aligned_grid(lines[i:end], segs[i:end], bands, em)):
            tables.append(found[0])
            i = end
        else:
            rest.append(lines[i])
            i += 1
    return tables, rest


def _region(lines: list[_Line], segs: list[list[_Line]], start: int, em: float) -> tuple[int, list[list[float]]]:
    """Where an unruled table from ``start`` ends (exclusive), and its columns' x spans."""
    bands = _bands([], segs[start])
    end, anchors, section = start + 1, 1, False
    for k in range(start + 1, len(lines) if len(segs[start]) >= 3 else 0):
        fits = all(sum(s.left < b[1] + 0.5 * em and s.right > b[0] - 0.5 * em for b in bands) == 1 for s in segs[k])
        if lines[k].top - lines[k - 1].bottom > 2.5 * em:
            break
        if len(segs[k]) >= 3 and len(merged := _bands(bands, segs[k])) >= len(bands):
            bands, end, anchors, section = merged, k + 1, anchors + 1, False
        elif fits and not section:
            end = k + 1
        elif len(segs[k]) == 1 and abs(segs[k][0].left - bands[0][0]) < em and not section:
            section = True  # one piece across the columns: a section row, if a row follows it
        else:
            break
    return (end if anchors >= 2 else start), bands


def _bands(bands: list[list[float]], segs: list[_Line]) -> list[list[float]]:
    out: list[list[float]] = []
    for left, right in sorted([(b[0], b[1]) for b in bands] + [(s.left, s.right) for s in segs]):
        if out and left <= out[-1][1]:
            out[-1][1] = max(out[-1][1], right)
        else:
            out.append([left, right])
    return out


def _aligned_grid(lines: list[_Line], segs: list[list[_Line]], bands: list[list[float]], em: float
                  ) -> tuple[_Table, set[int]] | None:
    """An unruled table's grid: a row starts after a gap wider than between a cell's lines, at a number
    in the first column (a numbered table) or at a line of three or more cells (not numbered); other
    lines continue the cells above them (text top-aligned)."""
    numbered = sum(bool(re.fullmatch(r"\d{1,4}|序号|编号", s[0].text)) for s in segs if s[0].left < bands[0][1]) >= 2
    leading = min(b.top - a.top for a, b in zip(lines, lines[1:], strict=False))  # from line to line in a cell
    ys: list[float] = []
    sections: list[int] = []
    closed, prev = True, lines[0]
    for line, cut in zip(lines, segs, strict=True):
        starts = closed or line.top - prev.top > 1.3 * leading or (len(cut) >= 3 and not numbered)
        if starts or (cut[0].left < bands[0][1] and (numbered or len(cut) == 1)):
            ys.append(line.top)
        if closed := len(cut) == 1 and cut[0].left < bands[0][1] < cut[0].right - em:  # a section row: one line
            sections.append(len(ys) - 1)
        prev = line
    parent = list(range(len(ys) * len(bands)))
    for i in sections:
        parent[i * len(bands) + 1 : (i + 1) * len(bands)] = [i * len(bands)] * (len(bands) - 1)
    xs = [bands[0][0] - 1.0] + [b[1] for b in bands]
    return _fill(xs, [*ys, lines[-1].bottom + 1.0], parent, [r for line in lines for r in line.runs], em)


# -- emitting ------------------------------------------------------------------------------------


class _Emitter:
    """Paragraphs and tables, in order, into the builder. A table at a page's end that goes on at the
    next page's top (same columns) is continued: a repeated header is left out, a row the break split
    is joined again."""

    def __init__(self, builder: DocumentBuilder, metrics: _Metrics):
        self.builder, self.m, self.place = builder, metrics, ""
        self.paragraph: list[str] = []
        self.prev: _Line | None = None  # the paragraph's last line
        self.table: _Table | None = None  # the open table's last part, and its parts as (rows, place)
        self.parts: list[tuple[list[list[str]], str]] = []

    def emit(self, pages: list[list[_Line | _Table]]) -> None:
        for n, items in enumerate(pages, 1):
            tables = 0
            for k, item in enumerate(items):
                if isinstance(item, _Table):
                    tables += 1
                    self._flush_paragraph()
                    self._add_table(item, f"page {n}, table {tables}", continues=k == 0)
                else:
                    self._flush_table()
                    self._add_line(item, f"page {n}, line {item.number}", first=k == 0)
            if not items or not isinstance(items[-1], _Table):
                self._flush_table()
        self._flush_paragraph()
        self._flush_table()

    def _add_line(self, line: _Line, place: str, first: bool) -> None:
        if self.paragraph and not self._breaks(line, first):
            a, b = self.paragraph[-1][-1:], line.text[:1]
            words = a.isascii() and a.isalpha() and b.isascii() and b.isalpha()
            self.paragraph.append((" " if words else "") + line.text)  # English words split; not "2\n.0", "5\nG"
        else:
            self._flush_paragraph()
            self.paragraph, self.place = [line.text], place
        self.prev = line

    def _breaks(self, line: _Line, first: bool) -> bool:
        m, prev = self.m, self.prev
        if prev is None:
            return True
        short, end = m.right - prev.right, prev.text[-1:]
        if _centred(line, m) and _centred(prev, m) and end not in _ENDS:
            return first  # a title centred on two lines is one title
        return (
            line.left - m.left > 1.2 * m.em  # indented, or centred
            or (not first and line.top - prev.top > 1.6 * m.pitch)  # space between paragraphs
            or short > 4 * m.em
            or (short > m.em and end in _ENDS)
            or (bool(_HEADING.match(line.text)) and (end in _CLOSES or short > m.em))
        )

    def _flush_paragraph(self) -> None:
        if self.paragraph:
            self.builder.add_line(tidy("".join(self.paragraph)), self.place)
        self.paragraph, self.prev = [], None

    def _add_table(self, table: _Table, place: str, continues: bool) -> None:
        before = self.table
        if not (continues and before and len(table.columns) == len(before.columns) and all(
                abs(a - b) < 2 * self.m.em for a, b in zip(table.columns, before.columns, strict=True))):
            self._flush_table()
            self.parts, self.table = [(table.rows, place)], table
            return
        header = ["".join(cell.split()) for cell in self.parts[0][0][0]]
        rows = table.rows[1:] if ["".join(cell.split()) for cell in table.rows[0]] == header else table.rows
        last = self.parts[-1][0][-1]
        if rows and not rows[0][0] and last[0] and len(rows[0]) == len(last):
            for j, text in enumerate(rows.pop(0)):  # a row split by the page break: its number stays above
                if text:
                    last[j] = last[j] + ("" if before.last_full[j] else "\n") + text if last[j] else text
        if rows:
            self.parts.append((rows, place))
        self.table = table

    def _flush_table(self) -> None:
        for rows, place in self.parts:
            self.builder.add_table(rows, place)
        self.parts, self.table = [], None


def _centred(line: _Line, m: _Metrics) -> bool:
    margins = line.left - m.left, m.right - line.right
    return min(margins) > m.em and abs(margins[0] - margins[1]) < 1.5 * m.em
