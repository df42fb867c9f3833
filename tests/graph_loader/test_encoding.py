"""Reading files the way users have them, and the CLI's answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader import PlanParseError, decode, parse_file

from ..conftest import PLAN_FILE  # noqa: TID252  (importlib mode resolves the package-less tests dir)


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


def test_utf16_with_a_bom_is_read_as_windows_notepad_saves_it() -> None:
    assert decode("青岛".encode("utf-16"), "f.txt") == "青岛"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"abc\x00def", "NUL"),
        (b"\x81\x30\xff\xfe\xfd", "cannot decode"),
    ],
)
def test_undecodable_input(data: bytes, reason: str) -> None:
    with pytest.raises(PlanParseError) as info:
        decode(data, "f.txt")
    assert reason in str(info.value)
