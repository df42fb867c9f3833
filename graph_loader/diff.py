"""What changed between two plans of a series: tasks added, dropped and continued, and how.

Lineage (:mod:`graph_loader.lineage`) says which task continues which; this module says what
changed along each continuation — owners added or removed, the lead moved, targets raised or
lowered, topics gained or lost — and how each agency's load moved (tasks led, tasks co-owned).

It reads :class:`DocumentFacts`, plain values only, not a :class:`Plan`: each store builds them
from its own data (``facts_from_plan`` is the parser's way), so a diff is the same whichever store
answers, and it serialises to JSON as it is (``PlanDiff.model_dump()``). ``render`` prints one for
people, as ``policykg diff`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from graph_loader.lineage import Continuation
from graph_loader.models import Plan, Role

Span = tuple[int, int]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OwnerFacts(_Model):
    """An agency responsible for a task: lead if it leads any of the task's measures, else co."""

    agency_id: str
    name: str
    role: Role
    generic: bool
    span: Span  # its first mention in the task


class GoalFacts(_Model):
    """A target a task sets, as :class:`graph_loader.models.Goal` reads it (value in the unit's base: 3100亿元 is
    310000000000 元)."""

    metric: str | None
    text: str
    value: float
    value_max: float | None
    unit: str
    comparator: str
    span: Span


class TaskFacts(_Model):
    id: str
    number: int
    title: str
    span: Span
    text: str
    owners: list[OwnerFacts]  # each agency once, in order of first mention
    goals: list[GoalFacts]
    topics: list[str]


class DocumentFacts(_Model):
    """A plan as the diff needs it: what each store can build from its own data."""

    id: str
    title: str
    year: int | None
    tasks: list[TaskFacts]


class TaskRef(_Model):
    id: str
    number: int
    title: str
    span: Span


class DocumentRef(_Model):
    id: str
    title: str
    year: int | None


class GoalChange(_Model):
    """A target both tasks set (paired by metric, or by unit), with another value, range, comparator or unit."""

    metric: str | None
    unit: str
    old: GoalFacts
    new: GoalFacts


class TaskChange(_Model):
    """One continuation and what changed along it; ``changed`` is False when nothing below did."""

    old: TaskRef
    new: TaskRef
    score: float
    changed: bool
    renamed: bool  # the title was reworded
    owners_added: list[OwnerFacts]
    owners_removed: list[OwnerFacts]
    lead_before: list[str]  # names of the agencies that led the task
    lead_after: list[str]
    lead_changed: bool  # another set of leads (an agency added as co, or a co dropped, is no lead change)
    goals_changed: list[GoalChange]
    goals_added: list[GoalFacts]
    goals_removed: list[GoalFacts]
    topics_gained: list[str]
    topics_lost: list[str]


class AgencyCounts(_Model):
    """How many tasks an agency led and co-owned, before and after."""

    agency_id: str
    name: str
    lead_before: int
    co_before: int
    lead_after: int
    co_after: int


class PlanDiff(_Model):
    old: DocumentRef
    new: DocumentRef
    added: list[TaskRef]  # tasks of the new plan that continue none, by number
    dropped: list[TaskRef]  # tasks of the old plan that none continues, by number
    continued: list[TaskChange]  # every continuation, by the new task's number
    agencies: list[AgencyCounts]  # every agency of either plan, by name


def facts_from_plan(plan: Plan) -> DocumentFacts:
    """The facts of a parsed plan (a store builds the same from its task details: ``api.stores.answers``)."""
    tasks = [
        task_facts(
            id=task.id, number=task.number, title=task.title, span=task.span, text=task.text,
            mentions=(
                OwnerFacts(agency_id=a.agency_id, name=a.name, role=a.role, generic=a.generic, span=a.span)
                for m in task.measures for a in m.agencies
            ),
            goals=(
                GoalFacts(metric=g.metric, text=g.text, value=g.value, value_max=g.value_max, unit=g.unit,
                          comparator=g.comparator, span=g.span)
                for g in task.goals
            ),
            topics=(t.name for t in task.topics),
        )
        for task in plan.tasks
    ]
    doc = plan.document
    return DocumentFacts(id=doc.id, title=doc.title, year=doc.year, tasks=tasks)


