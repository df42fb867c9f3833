"""The project's vocabulary: agency directory, topic terms, and the jieba tokenizer built from them.

Everything here is data-driven (``graph_loader/data``) so users can extend the
directory and the topics without touching code.

It is longer than 400 lines because the directory's reading, its rules of scope (aliases hold in
their own jurisdiction, prefixes name another) and the tokenizer built from it change together.
"""

from __future__ import annotations

import difflib
import logging
import math
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import jieba

from graph_loader.text import fold

DATA_DIR = Path(__file__).parent / "data"

jieba.setLogLevel(logging.WARNING)

_CLOSE_ENOUGH = 0.6
"""Least difflib ratio at which a directory name counts as close to an unknown one (市工信化局 ~ 市工业和信息化局)."""

SEGMENT_WINDOW = 2000
"""Most characters :meth:`Vocabulary.segment` hands jieba at once."""
# A character jieba segments together with its neighbours (its re_han_default); it splits the text at any other.
_JIEBA_BLOCK = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&._%-]")
_LATIN = re.compile("[a-zA-Z0-9]")  # jieba joins runs of these into one word

# A collective placeholder, never one unit. A determiner makes a name collective wherever it stands: 各区市政府,
# 市政府各直属单位, 全区经济运行各专班, 省有关部门, 州直相关单位, 领导小组其他成员单位. So do the units directly
# under a government taken together (市直部门, 区直单位), and a body's member units (领导小组成员单位).
# No one unit's name holds 各, 有关, 相关 or 其他; 市直机关工委 is one unit (a Party working committee).
_GENERIC = re.compile(
    r"各|有关|相关|其他|其它|^(省|市|区|县|州)直(部门|单位|机构)|成员单位$"
    r"|^(开发区|功能区|园区)(管委会?|管理机构)$"  # 开发区管委 with no zone named: an elided 各 (a city has one 高新区)
)
# Enterprises, banks and schools keep the place they are named after: 山东省港口集团, 青岛银行.
_NAMED_AFTER_PLACE = re.compile(r"(集团|公司|银行|大学|学院|学校|医院)$")

# What the last characters of an agency's name look like. Used to tell
# (市教育局、青岛开放大学按职责分工负责) from (一次告知、一套材料…).
AGENCY_SUFFIX = re.compile(
    r"(局|委|办|部|厅|院|政府|管委|管委会|委员会|集团|中心|分行|支行|银行|公司|大学|学院|学校|"
    r"联|会|所|站|队|处|馆|社|台|单位|部门|机构|法院|检察院|办公室|总队|支队|海关|管理区|街道|镇街|乡镇|专班)$"
)

AGENCY_KINDS = (
    "government_department",
    "party_committee",
    "legislature",
    "judicial",
    "district_government",
    "zone_committee",
    "vertical_agency",
    "enterprise",
    "mass_organization",
    "institution",
    "generic",
)
"""The kinds of unit; agencies.tsv's header says what each means."""

# The first rule that matches a name gives its kind; a name no rule matches is a government department
# (市大数据局, 省商务厅, 市口岸办, 区金融办: a 办 of a government is an office of it, not an institution).
_KIND_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^团(省|市|区|县|州)委|工会$|科协$|红十字会$|联$|协会$|学会$|商会$"), "mass_organization"),
    (re.compile(r"^.{0,6}(省|市|区|县|州|旗)委(?!员会)|党委|纪委|工委$"), "party_committee"),
    (re.compile(r"人大"), "legislature"),
    (re.compile(r"法院$|检察院$"), "judicial"),
    (re.compile(r"管委会?$|(区|园)管理委员会$"), "zone_committee"),
    (re.compile(r"(区|县|市|州|旗|镇|乡)(人民)?政府$"), "district_government"),
    (re.compile(r"集团$|公司$"), "enterprise"),
    (
        re.compile(r"分行$|支行$|海关$|税务局$|通信管理局$|金融监管局$|消防救援|调查队$|气象局$|海事局$|邮政管理局$"),
        "vertical_agency",
    ),
    (re.compile(r"大学$|学院$|学校$|中心$|研究院$|研究所$|医院$|馆$"), "institution"),
]


def guess_kind(name: str) -> str:
    """Kind of an agency not in the directory, from what its name says it is."""
    if is_generic_name(name):
        return "generic"
    for pattern, kind in _KIND_RULES:
        if pattern.search(name):
            return kind
    return "government_department"


