"""Quantitative targets: 力争…达到12%以上, 不少于300家, 6.5万架, 3100亿元, 100%的三级综合医院.

Numbers are normalised (6.5万 → 65000; 3100亿元 → 310000000000 元); percentages
keep ``value: 12, unit: "%"``. The comparator comes from the words around the
number, the metric phrase from the clause it sits in.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal

from graph_loader.models import Comparator
from graph_loader.text import TextView

_UNITS = (
    "平方米|平方公里|公里|千米|千瓦|兆瓦|万千瓦|元|家|个|架|块|处|项|条|座|所|名|人次|人|户|台|套|张|"
    "吨|亩|倍|场|件|款|部|类|支|只|辆|艘|根|GB|PB|TB|EFLOPS|PFLOPS|Gbps"
)
# At most 19 digits (as many as int64 has) either side of the point: longer runs are not targets, and
# converting them to numbers takes quadratic time.
_NUMBER = r"\d{1,19}(?:\.\d{1,19})?"
_MAX_VALUE = 2**63 - 1
"""A value must fit a 64-bit integer (Neo4j's): 10-digit numbers of 亿 do, longer ones are no target."""
_GOAL = re.compile(
    rf"(?<![\dA-Za-z.\-+第])(?P<value>{_NUMBER})(?:(?P<range>[-~至到])(?P<value_max>{_NUMBER}))?"
    rf"(?P<scale>万|亿)?(?P<unit>%|{_UNITS})(?![A-Za-z\d])(?P<tail>以上|以内|以下|左右)?"
)
_SCALE = {"万": 10_000, "亿": 100_000_000}
_BEFORE_COMPARATOR = re.compile(
    r"(?P<word>不少于|不低于|不超过|不高于|至少|超过|高于|低于|突破|提高到|提高至|提升到|提升至|增长到|增至|达到|达)$"
)
_WORD_COMPARATOR: dict[str, Comparator] = {
    "不少于": ">=",
    "不低于": ">=",
    "至少": ">=",
    "突破": ">=",
    "提高到": ">=",
    "提高至": ">=",
    "提升到": ">=",
    "提升至": ">=",
    "增长到": ">=",
    "增至": ">=",
    "达到": ">=",
    "达": ">=",
    "超过": ">",
    "高于": ">",
    "不超过": "<=",
    "不高于": "<=",
    "低于": "<",
}
_TAIL_COMPARATOR: dict[str, Comparator] = {"以上": ">=", "以内": "<=", "以下": "<="}
_LONGEST_WORD = max(map(len, _WORD_COMPARATOR))
_CLAUSE_BREAK = re.compile('[。;,:、!?“”"()]')  # where the phrase before a number starts
_CLAUSE_END = re.compile("[。;,、!?()]")  # where the phrase after it ends
_CLAUSE_REACH = 120
"""How far from its number a goal's phrase reaches, at most, when no punctuation comes sooner.

Plans' clauses are short (the seed's longest is 52 characters; the phrases around its goals are at most
24); without the bound, a long unpunctuated run with many numbers would cost quadratic time and each
goal's text would run the length of the clause."""
# Words that open a clause but are not part of what is measured.
_LEADING_WORDS = re.compile(
    r"^(力争|确保|全市|全年|基本|累计|新增|新建|建成|建设|高标准建设|完成|安装|打造|培育|上线|推动|实现|接入|"
    r"发展|认定|开展|争创|支持|推出|引进|评选|的|全部|共|再|新|年均|到2025年|到2026年|到2027年)"
)
_MAX_METRIC = 40


@dataclass(frozen=True)
class FoundGoal:
    text: str
    value: int | float
    value_max: int | float | None
    unit: str
    comparator: Comparator
    metric: str | None
    start: int  # offsets into the clause view
    end: int


def find_goals(clause: TextView) -> list[FoundGoal]:
    """Every quantitative target in one measure's text, in order."""
    text = clause.text
    quoted = _quoted_mask(text)
    breaks = [b.start() for b in _CLAUSE_BREAK.finditer(text)]
    ends = [e.start() for e in _CLAUSE_END.finditer(text)]
    found = []
    for m in _GOAL.finditer(text):
        if quoted[m.start()]:
            continue  # “10+1”, “151”: names of programmes, not targets
        scale = _SCALE.get(m.group("scale") or "", 1)
        unit = m.group("unit")
        value = _number(m.group("value"), scale)
        value_max = _number(m.group("value_max"), scale) if m.group("value_max") else None
        if value > _MAX_VALUE or (value_max is not None and value_max > _MAX_VALUE):
            continue
        clause_start = _clause_start(breaks, m.start())
        before = text[clause_start : m.start()]
        # The comparator word ends the phrase (``$`` also allows one final line break).
        window = max(0, len(before) - _LONGEST_WORD - 1)
        word = _BEFORE_COMPARATOR.search(before, window)
        comparator: Comparator
        if value_max is not None:
            comparator = "between"
        elif m.group("tail") in _TAIL_COMPARATOR:
            comparator = _TAIL_COMPARATOR[m.group("tail")]
        elif word:
            comparator = _WORD_COMPARATOR[word.group("word")]
        else:
            comparator = "="
        metric_before = _trim_metric(before[: word.start()] if word else before)
        clause_end = _clause_end(ends, m.end(), len(text))
        metric_after = _trim_metric(text[m.end() : clause_end])
        followed_by_de = text[m.end() : m.end() + 1] == "的"
        metric = metric_after if (followed_by_de or not metric_before) else metric_before
        start, end = m.start(), m.end()
        if metric and metric == metric_before:
            start = clause_start + max(0, before.find(metric))
        elif metric:
            end = clause_end
        found.append(
            FoundGoal(
                text=text[start:end],
                value=value,
                value_max=value_max,
                unit=unit,
                comparator=comparator,
                metric=metric or None,
                start=start,
                end=end,
            )
        )
    return found


def _number(digits: str, scale: int) -> int | float:
    """Exact decimal arithmetic, so 6.5万 is 65000 and not 65000.00000000001."""
    value = Decimal(digits) * scale
    return int(value) if value == value.to_integral_value() else float(value)


def _quoted_mask(text: str) -> list[bool]:
    mask, inside = [], False
    for c in text:
        if c == "“":
            inside = True
        mask.append(inside)
        if c == "”":
            inside = False
    return mask


def _clause_start(breaks: list[int], at: int) -> int:
    """Just after the last clause break before ``at`` (``breaks``: their offsets, ascending), within reach."""
    i = bisect_left(breaks, at)
    start = breaks[i - 1] + 1 if i else 0
    return max(start, at - _CLAUSE_REACH)


def _clause_end(ends: list[int], at: int, length: int) -> int:
    """The first clause end at or after ``at``, within reach."""
    i = bisect_left(ends, at)
    end = ends[i] if i < len(ends) else length
    return min(end, at + _CLAUSE_REACH)


def _trim_metric(phrase: str) -> str:
    phrase = phrase.strip().strip('“”"')
    while True:
        m = _LEADING_WORDS.match(phrase)
        if not m or m.end() == 0:
            break
        phrase = phrase[m.end() :]
    phrase = phrase.strip('“”" ')
    return phrase[:_MAX_METRIC]
