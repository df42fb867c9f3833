"""Reading files the way users have them, and the CLI's answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph_loader import PlanParseError, decode, parse_file

from ..conftest import PLAN_FILE  # noqa: TID252  (importlib mode resolves the package-less tests dir)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph_loader.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_gbk_file_parses_like_utf8(tmp_path: Path) -> None:
    text = PLAN_FILE.read_text(encoding="utf-8")
    gbk = tmp_path / "plan-gbk.txt"
    gbk.write_bytes(text.encode("gbk"))
    from_gbk = parse_file(gbk)
    from_utf8 = parse_file(PLAN_FILE)
    assert from_gbk.model_dump(exclude={"document"}) == from_utf8.model_dump(exclude={"document"})
    assert from_gbk.document.title == from_utf8.document.title


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    text = PLAN_FILE.read_text(encoding="utf-8")
    bom = tmp_path / "plan-bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert decode(bom.read_bytes()) == text
    assert parse_file(bom).tasks[0].span == parse_file(PLAN_FILE).tasks[0].span


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        ("青岛".encode("utf-16"), "UTF-16"),
        (b"abc\x00def", "NUL"),
        (b"\x81\x30\xff\xfe\xfd", "cannot decode"),
    ],
)
def test_undecodable_input(data: bytes, reason: str) -> None:
    with pytest.raises(PlanParseError) as info:
        decode(data, "f.txt")
    assert reason in str(info.value)


def test_cli_json_follows_the_contract() -> None:
    result = _cli("parse", str(PLAN_FILE), "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["document"] | {"id": None} == out["document"] | {
        "id": None,
        "title": "数字青岛2025年行动方案",
        "year": 2025,
        "jurisdiction": "青岛",
    }
    task3 = out["tasks"][2]
    assert task3["number"] == 3 and task3["title"] == "产业集群培育"
    assert task3["project"]["number"] == 1 and task3["project"]["title"] == "实施数字经济提质工程"
    assert task3["section"]["number"] == 2 and task3["section"]["title"] == "推动数字产业化"
    assert out["tasks"][50]["section"] is None
    first = out["tasks"][0]["measures"][0]["agencies"][0]
    assert {k: first[k] for k in ("name", "role", "generic", "raw")} == {
        "name": "市大数据局",
        "role": "lead",
        "generic": False,
        "raw": "市\n大数据局",
    }
    goal = out["tasks"][3]["goals"][0]
    assert (goal["value"], goal["unit"], goal["comparator"]) == (300, "家", ">=")
    text = PLAN_FILE.read_text(encoding="utf-8")
    assert text[goal["span"][0] : goal["span"][1]] == goal["text"]
    assert {"name": "人工智能", "terms": ["人工智能"]} in out["tasks"][1]["topics"]
    assert len(out["agencies"]) == 59 and {"name", "kind"} <= out["agencies"][0].keys()


def test_cli_table_is_for_people() -> None:
    result = _cli("parse", str(PLAN_FILE))
    assert result.returncode == 0
    assert "7 projects, 20 sections, 54 tasks, 69 measures, 59 agencies" in result.stdout
    assert "市大数据局[牵头]、市工业和信息化局[配合]" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02", "not a text file"),
        ("新闻一则:今天举行了会议。".encode(), "no plan structure"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = _cli("parse", str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr


def test_cli_missing_file(tmp_path: Path) -> None:
    result = _cli("parse", str(tmp_path / "nope.txt"))
    assert result.returncode == 2
    assert "cannot read the file" in result.stderr
