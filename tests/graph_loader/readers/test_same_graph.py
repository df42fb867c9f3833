"""The acceptance test of the readers: the seed plan in every format parses to the graph of its .txt."""

from __future__ import annotations

import pytest

from graph_loader import parse_file, parse_text
from graph_loader.readers import read_bytes

from ...conftest import PLAN_FILE  # noqa: TID252
from .facts import plan_facts
from .seed_files import SEED_FILES

FROM_TEXT = plan_facts(parse_file(PLAN_FILE))


@pytest.mark.parametrize("name", list(SEED_FILES))
def test_the_seed_in_each_format_gives_the_graph_of_its_text(name: str) -> None:
    read = read_bytes(SEED_FILES[name](), f"seed ({name})")
    facts = plan_facts(parse_text(read.text))
    assert len(facts["tasks"]) == 54
    assert facts == FROM_TEXT
