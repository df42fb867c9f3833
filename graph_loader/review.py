"""What a person should look at in a parsed plan: the parser's doubts, each with its place in the text.

``policykg check`` prints these. Each finding is advice, never an error: an owner list the parser
did not read, a name the directory does not know, a task or clause without owners (or with only
collective ones), a task without topic, a number that looks like a target but is no goal. All are
found from the plan and the text it was parsed from, so they point at the evidence: the span, and
the line and column a person's editor shows.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal, get_args

from graph_loader.dictionary import AGENCY_SUFFIX, Vocabulary
from graph_loader.goals import _UNITS, _quoted_mask
from graph_loader.models import AgencyMention, Measure, Plan, Span, Task
from graph_loader.responsibility import CLOSERS, OPENERS, is_name
from graph_loader.text import TextView

Code = Literal[
    "no-owners-in-plan",
    "unread-owners",
    "unknown-agency",
    "no-owners",
    "generic-owners",
    "no-topic",
    "unread-target",
]
CODES: tuple[Code, ...] = get_args(Code)
"""Every code, in the order summaries count them."""

_SHORT = 40
"""Most characters of a finding's text (a number, a name, a parenthesis, a task's heading)."""

_DIRECTORY = "graph_loader/data/agencies.tsv"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# An owner list, loosely: a label before, a verb after, and parts that end like agencies or places.
# Looser than the parser's forms on purpose: it is there to catch the lists the parser does not read.
_LABEL_HEAD = re.compile(r"^[^:]{1,10}:")
_VERB_TAIL = re.compile(
    r"(按职责分工|按职责|分工|共同|分别|会同|牵头|配合|协同|参与|协助|支持|负责|落实|推进|实施|组织|抓好|等)+$"
)
_OWNER_PARTS = re.compile(r"[、,;]")
_LONGEST_PART = 60  # a label, a name and a verb
_PLACE_TAIL = re.compile(r"(区|县|市|镇|乡|街道|镇街)$")

# A number with a unit, loosely: 10余家, 3万个, 12%; the goal reader's units, not its other conditions.
_TARGET_LIKE = re.compile(
    rf"(?<![\dA-Za-z.\-+第])\d+(?:\.\d+)?(?:余|多)?[万亿千]{{0,2}}(?:余|多)?(?:%|{_UNITS})(?![A-Za-z\d])"
)
_NOT_A_TARGET_AFTER = re.compile(r"月")  # 6个月: a duration


@dataclass(frozen=True)
class Finding:
    """One thing to look at: what (code), where (span, line, column; 1-based), the text there, what to do."""

    code: Code
    span: Span
    line: int
    column: int
    text: str
    message: str
    place: str | None = None  # where it is in the original file (page 3, line 12), for files that are not text


@dataclass(frozen=True)
class Review:
    """The findings of one plan, in the order of the text."""

    file: str
    findings: list[Finding]

    def counts(self) -> dict[str, int]:
        """Findings per code, in the order of :data:`CODES`; codes with none are left out."""
        found = Counter(f.code for f in self.findings)
        return {code: found[code] for code in CODES if found[code]}


class LineIndex:
    """Source offsets → (line, column), both 1-based, columns in characters.

    A line ends at ``\\n``, ``\\r\\n`` or ``\\r``, as in an editor. Built once per text; each
    lookup is a bisection over the line starts.
    """

    def __init__(self, source: str):
        self._starts = [0, *(m.end() for m in _LINE_BREAK.finditer(source))]

    def place(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1


def review(
    plan: Plan, source: str, vocabulary: Vocabulary, *, file: str | None = None,
    place_at: Callable[[int], str] | None = None,
) -> Review:
    """Everything in ``plan`` (parsed from ``source``) that a person should check, in text order.

    Line and column index ``source``, the text read; ``place_at`` (a reader's map back to the file)
    adds where each finding is in a PDF, a Word document or a page, where a person will look for it.
    """
    lines = LineIndex(source)
    found = sorted(_findings(plan, source, vocabulary), key=lambda f: (f[1][0], CODES.index(f[0])))
    findings = [
        Finding(code, span, *lines.place(span[0]), text=_short(text), message=message,
                place=place_at(span[0]) if place_at else None)
        for code, span, text, message in found
    ]
    return Review(file=file or plan.document.source, findings=findings)


_Raw = tuple[Code, Span, str, str]  # code, span, text, message


def _findings(plan: Plan, source: str, vocabulary: Vocabulary) -> Iterator[_Raw]:
    view = TextView.of_source(source)  # folded: （ is (, ％ is %; its offsets are the source's
    owned_anywhere = any(m.agencies for m in plan.measures())
    if not owned_anywhere:
        doc = plan.document
        yield (
            "no-owners-in-plan",
            doc.span,
            doc.title,
            "the plan names no responsible unit in any form the parser reads; if it does name them, "
            "report the form so the parser learns it, else its tasks stay without owners in the graph",
        )
    yield from _unknown_agencies(plan, vocabulary)
    for task in plan.tasks:
        task_view = view[task.span[0] : task.span[1]]
        yield from _unread_owners(task, task_view, source)
        if owned_anywhere:
            yield from _missing_owners(task)
        yield from _generic_owners(task, source)
        if not task.topics:
            yield (
                "no-topic",
                task.span,
                f"{task.number}.{task.title}",
                f"task {task.number} touches no topic; if it should, add the term that says so to "
                "graph_loader/data/topics.toml",
            )
        yield from _unread_targets(task, task_view, source)


def _unread_owners(task: Task, task_view: TextView, source: str) -> Iterator[_Raw]:
    # Read: a responsibility span or an owner's name overlaps it (whatever form the parser read it in).
    read = _Spans(
        [m.responsibility_span for m in task.measures if m.responsibility_span]
        + [a.span for m in task.measures for a in m.agencies]
    )
    for start, end in _top_level_parentheses(task_view.text):
        span = task_view.span(start, end)
        if read.overlaps(span):
            continue
        inner = task_view[start + 1 : end - 1].without_whitespace().text
        if _looks_like_owners(inner):
            yield (
                "unread-owners",
                span,
                source[span[0] : span[1]],
                f"this parenthesis of task {task.number} looks like a list of responsible units but was not "
                "read as owners; if it names owners, report its form so the parser learns it",
            )


def _top_level_parentheses(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each outermost (…) 〔…〕 【…】 […], the brackets included."""
    depth, open_at = 0, 0
    for i, c in enumerate(text):
        if c in OPENERS:
            if depth == 0:
                open_at = i
            depth += 1
        elif c in CLOSERS and depth > 0:
            depth -= 1
            if depth == 0:
                yield open_at, i + 1


def _looks_like_owners(inner: str) -> bool:
    """Whether a parenthesis' content reads like units: parts that end like agencies or places, at least one agency.

    One part alone counts only with a label or a verb around it: (青岛国际会议中心) is a place, not an owner.
    """
    parts, framed = [], False
    for raw in _OWNER_PARTS.split(inner):
        if len(raw) > _LONGEST_PART:
            return False  # a sentence, not a name (and no regex runs over a long one)
        part = _LABEL_HEAD.sub("", raw)
        bare = _VERB_TAIL.sub("", part)
        framed = framed or part != raw or bare != part
        if bare:
            parts.append(bare)
    if not parts or not all(is_name(p) and (AGENCY_SUFFIX.search(p) or _PLACE_TAIL.search(p)) for p in parts):
        return False
    return any(AGENCY_SUFFIX.search(p) for p in parts) and (len(parts) > 1 or framed)


def _unknown_agencies(plan: Plan, vocabulary: Vocabulary) -> Iterator[_Raw]:
    """Each name the directory does not know, once, at its first mention."""
    jurisdiction_of = {a.id: a.jurisdiction for a in plan.agencies}  # 省大数据局 of a 青岛 plan is 山东's
    first: dict[str, AgencyMention] = {}
    times: Counter[str] = Counter()
    for measure in plan.measures():
        for mention in measure.agencies:
            jurisdiction = jurisdiction_of.get(mention.agency_id, plan.document.jurisdiction)
            if not vocabulary.is_known_agency(mention.name, jurisdiction):
                first.setdefault(mention.agency_id, mention)
                times[mention.agency_id] += 1
    for agency_id, mention in first.items():
        name = mention.name
        closest = vocabulary.closest_known(name, jurisdiction_of.get(agency_id, plan.document.jurisdiction))
        more = f" (named {times[agency_id]} times)" if times[agency_id] > 1 else ""
        todo = (
            f"if it is {closest}, add it to {closest}'s aliases in {_DIRECTORY}, else add it there as a unit"
            if closest
            else f"if it is a unit, add it to {_DIRECTORY}"
        )
        yield "unknown-agency", mention.span, mention.raw, f"{name} is not in the agency directory{more}; {todo}"


def _missing_owners(task: Task) -> Iterator[_Raw]:
    if not any(m.agencies for m in task.measures):
        yield (
            "no-owners",
            task.span,
            f"{task.number}.{task.title}",
            f"task {task.number} names no responsible unit; if its text does name one, report the form so the "
            "parser learns it",
        )
        return
    for measure in task.measures:
        if not measure.agencies:
            yield (
                "no-owners",
                measure.span,
                measure.text,
                f"this clause of task {task.number} names no responsible unit (other clauses do); check whether "
                "the owners of the clause before or after it are meant",
            )


def _generic_owners(task: Task, source: str) -> Iterator[_Raw]:
    for measure in task.measures:
        if measure.agencies and all(a.generic for a in measure.agencies):
            names = "、".join(a.name for a in measure.agencies)
            span = _owners_span(measure)
            yield (
                "generic-owners",
                span,
                source[span[0] : span[1]],
                f"a clause of task {task.number} is owned only by collective placeholders ({names}); no single "
                "agency answers for it — check whether the plan names a lead elsewhere",
            )


def _owners_span(measure: Measure) -> Span:
    if measure.responsibility_span:
        return measure.responsibility_span
    return measure.agencies[0].span


def _unread_targets(task: Task, task_view: TextView, source: str) -> Iterator[_Raw]:
    squashed = task_view.without_whitespace()
    text = squashed.text
    quoted = _quoted_mask(text)
    goals = _Spans([g.span for g in task.goals])
    for m in _TARGET_LIKE.finditer(text):
        if quoted[m.start()] or _NOT_A_TARGET_AFTER.match(text, m.end()):
            continue
        span = squashed.span(m.start(), m.end())
        if goals.cover(span):
            continue
        yield (
            "unread-target",
            span,
            source[span[0] : span[1]],
            f"{m.group()} in task {task.number} looks like a quantitative target but was not read as a goal; "
            "if it is one, report the wording so the goal reader learns it",
        )


class _Spans:
    """Spans asked whether one of them covers or overlaps a span, in log time (a task may hold thousands)."""

    def __init__(self, spans: list[Span]):
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._reach = list(accumulate((end for _, end in ordered), max))  # furthest end among the first i + 1

    def cover(self, span: Span) -> bool:
        """Whether one span holds all of ``span``."""
        i = bisect_right(self._starts, span[0])  # those starting at or before it
        return i > 0 and self._reach[i - 1] >= span[1]

    def overlaps(self, span: Span) -> bool:
        """Whether one span shares a character with ``span``."""
        i = bisect_left(self._starts, span[1])  # those starting before it ends
        return i > 0 and self._reach[i - 1] > span[0]


def _short(text: str) -> str:
    """One line: a line break inside a name or number (市\n大数据局) goes, other runs of space become one."""
    one_line = " ".join("".join(text.splitlines()).split())
    return one_line if len(one_line) <= _SHORT else one_line[: _SHORT - 1] + "…"
