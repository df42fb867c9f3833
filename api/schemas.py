"""The API's response models: what both stores return and what OpenAPI documents.

Lists are :class:`Page` objects, ``{data, count, truncated}``: ``count`` is the
number of items matching the request (before ``limit``/``offset``), exact
unless ``truncated`` is true — then the store stopped at its row cap and
``count`` is that cap.

Orders are fixed (DESIGN's parity requires both stores to agree item by item);
each list states its order. Ties are always broken by ``id`` ascending, so
agencies of equal rank come in jurisdiction-then-name order.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from graph_loader.coresponsibility import Level
from graph_loader.metrics import NetworkMetrics
from graph_loader.models import Comparator, Direction, Role, ToolMatch

T = TypeVar("T")



def _example(**example: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


NESTED_CAP = 20
"""Most items a list inside a list answer holds (a partner's tasks, an edge's tasks): the whole list is
counted beside it and has its own paged endpoint, so that an answer's size follows its page, not the
corpus (at 1,000 plans one network edge names thousands of tasks)."""


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int = Field(description="Items matching the request, before limit/offset (exact unless truncated).")
    truncated: bool = Field(default=False, description="True when the store stopped at its row cap.")


# -- references: the few fields that name a thing wherever it appears ------------------------

_AGENCY = {"id": "青岛:市大数据局", "name": "市大数据局", "jurisdiction": "青岛", "generic": False}
_DOC = "青岛-2025-数字青岛行动方案"
_TASK = {"id": f"{_DOC}:t1", "number": 1, "title": "数字经济", "document_id": _DOC}


class AgencyRef(BaseModel):
    model_config = _example(**_AGENCY)

    id: str = Field(description="<jurisdiction>:<canonical name>")
    name: str
    jurisdiction: str
    generic: bool = Field(description="A collective placeholder such as 各区市政府, not one agency.")


class TaskRef(BaseModel):
    model_config = _example(**_TASK)

    id: str
    number: int
    title: str
    document_id: str


class ProjectRef(BaseModel):
    id: str
    number: int
    title: str


class SectionRef(BaseModel):
    id: str
    number: int
    title: str


class DocumentRef(BaseModel):
    id: str
    title: str
    year: int | None
    jurisdiction: str


# -- agencies ----------------------------------------------------------------------------------


class AgencySummary(AgencyRef):
    """An agency with how much it carries.

    A task counts as *led* when the agency leads at least one of its measures,
    otherwise as *supported*; ``tasks = tasks_led + tasks_supported``.
    """

    model_config = _example(**_AGENCY, kind="government_department", tasks=20, tasks_led=17, tasks_supported=3,
                            measures=21, goals=7, partners=25)

    kind: str
    tasks: int = Field(description="Tasks with at least one measure the agency is responsible for.")
    tasks_led: int
    tasks_supported: int
    measures: int = Field(description="Measures the agency is responsible for, any role.")
    goals: int = Field(description="Goals set by those measures.")
    partners: int = Field(description="Agencies sharing at least one task (generic ones only if include_generic).")


class MeasureRole(BaseModel):
    measure_id: str
    measure_number: int = Field(description="1-based place of the measure in its task.")
    role: Role
    position: int = Field(description="1-based place of the agency in the measure's responsibility list.")


class AgencyTask(TaskRef):
    model_config = _example(**_TASK, role="lead",
                            measures=[{"measure_id": f"{_DOC}:t1:m1", "measure_number": 1, "role": "lead",
                                       "position": 1}])

    role: Role = Field(description="lead if the agency leads any measure of the task, else co.")
    measures: list[MeasureRole] = Field(description="In measure order.")


class AgencyDetail(AgencySummary):
    """One agency, with its tasks in document, then task-number order."""

    task_list: Page[AgencyTask] = Field(description="Its tasks (paginated by limit/offset).")


class Partner(BaseModel):
    """An agency sharing tasks with the one asked about (both responsible for some measure of each task)."""

    model_config = _example(agency={**_AGENCY, "id": "青岛:市工业和信息化局", "name": "市工业和信息化局"},
                            shared_tasks=4, tasks=[_TASK])

    agency: AgencyRef
    shared_tasks: int
    tasks: list[TaskRef] = Field(description=(
        f"At most {NESTED_CAP} of them, those with the lowest ids, in document, then task-number order; "
        "shared_tasks counts them all, and /agencies/{agency}/partners/{other} pages through every one."))


class SharedTask(TaskRef):
    model_config = _example(**_TASK, agency_role="lead", other_role="co")

    agency_role: Role = Field(description="Role of the first agency in the task (lead if it leads any measure).")
    other_role: Role = Field(description="Role of the second agency in the task.")


class Dependency(BaseModel):
    """A directed lead → supporting link: ``lead`` leads measures on which ``supporting`` is a co-owner."""

    model_config = _example(direction="out", lead=_AGENCY,
                            supporting={**_AGENCY, "id": "青岛:市工业和信息化局", "name": "市工业和信息化局"},
                            measures=3, task_count=1, tasks=[_TASK])

    direction: Literal["out", "in"] = Field(
        description="out: the agency asked about leads, the other supports; in: the other leads, it supports."
    )
    lead: AgencyRef
    supporting: AgencyRef
    measures: int = Field(description="Measures on which the lead leads and the other supports.")
    task_count: int = Field(description="Tasks of those measures.")
    tasks: list[TaskRef] = Field(
        description=f"At most {NESTED_CAP} tasks of those measures, those with the lowest ids, in document, then "
                    "task-number order.")


# -- the co-responsibility network -----------------------------------------------------------


class NetworkNode(AgencyRef):
    model_config = _example(**_AGENCY, kind="government_department", degree=25, weighted_degree=41,
                            betweenness=0.312345)

    kind: str
    degree: int = Field(description="Partners in the network shown (after min_weight).")
    weighted_degree: int = Field(description="Sum of the weights of its edges.")
    betweenness: float = Field(description="Normalised betweenness centrality, unweighted, rounded to 6 places.")


class NetworkEdge(BaseModel):
    model_config = _example(source="青岛:市大数据局", target="青岛:市工业和信息化局", weight=4,
                            tasks=[f"{_DOC}:t1", f"{_DOC}:t19"])

    source: str = Field(description="Agency id; the lower of the two ids.")
    target: str
    weight: int = Field(description="Tasks the two agencies share (clauses at level measure).")
    tasks: list[str] = Field(description=f"Ids of the first {NESTED_CAP} shared tasks (or clauses), sorted.")


class Network(BaseModel):
    """Agencies as nodes, shared tasks as weighted edges.

    Nodes: every agency responsible for a measure in scope (isolates included),
    ordered by betweenness desc, degree desc, id. Edges: weight desc, source,
    target. Both lists are capped at the row cap, never paginated.
    """

    nodes: Page[NetworkNode]
    edges: Page[NetworkEdge]


# -- tasks, goals, topics, documents -------------------------------------------------------------


class TaskOwner(BaseModel):
    agency: AgencyRef
    role: Role = Field(description="lead if the agency leads any measure of the task, else co.")


class TaskSummary(TaskRef):
    model_config = _example(**_TASK, project={"id": f"{_DOC}:p1", "number": 1, "title": "实施数字经济提质工程"},
                            section={"id": f"{_DOC}:s1", "number": 1, "title": "统筹数字经济发展"},
                            topics=["数字经济"],
                            owners=[{"agency": _AGENCY, "role": "lead"}])

    project: ProjectRef
    section: SectionRef | None = Field(description="null where the task hangs directly under its project.")
    topics: list[str] = Field(description="Names, sorted.")
    owners: list[TaskOwner] = Field(description="In order of first appearance (measure, then list position).")


class MeasureOwner(BaseModel):
    agency: AgencyRef
    role: Role
    position: int
    raw: str = Field(description="The name as the text wrote it.")
    span: tuple[int, int] = Field(description="Where the text names it: offsets into the source text.")


class GoalOut(BaseModel):
    model_config = _example(id=f"{_DOC}:t4:g1", text="不少于300家", value=300, value_max=None, unit="家",
                            comparator=">=", metric="数字经济领域专精特新中小企业", measure_id=f"{_DOC}:t4:m1",
                            relative=False, direction=None, base=None, base_year=None, deadline_year=None,
                            approximate=False)

    id: str
    text: str
    value: int | float
    value_max: int | float | None
    unit: str
    comparator: Comparator
    metric: str | None
    measure_id: str
    relative: bool = Field(description="A change from a base (增长8%, 下降22%, 翻一番), not a level to reach.")
    direction: Direction | None = Field(
        description="Which way a relative goal goes; value is the size of the change (下降22% is 22, decrease)."
    )
    base: str | None = Field(description="What a relative goal is measured from, as written (2023年, 上年).")
    base_year: int | None = Field(description="The base's year where it names one (较2023年 → 2023).")
    deadline_year: int | None = Field(description="The year it is due by (到2027年底 → 2027), where the text says.")
    approximate: bool = Field(description="X左右: about the value (the comparator stays =).")
    span: tuple[int, int] = Field(description="Where the text states it: offsets into the source text.")


class GoalWithOwners(GoalOut):
    """A goal with the task it belongs to and the owners of the measure that sets it."""

    task: TaskRef
    owners: list[MeasureOwner] = Field(description="In list position order.")


class MeasureOut(BaseModel):
    id: str
    number: int
    text: str
    span: tuple[int, int] = Field(description="Offsets into the source text.")
    owners: list[MeasureOwner] = Field(description="In list position order.")
    goals: list[GoalOut]
    deadline: str | None = Field(default=None, description="When it is due, as the plan writes it (2026年6月底).")
    tools: list[ToolMatch] = Field(default_factory=list, description="The policy tools it uses, with the evidence.")


class TopicMatchOut(BaseModel):
    name: str
    terms: list[str] = Field(description="The dictionary terms found in the task (evidence).")


class TaskDetail(TaskSummary):
    text: str
    source_text: str = Field(description="The source exactly as written at span.")
    span: tuple[int, int]
    place: str | None = Field(default=None, description="Where the task starts in the original file (page, paragraph).")
    document: DocumentRef
    measures: list[MeasureOut]
    goals: list[GoalOut]
    topic_matches: list[TopicMatchOut]


class TopicOut(BaseModel):
    model_config = _example(id="topic:人工智能", name="人工智能", tasks=15)

    id: str
    name: str
    tasks: int


class DocumentOut(DocumentRef):
    model_config = _example(id=_DOC, title="数字青岛2025年行动方案", year=2025, jurisdiction="青岛",
                            series="青岛-数字青岛行动方案", source="digital-qingdao-2025.txt", tasks=54, measures=69,
                            goals=29, agencies=59)

    series: str = Field(description="The plan line over the years: jurisdiction and title without its year.")
    source: str
    tasks: int
    measures: int
    goals: int
    agencies: int = Field(description="Agencies responsible for at least one of its measures.")


class Index(BaseModel):
    """The API's front page: where the docs are, and which path answers which question."""

    name: str = "policykg"
    docs: str = Field(description="Swagger UI, with an example for every route.")
    openapi: str
    questions: dict[str, str] = Field(description="A question → the path that answers it.")


class Health(BaseModel):
    model_config = _example(store="memory", reachable=True, documents=1, detail="embedded store, 1 plan(s)")

    store: Literal["memory", "neo4j"]
    reachable: bool
    documents: int | None = Field(description="Documents loaded; null when the store is unreachable.")
    detail: str


# -- plans over time ---------------------------------------------------------------------------------


class DocumentMetrics(BaseModel):
    document: DocumentRef
    metrics: NetworkMetrics


class SeriesMetrics(BaseModel):
    """The network measures of a plan line, year by year (graph_loader.metrics says how each is computed)."""

    series: str
    level: Level = Field(description="What ties two agencies: a shared task, or a shared clause (measure).")
    years: list[DocumentMetrics]


class ToolCounts(BaseModel):
    """How many measures use each type of policy tool (a measure counts once per type)."""

    key: str = Field(description="The agency id (by=agency) or the topic (by=topic).")
    name: str
    supply: int = Field(description="Measures using supply-side tools (供给型).")
    demand: int = Field(description="Measures using demand-side tools (需求型).")
    environment: int = Field(description="Measures using environmental tools (环境型).")
