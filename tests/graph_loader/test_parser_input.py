"""What the parser is handed: files that are not regular files, encodings, and inputs as large as allowed.

Parse time must be linear in the input (DESIGN.md, "At corpus scale"): the big inputs below took
minutes to hours when a run of text cost quadratic time, and take seconds now. The timeouts only
catch that; they are not speed targets.
"""

from __future__ import annotations

import codecs
import gc
import os
import random
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph_loader import Plan, PlanParseError, decode, parse_file, parse_text
from graph_loader.readers.text import MAX_INPUT_BYTES

PLAN_FILE = Path(__file__).resolve().parents[2] / "source_text" / "digital-qingdao-2025.txt"
PLAN_TEXT = PLAN_FILE.read_text(encoding="utf-8")
HEAD = "数字测试2025年行动方案\n一、实施工程\n1."
OWNERS = "(责任单位:市大数据局)"
MB = 1_000_000


def _without_document(plan: Plan) -> dict[str, object]:
    return plan.model_dump(exclude={"document"})


# -- large inputs -------------------------------------------------------------------------------------------------


def _one_character(chars: int) -> str:
    return "建" * chars


def _random_han(chars: int) -> str:
    rnd = random.Random(7)
    return "".join(chr(rnd.randint(0x4E00, 0x9FA5)) for _ in range(chars))


def _latin(chars: int) -> str:
    return "abc" * (chars // 3)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("body", [_one_character, _random_han, _latin], ids=["one character", "random Han", "Latin"])
def test_a_1_mb_task_body_without_punctuation(body: Callable[[int], str]) -> None:
    chars = MB * 3 // len(body(3).encode())
    text = body(chars)
    source = HEAD + text + OWNERS + "\n"
    plan = parse_text(source)
    assert len(HEAD.encode()) + len(text.encode()) >= MB
    assert [t.number for t in plan.tasks] == [1]
    (measure,) = plan.tasks[0].measures
    assert source[slice(*measure.span)] == text  # measure.text is its Simplified form
    assert len(measure.text) == len(text)
    assert [(a.name, a.role) for a in measure.agencies] == [("市大数据局", "lead")]
    assert plan.tasks[0].goals == [] and plan.tasks[0].topics == []
    assert plan.warnings == []


@pytest.mark.timeout(120)
def test_100000_goals_in_one_unpunctuated_clause() -> None:
    # Each goal's phrase reaches back to the clause's start; it used to be scanned (and copied) once a goal.
    plan = parse_text(HEAD + "新建" + "1个和" * 100_000 + "2家。" + OWNERS + "\n")
    goals = plan.tasks[0].goals
    assert len(goals) == 100_001
    assert (goals[0].value, goals[0].unit, goals[0].comparator) == (1, "个", "=")
    assert (goals[-1].value, goals[-1].unit) == (2, "家")
    assert max(g.span[1] - g.span[0] for g in goals) <= 2 * 120 + len("1个")  # a goal is local to its number
    assert [a.name for a in plan.tasks[0].measures[0].agencies] == ["市大数据局"]


@pytest.mark.timeout(120)
def test_a_1_mb_line_of_real_clauses() -> None:
    # The seed's task texts (owners included) on one line, as one task: many measures, goals and topics.
    tasks = parse_file(PLAN_FILE).tasks
    clauses = [
        m.text + PLAN_TEXT[slice(*m.responsibility_span)].replace("\n", "")
        for t in tasks
        for m in t.measures
        if m.responsibility_span
    ]
    line = "".join(clauses)
    copies = MB // len(line.encode()) + 1
    plan = parse_text(HEAD + "长行。" + line * copies + "\n")
    (task,) = plan.tasks
    per_copy = sum(len(t.measures) for t in tasks)
    assert len(task.measures) == per_copy * copies
    assert [a.name for a in task.measures[-1].agencies] == [a.name for a in tasks[-1].measures[-1].agencies]
    assert len(task.goals) == sum(len(t.goals) for t in tasks) * copies
    assert "人工智能" in {t.name for t in task.topics}


def test_a_task_number_then_a_decimal_on_the_next_line() -> None:
    # 1. alone on its line, then 2.0…: the joined heading 1.2.0 no longer matches the task pattern.
    plan = parse_text("青岛市2026年行动方案\n一、工程\n1.\n2.0平台建设。推进。(责任单位:市大数据局)\n")
    assert [(t.number, t.title) for t in plan.tasks] == [(1, "2.0平台建设")]


def test_the_collector_is_paused_only_while_parsing() -> None:
    source = HEAD + "任务。内容。" + OWNERS + "\n"
    assert gc.isenabled()
    parse_text(source)
    assert gc.isenabled()
    with pytest.raises(PlanParseError):
        parse_text("今天天气很好。")
    assert gc.isenabled()
    gc.disable()
    try:
        parse_text(source)
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()


def test_parsing_makes_no_reference_cycles() -> None:
    # Why pausing the collector frees everything all the same: nothing the parse drops needs it.
    gc.collect()
    gc.disable()
    try:
        plan = parse_file(PLAN_FILE)
        del plan
        with pytest.raises(PlanParseError):
            parse_text("青岛市行动方案\n一、总体要求\n坚持问题导向。\n")
        assert gc.collect() == 0
    finally:
        gc.enable()


# -- only regular files are read ----------------------------------------------------------------------------------


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "plan.fifo"
    os.mkfifo(path)
    return path


def _directory(tmp_path: Path) -> Path:
    path = tmp_path / "plans"
    path.mkdir()
    return path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        yield path


def _parse_within_a_second(path: Path) -> PlanParseError:
    """parse_file's error; a hang fails the test (the reading thread is released, not left behind)."""
    outcome: list[BaseException | Plan] = []

    def run() -> None:
        try:
            outcome.append(parse_file(path))
        except BaseException as e:  # noqa: BLE001 — whatever it is, the test below reports it
            outcome.append(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=1)
    if thread.is_alive():
        if path.is_fifo():  # a writer that closes gives the blocked reader its end of file
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(timeout=5)
        pytest.fail(f"parse_file({path}) did not return within a second")
    (result,) = outcome
    assert isinstance(result, PlanParseError), result
    return result


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (_fifo, "is a FIFO (named pipe), not a regular file"),
        (_directory, "is a directory, not a regular file"),
        (lambda _: Path("/dev/null"), "is a character device, not a regular file"),
        (lambda _: Path("/dev/zero"), "is a character device, not a regular file"),
    ],
    ids=["fifo", "directory", "/dev/null", "/dev/zero"],
)
def test_only_regular_files_are_read(tmp_path: Path, make: Callable[[Path], Path], what: str) -> None:
    path = make(tmp_path)
    error = _parse_within_a_second(path)
    assert str(error) == f"{path}: {what}"
    assert (error.document, error.reason, error.line, error.offset) == (str(path), what, None, None)


