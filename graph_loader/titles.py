"""What a plan's title says of it: its year and its jurisdiction.

数字青岛2025年行动方案 → 2025, 青岛; 威海市数字威海建设行动计划(2026年) → 2026, 威海;
江苏省数字经济三年行动计划(2025-2027年) → 2025 (the first year of a range), 江苏.
"""

from __future__ import annotations

import re

from graph_loader.dictionary import PROVINCES

# The first year of a range is the plan's: 三年行动计划(2025-2027年) is 2025's.
_YEAR = re.compile(r"(?P<year>(19|20)\d{2})(\s*[-—–~至]\s*(19|20)\d{2})?年")
_PREFIX = re.compile(r"^(关于印发|关于|数字|智慧|数智|智能)+")
_SUFFIX = re.compile(r"(市|省|自治区|区|县)$")
_GOVERNMENT_SUFFIX = re.compile(r"(人民政府|政府)(办公厅|办公室)?$")
_LEADING_PLACE = re.compile(
    r"^(?P<place>[\u4e00-\u9fff]{2,6}?)(省|市|自治区|自治州|地区)"
    r"|^(?P<name>[\u4e00-\u9fff]{2,4}?)(建设|发展|行动|工作|改革)"
)
_MAX_HEAD = 8
_LEVEL = re.compile(r"(省|自治区|市|区|县|州)$")
YEAR_LINE = re.compile(r"^\((19|20)\d{2}[^()]{0,12}年\)$")
"""A title's years on a line of their own under it: 数字威海建设行动计划 / (2022—2024年)."""


def plan_year(title: str) -> int | None:
    m = _YEAR.search(title)
    return int(m.group("year")) if m else None


def jurisdiction(title: str) -> str | None:
    """The place the plan belongs to, or None if the title does not say."""
    m = _YEAR.search(title)
    head = title[: m.start()] if m else title
    head = _SUFFIX.sub("", _GOVERNMENT_SUFFIX.sub("", _PREFIX.sub("", head))).strip()
    if head and len(head) <= _MAX_HEAD:
        return _province_short_name(head)
    # 威海市数字威海建设行动计划(2026年), 青岛市深化…2023年重点工作任务: the place the title starts with.
    place = _LEADING_PLACE.match(_PREFIX.sub("", title))
    if place:
        return _province_short_name(place.group("place") or place.group("name"))
    return None


def level(title: str) -> str:
    """The level its departments are written with: 市 (市教育局) in a city's plan, 区 in a district's, 省 …; or ''."""
    m = _YEAR.search(title)
    head = _GOVERNMENT_SUFFIX.sub("", _PREFIX.sub("", title[: m.start()] if m else title)).strip()
    place = _LEVEL.search(head) or _LEVEL.search(_leading(title))
    if not place:
        return ""
    return "省" if place.group() == "自治区" else place.group()[-1]


def _leading(title: str) -> str:
    place = _LEADING_PLACE.match(_PREFIX.sub("", title))
    return place.group() if place and place.group("place") else ""


def _province_short_name(place: str) -> str:
    """广西壮族 (a title's head without 自治区) → 广西, as the directory names provinces; other places as they are."""
    return next((short for full, short in PROVINCES.items() if full.startswith(place)), place)
