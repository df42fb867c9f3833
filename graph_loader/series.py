"""Which plan line a document belongs to: its **series**, the same plan of one jurisdiction over the years.

A series is named by the jurisdiction and the title without its year: 数字青岛2024年行动方案 and
数字青岛2025年行动方案 are both ``青岛-数字青岛行动方案``. Titles that change their wording from one
year to the next (行动方案 one year, 工作要点 the next) are put in one series by
``graph_loader/data/series.toml``, each with its reason; deleting an entry undoes it.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

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
