"""Lineage: which task of a plan continues which task of the previous plan in its series.

A series (数字青岛2024, 2025, 2026 …) rewrites most of its tasks every year: tasks are dropped and
added, so the same work changes number; titles get reworded; owners and targets change. A task's
number says nothing across years, so a continuation is found by what the task says: the words of
its title and of its text, segmented by the project's jieba (:attr:`Vocabulary.tokenizer`, which
knows the directory's agency names and the dictionary's domain terms, so 市大数据局, 数据要素 and
政务大模型 are single words).

The score of a pair is a blend of two cosines over idf-weighted word counts, the idf taken over
the tasks of the two plans (a word every task uses, 推动 or 数字, says little about which task is
which):

* the title's words, weight ``TITLE_WEIGHT``;
* the text's words, weight ``TEXT_WEIGHT``, with the responsibility parentheses and agency names
  taken out, so that a change of owners never hides a continuation (that change is what the diff
  reports), and without numbers, so that a new target value does not either.

Pairs are matched one to one, greedily by descending score (ties: lower new number, then lower
old number), and only pairs scoring at least ``THRESHOLD`` count. People can correct the result
in ``data/lineage.toml``: a pair of tasks forced together or kept apart, with a reason.

Scores are rounded to 3 decimals and computed over words in sorted order, so that the same texts
give the same scores and matches in any run, whichever store they come from and in whatever order
the tasks are given.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graph_loader.dictionary import DATA_DIR, Vocabulary, default_vocabulary
from graph_loader.models import Plan

OVERRIDES_FILE = DATA_DIR / "lineage.toml"

TITLE_WEIGHT = 0.35
TEXT_WEIGHT = 0.65
"""The text weighs more: a renamed task keeps most of its text, while two different tasks may share
title words (智慧医疗服务 / 智慧养老服务). The title still counts: a task whose text was rewritten
keeps its title."""

THRESHOLD = 0.4
"""The least score of a continuation. Calibrated on the 数字青岛 series (tests/graph_loader/series): every
continued task there scores at least 0.65 (renamed ones 0.65–0.88; a title that shares no word with the
old one leaves at most ``TEXT_WEIGHT``), while the best pair of two different tasks of the seed plan scores
0.29 (创新主体培育 / 产业集群培育: tasks on neighbouring subjects share words such as 数字经济, 软件). 0.4 sits
between the two with room on both sides; a task both renamed and largely rewritten may fall below it, and
data/lineage.toml is where a person says so."""

_OPENERS, _CLOSERS = "(（〔【[", ")）〕】]"
_BRACKETED = re.compile(rf"[{re.escape(_OPENERS)}][^{re.escape(_OPENERS + _CLOSERS)}]*[{re.escape(_CLOSERS)}]")
# What marks a bracket as a responsibility list (graph_loader.responsibility reads them in full): a label
# (责任单位: 牵头部门: 配合单位: 完成时限:) or a verb form at its end ((A、B按职责分工负责), (A牵头,B配合)).
_OWNER_BRACKET = re.compile(r"(?:单位|部门|主体|领导|时限|时间)\s*[:：]|(?:负责|落实|牵头|配合|参与)\s*[)）〕】\]]$")
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")  # a word has a Han character or a letter: no punctuation, no numbers


@dataclass(frozen=True)
class TaskText:
    """What lineage compares of a task: its title and its text (owners may be left in; they are ignored)."""

    id: str
    number: int
    title: str
    text: str


@dataclass(frozen=True)
class Continuation:
    """Task ``new`` of the later plan continues task ``old`` of the earlier one."""

    old: str  # task id in the earlier plan
    new: str  # task id in the later plan
    score: float  # 0..1, rounded to 3 decimals (stable across runs and stores)


@dataclass(frozen=True)
class Rule:
    """One override: task ``old`` of the earlier plan and task ``new`` of the later one, by number."""

    old: int
    new: int
    reason: str


@dataclass(frozen=True)
class PairOverrides:
    """The overrides for one pair of plans."""

    force: tuple[Rule, ...] = ()
    forbid: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Overrides:
    """Manual corrections per pair of documents: (earlier document id, later document id) → rules."""

    pairs: Mapping[tuple[str, str], PairOverrides] = field(default_factory=dict)

    def between(self, old_document: str, new_document: str) -> PairOverrides:
        return self.pairs.get((old_document, new_document), PairOverrides())


def task_texts(plan: Plan) -> list[TaskText]:
    """A plan's tasks as lineage compares them: the title and the task's whole text, as both stores hold it
    (the owners' brackets in it are ignored by the comparison)."""
    return [TaskText(id=t.id, number=t.number, title=t.title, text=t.text) for t in plan.tasks]


def continuations(
    old: Sequence[TaskText], new: Sequence[TaskText], *, overrides: Overrides | None = None
) -> list[Continuation]:
    """The tasks of ``new`` that continue tasks of ``old``, one to one, sorted by the new task's number.

    ``overrides`` defaults to ``data/lineage.toml``; pass ``Overrides()`` for none. Raises ValueError
    when an override names a task number that its plan does not have.
    """
    old = sorted(old, key=lambda t: (t.number, t.id))
    new = sorted(new, key=lambda t: (t.number, t.id))
    if not old or not new:
        return []
    rules = (overrides if overrides is not None else default_overrides()).between(
        _document_of(old[0].id), _document_of(new[0].id)
    )
    old_words = [_words(t) for t in old]
    new_words = [_words(t) for t in new]
    idf = _idf(old_words + new_words)
    old_parts = [(_vector(title, idf), _vector(text, idf)) for title, text in old_words]
    new_parts = [(_vector(title, idf), _vector(text, idf)) for title, text in new_words]
    scores = _scores(old_parts, new_parts)

    by_number_old = {t.number: i for i, t in enumerate(old)}
    by_number_new = {t.number: j for j, t in enumerate(new)}
    for rule in rules.force + rules.forbid:
        if rule.old not in by_number_old or rule.new not in by_number_new:
            raise ValueError(f"lineage override {rule.old} → {rule.new} names a task the plans do not have")
    forbidden = {(by_number_old[r.old], by_number_new[r.new]) for r in rules.forbid}
    chosen: dict[int, tuple[int, float]] = {}  # new index → (old index, score)
    taken: set[int] = set()  # old indices
    for rule in rules.force:
        i, j = by_number_old[rule.old], by_number_new[rule.new]
        chosen[j] = (i, scores.get((i, j), 0.0))
        taken.add(i)
    ranked = sorted(
        (-score, new[j].number, old[i].number, i, j)
        for (i, j), score in scores.items()
        if score >= THRESHOLD and (i, j) not in forbidden
    )
    for neg_score, _, _, i, j in ranked:
        if i not in taken and j not in chosen:
            chosen[j] = (i, -neg_score)
            taken.add(i)
    return [Continuation(old=old[i].id, new=new[j].id, score=score) for j, (i, score) in sorted(chosen.items())]


def load_overrides(path: str | Path | None = None) -> Overrides:
    """Read the overrides file (``data/lineage.toml`` by default). Raises ValueError on a malformed entry.

    Each ``[[pair]]`` has ``old`` and ``new`` (document ids) and lists ``force`` and ``forbid`` of
    ``{old = <task number>, new = <task number>, reason = "…"}``.
    """
    path = Path(path) if path is not None else OVERRIDES_FILE
    with path.open("rb") as f:
        raw = tomllib.load(f)
    pairs: dict[tuple[str, str], PairOverrides] = {}
    for n, entry in enumerate(raw.get("pair", []), start=1):
        where = f"{path}: pair {n}"
        if not isinstance(entry.get("old"), str) or not isinstance(entry.get("new"), str):
            raise ValueError(f"{where}: old and new must be document ids")
        key = (entry["old"], entry["new"])
        if key in pairs:
            raise ValueError(f"{where}: {key[0]} → {key[1]} is listed twice")
        force = tuple(_rule(r, f"{where} force") for r in entry.get("force", []))
        forbid = tuple(_rule(r, f"{where} forbid") for r in entry.get("forbid", []))
        if unknown := set(entry) - {"old", "new", "force", "forbid"}:
            raise ValueError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        olds, news = [r.old for r in force], [r.new for r in force]
        if len(set(olds)) < len(olds) or len(set(news)) < len(news):
            raise ValueError(f"{where}: a task is forced to continue or be continued twice")
        if both := {(r.old, r.new) for r in force} & {(r.old, r.new) for r in forbid}:
            raise ValueError(f"{where}: {sorted(both)} both forced and forbidden")
        pairs[key] = PairOverrides(force=force, forbid=forbid)
    return Overrides(pairs)


@lru_cache(maxsize=1)
def default_overrides() -> Overrides:
    """``data/lineage.toml``, read once."""
    return load_overrides()


def _rule(raw: object, where: str) -> Rule:
    if not isinstance(raw, dict) or set(raw) != {"old", "new", "reason"}:
        raise ValueError(f'{where}: a rule is {{old = <number>, new = <number>, reason = "…"}}')
    old, new, reason = raw["old"], raw["new"], raw["reason"]
    if not isinstance(old, int) or not isinstance(new, int) or not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"{where}: old and new are task numbers and the reason says why: {raw}")
    return Rule(old, new, reason)


