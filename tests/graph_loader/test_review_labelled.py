"""`policykg check` on each labelled plan: what it reports is pinned, and what it must not report is absent.

On these plans, read by hand (tests/graph_loader/labelled/), the parser reads every owner list and
every target, so no `unread-owners`, `unread-target`, `no-owners` or `generic-owners` item is right;
what remains is advice that holds: names the directory does not hold yet (most of these plans are of
jurisdictions agencies.tsv has no rows for), tasks in fields no topic covers (营商环境, 乡村振兴), and
the plan with no owners at all, said once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader import parse_file
from graph_loader.dictionary import default_vocabulary
from graph_loader.readers.text import decode, read_plan_bytes
from graph_loader.review import review

LABELLED = Path(__file__).parent / "labelled"

COUNTS = {
    "caidian-2026-key-tasks": {"unknown-agency": 15, "no-topic": 8},
    "chengdu-2026-government-report": {"unknown-agency": 7, "no-topic": 8},
    "guangdong-2026-private-investment": {"unknown-agency": 14, "no-topic": 6},
    "guangzhou-2026-government-report": {"unknown-agency": 5, "no-topic": 8},
    "hangzhou-2026-government-report": {"unknown-agency": 7, "no-topic": 7},
    "hechi-2026-digital-government": {"unknown-agency": 6, "no-topic": 3},
    "hubei-2026-business-environment": {"unknown-agency": 18, "no-topic": 5},
    "jiangsu-2026-digital-economy": {"no-owners-in-plan": 1, "no-topic": 1},
    "jinan-2026-ecology": {"unknown-agency": 4, "no-topic": 8},
    "qingdao-2026-rural-revitalization": {"unknown-agency": 1, "no-topic": 10},
    "shandong-2026-green-lowcarbon": {"unknown-agency": 18, "no-topic": 8},
    "shaoguan-2026-digital-government": {"unknown-agency": 6, "no-topic": 5},
    "shinan-2026-work-targets": {"unknown-agency": 13, "no-topic": 8},
    "weihai-2026-business-environment": {"unknown-agency": 7, "no-topic": 8},
    "wuhan-2026-government-report": {"unknown-agency": 9, "no-topic": 8},
    "xiangxi-2026-fangguanfu": {"unknown-agency": 15, "no-topic": 8},
}


@pytest.mark.parametrize("stem", sorted(COUNTS))
def test_check_on_a_labelled_plan(stem: str) -> None:
    path = LABELLED / f"{stem}.txt"
    report = review(parse_file(path), decode(read_plan_bytes(path), str(path)), default_vocabulary(), file=path.name)
    assert report.counts() == COUNTS[stem]
    assert not {"unread-owners", "unread-target", "no-owners", "generic-owners"} & set(report.counts())


def test_every_labelled_plan_is_pinned() -> None:
    assert sorted(p.stem for p in LABELLED.glob("*.txt")) == sorted(COUNTS)
