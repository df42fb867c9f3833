"""How well the parser reads the labelled plans: precision, recall and F1 per field, per plan, and what it missed.

    .venv/bin/python -m bench.accuracy [--labelled DIR] [--json]

The labelled set (tests/graph_loader/labelled/, its README says how it is written) holds plans in the
shapes of docs/FORMS.md, each ``NAME.txt`` beside ``NAME.labels.toml``: what a careful reader finds in
the plan, written without running the parser. Each field is a multiset of facts, compared exactly:

    tasks     (line,)                the 1-based line of each task's heading
    owners    (line, name)           the units a task names (the union over its measures), canonical names
    leads     (line, name)           those of them that lead (a name that leads one measure leads the task)
    generic   (line, name, generic)  the owners with their placeholder flag
    goals     (line, value, unit)    normalised targets (6.5万个 → 65000 个); equal targets count twice
    topics    (line, topic)
    document  (field, value)         the year, and the jurisdiction without 省/市/区/州/县

Every task fact is keyed by its task's heading line, so a task the parser starts on another line costs
its owners, goals and topics too. A plan the parser refuses (or crashes on) counts every label missed.
Precision is undefined (-) where nothing was found, recall where nothing was expected.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_loader import Plan, PlanParseError, decode, parse_file

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "graph_loader" / "labelled"
LABELS_SUFFIX = ".labels.toml"
FIELDS = ("tasks", "owners", "leads", "generic", "goals", "topics", "document")

Fact = tuple[Any, ...]
Facts = dict[str, Counter[Fact]]

_JURISDICTION_SUFFIXES = ("自治州", "自治区", "省", "市", "区", "州", "县")


# -- scores ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """Counts of one field: facts both expected and found (tp), found only (fp), expected only (fn)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def expected(self) -> int:
        return self.tp + self.fn

    @property
    def found(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float | None:
        return self.tp / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.expected if self.expected else None

    @property
    def f1(self) -> float | None:
        """2tp / (2tp + fp + fn): 0 when something was expected and nothing matched, None when there was nothing."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def score(expected: Counter[Fact], found: Counter[Fact]) -> Score:
    """One field's counts; a fact expected twice and found once is one match and one miss."""
    tp = sum((expected & found).values())
    return Score(tp=tp, fp=sum(found.values()) - tp, fn=sum(expected.values()) - tp)


def differences(expected: Counter[Fact], found: Counter[Fact]) -> tuple[list[Fact], list[Fact]]:
    """(expected and not found, found and not expected), each sorted, a fact repeated as often as it is off."""
    return sorted((expected - found).elements(), key=_order), sorted((found - expected).elements(), key=_order)


def _order(fact: Fact) -> tuple[str, ...]:
    return tuple(f"{part:>12}" if isinstance(part, int | float) else str(part) for part in fact)


# -- facts ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskFacts:
    """What one task says, whether a label or the parser says it."""

    line: int
    owners: Mapping[str, tuple[str, bool]]  # name → (role, generic)
    goals: Sequence[tuple[int | float, str]]  # (value, unit)
    topics: Sequence[str]


def line_of(text: str, offset: int) -> int:
    """The 1-based line of ``text`` that holds ``offset``."""
    return text.count("\n", 0, offset) + 1


def goal_value(value: int | float) -> int | float:
    """A value in one form for comparing: 65000.0 is 65000, 0.1 + 0.2 is 0.3."""
    rounded = round(float(value), 6)
    return int(rounded) if rounded.is_integer() else rounded


def jurisdiction_key(name: str) -> str:
    """A jurisdiction without its level: 山东省 → 山东, 湘西州 → 湘西, 蔡甸区 → 蔡甸 (titles and labels differ)."""
    name = name.strip()
    for suffix in _JURISDICTION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def task_owners(mentions: Iterable[tuple[str, str, bool]]) -> dict[str, tuple[str, bool]]:
    """A task's owners from its measures' (name, role, generic) mentions: one entry per name, lead wins."""
    owners: dict[str, tuple[str, bool]] = {}
    for name, role, generic in mentions:
        before = owners.get(name)
        if before is None:
            owners[name] = (role, generic)
        else:
            owners[name] = ("lead" if "lead" in (role, before[0]) else "co", generic or before[1])
    return owners


def collect(tasks: Iterable[TaskFacts], jurisdiction: str | None, year: int | None) -> Facts:
    """Every field's facts of one plan."""
    facts: Facts = {name: Counter() for name in FIELDS}
    for task in tasks:
        facts["tasks"][(task.line,)] += 1
        for name, (role, generic) in task.owners.items():
            facts["owners"][(task.line, name)] += 1
            facts["generic"][(task.line, name, generic)] += 1
            if role == "lead":
                facts["leads"][(task.line, name)] += 1
        for value, unit in task.goals:
            facts["goals"][(task.line, goal_value(value), unit)] += 1
        for topic in task.topics:
            facts["topics"][(task.line, topic)] += 1
    if jurisdiction is not None:
        facts["document"][("jurisdiction", jurisdiction_key(jurisdiction))] += 1
    if year is not None:
        facts["document"][("year", year)] += 1
    return facts


def expected_facts(labels: Mapping[str, Any]) -> Facts:
    """The facts of a label file (its TOML, read)."""
    tasks = [
        TaskFacts(
            line=task["line"],
            owners=task_owners((o["name"], o["role"], o["generic"]) for o in task.get("owners", [])),
            goals=[(g["value"], g["unit"]) for g in task.get("goals", [])],
            topics=task.get("topics", []),
        )
        for task in labels.get("tasks", [])
    ]
    return collect(tasks, labels.get("jurisdiction"), labels.get("year"))


def found_facts(plan: Plan, text: str) -> Facts:
    """The facts of a parsed plan; ``text`` is the text it was parsed from (its spans index it)."""
    tasks = [
        TaskFacts(
            line=line_of(text, task.span[0]),
            owners=task_owners((a.name, a.role, a.generic) for m in task.measures for a in m.agencies),
            goals=[(g.value, g.unit) for g in task.goals],
            topics=[t.name for t in task.topics],
        )
        for task in plan.tasks
    ]
    return collect(tasks, plan.document.jurisdiction, plan.document.year)


# -- plans ----------------------------------------------------------------------------------------------------


@dataclass
class PlanResult:
    name: str
    expected: Facts
    found: Facts = field(default_factory=lambda: {name: Counter() for name in FIELDS})
    error: str | None = None  # why the parser gave no plan

    def scores(self) -> dict[str, Score]:
        return {name: score(self.expected[name], self.found[name]) for name in FIELDS}

    def differences(self) -> dict[str, tuple[list[Fact], list[Fact]]]:
        return {name: differences(self.expected[name], self.found[name]) for name in FIELDS}


def labelled_plans(directory: Path) -> list[tuple[Path, Path]]:
    """(plan, labels) pairs of ``directory``, by name; a plan without labels, or labels without a plan, is an error."""
    plans = {p.name.removesuffix(".txt"): p for p in directory.glob("*.txt")}
    labels = {p.name.removesuffix(LABELS_SUFFIX): p for p in directory.glob("*" + LABELS_SUFFIX)}
    if unpaired := sorted(plans.keys() ^ labels.keys()):
        raise ValueError(f"{directory}: plans and labels do not pair up: {', '.join(unpaired)}")
    return [(plans[name], labels[name]) for name in sorted(plans)]


def evaluate(plan_file: Path, labels_file: Path) -> PlanResult:
    """Parse one labelled plan and set what it found beside its labels."""
    result = PlanResult(plan_file.name, expected_facts(tomllib.loads(labels_file.read_text(encoding="utf-8"))))
    try:
        text = decode(plan_file.read_bytes(), str(plan_file))
        plan = parse_file(plan_file)
    except PlanParseError as e:
        result.error = f"refused: {e}"
        return result
    except Exception as e:  # a parser bug: reported like a refusal, so one plan does not stop the benchmark
        result.error = f"crashed: {type(e).__name__}: {e}"
        return result
    result.found = found_facts(plan, text)
    return result


def total(results: Iterable[PlanResult]) -> dict[str, Score]:
    sums = {name: Score() for name in FIELDS}
    for result in results:
        for name, s in result.scores().items():
            sums[name] += s
    return sums


# -- output ---------------------------------------------------------------------------------------------------


def _ratio(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.2f}"


def describe(fact: Fact) -> str:
    """A fact as a developer reads it: ``L7 市公安局``, ``L9 95 %``, ``L7``, ``year 2026``."""
    head, *rest = fact
    words = [f"L{head}" if isinstance(head, int) else str(head)]
    words += ["generic" if part is True else "specific" if part is False else str(part) for part in rest]
    return " ".join(words)


def report(results: Sequence[PlanResult], directory: Path) -> str:
    lines = [f"labelled plans: {len(results)} in {directory}", ""]
    lines.append(f"{'field':9s} {'P':>5s} {'R':>5s} {'F1':>5s} {'expected':>9s} {'found':>6s} {'matched':>8s}")
    for name, s in total(results).items():
        lines.append(
            f"{name:9s} {_ratio(s.precision):>5s} {_ratio(s.recall):>5s} {_ratio(s.f1):>5s}"
            f" {s.expected:9d} {s.found:6d} {s.tp:8d}"
        )
    width = max(len(r.name) for r in results) if results else 4
    lines += ["", "F1 per plan (tasks: expected/found)"]
    lines.append(f"{'plan':{width}s} {'status':8s} {'tasks':>7s} " + " ".join(f"{n:>8s}" for n in FIELDS))
    for r in results:
        scores = r.scores()
        status = r.error.split(":", 1)[0] if r.error else "ok"
        counts = f"{scores['tasks'].expected}/{scores['tasks'].found}"
        lines.append(
            f"{r.name:{width}s} {status:8s} {counts:>7s} " + " ".join(f"{_ratio(scores[n].f1):>8s}" for n in FIELDS)
        )
    lines += ["", "misses (- expected, not found; + found, not expected)"]
    for r in results:
        lines.append(f"{r.name}:")
        if r.error:
            lines.append(f"  {r.error}")
        for name, (missed, extra) in r.differences().items():
            if missed:
                lines.append(f"  {name:8s} - " + "; ".join(map(describe, missed)))
            if extra:
                lines.append(f"  {name:8s} + " + "; ".join(map(describe, extra)))
    return "\n".join(lines)


def _score_json(s: Score) -> dict[str, Any]:
    return {"precision": s.precision, "recall": s.recall, "f1": s.f1,
            "expected": s.expected, "found": s.found, "matched": s.tp}


def as_json(results: Sequence[PlanResult], directory: Path) -> dict[str, Any]:
    return {
        "labelled": str(directory),
        "fields": {name: _score_json(s) for name, s in total(results).items()},
        "plans": [
            {
                "name": r.name,
                "error": r.error,
                "fields": {name: _score_json(s) for name, s in r.scores().items()},
                "misses": {name: {"missed": [list(f) for f in missed], "extra": [list(f) for f in extra]}
                           for name, (missed, extra) in r.differences().items() if missed or extra},
            }
            for r in results
        ],
    }


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labelled", type=Path, default=LABELLED, help="folder of NAME.txt + NAME.labels.toml")
    ap.add_argument("--json", action="store_true", help="print the scores and misses as JSON")
    args = ap.parse_args(argv)
    results = [evaluate(plan, labels) for plan, labels in labelled_plans(args.labelled)]
    if args.json:
        json.dump(as_json(results, args.labelled), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(report(results, args.labelled))


if __name__ == "__main__":
    main()
