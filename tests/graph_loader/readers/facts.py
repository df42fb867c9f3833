"""What "the same graph" means across formats: every fact of a plan but its character spans.

Spans index the text each reader gives, which differs by a line break here and there (a PDF's
wrapped lines are joined); tasks, owners with their roles, goals and topics must not differ.
"""

from __future__ import annotations

from typing import Any

from graph_loader import Plan


def plan_facts(plan: Plan) -> dict[str, Any]:
    """A plan's tasks, each with its measures' owners and roles, its goals and its topics."""
    return {
        "title": plan.document.title,
        "projects": [(p.number, p.title) for p in plan.projects],
        "tasks": [
            {
                "number": t.number,
                "title": t.title,
                "project": t.project.number,
                "section": t.section.number if t.section else None,
                "owners": [[(a.name, a.role, a.generic) for a in m.agencies] for m in t.measures],
                "goals": [(g.value, g.unit, g.comparator) for g in t.goals],
                "topics": [(x.name, tuple(x.terms)) for x in t.topics],
            }
            for t in plan.tasks
        ],
        "agencies": sorted(a.name for a in plan.agencies),
    }
