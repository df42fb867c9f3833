"""Chinese action plan text → :class:`Plan`.

The grammar (DESIGN.md): a title line, then 一、 projects, (一) sections and
1. tasks; inside a task every run of text closed by a responsibility
parenthesis is a measure. Everything is found on a folded view of the text
(:mod:`graph_loader.text`) and reported with spans into the text as read.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from graph_loader import models
from graph_loader.dictionary import Vocabulary, default_vocabulary
from graph_loader.errors import PlanParseError
from graph_loader.goals import find_goals
from graph_loader.models import (
    Agency,
    AgencyMention,
    Document,
    Goal,
    Measure,
    Plan,
    Project,
    Section,
    Task,
    TopicMatch,
    document_id,
    legacy_document_id,
)
from graph_loader.numerals import CN_NUMERAL, cn_number
from graph_loader.reading import decode, read_plan_bytes
from graph_loader.responsibility import ListedOwner, read_owners
from graph_loader.text import TextView

_PROJECT = re.compile(rf"^(?P<num>{CN_NUMERAL})、(?P<title>.*)$", re.S)
_SECTION = re.compile(rf"^\((?P<num>{CN_NUMERAL})\)(?P<title>.*)$", re.S)
_TASK = re.compile(r"^(?P<num>\d{1,5})[.、](?!\d)(?P<title>.*)$", re.S)
_PLAN_END = re.compile(r"^(附件\d*[::]?|抄送[::]|信息公开选项|\(此件)")
_PLAN_START_MARKER = "全文如下"
_TITLE_WORDS = re.compile(r"方案|计划|要点|意见|规划|措施|纲要|清单|任务|安排")
_YEAR = re.compile(r"(?P<year>(19|20)\d{2})年")
_JURISDICTION_PREFIX = re.compile(r"^(关于印发|关于|数字|智慧|数智|智能)+")
_JURISDICTION_SUFFIX = re.compile(r"(市|省|自治区|区|县)$")
_MAX_TITLE = 80
_TASK_TITLE_FALLBACK = 40

@dataclass
class _Block:
    kind: str  # "project" | "section" | "task"
    number: int
    line: int  # 1-based source line of the heading
    title_at: int  # where the title starts in the heading line (after 一、 (一) 1.), from the match that made the block
    lines: list[TextView] = field(default_factory=list)

    def view(self) -> TextView:
        # Lines join without the break: 市\n大数据局 reads as 市大数据局.
        return TextView.join(self.lines)


def parse_file(path: str | Path, *, jurisdiction: str | None = None, vocabulary: Vocabulary | None = None) -> Plan:
    """Read, decode and parse one plan file. Raises :class:`PlanParseError` for anything that is not one."""
    path = Path(path)
    data = read_plan_bytes(path)
    return parse_text(decode(data, str(path)), document=path.name, jurisdiction=jurisdiction, vocabulary=vocabulary)


def parse_text(
    source: str,
    *,
    document: str = "<text>",
    jurisdiction: str | None = None,
    vocabulary: Vocabulary | None = None,
) -> Plan:
    """Parse one plan. Raises :class:`PlanParseError` (and nothing else) for input that is not a plan."""
    if not source.strip():
        raise PlanParseError("the text is empty", document=document)
    with _cyclic_gc_paused():
        return _PlanBuilder(source, document, jurisdiction, vocabulary or default_vocabulary()).build()


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a plan is built (Mercurial's ``util.nogc`` does the same).

    Parsing makes no reference cycles (reference counting frees everything it drops; the tests check
    it), but it keeps what it builds, and every full collection walks that growing plan again: at
    5 MiB that was a tenth of the time, and what made the time per MB grow with the input. A
    collector that was off stays off; one turned off by a parse in another thread is back on when
    the parse that turned it off ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _PlanBuilder:
    def __init__(self, source: str, document: str, jurisdiction: str | None, vocabulary: Vocabulary):
        self.source = source
        self.document = document
        self.vocabulary = vocabulary
        self.lines = TextView.of_source(source).lines()
        self.forced_jurisdiction = jurisdiction
        self.warnings: list[str] = []
        self.agencies: dict[str, Agency] = {}

    def error(self, reason: str, line: int | None = None) -> PlanParseError:
        offset = self.lines[line - 1].span()[0] if line else None
        return PlanParseError(reason, document=self.document, line=line, offset=offset)

    # -- document -----------------------------------------------------------------

    def build(self) -> Plan:
        start = self._plan_start()
        first_project = next(
            (i for i in range(start, len(self.lines)) if _PROJECT.match(self.lines[i].strip().text)), None
        )
        if first_project is None:
            raise self.error("no plan structure: no project heading such as 一、 was found")
        title_line = self._title_line(start, first_project)
        title = self.lines[title_line].strip().strip("《》").text.strip()
        year, jurisdiction = self._year_and_jurisdiction(title)
        doc_id = document_id(jurisdiction, year, title)
        self.jurisdiction = jurisdiction
        blocks = self._blocks(first_project)
        tasks, projects, sections = self._assemble(blocks, doc_id)
        if not tasks:
            raise self.error("no plan structure: no numbered tasks (1. or (一)) under the projects", first_project + 1)
        if not any(m.agencies for t in tasks for m in t.measures):
            raise self.error(
                "not a responsibility plan: no task names its responsible units (责任单位…)", first_project + 1
            )
        last = self.lines[-1] if not blocks else blocks[-1].lines[-1]
        doc = Document(
            id=doc_id,
            legacy_id=legacy_document_id(jurisdiction, title),
            title=title,
            year=year,
            jurisdiction=jurisdiction,
            source=self.document,
            span=(self.lines[title_line].strip().span()[0], last.span()[1]),
        )
        return Plan(
            document=doc,
            projects=projects,
            sections=sections,
            tasks=tasks,
            agencies=sorted(self.agencies.values(), key=lambda a: a.name),
            warnings=self.warnings,
        )

    def _plan_start(self) -> int:
        for i, line in enumerate(self.lines):
            if _PLAN_START_MARKER in line.text:
                return i + 1
        return 0

    def _title_line(self, start: int, first_project: int) -> int:
        for i in range(first_project - 1, start - 1, -1):
            text = self.lines[i].strip().text
            if text and len(text) <= _MAX_TITLE and not text.endswith(("。", ";", ",")) and _TITLE_WORDS.search(text):
                return i
        for i in range(start, first_project):
            text = self.lines[i].strip().text
            if text and len(text) <= _MAX_TITLE:
                return i
        raise self.error("no title line before the first project heading", first_project + 1)

    def _year_and_jurisdiction(self, title: str) -> tuple[int | None, str]:
        m = _YEAR.search(title)
        year = int(m.group("year")) if m else None
        if self.forced_jurisdiction:
            return year, self.forced_jurisdiction
        head = title[: m.start()] if m else title
        head = _JURISDICTION_SUFFIX.sub("", _JURISDICTION_PREFIX.sub("", head)).strip()
        if not head or len(head) > 8:
            self.warnings.append(f"could not tell the jurisdiction from the title {title!r}; using 未知")
            return year, "未知"
        return year, head

    # -- structure ----------------------------------------------------------------

    def _blocks(self, first: int) -> list[_Block]:
        blocks: list[_Block] = []
        for i in range(first, len(self.lines)):
            line = self.lines[i].strip()
            text = line.text
            if not text:
                continue
            if _PLAN_END.match(text):
                break
            for kind, pattern in (("project", _PROJECT), ("section", _SECTION), ("task", _TASK)):
                m = pattern.match(text)
                if m:
                    number = cn_number(m.group("num")) if kind != "task" else int(m.group("num"))
                    blocks.append(_Block(kind, number, i + 1, m.start("title"), [line]))
                    break
            else:
                blocks[-1].lines.append(line)
        return blocks

    def _assemble(self, blocks: list[_Block], doc_id: str) -> tuple[list[Task], list[Project], list[Section]]:
        sections_are_tasks = not any(b.kind == "task" for b in blocks)
        projects: list[Project] = []
        sections: list[Section] = []
        tasks: list[Task] = []
        project: Project | None = None
        section: Section | None = None
        for block in blocks:
            # The heading line was stripped and is not empty, so the joined view starts with it unchanged.
            heading = block.view().strip()
            if block.kind == "project":
                title = heading.text[block.title_at :].strip()
                project = Project(id=f"{doc_id}:p{block.number}", number=block.number, title=title)
                projects.append(project)
                section = None
            elif block.kind == "section" and not sections_are_tasks:
                assert project is not None
                title = heading.text[block.title_at :].strip()
                section = Section(
                    id=f"{doc_id}:s{block.number}", number=block.number, title=title, project_id=project.id
                )
                sections.append(section)
            else:
                assert project is not None
                self._check_sequence(tasks, block)
                tasks.append(self._task(block, heading, project, section, doc_id))
        return tasks, projects, sections

    def _check_sequence(self, tasks: list[Task], block: _Block) -> None:
        expected = tasks[-1].number + 1 if tasks else 1
        if block.number != expected:
            self.warnings.append(f"line {block.line}: task {block.number} follows task {expected - 1}")

    # -- one task -------------------------------------------------------------------

    def _task(self, block: _Block, heading: TextView, project: Project, section: Section | None, doc_id: str) -> Task:
        body = heading[block.title_at :]
        task_id = models.task_id(doc_id, block.number)
        title, after_title = _task_title(body)
        groups = _responsibility_groups(body, self.vocabulary)
        measures: list[Measure] = []
        goals: list[Goal] = []
        clause_start = after_title if groups and after_title < groups[0][0] else 0
        clauses: list[tuple[TextView, tuple[int, int] | None, list[ListedOwner]]] = []
        for open_at, close_at, owners in groups:
            clauses.append((body[clause_start:open_at].strip(), body.span(open_at, close_at + 1), owners))
            clause_start = close_at + 1
        tail = body[clause_start:].strip()
        if tail.text.strip("。;, ") or not clauses:
            clauses.append((tail if tail.text else body[after_title:].strip(), None, []))
            self.warnings.append(f"line {block.line}: task {block.number} has text with no responsible unit")
        for number, (clause, paren_span, owners) in enumerate(clauses, start=1):
            measure_id = f"{task_id}:m{number}"
            for found in find_goals(clause):
                goals.append(
                    Goal(
                        id=f"{task_id}:g{len(goals) + 1}",
                        text=found.text,
                        value=found.value,
                        value_max=found.value_max,
                        unit=found.unit,
                        comparator=found.comparator,
                        metric=found.metric,
                        span=clause.span(found.start, found.end),
                        measure_id=measure_id,
                    )
                )
            measures.append(
                Measure(
                    id=measure_id,
                    number=number,
                    text=clause.text,
                    span=clause.span(),
                    responsibility_span=paren_span,
                    agencies=[self._mention(owner, i) for i, owner in enumerate(owners, start=1)],
                )
            )
        topic_text = title + "".join(c.text for c, _, _ in clauses)
        return Task(
            id=task_id,
            number=block.number,
            title=title,
            text=body.text,
            source_text=self.source[slice(*heading.span())],
            project=project,
            section=section,
            span=heading.span(),
            measures=measures,
            goals=goals,
            topics=self._topics(topic_text),
        )

    def _mention(self, owner: ListedOwner, position: int) -> AgencyMention:
        name_view = owner.view.strip()
        name = self.vocabulary.canonical_agency(name_view.text)
        kind = self.vocabulary.agency_kind(name)
        generic = kind == "generic"
        agency_id = f"{self.jurisdiction}:{name}"
        if agency_id not in self.agencies:
            if not self.vocabulary.is_known_agency(name):
                self.warnings.append(f"unknown agency {name!r} (kind guessed: {kind}); add it to agencies.tsv")
            self.agencies[agency_id] = Agency(
                id=agency_id, name=name, jurisdiction=self.jurisdiction, kind=kind, generic=generic
            )
        start, end = name_view.span()
        return AgencyMention(
            name=name,
            role=owner.role,
            generic=generic,
            raw=self.source[start:end],
            position=position,
            span=(start, end),
            agency_id=agency_id,
        )

    def _topics(self, text: str) -> list[TopicMatch]:
        found: dict[str, list[str]] = {}
        term_topics = self.vocabulary.term_topics
        for token in self.vocabulary.segment(text):
            for topic in term_topics.get(token, ()):
                terms = found.setdefault(topic, [])
                if token not in terms:
                    terms.append(token)
        order = {t.name: i for i, t in enumerate(self.vocabulary.topics)}
        return [TopicMatch(name=n, terms=terms) for n, terms in sorted(found.items(), key=lambda kv: order[kv[0]])]


def _task_title(body: TextView) -> tuple[str, int]:
    """Title = text before the first 。; returns it and where the rest of the task starts."""
    text = body.text
    stop = text.find("。")
    paren = text.find("(")
    if stop != -1 and (paren == -1 or stop < paren or stop < _TASK_TITLE_FALLBACK):
        return "".join(text[:stop].split()), stop + 1
    cut = paren if paren != -1 else len(text)
    return "".join(text[: min(cut, _TASK_TITLE_FALLBACK)].split()).rstrip(",;:"), 0


def _responsibility_groups(body: TextView, vocabulary: Vocabulary) -> list[tuple[int, int, list[ListedOwner]]]:
    """Top-level parentheses of a task that name owners: (open index, close index, owners)."""
    groups = []
    depth, open_at = 0, -1
    for i, c in enumerate(body.text):
        if c == "(":
            if depth == 0:
                open_at = i
            depth += 1
        elif c == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                owners = read_owners(body[open_at + 1 : i], vocabulary)
                if owners:
                    groups.append((open_at, i, owners))
    return groups