def is_generic_name(name: str) -> bool:
    """Whether ``name`` stands for several units at once (各区市政府), not for one."""
    return bool(_GENERIC.search(name))


ANY_JURISDICTION = "*"
"""agencies.tsv's jurisdiction for a name that means the same unit in every jurisdiction."""

# The 34 provincial-level divisions, as their own agencies' names begin: 山东省大数据局, 广西壮族自治区商务厅.
PROVINCES = {
    full: short
    for short, full in (
        ("北京", "北京市"), ("天津", "天津市"), ("上海", "上海市"), ("重庆", "重庆市"),
        ("河北", "河北省"), ("山西", "山西省"), ("辽宁", "辽宁省"), ("吉林", "吉林省"), ("黑龙江", "黑龙江省"),
        ("江苏", "江苏省"), ("浙江", "浙江省"), ("安徽", "安徽省"), ("福建", "福建省"), ("江西", "江西省"),
        ("山东", "山东省"), ("河南", "河南省"), ("湖北", "湖北省"), ("湖南", "湖南省"), ("广东", "广东省"),
        ("海南", "海南省"), ("四川", "四川省"), ("贵州", "贵州省"), ("云南", "云南省"), ("陕西", "陕西省"),
        ("甘肃", "甘肃省"), ("青海", "青海省"), ("台湾", "台湾省"),
        ("内蒙古", "内蒙古自治区"), ("广西", "广西壮族自治区"), ("西藏", "西藏自治区"),
        ("宁夏", "宁夏回族自治区"), ("新疆", "新疆维吾尔自治区"),
        ("香港", "香港特别行政区"), ("澳门", "澳门特别行政区"),
    )
}  # fmt: skip
"""Full name → the short name a jurisdiction goes by (广西壮族自治区 → 广西)."""

# A jurisdiction's name in front of an agency's is its place, then a level word that stays in the agency's
# name: 青岛|市大数据局, 山东|省大数据局, 广西壮族|自治区商务厅.
_PROVINCE_PLACES = {full: re.sub("(省|市|自治区|特别行政区)$", "", full) for full in PROVINCES}
_LOCAL_LEVEL = re.compile(r"自治州|地区|市|区|县|州|盟|旗")
_TRAILING_LEVEL = re.compile(r"(?<=..)(自治州|地区|市|区|县|州|盟|旗)$")
# 青岛市市南区政府 is 市南区政府, not 市市南区政府: after the city's name comes a district's.
_DISTRICT_GOVERNMENT = re.compile(r"^.{2,}(区|县|市|旗)(人民)?政府$")


def canonical_jurisdiction(name: str) -> str:
    """The name a jurisdiction goes by: folded, a province's short name (山东省 → 山东, 廣西壯族自治區 → 广西)."""
    folded = fold(name)
    return PROVINCES.get(folded, folded)


@dataclass(frozen=True)
class ResolvedName:
    """An agency's name as written, resolved against the directory within a plan's jurisdiction."""

    name: str  # the canonical Simplified name within its own jurisdiction, the jurisdiction's name stripped
    jurisdiction: str  # the jurisdiction the agency belongs to: the plan's, or another one its name began with
    kind: str  # one of AGENCY_KINDS
    generic: bool  # a collective placeholder (有关部门, 各区市政府), not one agency
    known: bool  # in the directory, for that jurisdiction


@dataclass(frozen=True)
class AgencyEntry:
    """One row of agencies.tsv: a unit's name, or another name for one (an alias), in one jurisdiction or all."""

    name: str
    kind: str  # an alias has its unit's kind
    jurisdiction: str = ANY_JURISDICTION
    alias_of: str | None = None  # the unit's name, for an alias
    note: str = ""
    change: str = "alias"  # for an alias: "alias" (another name), "rename" or "merge" (an older name of the unit)
    year: int | None = None  # for a rename or merge: the year the unit took its name, where one year holds


@dataclass(frozen=True)
class Topic:
    name: str
    terms: tuple[str, ...]


