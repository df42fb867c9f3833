"""Quantitative targets: 力争…达到12%以上, 不少于300家, 6.5万架, 3100亿元, 100%的三级综合医院, 增长8%, 翻一番.

Numbers are normalised (6.5万 → 65000; 3100亿元 → 310000000000 元; 5.5万亿元 → 5500000000000 元);
percentages keep ``value: 12, unit: "%"``. The comparator comes from the words around the number, the
metric phrase from the clause it sits in.

Two kinds of target:

- a **level** to reach (网络零售额达到3100亿元): ``relative`` is false;
- a **change** from a base (增长8%, 下降22%, 提高2个百分点, 较2023年增长28%以上, 翻一番 = +100%):
  ``relative`` is true, ``direction`` says which way, and ``value`` is the size of the change, never
  negative — 下降22%以上 is ``value 22, direction "decrease", comparator ">="`` (a fall of at least 22%), so
  comparators read as the text does and are never flipped. ``base``/``base_year`` name what the change is
  measured from where the text says (较2023年, 比上年, 在2020年基础上, 同比).

``approximate`` marks X左右 (the comparator stays ``=``). ``deadline_year`` is the year a target is due by
(到2024年, 2025年底前, 到2027年底), found in the goal's own clause or else earlier in the measure (a leading
到2025年, holds for the goals after it); 年底前, 年内, 全年 and 今年 name the plan's own year.

Every step is local to a goal's number (at most ``_CLAUSE_REACH`` characters either side) or one pass over
the measure, so the finder is linear in its input.

It is longer than 400 lines because a target's reading is one pass over the clause (value, range,
scale, unit, comparator, change, base, deadline, metric), and each part needs the others' offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal

from graph_loader.models import Comparator, Direction
from graph_loader.text import TextView

# Longer units before their prefixes (个百分点 before 个, 吨标准煤 before 吨): the first alternative wins.
_UNITS = (
    "微克/立方米|平方米|平方公里|公里|千米|千瓦时|千瓦|兆瓦|万千瓦|美元|元|家|个百分点|百分点|个工作日|工作日|个|架|块|处|"
    "项|条|座|所|名|人次|人|户|台|套|张|吨标准煤|吨|亩|倍|场|件|款|部|类|支|只|辆|艘|根|头|路|核|轮|次|天|小时|"
    "GB|PB|TB|EFLOPS|PFLOPS|Gbps"
)
_UNIT_NAMES = {"个百分点": "百分点", "个工作日": "工作日"}
"""Units as stored: 2个百分点 is 2 百分点 (not 2 个), 90个工作日 is 90 工作日."""
# At most 19 digits (as many as int64 has) either side of the point: longer runs are not targets, and
# converting them to numbers takes quadratic time.
_NUMBER = r"\d{1,19}(?:\.\d{1,19})?"
_MAX_VALUE = 2**63 - 1
"""A value must fit a 64-bit integer (Neo4j's): 10-digit numbers of 亿 do, longer ones are no target."""
_SCALES = "万亿|万|亿"
_RANGE_MARK = "——|[-~～—–至到]"  # 8—10个, 10%-15%, 3～5家, 3至5家, 8到10个
_GOAL = re.compile(
    # Not the tail of another number, code or ordinal (5G-A, 第3批), nor the second half of a range.
    rf"(?<![\dA-Za-z.\-+~～第])(?<!\d[—–])"
    rf"(?P<value>{_NUMBER})"
    rf"(?:(?P<scale_min>{_SCALES})?(?P<unit_min>%)?(?:{_RANGE_MARK})(?P<value_max>{_NUMBER}))?"
    rf"(?P<scale>{_SCALES})?(?P<unit>%|{_UNITS})(?![A-Za-z\d])(?P<tail>以上|以内|以下|左右)?"
    r"|(?P<doubling>翻[一两二三]?番)(?P<doubling_tail>以上|左右)?"
)
_SCALE = {"万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000}
_DOUBLING = {"翻番": 100, "翻一番": 100, "翻两番": 300, "翻二番": 300, "翻三番": 700}
"""翻N番 as a change in per cent: ×2 is +100%, ×4 +300%, ×8 +700%."""
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
    "增长至": ">=",
    "增加到": ">=",
    "增加至": ">=",
    "增至": ">=",
    "扩大到": ">=",
    "扩大至": ">=",
    "达到": ">=",
    "达": ">=",
    "超过": ">",
    "高于": ">",
    "不超过": "<=",
    "不高于": "<=",
    "保持在": "=",
    "稳定在": "=",
    "控制在": "<=",
    "降至": "<=",
    "降低到": "<=",
    "降低至": "<=",
    "下降到": "<=",
    "下降至": "<=",
    "减少到": "<=",
    "减少至": "<=",
    "压减到": "<=",
    "压减至": "<=",
    "压缩到": "<=",
    "压缩至": "<=",
    "缩短到": "<=",
    "缩短至": "<=",
    "缩小到": "<=",
    "缩小至": "<=",
    "低于": "<",
}
"""Words just before a number that make it a level with a bound (提高到15% is a level, 提高15% a change)."""
_CHANGE_WORDS: dict[str, Direction] = {
    "增长": "increase",
    "提高": "increase",
    "提升": "increase",
    "增加": "increase",
    "上升": "increase",
    "扩大": "increase",
    "下降": "decrease",
    "降低": "decrease",
    "减少": "decrease",
    "压减": "decrease",
    "压缩": "decrease",
    "缩减": "decrease",
    "缩短": "decrease",
    "缩小": "decrease",
}
"""Verbs just before a number (or before its comparator word: 增长不低于8%) that make it a change."""


def _ending_with(words: list[str]) -> re.Pattern[str]:
    # Leftmost match wins, so 不低于 is taken whole rather than as 低于; ``$`` also allows one final line break.
    return re.compile(rf"(?P<word>{'|'.join(sorted(words, key=len, reverse=True))})了?$")


_BEFORE_WORD = _ending_with([*_WORD_COMPARATOR, *_CHANGE_WORDS])
_BEFORE_CHANGE = _ending_with(list(_CHANGE_WORDS))
_LONGEST_WORD = max(map(len, [*_WORD_COMPARATOR, *_CHANGE_WORDS])) + 1  # with its 了
_TAIL_COMPARATOR: dict[str, Comparator] = {"以上": ">=", "以内": "<=", "以下": "<="}
_CLAUSE_BREAK = re.compile('[。;,:、!?“”"()]')  # where the phrase before a number starts
_CLAUSE_END = re.compile("[。;,、!?()]")  # where the phrase after it ends
_CLAUSE_REACH = 120
"""How far from its number a goal's phrase reaches, at most, when no punctuation comes sooner.

Plans' clauses are short (the seed's longest is 52 characters; the phrases around its goals are at most
24); without the bound, a long unpunctuated run with many numbers would cost quadratic time and each
goal's text would run the length of the clause."""
_YEAR = r"(?:19|20)\d{2}"
_MONTH = r"(?:1[0-2]|[1-9])月"
# Deadline phrases inside a metric (2025年底前全市5G基站数 → 5G基站数).
_DEADLINE_WORDS = (
    rf"(?:到|至|截至|截止到|截止|于)?{_YEAR}年(?:年?底|年?末|{_MONTH}底?)?(?:前|以前|内)?"
    rf"|年底前|年内|今年|{_MONTH}(?:底|末)前?"
)
# Words that open a clause but are not part of what is measured.
_LEADING_WORDS = re.compile(
    r"^(力争|确保|全市|全年|基本|累计|新增|新建|建成|建设|高标准建设|完成|安装|打造|培育|上线|推动|实现|接入|"
    rf"发展|认定|开展|争创|支持|推出|引进|评选|的|全部|共|再|新|年均|{_DEADLINE_WORDS})"
)
# Words that close the phrase before a number but are not part of what is measured (产值实现3100亿元,
# 增加值年均增长8%).
_TRAILING_WORDS = re.compile("(?:年均|平均|分别|累计|实现|力争)$")
_BASE = re.compile(
    r"(?:(?:较|(?<![对相])比(?![重例率值])|相比|相较于?|对比)(?P<base>[^较比,]{1,16}?)(?:相比)?"
    r"|在(?P<foundation>[^在,]{1,16}?)的?基础上"
    r"|(?P<same_period>同比))$"
)
"""What a change is measured from: 较2023年, 比上年, 在2020年基础上, 同比 (the same period a year before)."""
_BASE_REACH = 24
_BASE_YEAR = re.compile(rf"^({_YEAR})年")
_DEADLINE = re.compile(
    rf"(?P<to>到|至|截至|截止到|截止|于)?(?<![\d.较比—\-~])(?P<year>{_YEAR})年"
    rf"(?P<when>年?底|年?末|上半年|下半年|{_MONTH}(?:底|末|份)?)?(?P<by>前|以前|内)?"
    r"|(?<![\d一二三四五六七八九十两几多每今明去前后近])(?P<this_year>年底|年末|年内|全年|本年度|本年)"
    r"|(?P<today>今年)"
    rf"|(?<![\d年])(?P<month>{_MONTH}(?:底|末))"
)
"""到2024年, 2025年底前, 到2027年底, 2021年9月底, 2025年,… (a year alone must have one of these around it);
年底前, 年内, 全年, 今年, 6月底: the plan's year."""
_PREDICATE = re.compile("实现|完成|达到|具备|接入|开通|使用|采用|纳入|配备|建立|建成|开展|通过|参与|上线|覆盖")
"""Where a share's predicate starts: 60%的二级综合医院|实现医保移动支付."""
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
    relative: bool = False
    direction: Direction | None = None
    base: str | None = None
    base_year: int | None = None
    deadline_year: int | None = None
    approximate: bool = False


@dataclass
class _Reading:
    """One goal as read from around its number, before the readings of its neighbours are applied."""

    value: int | float
    value_max: int | float | None
    unit: str
    comparator: Comparator
    metric: str
    start: int
    end: int
    number_start: int
    clause_start: int
    clause_end: int
    share: bool  # followed by 的: 60%的二级综合医院…, the metric follows the number
    relative: bool
    direction: Direction | None
    base: str | None
    approximate: bool
    predicate: str | None = None


def find_goals(clause: TextView, plan_year: int | None = None) -> list[FoundGoal]:
    """Every quantitative target in one measure's text, in order.

    ``plan_year`` (the plan's own year, from its title) is the deadline of 年底前, 年内, 全年 and 今年.
    """
    text = clause.text
    quoted = _quoted_mask(text)
    breaks = [b.start() for b in _CLAUSE_BREAK.finditer(text)]
    ends = [e.start() for e in _CLAUSE_END.finditer(text)]
    readings = []
    for m in _GOAL.finditer(text):
        if quoted[m.start()]:
            continue  # “10+1”, “151”: names of programmes, not targets
        if m.group("tail") in ("以上", "以下") and text[m.end() : m.end() + 1] == "的":
            continue  # 收入10万元以上的村: who is counted, not a target
        reading = _read(m, text, breaks, ends)
        if reading:
            readings.append(reading)
    _share_predicates(readings, text)
    deadlines = _deadlines(text, plan_year)
    deadline_starts = [start for start, _ in deadlines]
    found = []
    for r in readings:
        base_year = _BASE_YEAR.match(r.base) if r.base else None
        found.append(
            FoundGoal(
                text=text[r.start : r.end],
                value=r.value,
                value_max=r.value_max,
                unit=r.unit,
                comparator=r.comparator,
                metric=r.metric or None,
                start=r.start,
                end=r.end,
                relative=r.relative,
                direction=r.direction,
                base=r.base,
                base_year=int(base_year.group(1)) if base_year else None,
                deadline_year=_deadline_of(deadlines, deadline_starts, r.clause_start, r.clause_end),
                approximate=r.approximate,
            )
        )
    return found


def _read(m: re.Match[str], text: str, breaks: list[int], ends: list[int]) -> _Reading | None:
    """The goal at one match of ``_GOAL``, or None if its number is too large to be a target."""
    tail = m.group("tail") or m.group("doubling_tail")
    relative = False
    direction: Direction | None = None
    if m.group("doubling"):
        value: int | float = _DOUBLING[m.group("doubling")]
        value_max: int | float | None = None
        unit = "%"
        relative, direction = True, "increase"
    else:
        scale = _SCALE.get(m.group("scale") or "", 1)
        scale_min = _SCALE[m.group("scale_min")] if m.group("scale_min") else scale  # 1-2万个 is 1万 to 2万
        unit = _UNIT_NAMES.get(m.group("unit"), m.group("unit"))
        value = _number(m.group("value"), scale_min)
        value_max = _number(m.group("value_max"), scale) if m.group("value_max") else None
        if value > _MAX_VALUE or (value_max is not None and value_max > _MAX_VALUE):
            return None
        if value_max is not None and value_max < value:
            value, value_max = value_max, value
    clause_start = _clause_start(breaks, m.start())
    before = text[clause_start : m.start()]
    word = _BEFORE_WORD.search(before, max(0, len(before) - _LONGEST_WORD - 1))
    phrase_end = len(before)
    word_comparator: Comparator | None = None
    if word:
        phrase_end = word.start()
        if word.group("word") in _CHANGE_WORDS:
            relative, direction = True, _CHANGE_WORDS[word.group("word")]
        else:
            word_comparator = _WORD_COMPARATOR[word.group("word")]
            change = _BEFORE_CHANGE.search(before, max(0, phrase_end - _LONGEST_WORD), phrase_end)
            if change:  # 增长不低于8%
                relative, direction = True, _CHANGE_WORDS[change.group("word")]
                phrase_end = change.start()
    comparator: Comparator
    if value_max is not None:
        comparator = "between"
    elif tail in _TAIL_COMPARATOR:
        comparator = _TAIL_COMPARATOR[tail]
    elif word_comparator:
        comparator = word_comparator
    else:
        comparator = "="
    phrase, base = _without_base(before[:phrase_end]) if relative else (before[:phrase_end], None)
    metric_before = _trim_metric(_without_trailing_words(phrase))
    clause_end = _clause_end(ends, m.end(), len(text))
    metric_after = _trim_metric(text[m.end() : clause_end])
    share = text[m.end() : m.end() + 1] == "的"
    metric = metric_after if (share or not metric_before) else metric_before
    start, end = m.start(), m.end()
    if metric and metric == metric_before:
        start = clause_start + max(0, before.find(metric))
    elif metric:
        end = clause_end
    return _Reading(
        value=value,
        value_max=value_max,
        unit=unit,
        comparator=comparator,
        metric=metric,
        start=start,
        end=end,
        number_start=m.start(),
        clause_start=clause_start,
        clause_end=clause_end,
        share=share,
        relative=relative,
        direction=direction,
        base=base,
        approximate=tail == "左右",
    )


def _share_predicates(readings: list[_Reading], text: str) -> None:
    """Give shares listed with 、 the predicate their last one states.

    In 100%的三级综合医院、60%的二级综合医院实现医保移动支付 both shares are of hospitals that 实现医保移动支付;
    the first one's own words stop at the 、. One pass from the right, so a list of any length is linear.
    """
    for i in range(len(readings) - 1, -1, -1):
        r = readings[i]
        if not r.share or not r.metric:
            continue
        own = _PREDICATE.search(r.metric, 1)
        if own:
            r.predicate = r.metric[own.start() :]
            continue
        nxt = readings[i + 1] if i + 1 < len(readings) else None
        if (
            nxt is not None
            and nxt.share
            and nxt.predicate
            and text[r.clause_end : r.clause_end + 1] == "、"
            and not text[r.clause_end + 1 : nxt.number_start].strip()
        ):
            r.predicate = nxt.predicate
            r.metric = (r.metric + nxt.predicate)[:_MAX_METRIC]


def _deadlines(text: str, plan_year: int | None) -> list[tuple[int, int]]:
    """(offset, year) of every deadline phrase in ``text``, in order."""
    out = []
    for m in _DEADLINE.finditer(text):
        if m.group("year"):
            # A year alone (2023年以来, 2025年行动方案) is no deadline: it needs 到, 底, 前… or a comma after it.
            if m.group("to") or m.group("when") or m.group("by") or text[m.end() : m.end() + 1] == ",":
                out.append((m.start(), int(m.group("year"))))
        elif plan_year is not None:
            out.append((m.start(), plan_year))
    return out


def _deadline_of(deadlines: list[tuple[int, int]], starts: list[int], clause_start: int, clause_end: int) -> int | None:
    """The first deadline in the goal's clause, else the last one before it in the measure."""
    i = bisect_left(starts, clause_start)
    if i < len(deadlines) and deadlines[i][0] < clause_end:
        return deadlines[i][1]
    return deadlines[i - 1][1] if i else None


def _without_base(phrase: str) -> tuple[str, str | None]:
    """The phrase before a change without its base (较2023年), and the base as written (2023年)."""
    stripped = _without_trailing_words(phrase)
    m = _BASE.search(stripped, max(0, len(stripped) - _BASE_REACH))
    if not m:
        return phrase, None
    return stripped[: m.start()], m.group("base") or m.group("foundation") or "上年同期"


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


def _without_trailing_words(phrase: str) -> str:
    while m := _TRAILING_WORDS.search(phrase, max(0, len(phrase) - 3)):
        phrase = phrase[: m.start()]
    return phrase


def _trim_metric(phrase: str) -> str:
    phrase = phrase.strip().strip('“”"')
    while True:
        m = _LEADING_WORDS.match(phrase)
        if not m or m.end() == 0:
            break
        phrase = phrase[m.end() :]
    phrase = phrase.strip('“”" ')
    return phrase[:_MAX_METRIC]
