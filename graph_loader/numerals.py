"""Chinese numerals as headings and people write them: 一、 十二、 (一百零三)."""

from __future__ import annotations

import re

CN_DIGITS = "零一二三四五六七八九"
CN_NUMERAL = "[一二三四五六七八九十百零]+"
"""A run of numeral characters (a heading's number); :func:`read_numeral` checks that it is a well-formed one."""


def read_numeral(text: str) -> int | None:
    """A Chinese numeral as a number (一 → 1, 十二 → 12, 一百零三 → 103), or None when ``text`` is not one (一二)."""
    if not text or not re.fullmatch(CN_NUMERAL, text):
        return None
    number = cn_number(text)
    return number if _numeral(number) == text else None


def _numeral(number: int) -> str:
    """The usual way to write ``number`` (1-999) in Chinese numerals: 十二, 二十, 一百零三, 一百一十."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    out = f"{CN_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else CN_DIGITS[tens]) + "十"
    elif hundreds and units:
        out += "零"
    return out + (CN_DIGITS[units] if units else "")


def cn_number(numeral: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零三 → 103."""
    total, current = 0, 0
    for c in numeral:
        if c == "百":
            total += (current or 1) * 100
            current = 0
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS.index(c)
    return total + current