class Vocabulary:
    """Agency directory + topics + a private jieba tokenizer loaded with both."""

    def __init__(self, data_dir: Path = DATA_DIR):
        self.data_dir = data_dir
        self.agency_names = _read_agencies(data_dir / "agencies.tsv")  # every row: units' names and aliases
        self.topics = _read_topics(data_dir / "topics.toml")
        # jurisdiction (or ANY_JURISDICTION) → name → its row
        self._rows: dict[str, dict[str, AgencyEntry]] = {}
        for row in self.agency_names:
            self._rows.setdefault(row.jurisdiction, {})[row.name] = row

    @property
    def agencies(self) -> list[AgencyEntry]:
        """The directory's units, without their aliases."""
        return [row for row in self.agency_names if row.alias_of is None]

    def resolve_agency(self, written: str, jurisdiction: str) -> ResolvedName:
        """What an agency's name as written in a plan of ``jurisdiction`` stands for.

        The name is folded; a jurisdiction's name in front is taken off when it is the plan's own (青岛市大数据局
        in a 青岛 plan) or a province's (山东省大数据局 → 省大数据局 of 山东), but not when the directory
        knows the name with it (青岛开放大学); then the aliases of the agency's jurisdiction apply.
        """
        name, home = self._strip_jurisdiction(fold(written), canonical_jurisdiction(jurisdiction))
        row = self._row(name, home)
        if row is None:
            kind = guess_kind(name)
            return ResolvedName(name=name, jurisdiction=home, kind=kind, generic=kind == "generic", known=False)
        unit = self._unit(row)
        return ResolvedName(
            name=unit.name, jurisdiction=home, kind=unit.kind, generic=unit.kind == "generic", known=True
        )

    def closest_known(self, name: str, jurisdiction: str) -> str | None:
        """The directory's unit whose name (or alias) is nearest to ``name`` in ``jurisdiction``, or None.

        For review reports: a name the directory does not know may be a misprint of one it does.
        """
        resolved = self.resolve_agency(name, jurisdiction)
        if resolved.known:
            return resolved.name
        rows = {**self._rows.get(ANY_JURISDICTION, {}), **self._rows.get(resolved.jurisdiction, {})}
        close = difflib.get_close_matches(resolved.name, list(rows), n=1, cutoff=_CLOSE_ENOUGH)
        return self._unit(rows[close[0]]).name if close else None

    def canonical_agency(self, name: str, jurisdiction: str | None = None) -> str:
        """Canonical Simplified name for a name as written (folded, aliases resolved).

        Without a jurisdiction, any jurisdiction's alias applies when they all agree (for names typed
        into the API); a jurisdiction's name in front is kept.
        """
        if jurisdiction is not None:
            return self.resolve_agency(name, jurisdiction).name
        folded = fold(name)
        units = {self._unit(row).name for row in self._rows_anywhere(folded)}
        return units.pop() if len(units) == 1 else folded

    def is_known_agency(self, canonical: str, jurisdiction: str | None = None) -> bool:
        """Whether the directory has ``canonical`` in ``jurisdiction`` (without one: in any)."""
        if jurisdiction is None:
            return any(row.alias_of is None for row in self._rows_anywhere(canonical))
        row = self._row(canonical, canonical_jurisdiction(jurisdiction))
        return row is not None and row.alias_of is None

    def agency_kind(self, canonical: str, jurisdiction: str | None = None) -> str:
        """The directory's kind for ``canonical`` in ``jurisdiction`` (without one: in any), else a guess."""
        if jurisdiction is not None:
            row = self._row(canonical, canonical_jurisdiction(jurisdiction))
            return self._unit(row).kind if row else guess_kind(canonical)
        kinds = {row.kind for row in self._rows_anywhere(canonical) if row.alias_of is None}
        return kinds.pop() if len(kinds) == 1 else guess_kind(canonical)

    def _row(self, name: str, jurisdiction: str) -> AgencyEntry | None:
        """The row for ``name`` in ``jurisdiction``: the jurisdiction's own, else one valid everywhere."""
        own = self._rows.get(jurisdiction, {}).get(name)
        return own or self._rows.get(ANY_JURISDICTION, {}).get(name)

    def _rows_anywhere(self, name: str) -> list[AgencyEntry]:
        """Rows for ``name`` in any jurisdiction; only the one valid everywhere, if there is one."""
        everywhere = self._rows.get(ANY_JURISDICTION, {}).get(name)
        if everywhere:
            return [everywhere]
        return [rows[name] for rows in self._rows.values() if name in rows]

    def _unit(self, row: AgencyEntry) -> AgencyEntry:
        """The unit a row names: itself, or the unit an alias stands for (checked to exist when read)."""
        if row.alias_of is None:
            return row
        unit = self._row(row.alias_of, row.jurisdiction)
        assert unit is not None
        return unit

    def _strip_jurisdiction(self, name: str, jurisdiction: str) -> tuple[str, str]:
        """``name`` without a jurisdiction's name in front, and the jurisdiction it belongs to."""
        if self._row(name, jurisdiction):
            return name, jurisdiction
        for full, place in _PROVINCE_PLACES.items():
            # 山东省港口集团 is the enterprise's own name, not 省港口集团 of 山东.
            if name.startswith(full) and len(name) > len(full) and not _NAMED_AFTER_PLACE.search(name):
                return name[len(place) :], PROVINCES[full]
        place = _TRAILING_LEVEL.sub("", jurisdiction)  # 湘西州 → 湘西
        level = _LOCAL_LEVEL.match(name, len(place)) if name.startswith(place) else None
        if level and level.end() < len(name):
            rest = name[level.end() :]
            return (rest if _DISTRICT_GOVERNMENT.match(rest) else name[len(place) :]), jurisdiction
        return name, jurisdiction

    @cached_property
    def term_topics(self) -> dict[str, list[str]]:
        """Term → the topics it signals."""
        out: dict[str, list[str]] = {}
        for topic in self.topics:
            for term in topic.terms:
                out.setdefault(term, []).append(topic.name)
        return out

    @cached_property
    def tokenizer(self) -> jieba.Tokenizer:
        """jieba with the default dictionary plus agency names, domain terms and topic terms."""
        tok = jieba.Tokenizer()
        tok.initialize()
        tok.load_userdict(str(self.data_dir / "dictionary.txt"))
        for row in self.agency_names:
            if "、" not in row.name:
                tok.add_word(row.name, freq=100000, tag="nt")
        for term in self.term_topics:
            tok.add_word(term, freq=100000, tag="nz")
        return tok

    def segment(self, text: str) -> list[str]:
        """Words of ``text``, long words followed by the dictionary words inside them.

        Search mode, so 政务大模型 also yields 大模型 and 智能算力 yields 算力, while
        智能家电 yields only 智能 and 家电 — neither an AI term.

        Without jieba's HMM for new words: its Viterbi copies the path at every
        character, so a run of characters the dictionary does not know costs time
        quadratic in its length (100,000 of them took 34 s). Topics need only
        dictionary words, and the HMM never yields one: it only joins runs that the
        dictionary route cut into single characters, and a dictionary word inside
        such a run would have been taken by the route instead (see
        :meth:`term_beats_its_characters`, which the tests check for every term).

        A long text goes to jieba in windows of at most ``SEGMENT_WINDOW``
        characters (jieba's buffer of single Latin letters grows by copying, so a
        long run of them was quadratic too). A window ends where jieba itself
        would split the text (punctuation, spaces), so the words are the same.
        Only in a run of half a window with no such place does it end where no
        dictionary word crosses the cut; jieba's best route then splits into the
        two halves' own routes, and the dictionary words are the same (what may
        differ is a run of Latin letters or digits, never a term).
        """
        return [word for window in self._windows(text) for word in self.tokenizer.lcut_for_search(window, HMM=False)]

    def _windows(self, text: str) -> list[str]:
        windows, start = [], 0
        while len(text) - start > SEGMENT_WINDOW:
            cut = self._window_end(text, start + SEGMENT_WINDOW)
            windows.append(text[start:cut])
            start = cut
        windows.append(text[start:])
        return windows

    def _window_end(self, text: str, end: int) -> int:
        """Where to end a window that may reach ``end``: as late as possible, in the best kind of place."""
        places = range(end, end - SEGMENT_WINDOW // 2, -1)
        for p in places:
            if not (_JIEBA_BLOCK.match(text[p - 1]) and _JIEBA_BLOCK.match(text[p])) and text[p - 1 : p + 1] != "\r\n":
                return p  # jieba splits here itself
        for p in places:
            if not (_LATIN.match(text[p - 1]) and _LATIN.match(text[p])) and not self._word_crosses(text, p):
                return p
        return next((p for p in places if not self._word_crosses(text, p)), end)

    def _word_crosses(self, text: str, at: int) -> bool:
        """Whether a dictionary word could span ``text[at - 1 : at + 1]``, i.e. jieba could join across ``at``."""
        freq = self.tokenizer.FREQ  # holds every prefix of every word (count 0 if not a word itself)
        for start in range(max(0, at - self._longest_word + 1), at):
            if text[start:at] not in freq:
                continue
            for end in range(at + 1, min(len(text), start + self._longest_word) + 1):
                count = freq.get(text[start:end])
                if count is None:
                    break
                if count:
                    return True
        return False

    @cached_property
    def _longest_word(self) -> int:
        return max(len(w) for w, count in self.tokenizer.FREQ.items() if count)

    def term_beats_its_characters(self, term: str) -> bool:
        """Whether jieba's route prefers ``term`` whole to its characters one by one.

        True for every topic term keeps :meth:`segment` without the HMM finding the
        same terms as with it. A one-character term never qualifies: the HMM may
        join it to its neighbours.
        """
        tok = self.tokenizer
        whole = math.log(tok.FREQ.get(term) or 1) - math.log(tok.total)
        apart = sum(math.log(tok.FREQ.get(c) or 1) - math.log(tok.total) for c in term)
        return len(term) > 1 and whole > apart


_COLUMNS = ("name", "jurisdiction", "kind", "alias_of")
CHANGES = ("alias", "rename", "merge")
"""What an alias row is: another name of the unit, or an older name it had before a rename or a merger."""
"""The columns agencies.tsv must have (found by the header row's names; others, such as note, are optional)."""


def _read_agencies(path: Path) -> list[AgencyEntry]:
    """The rows of agencies.tsv, checked: known kinds, one row per name and jurisdiction, aliases of units."""
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            header = cells
            if missing := [c for c in _COLUMNS if c not in header]:
                raise ValueError(f"{path}:{number}: the header row lacks the columns {', '.join(missing)}")
            continue
        rows.append((number, dict(zip(header, cells, strict=False))))
    entries: dict[tuple[str, str], AgencyEntry] = {}
    for number, row in rows:
        # 市直有关部门、单位 holds the list separator, so a name is only folded, never split.
        name, jurisdiction = fold(row["name"]), canonical_jurisdiction(row.get("jurisdiction") or ANY_JURISDICTION)
        alias_of = fold(row.get("alias_of", "")) or None
        kind = row.get("kind", "")
        if (name, jurisdiction) in entries:
            raise ValueError(f"{path}:{number}: {name} is listed twice for jurisdiction {jurisdiction}")
        if alias_of is None and kind not in AGENCY_KINDS:
            raise ValueError(f"{path}:{number}: kind {kind!r} of {name} is not one of {', '.join(AGENCY_KINDS)}")
        change, year = row.get("change") or "alias", row.get("year") or ""
        if change not in CHANGES or (change != "alias" and alias_of is None):
            raise ValueError(f"{path}:{number}: change {change!r} of {name}: one of {', '.join(CHANGES)}, on an alias")
        if change != "alias" and not row.get("note"):
            raise ValueError(f"{path}:{number}: the {change} of {name} into {alias_of} needs its reason in note")
        if year and not year.isdigit():
            raise ValueError(f"{path}:{number}: year {year!r} of {name} is not a year")
        entries[(name, jurisdiction)] = AgencyEntry(
            name, kind, jurisdiction, alias_of, row.get("note", ""), change, int(year) if year else None
        )
    for (name, jurisdiction), entry in list(entries.items()):
        if entry.alias_of is None:
            continue
        unit = entries.get((entry.alias_of, jurisdiction)) or entries.get((entry.alias_of, ANY_JURISDICTION))
        if unit is None or unit.alias_of is not None:
            raise ValueError(f"{path}: {name} is an alias of {entry.alias_of}, which is no unit in {jurisdiction}")
        entries[(name, jurisdiction)] = AgencyEntry(
            name, unit.kind, jurisdiction, unit.name, entry.note, entry.change, entry.year
        )
    return list(entries.values())


def _read_topics(path: Path) -> list[Topic]:
    with path.open("rb") as f:
        raw = tomllib.load(f)
    return [Topic(name, tuple(spec["terms"])) for name, spec in raw.items()]


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    return Vocabulary()
