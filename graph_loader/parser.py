"""Chinese action plan text → :class:`Plan`.

The grammar (DESIGN.md): a title line, then 一、 projects, (一) sections and
1. tasks; inside a task every run of text closed by a responsibility
parenthesis is a measure. Everything is found on a folded view of the text
(:mod:`graph_loader.text`) and reported with spans into the text as read.

Real plans bend the grammar (docs/FORMS.md): (一) items that are the tasks, paragraphs
without numbers, owners on their own lines or given once in a heading, riders, tables.
The forms' readers live beside this module (responsibility, tables, titles, goals); it
is longer than 400 lines because the walk over a plan's structure that decides which
block is a task is one piece, and reads best whole.
"""

from __future__ import annotations

import gc
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from graph_loader import models, titles
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
from graph_loader.policy_tools import tools_of
from graph_loader.readers import ReadDocument, read_document
from graph_loader.responsibility import (
    CLOSERS,
    OPENERS,
    OWNER_LINE,
    ListContext,
    ListedOwner,
    Reading,
    read_owners,
    states_all_lead,
)
from graph_loader.series import series_of
from graph_loader.tables import rewrite_tables
from graph_loader.text import TextView

_PROJECT = re.compile(rf"^(?P<num>{CN_NUMERAL})、(?P<title>.*)$", re.S)
_SECTION = re.compile(rf"^\((?P<num>{CN_NUMERAL})\)(?P<title>.*)$", re.S)
# 重点工作: 42.… is the task of a key–value card (广州's 重点工作落实情况).
_TASK = re.compile(r"^(?:(?:重点工作|重点任务|工作任务):\s*)?(?P<num>\d{1,5})[.、](?!\d)(?P<title>.*)$", re.S)
_PLAN_END = re.compile(r"^(附件\d*[::]?|抄送[::]|信息公开选项|\(此件)")
_PLAN_START_MARKER = "全文如下"
_TITLE_WORDS = re.compile(r"方案|计划|要点|意见|规划|措施|纲要|清单|任务|安排")
_MAX_TITLE = 80
_TASK_TITLE_FALLBACK = 40
# Mirror sites put pinyin after some characters, in labels and names too: 責(zé)任單位.
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")
# Projects that frame the plan rather than assign work; their items without owners are not tasks.
_FRAMING = re.compile(
    r"总体要求|指导思想|基本原则|工作原则|总体目标|主要目标|工作目标|发展目标|保障措施|组织保障|工作要求|组织实施|实施保障|保障机制"
)


@dataclass
class _Block:
    kind: str  # "project" | "section" | "task"
    number: int
    line: int  # 1-based source line of the heading
    title_at: int  # where the title starts in the heading line (after 一、 (一) 1.), from the match that made the block
    lines: list[TextView] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)  # 1-based source line of each of ``lines``

    def view(self) -> TextView:
        # Lines join without the break: 市\n大数据局 reads as 市大数据局.
        return TextView.join(self.lines)


@dataclass
class _TaskCandidate:
    """A block that may be a task, read as far as deciding needs (whether it names owners)."""

    block: _Block
    body: TextView  # the task's text after its number, owner lines bracketed
    groups: list[tuple[int, int, Reading]]
    project: Project
    section: Section | None
    inherited: list[ListedOwner]  # owners its section's or project's heading gives


def parse_file(path: str | Path, *, jurisdiction: str | None = None, vocabulary: Vocabulary | None = None) -> Plan:
    """Read (text, HTML, PDF, Word, OFD, XLSX) and parse one plan file. Raises :class:`PlanParseError`."""
    path = Path(path)
    return parse_document(read_document(path), document=path.name, jurisdiction=jurisdiction, vocabulary=vocabulary)


