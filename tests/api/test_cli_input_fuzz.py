"""Files no plan author writes: random and broken bytes, huge and endless files, 100,000 nested parentheses, 10,000 tasks.

Whatever the file, the parser returns a plan or raises PlanParseError, and
``policykg parse`` prints the plan or one line and exits 2, in bounded time:
files over MAX_INPUT_BYTES are refused before they are decoded.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.cli import app
from graph_loader import Plan, PlanParseError, decode, parse_file
from graph_loader.readers.text import MAX_INPUT_BYTES

from ..conftest import PLAN_FILE  # noqa: TID252

PLAN_BYTES = PLAN_FILE.read_bytes()
PLAN_TEXT = PLAN_BYTES.decode("utf-8")
TOO_LARGE = (
    f"the file is larger than 5 MiB ({MAX_INPUT_BYTES} bytes), the most a plan may have; give each plan its own file"
)
HEAD = "数字青岛2025年行动方案\n一、数据工程\n"


# -- files made of bytes ----------------------------------------------------------------------------------------


@st.composite
def _damaged_plan(draw: st.DrawFn) -> bytes:
    """A slice of the real plan in an encoding users have, then damaged: bytes flipped, cut, NUL, BOM."""
    start = draw(st.one_of(st.sampled_from([0, PLAN_TEXT.index("全文如下")]), st.integers(0, len(PLAN_TEXT))))
    end = draw(st.one_of(st.just(len(PLAN_TEXT)), st.integers(start, len(PLAN_TEXT))))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"]))
    data = bytearray(PLAN_TEXT[start:end].encode(encoding, errors="replace"))
    for _ in range(draw(st.sampled_from([0, 0, 1, 2, 3]))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        damage = draw(st.sampled_from(["flip", "cut", "nul", "bom"]))
        if damage == "flip":
            data[i] = draw(st.integers(0, 255))
        elif damage == "cut":
            del data[i:]
        elif damage == "nul":
            data.insert(i, 0)
        else:
            data[:0] = b"\xef\xbb\xbf"
    return bytes(data)


_FILES = st.one_of(st.binary(max_size=2000), _damaged_plan(), _damaged_plan(), _damaged_plan())


def _parse_bytes(tmp_path: Path, data: bytes) -> tuple[Path, Plan | PlanParseError]:
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    try:
        return path, parse_file(path)
    except PlanParseError as e:
        return path, e


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_FILES)
@example(PLAN_BYTES)
@example(PLAN_TEXT.encode("gb18030"))
@example(b"\xef\xbb\xbf" + PLAN_BYTES[:-7])
def test_any_file_gives_a_plan_or_a_one_line_error(tmp_path: Path, data: bytes) -> None:
    path, result = _parse_bytes(tmp_path, data)
    event("plan" if isinstance(result, Plan) else f"error: {result.reason.split(':')[0].split('(')[0]}")
    if isinstance(result, PlanParseError):
        assert result.reason and "\n" not in str(result)
        assert str(result).startswith((str(path), path.name))
        return
    text = decode(data)  # spans index the text as decoded from the file
    assert result.tasks
    for task in result.tasks:
        assert text[task.span[0] : task.span[1]] == task.source_text
        for m in task.measures:
            for a in m.agencies:
                assert text[a.span[0] : a.span[1]] == a.raw


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_FILES)
@example(PLAN_BYTES)
@example(b"\x81\x30\xff\xfe\xfd")
def test_the_cli_prints_a_plan_or_one_line_and_exits_2(tmp_path: Path, data: bytes) -> None:
    path, parsed = _parse_bytes(tmp_path, data)
    result = CliRunner().invoke(app, ["parse", str(path), "--format", "json"])
    if isinstance(parsed, PlanParseError):
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"policykg: {parsed}\n")
    else:
        assert result.exit_code == 0, result.stderr
        assert f'"title": "{parsed.document.title}"' in result.stdout
        assert all(line.startswith("warning: ") for line in result.stderr.splitlines())


# -- size ---------------------------------------------------------------------------------------------------------


def _cli_subprocess(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, timeout=120
    )
    return done, time.perf_counter() - started


def test_a_20_mb_file_is_refused_at_once(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_bytes(PLAN_BYTES * (20_000_000 // len(PLAN_BYTES) + 1))  # 20 MB of real plans, one after another
    done, seconds = _cli_subprocess("parse", str(huge))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"policykg: {huge}: {TOO_LARGE}\n")
    assert seconds < 30


def test_an_endless_device_is_refused_without_reading() -> None:
    done, seconds = _cli_subprocess("parse", "/dev/zero")
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "policykg: /dev/zero: is a character device, not a regular file\n"
    )
    assert seconds < 30


def test_the_limit_is_on_bytes_inclusive() -> None:
    assert decode(b"a" * MAX_INPUT_BYTES) == "a" * MAX_INPUT_BYTES
    try:
        decode(b"a" * (MAX_INPUT_BYTES + 1), "big.txt")
    except PlanParseError as e:
        assert str(e) == f"big.txt: {TOO_LARGE}"
    else:
        raise AssertionError("a file over the limit was decoded")


def test_the_largest_file_accepted_parses_in_bounded_time(tmp_path: Path) -> None:
    copies = MAX_INPUT_BYTES // len(PLAN_BYTES)
    largest = tmp_path / "largest.txt"
    largest.write_bytes(PLAN_BYTES * copies)
    assert MAX_INPUT_BYTES - len(PLAN_BYTES) < largest.stat().st_size <= MAX_INPUT_BYTES
    started = time.perf_counter()
    plan = parse_file(largest)
    seconds = time.perf_counter() - started
    assert len(plan.tasks) == 54 * copies
    assert [t.title for t in plan.tasks[54:108]] == [t.title for t in plan.tasks[:54]]
    assert seconds < 120


# -- shape --------------------------------------------------------------------------------------------------------


def test_100000_nested_parentheses(tmp_path: Path) -> None:
    nested = "(" * 100_000 + "市大数据局" + ")" * 100_000
    wrapped = "(" * 100_000 + "(责任单位:市大数据局、市公安局)" + ")" * 100_000
    path = tmp_path / "nested.txt"
    path.write_text(
        HEAD
        + f"1.嵌套文本。推进{nested}。(责任单位:市大数据局、市公安局)\n"
        + f"2.嵌套责任。推进{wrapped}\n"
        + "3.其后任务。推进。(责任单位:市公安局)\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    plan = parse_file(path)
    seconds = time.perf_counter() - started
    owners = [[[(a.name, a.role) for a in m.agencies] for m in t.measures] for t in plan.tasks]
    assert owners == [
        [[("市大数据局", "lead"), ("市公安局", "co")]],
        [[]],  # a responsibility inside other parentheses is text, not an owner
        [[("市公安局", "lead")]],
    ]
    assert plan.warnings == ["line 4: task 2 has text with no responsible unit"]
    assert seconds < 30
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 0 and "3 tasks, 3 measures" in result.stdout


def test_10000_tasks(tmp_path: Path) -> None:
    path = tmp_path / "tasks.txt"
    path.write_text(
        HEAD + "".join(f"{i}.任务{i}。推进数据工作,新增不少于{i}个场景。(责任单位:市大数据局、市公安局)\n" for i in range(1, 10_001)),
        encoding="utf-8",
    )
    started = time.perf_counter()
    plan = parse_file(path)
    seconds = time.perf_counter() - started
    assert len(plan.tasks) == 10_000 and not plan.warnings
    assert [t.number for t in plan.tasks] == list(range(1, 10_001))
    assert [t.title for t in plan.tasks[::2500]] == ["任务1", "任务2501", "任务5001", "任务7501"]
    assert {tuple((a.name, a.role) for a in t.measures[0].agencies) for t in plan.tasks} == {
        (("市大数据局", "lead"), ("市公安局", "co"))
    }
    assert [(g.value, g.unit, g.comparator) for t in plan.tasks[-2:] for g in t.goals] == [
        (9999, "个", ">="), (10000, "个", ">="),
    ]
    assert seconds < 60