def task_facts(
    *, id: str, number: int, title: str, span: tuple[int, int], text: str, mentions: Iterable[OwnerFacts],
    goals: Iterable[GoalFacts], topics: Iterable[str],
) -> TaskFacts:
    """One task's facts from its owners as its measures name them, in text order: an agency once, at its
    first mention, and lead if it leads any measure; goals in text order, topics by name."""
    owners: dict[str, OwnerFacts] = {}
    for mention in mentions:
        first = owners.get(mention.agency_id)
        if first is None:
            owners[mention.agency_id] = mention
        elif mention.role == "lead" and first.role != "lead":
            owners[mention.agency_id] = first.model_copy(update={"role": "lead"})
    return TaskFacts(id=id, number=number, title=title, span=span, text=text, owners=list(owners.values()),
                     goals=sorted(goals, key=lambda g: g.span), topics=sorted(topics))


def diff(a: DocumentFacts, b: DocumentFacts, matches: Sequence[Continuation]) -> PlanDiff:
    """What changed from plan ``a`` to plan ``b``, given which tasks of ``b`` continue which of ``a``.

    Raises ValueError when a continuation names a task that is not in its plan, or a task twice.
    """
    old_tasks = {t.id: t for t in a.tasks}
    new_tasks = {t.id: t for t in b.tasks}
    olds = [m.old for m in matches]
    news = [m.new for m in matches]
    if missing := [i for i in olds if i not in old_tasks] + [i for i in news if i not in new_tasks]:
        raise ValueError(f"continuations name tasks not in the plans: {', '.join(missing)}")
    if len(set(olds)) < len(olds) or len(set(news)) < len(news):
        raise ValueError("a task continues, or is continued by, more than one task")
    continued = sorted(
        (_task_change(old_tasks[m.old], new_tasks[m.new], m.score) for m in matches), key=lambda c: c.new.number
    )
    continuing, continued_from = set(news), set(olds)
    return PlanDiff(
        old=DocumentRef(id=a.id, title=a.title, year=a.year),
        new=DocumentRef(id=b.id, title=b.title, year=b.year),
        added=[_ref(t) for t in sorted(b.tasks, key=lambda t: t.number) if t.id not in continuing],
        dropped=[_ref(t) for t in sorted(a.tasks, key=lambda t: t.number) if t.id not in continued_from],
        continued=continued,
        agencies=_agency_counts(a, b),
    )


def _ref(task: TaskFacts) -> TaskRef:
    return TaskRef(id=task.id, number=task.number, title=task.title, span=task.span)


def _task_change(old: TaskFacts, new: TaskFacts, score: float) -> TaskChange:
    before = {o.agency_id for o in old.owners}
    after = {o.agency_id for o in new.owners}
    lead_before = [o.name for o in old.owners if o.role == "lead"]
    lead_after = [o.name for o in new.owners if o.role == "lead"]
    goals_changed, goals_added, goals_removed = _goal_changes(old.goals, new.goals)
    owners_added = [o for o in new.owners if o.agency_id not in before]
    owners_removed = [o for o in old.owners if o.agency_id not in after]
    topics_gained = [t for t in new.topics if t not in old.topics]
    topics_lost = [t for t in old.topics if t not in new.topics]
    renamed = old.title != new.title
    lead_changed = set(lead_before) != set(lead_after)
    listed = (owners_added, owners_removed, goals_changed, goals_added, goals_removed, topics_gained, topics_lost)
    return TaskChange(
        old=_ref(old),
        new=_ref(new),
        score=score,
        changed=renamed or lead_changed or any(listed),
        renamed=renamed,
        owners_added=owners_added,
        owners_removed=owners_removed,
        lead_before=lead_before,
        lead_after=lead_after,
        lead_changed=lead_changed,
        goals_changed=goals_changed,
        goals_added=goals_added,
        goals_removed=goals_removed,
        topics_gained=topics_gained,
        topics_lost=topics_lost,
    )


def _goal_changes(
    old: list[GoalFacts], new: list[GoalFacts]
) -> tuple[list[GoalChange], list[GoalFacts], list[GoalFacts]]:
    """Pair the targets of two versions of a task; return the changed pairs, the new and the dropped ones.

    Targets pair by metric, in order where a task sets one metric twice; then, among those left, a
    target without a metric pairs with the one target of its unit on the other side, if it is the only
    one of that unit on its own side too.
    """
    pairs: list[tuple[GoalFacts, GoalFacts]] = []
    left_old, left_new = list(old), list(new)
    for goal in old:
        if goal.metric is None:
            continue
        twin = next((g for g in left_new if g.metric == goal.metric), None)
        if twin is not None:
            pairs.append((goal, twin))
            left_old.remove(goal)
            left_new.remove(twin)
    for goal in list(left_old):
        same_unit_old = [g for g in left_old if g.unit == goal.unit]
        same_unit_new = [g for g in left_new if g.unit == goal.unit]
        if len(same_unit_old) == 1 and len(same_unit_new) == 1 and None in (goal.metric, same_unit_new[0].metric):
            pairs.append((goal, same_unit_new[0]))
            left_old.remove(goal)
            left_new.remove(same_unit_new[0])
    changed = [
        GoalChange(metric=n.metric or o.metric, unit=n.unit, old=o, new=n)
        for o, n in sorted(pairs, key=lambda p: p[1].span)
        if (o.value, o.value_max, o.comparator, o.unit) != (n.value, n.value_max, n.comparator, n.unit)
    ]
    return changed, left_new, left_old


