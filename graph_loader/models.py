"""The plan model: what the parser produces and what both stores consume.

Field names and meanings follow the parse output contract in DESIGN.md; fields
beyond the contract (ids on every object, provenance spans) are additions.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]
Role = Literal["lead", "co"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Document(_Model):
    id: str
    title: str
    year: int | None
    jurisdiction: str
    source: str = Field(description="File the plan was read from (name only), or '<text>'.")
    span: Span = Field(description="Where the plan itself starts and ends (after any preamble).")


class ProjectRef(_Model):
    id: str
    number: int
    title: str


class SectionRef(_Model):
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
    comparator: Literal[">=", ">", "<=", "<", "=", "between"]
    metric: str | None
    span: Span
    measure_id: str


class Measure(_Model):
    id: str
    number: int
    text: str
    span: Span
    responsibility_span: Span | None = Field(
        description="The responsibility parenthesis; None if the clause names no owner."
    )
    agencies: list[AgencyMention]


class TopicMatch(_Model):
    name: str
    terms: list[str] = Field(description="The dictionary terms jieba found in the task, in order of first appearance.")


class Task(_Model):
    id: str
    number: int
    title: str
    text: str = Field(description="The task as parsed: folded, lines joined.")
    source_text: str = Field(description="The source exactly as written at span (the evidence).")
    project: ProjectRef
    section: SectionRef | None
    span: Span
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
    projects: list[ProjectRef]
    sections: list[SectionRef]
    tasks: list[Task]
    agencies: list[Agency]
    warnings: list[str] = Field(default_factory=list)

    def measures(self) -> list[Measure]:
        return [m for t in self.tasks for m in t.measures]
