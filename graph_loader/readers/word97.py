"""Word 97–2003 (.doc) and WPS Office (.wps) → text, read from the file's own structures over olefile (BSD).

Both are an OLE2 compound file with a ``WordDocument`` stream, laid out as [MS-DOC] describes: the
FIB at the stream's start gives the length of the main text, which table stream (0Table or 1Table)
holds the piece table (the Clx), and where the paragraph properties are. Each piece of the piece
table is a run of the text, stored as cp1252 bytes or as UTF-16LE. Plans still circulate in this
format (WPS Office saves .wps in it), and reading it directly needs no converter on the machine.

Paragraphs end at ``\\r``. In a table a cell ends at ``\\x07`` and a row at one more ``\\x07``
paragraph (the TTP); only the paragraph properties (the PAPX in the FKP pages) tell that row end
from an empty cell, and tell a paragraph inside a cell from one after the table, so they are read
too. The TTP's table definition marks merged cells: a cell merged down from the row above or
across from its left neighbour gets that cell's text, as python-docx gives a merge in a .docx, so
each task row keeps its owners. A field keeps its result (what Word shows), never its code. Only
the main text is read: headers, footnotes and comments are not the plan.
"""

from __future__ import annotations

import bisect
import io
import re
import struct
from dataclasses import dataclass

import olefile

from graph_loader.errors import PlanParseError
from graph_loader.readers.document import DocumentBuilder, ReadDocument

KIND = "DOC (Word 97-2003)"

_WORD_IDENT = 0xA5EC
_WORD97_NFIB = 0x00C1
_F_ENCRYPTED = 0x0100
_F_WHICH_TBL_STM = 0x0200
_FC_PLCF_BTE_PAPX = 13  # pair indexes in FibRgFcLcb97
_FC_CLX = 33
_SPRM_P_F_IN_TABLE = 0x2416
_SPRM_P_F_TTP = 0x2417
_SPRM_T_DEF_TABLE = 0xD608
_SPRM_T_VERT_MERGE = 0xD62B
_SPRM_P_CHG_TABS = 0xC615
_OPERAND_SIZES = (1, 1, 2, 4, 2, 2, 0, 3)  # by spra, the sprm's top 3 bits; 6 is variable
_TC_MERGED = 0x0002  # TC80 flags: merged with the cell to its left
_TC_VERT_MERGE = 0x0020
_TC_VERT_RESTART = 0x0040

_TOKENS = re.compile(r"[\r\x07\x0c\x0e\x13\x14\x15]|[^\r\x07\x0c\x0e\x13\x14\x15]+")
_CONTROLS = {c: None for c in range(0x20) if c != 0x09} | {0x0B: "\n", 0x1E: "-"}
_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


class _Corrupt(Exception):
    """A structure of the file points outside its stream or does not hold what [MS-DOC] says."""


@dataclass(frozen=True)
class _Paragraph:
    """What the paragraph properties say about one paragraph (defaults: a paragraph outside any table)."""

    in_table: bool = False
    row_end: bool = False  # the TTP: the mark that ends a table row
    merged: tuple[str, ...] = ()  # for a row end, per cell: "" or "left" (merged across) or "up" (merged down)


_PLAIN = _Paragraph()