def test_a_unix_socket_is_refused(unix_socket: Path) -> None:
    assert str(_parse_within_a_second(unix_socket)) == f"{unix_socket}: is a socket, not a regular file"


def test_a_fifo_put_in_place_after_the_first_check_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The race: the path is a regular file when stat() looks, a FIFO when it is opened.
    fifo, regular = _fifo(tmp_path), tmp_path / "plan.txt"
    regular.write_text(PLAN_TEXT, encoding="utf-8")
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: real_stat(regular if Path(p) == fifo else p, *a, **k))
    assert str(_parse_within_a_second(fifo)) == f"{fifo}: is a FIFO (named pipe), not a regular file"


def test_a_missing_file() -> None:
    with pytest.raises(PlanParseError) as info:
        parse_file("/nonexistent/plan.txt")
    assert str(info.value) == "/nonexistent/plan.txt: cannot read the file: No such file or directory"


# -- encodings ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),  # Windows Notepad's "Unicode"
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
    ],
)
def test_a_file_with_a_byte_order_mark_parses_like_utf8(tmp_path: Path, bom: bytes, codec: str) -> None:
    path = tmp_path / f"plan-{codec}.txt"
    path.write_bytes(bom + PLAN_TEXT.encode(codec))
    assert decode(path.read_bytes()) == PLAN_TEXT  # the mark is not text, so spans index the same text
    plan, utf8 = parse_file(path), parse_file(PLAN_FILE)
    assert _without_document(plan) == _without_document(utf8)
    assert len(plan.tasks) == 54
    assert plan.document.model_dump(exclude={"source"}) == utf8.document.model_dump(exclude={"source"})


def _bad_gbk() -> tuple[bytes, int, int]:
    """The seed in GBK with a byte no GB18030 text has at the start of its third line from the end."""
    at = PLAN_TEXT.rindex("\n", 0, PLAN_TEXT.rindex("\n", 0, len(PLAN_TEXT) - 1)) + 1
    head = PLAN_TEXT[:at].encode("gbk")
    return head + b"\xff" + PLAN_TEXT[at:].encode("gbk"), len(head), PLAN_TEXT[:at].count("\n") + 1


