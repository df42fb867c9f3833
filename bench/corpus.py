"""A deterministic synthetic corpus: the plan's real tasks recombined into N documents.

Document i draws ``tasks_per_document`` of the 54 tasks with ``random.Random(i)``,
keeps them under their original projects and sections, renumbers them 1..k and
writes a complete plan text (title, 一、 projects, (一) sections, tasks with their
own responsibility parentheses). The texts are parsed by the real parser, so the
corpus exercises parse, load and query alike.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

from graph_loader import Plan, parse_file, parse_text

PLAN_FILE = Path(__file__).resolve().parent.parent / "source_text" / "digital-qingdao-2025.txt"
_NUMBER = re.compile(r"^\d+\.")
_CN = "一二三四五六七八九十"


@lru_cache(maxsize=1)
def _base() -> Plan:
    return parse_file(PLAN_FILE)


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[ones - 1] if ones else "")


def document_text(i: int, tasks_per_document: int = 20) -> str:
    """The text of synthetic document ``i`` (same i, same text, on every machine)."""
    base = _base()
    rng = random.Random(i)
    chosen = sorted(rng.sample(range(len(base.tasks)), tasks_per_document))
    lines = [f"数字青岛2025年行动方案(合成第{i}号)"]
    project = section = None
    for number, index in enumerate(chosen, start=1):
        task = base.tasks[index]
        if task.project.id != project:
            project, section = task.project.id, None
            lines.append(f"{_cn(task.project.number)}、{task.project.title}")
        if task.section and task.section.id != section:
            section = task.section.id
            lines.append(f"({_cn(task.section.number)}){task.section.title}")
        lines.append(_NUMBER.sub(f"{number}.", task.source_text.replace("\n", "")))
    return "\n".join(lines) + "\n"


def corpus_texts(n: int, tasks_per_document: int = 20) -> list[str]:
    return [document_text(i, tasks_per_document) for i in range(n)]


def corpus_plans(n: int, tasks_per_document: int = 20) -> list[Plan]:
    return [
        parse_text(text, document=f"synthetic-{i}.txt") for i, text in enumerate(corpus_texts(n, tasks_per_document))
    ]
