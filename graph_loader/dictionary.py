"""The project's vocabulary: agency directory, topic terms, and the jieba tokenizer built from them.

Everything here is data-driven (``graph_loader/data``) so users can extend the
directory and the topics without touching code.
"""

from __future__ import annotations

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

SEGMENT_WINDOW = 2000
"""Most characters :meth:`Vocabulary.segment` hands jieba at once."""
# A character jieba segments together with its neighbours (its re_han_default); it splits the text at any other.
_JIEBA_BLOCK = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&._%-]")
_LATIN = re.compile("[a-zA-Z0-9]")  # jieba joins runs of these into one word

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