def _bad_utf8() -> tuple[bytes, int, int]:
    at = len(PLAN_TEXT) - 10
    head = PLAN_TEXT[:at].encode("utf-8")
    return head + b"\xff" + PLAN_TEXT[at:].encode("utf-8"), len(head), PLAN_TEXT[:at].count("\n") + 1


def test_the_bad_byte_of_a_gbk_file_is_where_gb18030_stops() -> None:
    data, at, line = _bad_gbk()
    assert at > 0.9 * len(data) and data[at] == 0xFF
    with pytest.raises(PlanParseError) as info:
        decode(data, "plan-gbk.txt")
    assert str(info.value) == (
        f"plan-gbk.txt, line {line}, offset {at}: cannot decode as UTF-8, GB18030/GBK or Big5: GB18030 stops at byte {at}"
    )
    assert (info.value.line, info.value.offset) == (line, at)


_UTF8_BAD = _bad_utf8()


@pytest.mark.parametrize(
    ("data", "reason", "line", "offset"),
    [
        (
            _UTF8_BAD[0],
            f"cannot decode as UTF-8, GB18030/GBK or Big5: UTF-8 stops at byte {_UTF8_BAD[1]}",
            _UTF8_BAD[2],
            _UTF8_BAD[1],
        ),
        (
            codecs.BOM_UTF8 + "青岛".encode() + b"\xff",
            "cannot decode as UTF-8 (the file starts with its byte order mark): stops at byte 9",  # from the start
            None,
            9,
        ),
        (b"\x81\x30\xff\xfe\xfd", "cannot decode as UTF-8, GB18030/GBK or Big5: UTF-8 stops at byte 0", 1, 0),
        (
            codecs.BOM_UTF16_LE + "青岛".encode("utf-16-le") + b"\x00",
            "cannot decode as UTF-16LE (the file starts with its byte order mark): stops at byte 6",
            None,
            6,
        ),
        (
            codecs.BOM_UTF32_LE + "青岛".encode("utf-32-le") + b"\x00\x00\x11\x00",  # past U+10FFFF
            "cannot decode as UTF-32LE (the file starts with its byte order mark): stops at byte 12",
            None,
            12,
        ),
        (
            codecs.BOM_UTF32_BE + b"\x00\x11\x00\x00",
            "cannot decode as UTF-32BE (the file starts with its byte order mark): stops at byte 4",
            None,
            4,
        ),
        (b"", "the file is empty", None, None),
        (b"\n\n  \n", "the file is empty", None, None),
        (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "the file is empty", None, None),
        (b"abc\x00def", "not a text file, nor a type policykg reads (it contains NUL bytes); give the plan as text, HTML,"
                        " PDF, DOCX, DOC/WPS, OFD or XLSX", None, None),
        (
            codecs.BOM_UTF16_BE + "a\x00b".encode("utf-16-be"),
            "not a text file (it contains NUL characters)",
            None,
            None,
        ),
        (
            b"a" * (MAX_INPUT_BYTES + 1),
            f"the file is larger than 5 MiB ({MAX_INPUT_BYTES} bytes), the most a plan may have; give each plan its own file",
            None,
            None,
        ),
    ],
    ids=[
        "utf-8 bad near the end",
        "utf-8 with BOM",
        "both fail at once",
        "utf-16 odd length",
        "utf-32le beyond unicode",
        "utf-32be beyond unicode",
        "empty",
        "blank",
        "utf-16 blank",
        "NUL byte",
        "utf-16 NUL",
        "too large",
    ],
)
def test_undecodable_input(data: bytes, reason: str, line: int | None, offset: int | None) -> None:
    with pytest.raises(PlanParseError) as info:
        decode(data, "f.txt")
    where = (
        "f.txt" + (f", line {line}" if line is not None else "") + (f", offset {offset}" if offset is not None else "")
    )
    assert str(info.value) == f"{where}: {reason}"
    assert (info.value.reason, info.value.line, info.value.offset) == (reason, line, offset)


def test_utf32_is_not_taken_for_utf16() -> None:
    # FF FE 00 00 starts both marks; read as UTF-16 it would begin with a NUL and then garble every character.
    assert decode(codecs.BOM_UTF32_LE + "青岛市".encode("utf-32-le")) == "青岛市"


def test_windows_line_breaks_count_once() -> None:
    source = "青岛市2026年行动方案\r\n一、工程\r\n1.甲。内容。(责任单位:市大数据局)\r\n2.乙。没有责任单位的内容\r\n"
    plan = parse_text(source)
    assert plan.warnings == ["line 4: task 2 has text with no responsible unit"]
    assert plan.tasks[1].text == "乙。没有责任单位的内容"
