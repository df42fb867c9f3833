"""Quantitative targets: 力争…达到12%以上, 不少于300家, 6.5万架, 3100亿元, 100%的三级综合医院.

Numbers are normalised (6.5万 → 65000; 3100亿元 → 310000000000 元); percentages
keep ``value: 12, unit: "%"``. The comparator comes from the words around the
number, the metric phrase from the clause it sits in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from graph_loader.text import TextView

_UNITS = (
    "平方米|平方公里|公里|千米|千瓦|兆瓦|万千瓦|元|家|个|架|块|处|项|条|座|所|名|人次|人|户|台|套|张|"
    "吨|亩|倍|场|件|款|部|类|支|只|辆|艘|根|GB|PB|TB|EFLOPS|PFLOPS|Gbps"
)
_NUMBER = r"\d+(?:\.\d+)?"
_GOAL = re.compile(
    rf"(?<![\dA-Za-z.\-+第])(?P<value>{_NUMBER})(?:(?P<range>[-~至到])(?P<value_max>{_NUMBER}))?"
    rf"(?P<scale>万|亿)?(?P<unit>%|{_UNITS})(?![A-Za-z\d])(?P<tail>以上|以内|以下|左右)?"
)
_SCALE = {"万": 10_000, "亿": 100_000_000}
_BEFORE_COMPARATOR = re.compile(
    r"(?P<word>不少于|不低于|不超过|不高于|至少|超过|高于|低于|突破|提高到|提高至|提升到|提升至|增长到|增至|达到|达)$"
)
_WORD_COMPARATOR = {
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
_TAIL_COMPARATOR = {"以上": ">=", "以内": "<=", "以下": "<="}
_CLAUSE_BREAK = '。;,:、!?“”"()'
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
    comparator: str
    metric: str | None
    start: int  # offsets into the clause view
    end: int


def find_goals(clause: TextView) -> list[FoundGoal]:
    """Every quantitative target in one measure's text, in order."""
    text = clause.text
    quoted = _quoted_mask(text)
    found = []
    for m in _GOAL.finditer(text):
        if quoted[m.start()]:
            continue  # “10+1”, “151”: names of programmes, not targets
        scale = _SCALE.get(m.group("scale") or "", 1)
        unit = m.group("unit")
        value = _number(m.group("value"), scale)
        value_max = _number(m.group("value_max"), scale) if m.group("value_max") else None
        clause_start = _clause_start(text, m.start())
        before = text[clause_start : m.start()]
        word = _BEFORE_COMPARATOR.search(before)
        if value_max is not None:
            comparator = "between"
        elif m.group("tail") in _TAIL_COMPARATOR:
            comparator = _TAIL_COMPARATOR[m.group("tail")]
        elif word:
            comparator = _WORD_COMPARATOR[word.group("word")]
        else:
            comparator = "="
        metric_before = _trim_metric(before[: word.start()] if word else before)
        clause_end = _clause_end(text, m.end())
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


def _clause_start(text: str, at: int) -> int:
    i = at
    while i > 0 and text[i - 1] not in _CLAUSE_BREAK:
        i -= 1
    return i


def _clause_end(text: str, at: int) -> int:
    i = at
    while i < len(text) and text[i] not in "。;,、!?()":
        i += 1
    return i


def _trim_metric(phrase: str) -> str:
    phrase = phrase.strip().strip('“”"')
    while True:
        m = _LEADING_WORDS.match(phrase)
        if not m or m.end() == 0:
            break
        phrase = phrase[m.end() :]
    phrase = phrase.strip('“”" ')
    return phrase[:_MAX_METRIC]
