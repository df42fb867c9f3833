"""Policy tools: which instruments a measure uses (supply-side, demand-side, environmental), and counts of them.

The lexicon is ``data/policy_tools.toml`` (its header says where the typology comes from and which words
are left out). A measure's text is segmented the way topics are (:meth:`Vocabulary.segment`: search mode,
the project's dictionary) with the tool terms kept whole too, and every term found is evidence.
"""

from __future__ import annotations

import re
import tomllib
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import jieba

from graph_loader.dictionary import DATA_DIR, Vocabulary, default_vocabulary
from graph_loader.models import Plan, ToolMatch

TOOL_TYPES: tuple[str, ...] = get_args(ToolMatch.model_fields["type"].annotation)
"""供给型, 需求型, 环境型: the order tools are listed and counted in."""

LEXICON = DATA_DIR / "policy_tools.toml"

_TERM_FREQ = 100000  # what Vocabulary.tokenizer gives topic terms, so a term is kept whole the same way


@dataclass(frozen=True)
class Subtype:
    name: str
    type: str  # one of TOOL_TYPES
    terms: tuple[str, ...]


def read_lexicon(path: Path = LEXICON) -> list[Subtype]:
    """The subtypes of ``path``, checked: a known type, terms, each term one jieba block and in one subtype only."""
    with path.open("rb") as f:
        raw = tomllib.load(f)
    subtypes = [Subtype(name, spec.get("type", ""), tuple(spec.get("terms", ()))) for name, spec in raw.items()]
    seen: dict[str, str] = {}
    for subtype in subtypes:
        if subtype.type not in TOOL_TYPES:
            raise ValueError(f"{path}: subtype {subtype.name} has type {subtype.type!r}, not one of {TOOL_TYPES}")
        if not subtype.terms:
            raise ValueError(f"{path}: subtype {subtype.name} has no terms")
        for term in subtype.terms:
            if len(term) < 2 or not jieba.re_han_default.fullmatch(term):  # jieba's HMM may join a character
                raise ValueError(f"{path}: term {term!r} of {subtype.name} is not one word jieba could keep whole")
            if term in seen:
                raise ValueError(f"{path}: term {term} is in both {seen[term]} and {subtype.name}")
            seen[term] = subtype.name
    return subtypes


class _WithToolTerms(Vocabulary):
    """A vocabulary whose tokenizer is the given one's plus the tool terms; :meth:`segment` is the same code.

    A copy, not the vocabulary's own tokenizer with words added: that would change what topics and task
    lineage segment, and only once the first measure had been tagged.
    """

    def __init__(self, base: Vocabulary, terms: Iterable[str]) -> None:
        super().__init__(base.data_dir)
        own = base.tokenizer
        tok = jieba.Tokenizer(own.dictionary)
        tok.FREQ, tok.total = dict(own.FREQ), own.total  # the loaded dictionary: 40 ms to copy, 2 s to load
        tok.user_word_tag_tab = dict(own.user_word_tag_tab)
        tok.initialized = True
        for term in terms:
            tok.add_word(term, freq=_TERM_FREQ, tag="nz")
        self.__dict__["tokenizer"] = tok  # where Vocabulary.tokenizer (a cached_property) keeps its value


class PolicyTools:
    """The lexicon, and the segmentation that finds its terms."""

    def __init__(self, vocabulary: Vocabulary, path: Path = LEXICON) -> None:
        self.subtypes = read_lexicon(path)
        self.term_subtype = {term: s for s in self.subtypes for term in s.terms}
        self.segmenter = _WithToolTerms(vocabulary, self.term_subtype)
        self._any_term = re.compile("|".join(map(re.escape, self.term_subtype)))
        self._order = {s.name: (TOOL_TYPES.index(s.type), i) for i, s in enumerate(self.subtypes)}

    def tools_of(self, text: str) -> list[ToolMatch]:
        """The subtypes whose terms jieba finds in ``text``, each with its terms in order of first appearance."""
        # jieba segments each block between punctuation on its own, so only the blocks that hold a term can
        # yield one: segmenting just those (a quarter of a plan's text) finds the same words.
        blocks = [block for block in jieba.re_han_default.findall(text) if self._any_term.search(block)]
        if not blocks:
            return []
        found: dict[Subtype, list[str]] = {}
        for word in self.segmenter.segment("\n".join(blocks)):
            subtype = self.term_subtype.get(word)
            if subtype is not None:
                terms = found.setdefault(subtype, [])
                if word not in terms:
                    terms.append(word)
        ordered = sorted(found.items(), key=lambda kv: self._order[kv[0].name])  # by type, then as listed
        return [ToolMatch.model_validate({"type": s.type, "subtype": s.name, "terms": terms}) for s, terms in ordered]


_LOADED: weakref.WeakKeyDictionary[Vocabulary, PolicyTools] = weakref.WeakKeyDictionary()


def policy_tools(vocabulary: Vocabulary | None = None) -> PolicyTools:
    """The lexicon with its segmenter for ``vocabulary`` (the default one if None), loaded once for each."""
    vocabulary = vocabulary or default_vocabulary()
    if vocabulary not in _LOADED:
        _LOADED[vocabulary] = PolicyTools(vocabulary)
    return _LOADED[vocabulary]


def tools_of(text: str, vocabulary: Vocabulary | None = None) -> list[ToolMatch]:
    """The policy tools ``text`` uses: by type (供给型, 需求型, 环境型), then subtype as the lexicon lists them."""
    return policy_tools(vocabulary).tools_of(text)


def count_types(measures: Iterable[tuple[Iterable[str], Iterable[str]]]) -> dict[str, Counter[str]]:
    """Key → measures of each tool type, from ``(keys, tool types)`` per measure: a measure counts once per
    type for each of its keys (its owners, or its task's topics). Every key is there, with an empty Counter
    if none of its measures uses a tool. The one counting both the parsed plans and the stores use."""
    out: dict[str, Counter[str]] = {}
    for keys, types in measures:
        kinds = set(types)
        for key in set(keys):
            out.setdefault(key, Counter()).update(kinds)
    return out


def counts_by_agency(plans: Iterable[Plan]) -> dict[str, Counter[str]]:
    """Agency id → measures of each tool type it owns."""
    return count_types(
        ((a.agency_id for a in m.agencies), (t.type for t in m.tools)) for plan in plans for m in plan.measures()
    )


def counts_by_topic(plans: Iterable[Plan]) -> dict[str, Counter[str]]:
    """Topic → measures of each tool type in the tasks that touch it."""
    return count_types(
        ((x.name for x in task.topics), (t.type for t in m.tools))
        for plan in plans for task in plan.tasks for m in task.measures
    )
