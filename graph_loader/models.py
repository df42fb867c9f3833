"""The plan model: what the parser produces and what both stores consume.

Field names and meanings follow the parse output contract in DESIGN.md; fields
beyond the contract (ids on every object, provenance spans) are additions.
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]
Role = Literal["lead", "co"]
Comparator = Literal[">=", ">", "<=", "<", "=", "between"]
Direction = Literal["increase", "decrease"]


_YEAR_IN_TITLE = re.compile(r"\(?((19|20)\d{2}\s*[-—–~至]\s*)?(19|20)\d{2}年\)?")
_NOT_IN_IDS = re.compile(r"[\s:/\\?#%&《》]+")
_MAX_ID_TITLE = 60


def document_id(jurisdiction: str, year: int | None, title: str) -> str:
    """A document's readable, stable id: jurisdiction, year, and the title without its year.

    数字青岛2025年行动方案 of 青岛 → ``青岛-2025-数字青岛行动方案``. The same plan parsed again, from any
    file or encoding, gets the same id; a plan of another year or jurisdiction gets another.
    """
    rest = _NOT_IN_IDS.sub("-", _YEAR_IN_TITLE.sub("", title, count=1)).strip("-")[:_MAX_ID_TITLE]
    return "-".join(part for part in (jurisdiction, str(year) if year else "", rest) if part)


def series_id(jurisdiction: str, title: str) -> str:
    """The plan line a document belongs to: its id without the year (``青岛-数字青岛行动方案``)."""
    return document_id(jurisdiction, None, title)


def legacy_document_id(jurisdiction: str, title: str) -> str:
    """The id documents had before ids were readable (``doc-0d51d59d77``); still resolves to the document."""
    return "doc-" + hashlib.sha1(f"{jurisdiction}|{title}".encode()).hexdigest()[:10]


def task_id(document_id: str, number: int) -> str:
    """A task's id: its document's id and its number in the plan (``…:t3``)."""
    return f"{document_id}:t{number}"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Document(_Model):
    id: str = Field(description="Readable and stable: jurisdiction-year-title without its year.")
    legacy_id: str = Field(description="The id of earlier versions (doc-<hash>); it still resolves.")
    title: str
    year: int | None
    jurisdiction: str
    series: str = Field(
        default="", description="The plan line over the years: jurisdiction and title without its year (series.py)."
    )
    source: str = Field(description="File the plan was read from (name only), or '<text>'.")
    span: Span = Field(description="Where the plan itself starts and ends (after any preamble).")


class Project(_Model):
    id: str
    number: int
    title: str


class Section(_Model):
    id: str
    number: int
    title: str
    project_id: str


class AgencyMention(_Model):
    name: str = Field(description="Canonical Simplified name.")
    role: Role
    generic: bool = Field(description="A collective placeholder such as 各区市政府, not one agency.")
    raw: str = Field(description="The name exactly as the text wrote it (line breaks included).")
    position: int = Field(description="1-based place in the responsibility list.")
    span: Span
    agency_id: str


class Goal(_Model):
    id: str
    text: str
    value: int | float
    value_max: int | float | None = Field(default=None, description="Upper bound of a range target (10-15个).")
    unit: str
    comparator: Comparator
    metric: str | None
    span: Span
    measure_id: str
    relative: bool = Field(
        default=False, description="A change from a base (增长8%, 下降22%, 翻一番), not a level to reach."
    )
    direction: Direction | None = Field(
        default=None,
        description="Which way a relative goal goes; value is the size of the change (下降22% is 22, decrease).",
    )
    base: str | None = Field(
        default=None, description="What a relative goal is measured from, as written (2023年, 上年; 同比 is 上年同期)."
    )
    base_year: int | None = Field(default=None, description="The base's year where it names one (较2023年 → 2023).")
    deadline_year: int | None = Field(
        default=None, description="The year it is due by (到2027年底 → 2027; 年底前, 年内, 全年 → the plan's year)."
    )
    approximate: bool = Field(default=False, description="X左右: about the value (the comparator stays =).")


class ToolMatch(_Model):
    type: Literal["供给型", "需求型", "环境型"] = Field(
        description="Supply-side, demand-side or environmental, in Rothwell & Zegveld's typology of policy tools."
    )
    subtype: str = Field(description="The tool within its type (人才培养, 示范应用 …): data/policy_tools.toml.")
    terms: list[str] = Field(description="The lexicon's terms jieba found in the clause, in order of first appearance.")


class Measure(_Model):
    id: str
    number: int
    text: str
    span: Span
    responsibility_span: Span | None = Field(
        description="The responsibility parenthesis; None if the clause names no owner."
    )
    agencies: list[AgencyMention]
    deadline: str | None = Field(
        default=None,
        description="When the clause is due, as the plan writes it (2026年6月底, 全年): a 完成时限 column or field.",
    )
    tools: list[ToolMatch] = Field(
        default_factory=list,
        description="The policy tools the clause uses (policy_tools.py), by type then subtype; each with its evidence.",
    )


class TopicMatch(_Model):
    name: str
    terms: list[str] = Field(description="The dictionary terms jieba found in the task, in order of first appearance.")


class Task(_Model):
    id: str
    number: int
    title: str
    text: str = Field(description="The task as parsed: folded, lines joined.")
    source_text: str = Field(description="The source exactly as written at span (the evidence).")
    project: Project
    section: Section | None
    span: Span
    place: str | None = Field(
        default=None, description="Where the task starts in the original file: line, page and line, paragraph …"
    )
    measures: list[Measure]
    goals: list[Goal]
    topics: list[TopicMatch]


class Agency(_Model):
    id: str
    name: str
    jurisdiction: str
    kind: str
    generic: bool


class Plan(_Model):
    document: Document
    projects: list[Project]
    sections: list[Section]
    tasks: list[Task]
    agencies: list[Agency]
    warnings: list[str] = Field(default_factory=list)

    def measures(self) -> list[Measure]:
        return [m for t in self.tasks for m in t.measures]
