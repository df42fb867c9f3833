"""The embedded store read back from the cache answers as the store built from the plans, and keeps no aggregate."""

from __future__ import annotations

import pickle
from pathlib import Path

from api.stores.base import TaskFilter, Window
from api.stores.memory import MemoryStore
from graph_loader import parse_file
from graph_loader.parse_cache import ParseCache

from ...conftest import PLAN_FILE, ROOT  # noqa: TID252  (importlib mode resolves the package-less tests dir)

FILES = [PLAN_FILE, *sorted((ROOT / "tests" / "graph_loader" / "series").glob("*.txt"))]


def test_a_store_read_back_answers_as_one_built_from_the_plans(tmp_path: Path) -> None:
    built = ParseCache(tmp_path).built(FILES, MemoryStore, MemoryStore.from_plans)
    built.agencies(Window())  # an aggregate made on first use, which the kept store must not hold
    read = ParseCache(tmp_path).built(FILES, MemoryStore, lambda plans: (_ for _ in ()).throw(AssertionError))
    fresh = MemoryStore.from_plans([parse_file(f) for f in FILES])
    assert read is not built and len(read.graph) == len(fresh.graph) > 500
    agency = read.resolve_agency("市大數據局").id
    for answer in (
        lambda s: s.agencies(Window(limit=1000)),
        lambda s: s.network(level="measure"),
        lambda s: s.partners(agency, Window()),
        lambda s: s.dependencies(agency, Window()),
        lambda s: s.tasks(Window(), TaskFilter(topic="人工智能", text="数据")),
        lambda s: s.goals(Window(), agency_id=agency),
        lambda s: s.task(s.tasks(Window(limit=1), TaskFilter()).data[0].id),
        lambda s: s.documents_in(series="青岛-数字青岛行动方案"),
    ):
        assert answer(read) == answer(fresh)
    state = pickle.loads(pickle.dumps(built)).__dict__
    assert "_summaries" in built.__dict__ and "_summaries" not in state and "_pairs" not in state