def read_word97(data: bytes, document: str) -> ReadDocument:
    """The main text of a .doc or .wps file, its tables as tables. Raises :class:`PlanParseError`."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as e:  # olefile raises OSError, and struct or index errors for a broken header
        raise PlanParseError(
            f"an OLE2 compound file (DOC, WPS, XLS …) that is corrupt or truncated ({e}); get the file again",
            document=document,
        ) from None
    with ole:
        names = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
        if "WordDocument" not in names:
            raise PlanParseError(_not_word(names), document=document)
        try:
            return _read(ole, document)
        except (_Corrupt, OSError, struct.error, IndexError, UnicodeError) as e:
            raise PlanParseError(
                f"a Word 97-2003 document (.doc/.wps) that is corrupt or truncated ({e}); get the file again",
                document=document,
            ) from None


def _not_word(names: set[str]) -> str:
    if names & {"Workbook", "Book"}:
        return "an Excel 97-2003 workbook (.xls/.et), not a Word document: save it as .xlsx"
    if "PowerPoint Document" in names:
        return "a PowerPoint 97-2003 presentation (.ppt/.dps), not a Word document: save it as PDF"
    if "EncryptedPackage" in names:
        return "a password-protected Office file (an encrypted DOCX or XLSX): save an unprotected copy"
    shown = ", ".join(sorted(n for n in names if n.isprintable())[:5]) or "no named streams"  # not \x05Summary…
    return f"an OLE2 compound file that is not a Word document (it holds {shown}); save the plan as DOCX or PDF"


def _read(ole: olefile.OleFileIO, document: str) -> ReadDocument:
    word = ole.openstream("WordDocument").read()
    ident, nfib = struct.unpack_from("<HH", word, 0)
    (flags,) = struct.unpack_from("<H", word, 0x0A)
    if ident != _WORD_IDENT:
        raise _Corrupt(f"the WordDocument stream starts with {ident:#06x}, not a Word FIB")
    if nfib < _WORD97_NFIB:
        raise PlanParseError(
            f"a Word 6.0/95 document (FIB version {nfib:#x}), older than Word 97: save it as .docx", document=document
        )
    if flags & _F_ENCRYPTED:
        raise PlanParseError(
            "a password-protected (encrypted) Word 97-2003 document: save an unprotected copy", document=document
        )
    table_name = "1Table" if flags & _F_WHICH_TBL_STM else "0Table"
    if not ole.exists(table_name):
        raise _Corrupt(f"the FIB names a {table_name} stream the file does not have")
    table = ole.openstream(table_name).read()
    # FibBase (32 bytes), csw and FibRgW97, cslw and FibRgLw97 (ccpText at +12), cbRgFcLcb and FibRgFcLcb97
    (csw,) = struct.unpack_from("<H", word, 32)
    lw = 34 + 2 * csw + 2
    (cslw,) = struct.unpack_from("<H", word, lw - 2)
    (ccp_text,) = struct.unpack_from("<i", word, lw + 12)
    fc_lcb = lw + 4 * cslw + 2
    (count,) = struct.unpack_from("<H", word, fc_lcb - 2)
    if count <= _FC_CLX or ccp_text < 0:
        raise _Corrupt(f"a FIB too short for Word 97 ({count} offset pairs, {ccp_text} characters)")
    fc_clx, lcb_clx = struct.unpack_from("<II", word, fc_lcb + 8 * _FC_CLX)
    fc_bte, lcb_bte = struct.unpack_from("<II", word, fc_lcb + 8 * _FC_PLCF_BTE_PAPX)
    pieces = _pieces(_slice(table, fc_clx, lcb_clx, "Clx"))
    runs = _paragraph_runs(word, _slice(table, fc_bte, lcb_bte, "PlcBtePapx"))
    return _Assembler(document, runs).read(word, pieces, ccp_text)


def _slice(stream: bytes, offset: int, length: int, what: str) -> bytes:
    if offset + length > len(stream):
        raise _Corrupt(f"the {what} at {offset}+{length} lies beyond its {len(stream)}-byte stream")
    return stream[offset : offset + length]


def _pieces(clx: bytes) -> list[tuple[int, int, int, int]]:
    """The piece table: (first CP, CP after the last, stream offset, bytes per character) per piece."""
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: property modifiers of fast-saved files, skipped
        (size,) = struct.unpack_from("<h", clx, pos + 1)
        pos += 3 + max(size, 0)
    if pos >= len(clx) or clx[pos] != 0x02:
        raise _Corrupt("no piece table (Pcdt) in the Clx")
    (lcb,) = struct.unpack_from("<I", clx, pos + 1)
    plc = _slice(clx, pos + 5, lcb, "PlcPcd")
    n, rest = divmod(lcb - 4, 12)
    if n < 1 or rest:
        raise _Corrupt(f"a piece table of {lcb} bytes")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    pieces = []
    for i in range(n):
        (fc,) = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)
        compressed = bool(fc & 0x40000000)
        fc &= 0x3FFFFFFF
        pieces.append((cps[i], cps[i + 1], fc // 2 if compressed else fc, 1 if compressed else 2))
    return pieces


def _paragraph_runs(word: bytes, plc: bytes) -> tuple[list[int], list[tuple[int, _Paragraph]]]:
    """From the FKP pages the PlcBtePapx lists: the start of each run of paragraph marks, its end and properties."""
    n = (len(plc) - 4) // 8
    runs: list[tuple[int, int, _Paragraph]] = []
    for i in range(max(n, 0)):
        (pn,) = struct.unpack_from("<I", plc, 4 * (n + 1) + 4 * i)
        page = _slice(word, (pn & 0x3FFFFF) * 512, 512, "FKP page")
        crun = page[511]
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for r in range(crun):
            offset = 2 * page[4 * (crun + 1) + 13 * r]
            runs.append((fcs[r], fcs[r + 1], _properties(page, offset) if offset else _PLAIN))
    runs.sort(key=lambda run: run[0])
    return [start for start, _, _ in runs], [(end, props) for _, end, props in runs]


def _properties(page: bytes, at: int) -> _Paragraph:
    """A PapxInFkp: its size (in words), the style index, then the sprms."""
    size = 2 * page[at] - 1 if page[at] else 2 * page[at + 1]
    start = at + 1 if page[at] else at + 2
    sprms = _sprms(page[start + 2 : start + size])
    in_table = bool(sprms.get(_SPRM_P_F_IN_TABLE, b"\0")[0])
    row_end = bool(sprms.get(_SPRM_P_F_TTP, b"\0")[0])
    return _Paragraph(in_table or row_end, row_end, _merges(sprms) if row_end else ())


def _sprms(grpprl: bytes) -> dict[int, bytes]:
    """Each sprm's operand (the last one wins); the operand's size comes from the sprm's spra bits."""
    found: dict[int, bytes] = {}
    pos = 0
    while pos + 2 < len(grpprl):
        (sprm,) = struct.unpack_from("<H", grpprl, pos)
        pos += 2
        size = _OPERAND_SIZES[sprm >> 13]
        if sprm == _SPRM_T_DEF_TABLE:  # a 2-byte size, one more than what follows it
            size = struct.unpack_from("<H", grpprl, pos)[0] - 1
            pos += 2
        elif sprm == _SPRM_P_CHG_TABS and grpprl[pos] == 255:  # tabs deleted (4 bytes each), then added (3 each)
            deleted = grpprl[pos + 1]
            size = 2 + 4 * deleted + 3 * grpprl[pos + 2 + 4 * deleted]
            pos += 1
        elif sprm >> 13 == 6:
            size = grpprl[pos]
            pos += 1
        if pos + size > len(grpprl):
            break
        found[sprm] = grpprl[pos : pos + size]
        pos += size
    return found


