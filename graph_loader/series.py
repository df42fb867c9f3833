"""Plans over time: which plan line (series) a document belongs to, its tasks' links to the year before, and
what changed between two plans.

A series is named by the jurisdiction and the title without its year: 数字青岛2024年行动方案 and
数字青岛2025年行动方案 are both ``青岛-数字青岛行动方案``. Titles that change their wording from one
year to the next (行动方案 one year, 工作要点 the next) are put in one series by
``graph_loader/data/series.toml``, each with its reason; deleting an entry undoes it.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph_loader.diff import DocumentFacts, PlanDiff, diff
from graph_loader.lineage import Continuation, TaskText, continuations, default_overrides
from graph_loader.models import series_id

SERIES_FILE = Path(__file__).resolve().parent / "data" / "series.toml"


@functools.cache
def _overrides(path: Path = SERIES_FILE) -> dict[tuple[str, str], str]:
    """(jurisdiction, title) → series id, from the data file's ``[[series]]`` entries."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found: dict[tuple[str, str], str] = {}
    for entry in data.get("series", []):
        for title in entry["titles"]:
            found[(entry["jurisdiction"], title)] = entry["id"]
    return found


def series_of(jurisdiction: str, title: str) -> str:
    """The series of a plan: the data file's, else the jurisdiction and the title without its year."""
    return _overrides().get((jurisdiction, title)) or series_id(jurisdiction, title)


@dataclass(frozen=True)
class SeriesDocument:
    """A document of a series as lineage needs it: its year and its tasks."""

    id: str
    year: int | None
    tasks: Sequence[TaskText]


def series_continuations(documents: Iterable[SeriesDocument]) -> list[Continuation]:
    """The CONTINUES links of one series: each plan's tasks matched to those of the plan of the year before.

    Documents without a year have no place in the order and no links. Both stores (and the loader)
    compute the links with this one function from the tasks' titles and texts, so they agree.
    """
    ordered = sorted((d for d in documents if d.year is not None), key=lambda d: (d.year, d.id))
    found: list[Continuation] = []
    for older, newer in zip(ordered, ordered[1:], strict=False):
        found += continuations(older.tasks, newer.tasks, overrides=default_overrides())
    return found


def facts_texts(facts: DocumentFacts) -> list[TaskText]:
    """A document's tasks as lineage compares them, from its facts."""
    return [TaskText(id=t.id, number=t.number, title=t.title, text=t.text) for t in facts.tasks]


def compare(old: DocumentFacts, new: DocumentFacts) -> PlanDiff:
    """What changed from ``old`` to ``new``: their tasks matched by lineage, then compared (graph_loader.diff)."""
    matches = continuations(facts_texts(old), facts_texts(new), overrides=default_overrides())
    return diff(old, new, matches)
