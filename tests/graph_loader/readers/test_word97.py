"""Word 97–2003 (.doc) and WPS (.wps) files: the committed fixtures (files/README.md says how LibreOffice
made them) and files this test builds byte by byte, for what LibreOffice never writes (8-bit text
pieces, field codes, control characters) and for the files the reader must refuse."""

from __future__ import annotations

import struct
from pathlib import Path

import olefile
import pytest

from graph_loader import PlanParseError
from graph_loader.models import Task
from graph_loader.parser import parse_file, parse_text
from graph_loader.readers import read_bytes

from ...conftest import PLAN_FILE  # noqa: TID252
from .facts import plan_facts

FILES = Path(__file__).parent / "files"
KIND = "DOC (Word 97-2003)"
_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE


def _entry(name: str, kind: int, start: int = _END, size: int = 0, child: int = _FREE, right: int = _FREE) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
    return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, _FREE, right, child, b"", 0, 0, 0, start, size)


def _ole(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors): a FAT sector, a directory sector, then the
    streams at the root, each padded to 4096 bytes so that it lives in regular sectors (no mini stream)."""
    assert len(streams) <= 3  # the root and three streams fill the one directory sector
    fat, body = [0xFFFFFFFD, _END], b""  # sector 0 is the FAT, sector 1 the directory
    entries = [_entry("Root Entry", 5, child=1 if streams else _FREE)]
    for i, (name, data) in enumerate(streams.items()):
        data = data.ljust(4096, b"\0").ljust(-(-len(data) // 512) * 512, b"\0")
        first, count = 2 + len(body) // 512, len(data) // 512
        fat += [*range(first + 1, first + count), _END]
        entries.append(_entry(name, 2, first, len(data), right=i + 2 if i + 1 < len(streams) else _FREE))
        body += data
    assert len(fat) <= 128
    entries += [_entry("", 0)] * (4 - len(entries))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", 0x3E, 3, 0xFFFE, 9, 6, b"",
        0, 1, 1, 0, 4096, _END, 0, _END, 0,
    ) + struct.pack("<109I", 0, *[_FREE] * 108)
    return header + struct.pack("<128I", *fat, *[_FREE] * (128 - len(fat))) + b"".join(entries) + body


def _word(pieces: list[tuple[str, bool]], *, after_main: str = "", nfib: int = 0x00C1) -> bytes:
    """A Word 97 file as small as [MS-DOC] allows: a FIB, the text pieces (8-bit cp1252 when the flag is
    set, else UTF-16LE), a Clx with one property modifier and the piece table; no paragraph properties.
    ``after_main`` follows the main text, as footnotes and headers do; ccpText leaves it out."""
    fib, text, cps, pcds = bytearray(1024), b"", [0], b""
    pieces = [*pieces, (after_main, False)] if after_main else pieces
    for chars, compressed in pieces:
        fc = 1024 + len(text)
        raw = chars.encode("cp1252") if compressed else chars.encode("utf-16-le")
        pcds += struct.pack("<HIH", 0, fc * 2 | 0x40000000 if compressed else fc, 0)
        text += raw
        cps.append(cps[-1] + (len(raw) if compressed else len(raw) // 2))
    main = cps[-2] if after_main else cps[-1]
    plc = struct.pack(f"<{len(cps)}I", *cps) + pcds
    clx = b"\x01" + struct.pack("<h", 2) + b"\x00\x00" + b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<HHH", fib, 0, 0xA5EC, nfib, 0)
    struct.pack_into("<H", fib, 32, 14)  # csw: FibRgW97 is 14 words
    struct.pack_into("<Hi", fib, 62, 22, 0)  # cslw: FibRgLw97 is 22 longs
    struct.pack_into("<i", fib, 64 + 12, main)  # ccpText
    struct.pack_into("<H", fib, 152, 93)  # cbRgFcLcb: 93 (fc, lcb) pairs
    struct.pack_into("<II", fib, 154 + 8 * 33, 0, len(clx))  # fcClx, lcbClx in 0Table
    return _ole({"WordDocument": bytes(fib) + text, "0Table": clx})


def _owners(tasks: list[Task]) -> list[list[tuple[str, str]]]:
    return [[(a.name, a.role) for a in m.agencies] for t in tasks for m in t.measures]


# -- the seed plan, as .doc and as .wps ----------------------------------------------------------


@pytest.mark.parametrize("name", ["seed.doc", "seed.wps"])
def test_the_seed_plan_reads_as_from_its_text(name: str) -> None:
    read = read_bytes((FILES / name).read_bytes(), name)
    plan = parse_text(read.text, document=name)
    assert read.kind == KIND
    assert plan_facts(plan) == plan_facts(parse_file(PLAN_FILE))
    assert len(plan.tasks) == 54
    assert [(t.number, t.title) for t in plan.tasks[:2]] == [(1, "数字经济"), (2, "产业体系布局")]
    assert _owners(plan.tasks[:1]) == [[("市大数据局", "lead"), ("市工业和信息化局", "co")]]  # first 责任单位 leads
    assert [(g.value, g.unit) for g in plan.tasks[0].goals] == [(12, "%"), (3, "个")]
    # one paragraph per line of the source: task 1 is on its line 11, task 54 on its last line, 90
    assert [read.place_at(t.span[0]) for t in (plan.tasks[0], plan.tasks[-1])] == ["paragraph 11", "paragraph 90"]


def test_the_wps_file_is_not_a_copy_of_the_doc() -> None:
    doc, wps = (FILES / "seed.doc").read_bytes(), (FILES / "seed.wps").read_bytes()
    assert doc != wps
    assert all(len(b) < 150_000 for b in (doc, wps, (FILES / "table.doc").read_bytes()))


# -- a task-division table ------------------------------------------------------------------------


def test_a_task_division_table_in_a_doc() -> None:
    read = read_bytes((FILES / "table.doc").read_bytes(), "table.doc")
    plan = parse_text(read.text, document="table.doc")
    assert plan.document.title == "青岛市2026年数字政府建设重点任务分工方案"
    assert [(p.number, p.title) for p in plan.projects] == [(1, "夯实数字基础设施"), (2, "提升数字政府效能")]
    assert [(t.number, t.title, t.project.number) for t in plan.tasks] == [
        (1, "建设城市级算力调度平台,新增算力规模500PFlops", 1),
        (2, "推进千兆光网扩容,新建5G基站3000个", 1),
        (3, "推行“高效办成一件事”,新增集成办事场景20个", 2),
        (4, "建立政务信息化项目资金保障机制", 2),
        (5, "开展政务信息化项目绩效评价", 2),
    ]
    assert _owners(plan.tasks) == [
        [("市大数据局", "lead"), ("市发展改革委", "co"), ("市工业和信息化局", "co")],  # co owners one per line
        [("市工业和信息化局", "lead"), ("市大数据局", "lead"), ("各区市政府", "co")],  # two leads in one cell
        [("市行政审批局", "lead"), ("市大数据局", "co"), ("各区市政府", "co")],  # 市行政审批服务局, as the dictionary names it
        [("市财政局", "lead"), ("市大数据局", "co")],
        [("市财政局", "lead"), ("市审计局", "co"), ("市大数据局", "co")],  # its lead cell is merged down from task 4
    ]
    assert [(g.value, g.unit) for t in plan.tasks for g in t.goals] == [(3000, "个"), (20, "个")]
    assert [read.place_at(t.span[0]) for t in plan.tasks] == [f"table 1, row {n}" for n in (3, 4, 6, 7, 8)]
    assert [t.place for t in parse_file(FILES / "table.doc").tasks] == [f"table 1, row {n}" for n in (3, 4, 6, 7, 8)]
    assert read.place_at(read.text.index("夯实数字基础设施")) == "table 1, row 2"
    assert "一、夯实数字基础设施\n" in read.text  # the section row spanning the table: a heading line
    assert read.text.endswith("\n各牵头单位每季度末报送进展,报送方式见市大数据局网站。\n")  # a HYPERLINK field's result
    assert read.place_at(read.text.index("各牵头单位")) == "paragraph 3"
    assert "HYPERLINK" not in read.text and "example.gov.cn" not in read.text


# -- what LibreOffice does not write: 8-bit pieces, fields, control characters --------------------


def test_pieces_fields_and_control_characters() -> None:
    data = _word(
        [
            ("“Smart city” – €5\rOpen \x13 HYPERLINK \"https://example.org\" \x14link text\x15 and "
             "\x13 IF \x13 DATE \x14 2026\x15 = 2026 \x14yes\x15; see \x13 HYPERLINK \"#a\" \x14page \x13PAGE\x143\x15\x15", True),
            ("。\r数字青岛\x0b第二行\r带\x1e连字符与可选\x1f连字\x01图\x08\r分页前\x0c分页后\r姓名𠀀\r", False),
        ],
        after_main="脚注:不是正文。\r",
    )
    read = read_bytes(data, "built.doc")
    assert read.kind == KIND
    assert read.text == (
        "“Smart city” – €5\nOpen link text and yes; see page 3。\n数字青岛\n第二行\n带-连字符与可选连字图\n分页前\n分页后\n姓名𠀀\n"
    )
    assert [read.place_at(read.text.index(s)) for s in ("Open", "第二行", "分页后", "姓名")] == [
        "paragraph 2", "paragraph 3", "paragraph 6", "paragraph 7",
    ]


# -- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stream", "words"),
    [
        ("Workbook", "an Excel 97-2003 workbook (.xls/.et), not a Word document: save it as .xlsx"),
        ("Book", "an Excel 97-2003 workbook (.xls/.et), not a Word document: save it as .xlsx"),
        ("PowerPoint Document", "a PowerPoint 97-2003 presentation (.ppt/.dps), not a Word document: save it as PDF"),
        ("EncryptedPackage", "a password-protected Office file (an encrypted DOCX or XLSX): save an unprotected copy"),
        ("Contents", "an OLE2 compound file that is not a Word document (it holds Contents); save the plan as DOCX or PDF"),
    ],
)
def test_an_ole_file_that_is_not_a_word_document(stream: str, words: str) -> None:
    """The reader tells them by their streams, so a file holding the stream an .xls holds stands for an .xls."""
    with pytest.raises(PlanParseError) as caught:
        read_bytes(_ole({stream: b"\x09\x08\x10\x00"}), "plan.xls")
    assert str(caught.value) == f"plan.xls: {words}"


def _fib_at(data: bytes) -> int:
    """Where the WordDocument stream, which starts with the FIB, sits in the file."""
    with olefile.OleFileIO(data) as ole:
        entry = next(e for e in ole.direntries if e is not None and e.name == "WordDocument")
        return (entry.isectStart + 1) * ole.sectorsize


def test_an_encrypted_doc_is_refused() -> None:
    data = bytearray((FILES / "seed.doc").read_bytes())
    fib = _fib_at(bytes(data))
    assert data[fib : fib + 2] == b"\xec\xa5"
    data[fib + 0x0A + 1] |= 0x01  # fEncrypted, bit 8 of the flags word at 0x0A
    with pytest.raises(PlanParseError) as caught:
        read_bytes(bytes(data), "seed.doc")
    assert str(caught.value) == (
        "seed.doc: a password-protected (encrypted) Word 97-2003 document: save an unprotected copy"
    )


def test_a_word_95_document_is_refused() -> None:
    with pytest.raises(PlanParseError, match=r"a Word 6\.0/95 document \(FIB version 0x68\), older than Word 97: save it as \.docx"):
        read_bytes(_word([("一、总体要求\r", False)], nfib=0x68), "old.doc")


def test_a_truncated_doc_is_refused() -> None:
    with pytest.raises(PlanParseError) as caught:
        read_bytes((FILES / "seed.doc").read_bytes()[:3000], "seed.doc")
    message = str(caught.value)
    assert message.startswith("seed.doc: an OLE2 compound file (DOC, WPS, XLS …) that is corrupt or truncated (")
    assert message.endswith("); get the file again")


def test_a_doc_whose_piece_table_lies_outside_its_stream_is_refused() -> None:
    data = bytearray((FILES / "table.doc").read_bytes())
    fib = _fib_at(bytes(data))
    struct.pack_into("<I", data, fib + 154 + 8 * 33, 0x7FFF0000)  # fcClx far past the end of 1Table
    with pytest.raises(PlanParseError) as caught:
        read_bytes(bytes(data), "table.doc")
    assert str(caught.value).startswith(
        "table.doc: a Word 97-2003 document (.doc/.wps) that is corrupt or truncated (the Clx at 2147418112+"
    )
    assert str(caught.value).endswith("byte stream); get the file again")