def parse_document(
    read: ReadDocument, *, document: str, jurisdiction: str | None = None, vocabulary: Vocabulary | None = None
) -> Plan:
    """Parse a file's text as read; each task records its place in the original file (page, paragraph)."""
    plan = parse_text(read.text, document=document, jurisdiction=jurisdiction, vocabulary=vocabulary)
    tasks = [t.model_copy(update={"place": read.place_at(t.span[0])}) for t in plan.tasks]
    return plan.model_copy(update={"tasks": tasks})


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
    with cyclic_gc_paused():
        return _PlanBuilder(source, document, jurisdiction, vocabulary or default_vocabulary()).build()


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
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
        self.lines = rewrite_tables(_without_pinyin(TextView.of_source(source)).lines())
        self.forced_jurisdiction = jurisdiction
        self.warnings: list[str] = []
        self.agencies: dict[str, Agency] = {}
        self.all_lead = states_all_lead("".join(line.text for line in self.lines))
        self.riders: list[ListedOwner] = []  # owners a rider put on every task after it
        self.unowned: list[str] = []  # tasks with text that names no owner: worth a warning if others do
        self.numbered = False  # whether any task or section is numbered (1. or (一))
        self.year: int | None = None

    def error(self, reason: str, line: int | None = None) -> PlanParseError:
        offset = self.lines[line - 1].span()[0] if line else None
        return PlanParseError(reason, document=self.document, line=line, offset=offset)

    # -- document -----------------------------------------------------------------

    def build(self) -> Plan:
        start = self._plan_start()
        first_project = next(
            (i for i in range(start, len(self.lines)) if _PROJECT.match(self.lines[i].strip().text)), None
        )
        headed = first_project is not None
        if first_project is None:
            # Numbered tasks with no 一、 above them (重点工作 cards, short 工作要点): a plan of one project.
            first_project = next(
                (i for i in range(start + 1, len(self.lines)) if _TASK.match(self.lines[i].strip().text)), None
            )
        if first_project is None:
            raise self.error("no plan structure: no project heading such as 一、 was found")
        title_line = self._title_line(start, first_project)
        title = self.lines[title_line].strip().strip("《》").text.strip()
        if title_line + 1 < first_project and titles.YEAR_LINE.match(self.lines[title_line + 1].strip().text):
            title += self.lines[title_line + 1].strip().text  # 数字威海建设行动计划 / (2022—2024年)
        year, jurisdiction = self._year_and_jurisdiction(title)
        doc_id = document_id(jurisdiction, year, title)
        self.jurisdiction = jurisdiction
        self.year = year
        self.list_context = ListContext(self.vocabulary, jurisdiction, titles.level(title), self.all_lead)
        blocks = self._blocks(first_project)
        if not headed:
            blocks.insert(
                0, _Block("project", 1, title_line + 1, 0, [self.lines[title_line].strip()], [title_line + 1])
            )
        tasks, projects, sections = self._assemble(blocks, doc_id)
        owned = any(m.agencies for t in tasks for m in t.measures)
        if not tasks or not (owned or (headed and (self.numbered or any(t.goals for t in tasks)))):
            raise self.error(
                "no plan structure: no numbered tasks (1. or (一)), owners or targets under the projects",
                first_project + 1,
            )
        if owned:
            self.warnings.extend(self.unowned)
        else:
            # A plan of targets without owners (many 三年行动计划) is still a plan: its structure and goals count.
            self.warnings.insert(0, "no owners were found: no task names its responsible units (责任单位…)")
        last = self.lines[-1] if not blocks else blocks[-1].lines[-1]
        doc = Document(
            id=doc_id,
            legacy_id=legacy_document_id(jurisdiction, title),
            title=title,
            year=year,
            jurisdiction=jurisdiction,
            series=series_of(jurisdiction, title),
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
        year = titles.plan_year(title)
        if self.forced_jurisdiction:
            return year, self.forced_jurisdiction
        jurisdiction = titles.jurisdiction(title)
        if jurisdiction is None:
            self.warnings.append(f"could not tell the jurisdiction from the title {title!r}; using 未知")
            return year, "未知"
        return year, jurisdiction

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
                    blocks.append(_Block(kind, number, i + 1, m.start("title"), [line], [i + 1]))
                    self.numbered = self.numbered or kind != "project"
                    break
            else:
                blocks[-1].lines.append(line)
                blocks[-1].line_numbers.append(i + 1)
        return blocks

    def _assemble(self, blocks: list[_Block], doc_id: str) -> tuple[list[Task], list[Project], list[Section]]:
        projects: list[Project] = []
        sections: list[Section] = []
        candidates: list[_TaskCandidate] = []
        for project_block, children in _by_project(blocks):
            title, project_owners = self._heading(project_block)
            project = Project(id=f"{doc_id}:p{project_block.number}", number=project_block.number, title=title)
            projects.append(project)
            section: Section | None = None
            section_owners: list[ListedOwner] = []
            for i, block in enumerate(children):
                if block.kind == "section" and i + 1 < len(children) and children[i + 1].kind == "task":
                    title, section_owners = self._heading(block)
                    section = Section(
                        id=f"{doc_id}:s{block.number}", number=block.number, title=title, project_id=project.id
                    )
                    sections.append(section)
                    continue
                # A (一) item with no 1. under it is itself a task (青岛 2019, 威海 2021).
                in_section = section if block.kind == "task" else None
                body = _owner_lines_bracketed(
                    [line[block.title_at :] if n == 0 else line for n, line in enumerate(block.lines)]
                )
                inherited = (section_owners if in_section else []) or project_owners
                candidates.append(
                    _TaskCandidate(block, body, self._responsibility_groups(body), project, in_section, inherited)
                )
        # What 总体要求 or 保障措施 say without naming an owner frames the plan; it is no task, unless the
        # plan is nothing else.
        work = [c for c in candidates if c.groups or c.inherited or not _FRAMING.search(c.project.title)]
        candidates = work or candidates
        tasks = [self._task(c, ordinal, doc_id) for ordinal, c in enumerate(candidates, start=1)]
        return tasks, projects, sections

    def _heading(self, block: _Block) -> tuple[str, list[ListedOwner]]:
        """A project's or section's title, and the owners it gives once for all its tasks."""
        lines = [block.lines[0][block.title_at :].strip()]
        lines += itertools.takewhile(_is_owner_line, block.lines[1:])
        view = _owner_lines_bracketed(lines)
        groups = self._responsibility_groups(view)
        if not groups:
            return lines[0].text, []
        return view.text[: groups[0][0]].strip(), groups[0][2].owners

    def _task(self, candidate: _TaskCandidate, ordinal: int, doc_id: str) -> Task:
        block, body, groups, inherited = candidate.block, candidate.body, candidate.groups, candidate.inherited
        heading = block.view().strip()
        task_id = models.task_id(doc_id, ordinal)
        title, after_title = _task_title(body)
        measures: list[Measure] = []
        goals: list[Goal] = []
        clause_start = after_title if groups and after_title < groups[0][0] else 0
        title_only = clause_start  # the title's text, when no measure holds it
        clauses: list[tuple[TextView, tuple[int, int] | None, list[ListedOwner], str | None]] = []
        riders = list(self.riders)
        for open_at, close_at, reading in groups:
            clauses.append(
                (body[clause_start:open_at].strip(), body.span(open_at, close_at + 1), reading.owners, reading.deadline)
            )
            clause_start = close_at + 1
            self.riders.extend(reading.rider)
        tail = body[clause_start:].strip()
        given_by = self._owners_given_by(body.origin[groups[-1][0]]) if clauses else None
        if tail.text.strip("。;, ") and given_by == "label lines":
            # Lines after owner labels written on their own (a card's 年度目标:…) are still that unit's work.
            clauses.append((tail, *clauses[-1][1:]))
        elif (tail.text.strip("。;, ") and given_by != "table row") or not clauses:
            # A table row is a whole task: what follows the table (各单位要…) is no clause of its last row.
            clauses.append((tail if tail.text else body[after_title:].strip(), None, [], None))
            if not inherited:
                self.unowned.append(f"line {block.line}: task {block.number} has text with no responsible unit")
        if inherited:
            # Owners given once in the section's (or project's) heading hold for the clauses that name none.
            clauses = [(c, span, owners or inherited, due) for c, span, owners, due in clauses]
        for number, (clause, paren_span, owners, deadline) in enumerate(clauses, start=1):
            measure_id = f"{task_id}:m{number}"
            if number == 1 and title_only:
                # A title that states a target (1.新建5G基站1000个。…) sets it for the task's first measure.
                goals += self._goals(body[:title_only], task_id, measure_id, len(goals))
            goals += self._goals(clause, task_id, measure_id, len(goals))
            listed = owners + _not_listed(riders, owners) if owners else owners
            measures.append(
                Measure(
                    id=measure_id,
                    number=number,
                    text=clause.text,
                    span=clause.span(),
                    responsibility_span=paren_span,
                    agencies=self._mentions(listed),
                    deadline=deadline,
                    tools=tools_of(clause.text, self.vocabulary),
                )
            )
        topic_text = title + "".join(c[0].text for c in clauses)
        return Task(
            id=task_id,
            number=ordinal,
            title=title,
            text=body.text,
            source_text=self.source[slice(*heading.span())],
            project=candidate.project,
            section=candidate.section,
            span=heading.span(),
            measures=measures,
            goals=goals,
            topics=self._topics(topic_text),
        )

    def _owners_given_by(self, opener: int) -> str:
        """How a task's last owners were written: in a parenthesis, a table row or label lines (牵头单位:A on
        a line of its own). For the last two the parser added the bracket, at the first owner's character."""
        if self.source[opener] in OPENERS + "（":
            return "parenthesis"
        line_start = self.source.rfind("\n", 0, opener) + 1
        line_end = self.source.find("\n", opener)
        line = self.source[line_start : line_end if line_end >= 0 else len(self.source)]
        return "table row" if "|" in line or "\t" in line else "label lines"

    def _goals(self, clause: TextView, task_id: str, measure_id: str, before: int) -> list[Goal]:
        """The targets a measure's text sets, numbered on from the ``before`` goals of the task."""
        return [
            Goal(
                id=f"{task_id}:g{before + n}",
                text=found.text,
                value=found.value,
                value_max=found.value_max,
                unit=found.unit,
                comparator=found.comparator,
                metric=found.metric,
                span=clause.span(found.start, found.end),
                measure_id=measure_id,
                relative=found.relative,
                direction=found.direction,
                base=found.base,
                base_year=found.base_year,
                deadline_year=found.deadline_year,
                approximate=found.approximate,
            )
            for n, found in enumerate(find_goals(clause, plan_year=self.year), start=1)
        ]

    def _responsibility_groups(self, body: TextView) -> list[tuple[int, int, Reading]]:
        """Top-level brackets of a task that name owners: (open index, close index, what they say)."""
        groups = []
        depth, open_at = 0, -1
        for i, c in enumerate(body.text):
            if c in OPENERS:
                if depth == 0:
                    open_at = i
                depth += 1
            elif c in CLOSERS and depth > 0:
                depth -= 1
                if depth == 0:
                    reading = read_owners(body[open_at + 1 : i], self.list_context)
                    if reading:
                        groups.append((open_at, i, reading))
        return groups

    def _mentions(self, owners: list[ListedOwner]) -> list[AgencyMention]:
        return [self._mention(owner, i) for i, owner in enumerate(owners, start=1)]

    def _mention(self, owner: ListedOwner, position: int) -> AgencyMention:
        name_view = owner.view.strip()
        resolved = self.vocabulary.resolve_agency(owner.written, self.jurisdiction)
        name, kind, generic = resolved.name, resolved.kind, resolved.generic
        agency_id = f"{resolved.jurisdiction}:{name}"
        if agency_id not in self.agencies:
            if not resolved.known:
                self.warnings.append(f"unknown agency {name!r} (kind guessed: {kind}); add it to agencies.tsv")
            self.agencies[agency_id] = Agency(
                id=agency_id, name=name, jurisdiction=resolved.jurisdiction, kind=kind, generic=generic
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


def _not_listed(riders: list[ListedOwner], owners: list[ListedOwner]) -> list[ListedOwner]:
    """The riders' owners that a list does not already name."""
    named = {o.written for o in owners}
    return [r for r in riders if r.written not in named]


def _owner_lines_bracketed(lines: list[TextView]) -> TextView:
    """Join a block's lines; a run of label lines (牵头单位:A / 责任单位:B) reads as one parenthesis.

    Plans that give the owners on their own lines after the task (浙江's 责任分解) then read like
    ``…任务。(牵头单位:A;责任单位:B)``; the added brackets and separators take the origins of the
    label lines' first and last characters, so every span still points into the source.
    """
    parts: list[TextView] = []
    run: list[TextView] = []

    def close_run() -> None:
        if run:
            first, last = run[0], run[-1]
            parts.append(TextView("(", first.origin[:1]))
            for i, line in enumerate(run):
                if i:
                    parts.append(TextView(";", line.origin[:1]))
                parts.append(line)
            parts.append(TextView(")", last.origin[-1:]))
            run.clear()

    for line in lines:
        if _is_owner_line(line):
            run.append(line.strip())
            continue
        close_run()
        parts.append(line)
    close_run()
    return TextView.join(parts)


def _is_owner_line(line: TextView) -> bool:
    text = line.text
    return ":" in text and bool(OWNER_LINE.match("".join(text.split())))


def _by_project(blocks: list[_Block]) -> Iterator[tuple[_Block, list[_Block]]]:
    """Each project heading with the sections and tasks under it.

    A project with neither is a plan of paragraphs (工作要点 without numbers): each paragraph is a
    task, or the heading is, when it carries the task's text itself (一、推进….(责任单位:A)).
    """
    i = 0
    while i < len(blocks):
        project = blocks[i]
        j = i + 1
        while j < len(blocks) and blocks[j].kind != "project":
            j += 1
        children = blocks[i + 1 : j]
        if not children:
            paragraphs = [
                (n, line) for n, line in zip(project.line_numbers, project.lines, strict=True) if n > project.line
            ]
            if paragraphs:
                children = [_Block("paragraph", n, n, 0, [line], [n]) for n, line in paragraphs]
            elif project.view().text[project.title_at :].strip():
                children = [_Block("paragraph", 1, project.line, project.title_at, project.lines)]
        yield project, children
        i = j


def _without_pinyin(view: TextView) -> TextView:
    """The view without pinyin annotations such as (zé) after Han characters."""
    found = list(_PINYIN.finditer(view.text))
    if not found:
        return view
    kept, start = [], 0
    for m in found:
        kept.append(view[start : m.start()])
        start = m.end()
    kept.append(view[start:])
    return TextView.join(kept)