def _document_of(task_id: str) -> str:
    """The document id in a task id (``青岛-2025-数字青岛行动方案:t3`` → ``青岛-2025-数字青岛行动方案``)."""
    return task_id.rpartition(":")[0]


def _words(task: TaskText) -> tuple[Counter[str], Counter[str]]:
    """The title's and the text's words: no punctuation, numbers, agency names or responsibility lists."""
    text = _BRACKETED.sub(lambda m: "。" if _OWNER_BRACKET.search(m.group()) else m.group(), task.text)
    return Counter(_segmented(task.title)), Counter(_segmented(text))


@lru_cache(maxsize=16384)
def _segmented(text: str) -> tuple[str, ...]:
    """The words lineage compares, in jieba's precise mode with the project's dictionary (and no HMM, as
    :meth:`Vocabulary.segment`); cached, as a plan is compared with the plans before and after it.

    Not the search mode that topics use: its extra words inside longer ones (数字化 → 数字, 数字化) count
    the words a whole plan shares twice and blur tasks on neighbouring subjects (文化大数据体系 and
    文化服务数字化 scored 0.44 against each other in search mode, 0.19 in precise mode).
    """
    vocabulary = default_vocabulary()
    agencies = _agency_names(vocabulary)
    return tuple(w for w in vocabulary.tokenizer.cut(text, HMM=False) if _WORD.search(w) and w not in agencies)


