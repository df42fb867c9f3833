"""Chinese numerals read the way headings and people write them."""

from __future__ import annotations

import pytest

from graph_loader.numerals import cn_number, read_numeral


@pytest.mark.parametrize(("text", "number"), [
    ("一", 1), ("七", 7), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("一百", 100),
    ("一百零三", 103), ("一百一十", 110), ("三百二十一", 321),
])
def test_well_formed_numerals(text: str, number: int) -> None:
    assert read_numeral(text) == cn_number(text) == number


@pytest.mark.parametrize("text", ["", "零", "一二", "十十", "百", "二三十", "3", "一、", "第一"])
def test_what_is_not_a_numeral(text: str) -> None:
    assert read_numeral(text) is None