_COUNTS = ("lead_before", "co_before", "lead_after", "co_after")


def _agency_counts(a: DocumentFacts, b: DocumentFacts) -> list[AgencyCounts]:
    counts: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for side, doc in (("before", a), ("after", b)):
        for task in doc.tasks:
            for owner in task.owners:
                names.setdefault(owner.agency_id, owner.name)
                row = counts.setdefault(owner.agency_id, dict.fromkeys(_COUNTS, 0))
                row[f"{owner.role}_{side}"] += 1
    return [
        AgencyCounts(agency_id=agency_id, name=names[agency_id], **counts[agency_id])
        for agency_id in sorted(counts, key=lambda i: (names[i], i))
    ]


def render(d: PlanDiff) -> str:
    """The diff as a plain-text report for people: a summary line, then one section per kind of change.

    Every task is shown with its number in its plan (old 12 → new 13), as people find it in the text.
    """
    changed = [c for c in d.continued if c.changed]
    unchanged = [c for c in d.continued if not c.changed]
    lines = [
        f"{d.old.title} ({d.old.id}) → {d.new.title} ({d.new.id})",
        f"{len(d.added)} added, {len(d.dropped)} dropped, {len(d.continued)} continued of which {len(changed)} changed",
    ]
    sections = [
        ("Added", [f"  new {t.number:>3}  {t.title}" for t in d.added]),
        ("Dropped", [f"  old {t.number:>3}  {t.title}" for t in d.dropped]),
        ("Changed", [line for c in changed for line in _change_lines(c)]),
        ("Unchanged", [f"  old {c.old.number:>3} → new {c.new.number:>3}  {c.new.title}" for c in unchanged]),
    ]
    counts = {"Added": len(d.added), "Dropped": len(d.dropped), "Changed": len(changed), "Unchanged": len(unchanged)}
    for heading, rows in sections:
        if rows:
            lines += ["", f"{heading} ({counts[heading]})", *rows]
    if d.agencies:
        lines += ["", "Agencies: tasks led and co-owned, before → after", f"  {'led':<10} {'co-owned':<10} agency"]
        lines += [
            f"  {f'{x.lead_before} → {x.lead_after}':<10} {f'{x.co_before} → {x.co_after}':<10} {x.name}"
            for x in d.agencies
        ]
    return "\n".join(lines) + "\n"


def _change_lines(c: TaskChange) -> list[str]:
    title = f"{c.old.title} → {c.new.title}" if c.renamed else c.new.title
    out = [f"  old {c.old.number:>3} → new {c.new.number:>3}  {title}  (score {c.score:.3f})"]
    if c.owners_added:
        out.append("      owners added:   " + "、".join(f"{o.name} ({o.role})" for o in c.owners_added))
    if c.owners_removed:
        out.append("      owners removed: " + "、".join(f"{o.name} ({o.role})" for o in c.owners_removed))
    if c.lead_changed:
        out.append(f"      lead:           {'、'.join(c.lead_before) or '-'} → {'、'.join(c.lead_after) or '-'}")
    for g in c.goals_changed:
        out.append(f"      target:         {g.metric or g.unit}: {_goal(g.old)} → {_goal(g.new)}")
    for goal in c.goals_added:
        out.append(f"      target added:   {goal.metric or goal.unit}: {_goal(goal)}")
    for goal in c.goals_removed:
        out.append(f"      target removed: {goal.metric or goal.unit}: {_goal(goal)}")
    if c.topics_gained:
        out.append("      topics gained:  " + "、".join(c.topics_gained))
    if c.topics_lost:
        out.append("      topics lost:    " + "、".join(c.topics_lost))
    return out


def _goal(g: GoalFacts) -> str:
    value = _number(g.value) + (f"-{_number(g.value_max)}" if g.value_max is not None else "")
    comparator = "" if g.comparator in ("=", "between") else g.comparator + " "
    return f"{comparator}{value} {g.unit}".strip()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