@lru_cache(maxsize=4)
def _agency_names(vocabulary: Vocabulary) -> frozenset[str]:
    return frozenset(row.name for row in vocabulary.agency_names)


def _idf(documents: list[tuple[Counter[str], Counter[str]]]) -> dict[str, float]:
    """Smoothed inverse document frequency of each word over the tasks (title and text together)."""
    df: Counter[str] = Counter()
    for title, text in documents:
        df.update(title.keys() | text.keys())
    n = len(documents)
    return {w: math.log((n + 1) / (count + 1)) + 1 for w, count in df.items()}


_Vector = tuple[dict[str, float], float]  # weights, in the words' sorted order, and their norm


def _vector(counts: Counter[str], idf: dict[str, float]) -> _Vector:
    weights = {w: counts[w] * idf[w] for w in sorted(counts)}
    return weights, math.sqrt(sum(v * v for v in weights.values()))


def _scores(old: list[tuple[_Vector, _Vector]], new: list[tuple[_Vector, _Vector]]) -> dict[tuple[int, int], float]:
    """The score of every pair (old index, new index) that shares a word, rounded.

    The cosines are summed through an index from word to the old tasks that use it, so only pairs
    that share words cost anything; each sum runs over the new task's words in sorted order, so it
    is the same sum in every run.
    """
    parts = []
    for p, weight in ((0, TITLE_WEIGHT), (1, TEXT_WEIGHT)):
        index: dict[str, list[tuple[int, float]]] = {}
        for i, vectors in enumerate(old):
            for w, v in vectors[p][0].items():
                index.setdefault(w, []).append((i, v))
        cosines: dict[tuple[int, int], float] = {}
        for j, vectors in enumerate(new):
            dots: dict[int, float] = {}
            for w, v in vectors[p][0].items():
                for i, u in index.get(w, ()):
                    dots[i] = dots.get(i, 0.0) + u * v
            for i, dot in dots.items():
                cosines[(i, j)] = dot / (old[i][p][1] * vectors[p][1])
        parts.append((weight, p, cosines))
    scores = {}
    for i, j in sorted(parts[0][2].keys() | parts[1][2].keys()):
        total = counted = 0.0
        for weight, p, cosines in parts:
            if old[i][p][1] or new[j][p][1]:  # a part empty on both sides does not count
                counted += weight
                total += weight * cosines.get((i, j), 0.0)
        scores[(i, j)] = round(min(total / counted, 1.0), 3)
    return scores
