"""The project's vocabulary: agency directory, topic terms, and the jieba tokenizer built from them.

Everything here is data-driven (``graph_loader/data``) so users can extend the
directory and the topics without touching code.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import jieba

from graph_loader.text import fold

DATA_DIR = Path(__file__).parent / "data"

jieba.setLogLevel(logging.WARNING)

# A collective placeholder, never one agency: 市政府有关部门, 各区(市)政府, 市直有关部门、单位 …
_GENERIC = re.compile(r"^(各|有关|相关|其他|其它)|(有关|相关|各有关|各相关)(部门|单位|机构|区市|企业)|^市直")

# What the last characters of an agency's name look like. Used to tell
# (市教育局、青岛开放大学按职责分工负责) from (一次告知、一套材料…).
AGENCY_SUFFIX = re.compile(
    r"(局|委|办|部|厅|院|政府|管委|管委会|委员会|集团|中心|分行|支行|银行|公司|大学|学院|学校|"
    r"联|会|所|站|队|处|馆|社|台|单位|部门|机构|法院|检察院|办公室|总队|支队|海关|管理区)$"
)

_KIND_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^市委|^.{0,4}党委|工委$"), "party_committee"),
    (re.compile(r"人大"), "legislature"),
    (re.compile(r"法院$|检察院$"), "judicial"),
    (re.compile(r"管委会?$"), "zone_committee"),
    (re.compile(r"(区|县|市)(人民)?政府$"), "district_government"),
    (re.compile(r"集团$|公司$"), "enterprise"),
    (re.compile(r"分行$|支行$|海关$|税务局$|通信管理局$|金融监管局$|消防救援"), "vertical_agency"),
    (re.compile(r"联$|协会$|学会$"), "mass_organization"),
    (re.compile(r"大学$|学院$|学校$|中心$|办$"), "institution"),
]


def guess_kind(name: str) -> str:
    """Kind of an agency not in the directory, from the shape of its name."""
    if is_generic_name(name):
        return "generic"
    for pattern, kind in _KIND_RULES:
        if pattern.search(name):
            return kind
    return "government_department"


def is_generic_name(name: str) -> bool:
    return bool(_GENERIC.search(name))


@dataclass(frozen=True)
class AgencyEntry:
    name: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    name: str
    terms: tuple[str, ...]


class Vocabulary:
    """Agency directory + topics + a private jieba tokenizer loaded with both."""

    def __init__(self, data_dir: Path = DATA_DIR):
        self.data_dir = data_dir
        self.agencies = _read_agencies(data_dir / "agencies.tsv")
        self.topics = _read_topics(data_dir / "topics.toml")
        self._canonical = {fold(alias): e.name for e in self.agencies for alias in (e.name, *e.aliases)}
        self._kinds = {e.name: e.kind for e in self.agencies}

    def canonical_agency(self, name: str) -> str:
        """Canonical Simplified name for a name as written (folded, aliases resolved)."""
        folded = fold(name)
        return self._canonical.get(folded, folded)

    def is_known_agency(self, canonical: str) -> bool:
        return canonical in self._kinds

    def agency_kind(self, canonical: str) -> str:
        return self._kinds.get(canonical) or guess_kind(canonical)

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
        for entry in self.agencies:
            for name in (entry.name, *entry.aliases):
                if "、" not in name:
                    tok.add_word(fold(name), freq=100000, tag="nt")
        for term in self.term_topics:
            tok.add_word(term, freq=100000, tag="nz")
        return tok

    def segment(self, text: str) -> list[str]:
        """Words of ``text``, long words followed by the dictionary words inside them.

        Search mode, so 政务大模型 also yields 大模型 and 智能算力 yields 算力, while
        智能家电 yields only 智能 and 家电 — neither an AI term.
        """
        return self.tokenizer.lcut_for_search(text, HMM=True)


def _read_agencies(path: Path) -> list[AgencyEntry]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, *rest = line.split("\t")
        aliases = tuple(a for a in (rest[0].split("、") if rest and rest[0] else []) if a)
        # 市直有关部门、单位 contains the list separator itself; its aliases are listed whole.
        entries.append(AgencyEntry(fold(name), kind.strip(), tuple(fold(a) for a in aliases)))
    return entries


def _read_topics(path: Path) -> list[Topic]:
    with path.open("rb") as f:
        raw = tomllib.load(f)
    return [Topic(name, tuple(spec["terms"])) for name, spec in raw.items()]


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    return Vocabulary()