def _merges(sprms: dict[int, bytes]) -> tuple[str, ...]:
    """Per cell of a row, from its table definition (TDefTable's TC80 flags, then any sprmTVertMerge)."""
    definition = sprms.get(_SPRM_T_DEF_TABLE, b"")
    cells = definition[0] if definition else 0
    merged = ["" for _ in range(cells)]
    first_tc = 1 + 2 * (cells + 1)
    for i in range(cells):
        if first_tc + 20 * i + 2 > len(definition):
            break
        (flags,) = struct.unpack_from("<H", definition, first_tc + 20 * i)
        if flags & _TC_VERT_MERGE and not flags & _TC_VERT_RESTART:
            merged[i] = "up"
        elif flags & _TC_MERGED and i:
            merged[i] = "left"
    vertical = sprms.get(_SPRM_T_VERT_MERGE, b"")
    if len(vertical) == 2 and vertical[0] < cells:
        merged[vertical[0]] = "up" if vertical[1] == 1 else ""
    return tuple(merged)


class _Assembler:
    """Walks the main text once, keeping field results, and hands paragraphs and tables to the builder."""

    def __init__(self, document: str, runs: tuple[list[int], list[tuple[int, _Paragraph]]]):
        self.builder = DocumentBuilder(KIND, document)
        self.starts, self.runs = runs
        self.paragraphs = self.tables = 0
        self.text: list[str] = []  # of the paragraph being read
        self.lines: list[str] = []  # of the cell being read
        self.cells: list[str] = []  # of the row being read
        self.rows: list[tuple[list[str], tuple[str, ...]]] = []  # of the table being read

    def read(self, word: bytes, pieces: list[tuple[int, int, int, int]], ccp_text: int) -> ReadDocument:
        fields: list[bool] = []  # per open field: whether its result has begun (\x14)
        for first, after, offset, width in pieces:
            if first >= ccp_text:
                break
            raw = _slice(word, offset, width * (min(after, ccp_text) - first), "piece")
            chunk = raw.decode("latin-1").translate(_CP1252) if width == 1 else raw.decode("utf-16-le", "replace")
            for match in _TOKENS.finditer(chunk):
                token, fc = match.group(), offset
                offset += len(token) if width == 1 else len(token.encode("utf-16-le"))
                if token == "\x13":
                    fields.append(False)
                elif token == "\x14" and fields:
                    fields[-1] = True
                elif token == "\x15" and fields:
                    fields.pop()
                elif not all(fields):
                    continue  # a field's code: only its result is text
                elif token in ("\r", "\x07", "\x0c", "\x0e"):  # paragraph, cell or row end; page or column break
                    self._end_paragraph(token, self._paragraph_at(fc))
                else:
                    self.text.append(token)
        self._end_paragraph("\r", _PLAIN)
        self._end_table()
        return self.builder.build()

    def _paragraph_at(self, fc: int) -> _Paragraph:
        i = bisect.bisect_right(self.starts, fc) - 1
        return self.runs[i][1] if i >= 0 and fc < self.runs[i][0] else _PLAIN

    def _end_paragraph(self, mark: str, paragraph: _Paragraph) -> None:
        text = "".join(self.text).translate(_CONTROLS)
        self.text.clear()
        if mark == "\x07" and paragraph.row_end:
            self.rows.append((self.cells, paragraph.merged))
            self.cells = []
        elif mark == "\x07":
            self.cells.append("\n".join([*self.lines, text]))
            self.lines.clear()
        elif paragraph.in_table:
            self.lines.append(text)
        else:
            self._end_table()
            self.paragraphs += 1
            self.builder.add_line(text, f"paragraph {self.paragraphs}")

    def _end_table(self) -> None:
        if self.cells or self.lines:  # a row without its row end (a damaged file): keep its text
            self.rows.append(([*self.cells, "\n".join(self.lines)], ()))
            self.cells, self.lines = [], []
        if not self.rows:
            return
        self.tables += 1
        rows: list[list[str]] = []
        for cells, merged in self.rows:
            for i, how in enumerate(merged[: len(cells)]):
                above = rows[-1] if rows else []
                if how == "up" and i < len(above):
                    cells[i] = above[i]
                elif how == "left":
                    cells[i] = cells[i - 1]
            rows.append(cells)
        self.builder.add_table(rows, f"table {self.tables}")
        self.rows = []
