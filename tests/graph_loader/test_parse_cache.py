"""The parse cache: what it gives back equals a fresh parse; a changed file, dictionary or parser is parsed again."""

from __future__ import annotations

import importlib
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph_loader import Plan, parse_file
from graph_loader.dictionary import DATA_DIR, Vocabulary
from graph_loader.parse_cache import KEEP, ParseCache, entry_key, fingerprint
from graph_loader.parser import parse_document
from graph_loader.readers import read_document

from ..conftest import PLAN_FILE, ROOT, user_env  # noqa: TID252

OLDER_PLAN = ROOT / "tests" / "graph_loader" / "series" / "digital-qingdao-2024.txt"


@pytest.fixture
def plans_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(PLAN_FILE, folder / PLAN_FILE.name)
    shutil.copy(OLDER_PLAN, folder / OLDER_PLAN.name)
    return folder


def files_of(folder: Path) -> list[Path]:
    return sorted(folder.iterdir())


def entries(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.pickle") if not p.name.startswith("."))


def test_a_cached_parse_equals_a_fresh_one(plans_dir: Path, tmp_path: Path, plan: Plan) -> None:
    root = tmp_path / "cache"
    first = ParseCache(root)
    parsed = first.parse_files(files_of(plans_dir))
    assert (first.stats.hits, first.stats.misses) == (0, 2)
    assert len(entries(root)) == 2
    again = ParseCache(root)
    cached = again.parse_files(files_of(plans_dir))
    assert (again.stats.hits, again.stats.misses, again.stats.unreadable) == (2, 0, 0)
    assert cached == parsed == [parse_file(f) for f in files_of(plans_dir)]
    assert cached[1] == plan and len(cached[1].tasks) == 54 and cached[1].tasks[2].place is not None
    assert cached[1] is not parsed[1]  # read back, not kept in memory


def test_the_entries_are_keyed_by_name_and_bytes_and_only_their_owner_reads_them(
    plans_dir: Path, tmp_path: Path
) -> None:
    root = tmp_path / "cache"
    ParseCache(root).parse_files(files_of(plans_dir))
    key = entry_key(PLAN_FILE.name, PLAN_FILE.read_bytes())
    (entry,) = [e for e in entries(root) if e.stem == key]
    assert entry.parent.parent == root and len(entry.parent.name) == 32
    assert (entry.stat().st_mode & 0o777, entry.parent.stat().st_mode & 0o777) == (0o600, 0o700)
    # The same bytes under another name are another document name, so another entry.
    renamed = tmp_path / "renamed.txt"
    shutil.copy(PLAN_FILE, renamed)
    cache = ParseCache(root)
    assert cache.parse_file(renamed) == parse_file(renamed)
    assert (cache.stats.hits, cache.stats.misses) == (0, 1)


def test_a_changed_file_is_parsed_again(plans_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    before = ParseCache(root).parse_files(files_of(plans_dir))
    target = plans_dir / PLAN_FILE.name
    target.write_text(target.read_text(encoding="utf-8").replace("市大数据局", "市数据局"), encoding="utf-8")
    cache = ParseCache(root)
    after = cache.parse_files(files_of(plans_dir))
    assert (cache.stats.hits, cache.stats.misses) == (1, 1)
    assert after == [parse_file(f) for f in files_of(plans_dir)]
    assert after[1] != before[1]
    raw = {a.raw for t in after[1].tasks for m in t.measures for a in m.agencies}
    assert "市数据局" in raw and "市大数据局" not in raw


def test_a_changed_dictionary_is_a_new_fingerprint(plans_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    root = tmp_path / "cache"
    files = [plans_dir / PLAN_FILE.name]
    before = ParseCache(root, vocabulary=Vocabulary(data)).parse_files(files)
    warm = ParseCache(root, vocabulary=Vocabulary(data))
    assert warm.parse_files(files) == before and warm.stats.hits == 1

    topics = data / "topics.toml"
    topics.write_text(topics.read_text(encoding="utf-8").replace('"具身智能"]', '"具身智能", "智能网联"]'),
                      encoding="utf-8")
    vocabulary = Vocabulary(data)
    changed = ParseCache(root, vocabulary=vocabulary)
    after = changed.parse_files(files)
    assert (changed.stats.hits, changed.stats.misses) == (0, 1)
    assert changed.folder != warm.folder
    assert after == [parse_document(read_document(files[0]), document=files[0].name, vocabulary=vocabulary)]
    terms = {term for t in after[0].tasks for m in t.topics if m.name == "人工智能" for term in m.terms}
    assert "智能网联" in terms
    assert "智能网联" not in {term for t in before[0].tasks for m in t.topics for term in m.terms}


def test_the_fingerprint_follows_the_source_and_the_data_but_not_bytecode(tmp_path: Path) -> None:
    code, data = tmp_path / "code", tmp_path / "data"
    (code / "readers").mkdir(parents=True)
    data.mkdir()
    (code / "parser.py").write_text("X = 1\n")
    (code / "readers" / "pdf.py").write_text("Y = 1\n")
    (data / "agencies.tsv").write_text("a\n")
    first = fingerprint(code, [data])
    assert fingerprint(code, [data]) == first
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "parser.cpython-311.pyc").write_bytes(b"\0")
    assert fingerprint(code, [data]) == first
    (code / "readers" / "pdf.py").write_text("Y = 2\n")
    second = fingerprint(code, [data])
    assert second != first
    (data / "agencies.tsv").write_text("b\n")
    assert fingerprint(code, [data]) not in (first, second)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "not a plan", "empty"])
def test_a_corrupt_entry_is_parsed_again_and_rewritten(plans_dir: Path, tmp_path: Path, damage: str) -> None:
    root = tmp_path / "cache"
    good = ParseCache(root).parse_files(files_of(plans_dir))
    entry = next(e for e in entries(root) if e.stem == entry_key(PLAN_FILE.name, PLAN_FILE.read_bytes()))
    whole = entry.read_bytes()
    entry.write_bytes({"garbage": b"\x80\x05not a pickle at all", "truncated": whole[: len(whole) // 2],
                       "not a plan": pickle.dumps({"tasks": []}), "empty": b""}[damage])
    cache = ParseCache(root)
    assert cache.parse_files(files_of(plans_dir)) == good
    assert (cache.stats.hits, cache.stats.misses, cache.stats.unreadable) == (1, 1, 1)
    assert entry.read_bytes() == whole
    again = ParseCache(root)
    again.parse_files(files_of(plans_dir))
    assert (again.stats.hits, again.stats.unreadable) == (2, 0)


def test_off_parses_every_time_and_writes_nothing(plans_dir: Path, tmp_path: Path) -> None:
    cache = ParseCache(None)
    assert not cache.enabled and cache.folder is None
    assert cache.parse_files(files_of(plans_dir)) == [parse_file(f) for f in files_of(plans_dir)]
    assert (cache.stats.hits, cache.stats.misses) == (0, 0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans"]


def test_an_unwritable_cache_parses_all_the_same(plans_dir: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    cache = ParseCache(blocked)
    assert cache.parse_files(files_of(plans_dir)) == [parse_file(f) for f in files_of(plans_dir)]
    assert (cache.stats.misses, cache.stats.unwritable) == (2, 2)
    assert blocked.read_text() == "not a folder"


def test_old_fingerprints_are_pruned(plans_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    old = [root / (f"{i:x}" * 32)[:32] for i in range(1, 6)]
    for age, folder in enumerate(old):
        folder.mkdir(parents=True)
        (folder / "x.pickle").write_bytes(b"")
        os.utime(folder, (time.time() - 3600 * (age + 1),) * 2)
    (root / "notes").mkdir()  # not a fingerprint: left alone
    cache = ParseCache(root)
    cache.parse_files(files_of(plans_dir))
    assert cache.folder is not None
    kept = sorted(p.name for p in root.iterdir())
    assert kept == sorted([cache.folder.name, "notes", *(f.name for f in old[: KEEP - 1])])


def test_a_cached_start_of_the_embedded_store_does_not_load_jieba(tmp_path: Path) -> None:
    """From the store's settings (POLICYKG_PARSE_CACHE); with every plan cached, jieba's dictionary is never read."""
    probe = (
        "from api.stores.memory import MemoryStore\n"
        "from graph_loader.dictionary import default_vocabulary\n"
        "store = MemoryStore.from_directory(__import__('pathlib').Path('source_text'))\n"
        "print(store.health().documents, 'tokenizer' in vars(default_vocabulary()))\n"
    )
    env = user_env(POLICYKG_PARSE_CACHE=str(tmp_path / "cache"))
    runs = [subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=120) for _ in range(2)]
    assert [(r.returncode, r.stdout) for r in runs] == [(0, "1 True\n"), (0, "1 False\n")], runs[0].stderr
    # the plan, and the store made of it (MemoryStore.from_directory keeps it whole)
    assert sorted(p.name.startswith("memorystore-") for p in entries(tmp_path / "cache")) == [False, True]


def test_a_kept_build_is_read_back_until_a_file_changes(plans_dir: Path, tmp_path: Path) -> None:
    builds: list[list[str]] = []

    def build(plans: list[Plan]) -> list:  # type: ignore[type-arg]
        builds.append([p.document.id for p in plans])
        return [p.document.id for p in plans]

    first = ParseCache(tmp_path / "cache").built(files_of(plans_dir), list, build)
    again = ParseCache(tmp_path / "cache").built(files_of(plans_dir), list, build)
    assert first == again == builds[0] and len(builds) == 1 and len(first) == 2
    older = plans_dir / OLDER_PLAN.name
    older.write_text(older.read_text(encoding="utf-8").replace("数字青岛2024", "数字青岛2023", 1), encoding="utf-8")
    changed = ParseCache(tmp_path / "cache").built(files_of(plans_dir), list, build)
    assert len(builds) == 2 and changed != first and any("2023" in d for d in changed)


def test_a_corrupt_or_foreign_kept_build_is_made_again(plans_dir: Path, tmp_path: Path) -> None:
    calls = []

    def build(plans: list[Plan]) -> list:  # type: ignore[type-arg]
        calls.append(1)
        return [p.document.id for p in plans]

    cache = ParseCache(tmp_path / "cache")
    cache.built(files_of(plans_dir), list, build)
    (kept,) = [p for p in entries(tmp_path / "cache") if p.name.startswith("list-")]
    kept.write_bytes(kept.read_bytes()[:10])
    assert ParseCache(tmp_path / "cache").built(files_of(plans_dir), list, build) == [
        p.document.id for p in map(parse_file, files_of(plans_dir))]
    kept.write_bytes(pickle.dumps({"not": "a list"}))
    ParseCache(tmp_path / "cache").built(files_of(plans_dir), list, build)
    assert len(calls) == 3


def test_two_processes_filling_one_cache_at_once_leave_whole_entries(plans_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    fill = ("import sys\nfrom pathlib import Path\nfrom graph_loader.parse_cache import ParseCache\n"
            "c = ParseCache(Path(sys.argv[1]))\nplans = c.parse_files(sorted(Path(sys.argv[2]).iterdir()))\n"
            "print(len(plans), c.stats.unwritable)\n")
    procs = [subprocess.Popen([sys.executable, "-c", fill, str(root), str(plans_dir)], cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [(p.returncode, out) for p, (out, _) in zip(procs, outs, strict=True)] == [(0, "2 0\n")] * 2, outs
    assert not [p for p in root.rglob("*") if p.name.startswith(".tmp-")]
    cache = ParseCache(root)
    assert cache.parse_files(files_of(plans_dir)) == [parse_file(f) for f in files_of(plans_dir)]
    assert (cache.stats.hits, cache.stats.unreadable) == (2, 0)


def test_a_kept_build_is_made_again_when_the_code_of_its_kind_changes(
    plans_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept store holds indexes made by api/ code that the plans' fingerprint does not cover."""
    package = tmp_path / "code" / "kept_kind_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("class Box(list):\n    pass\n")
    (package / "indexes.py").write_text("VERSION = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "code"))
    box = importlib.import_module("kept_kind_pkg").Box
    builds = []

    def build(plans: list[Plan]) -> object:
        builds.append(1)
        return box(p.document.id for p in plans)

    root = tmp_path / "cache"
    ParseCache(root).built(files_of(plans_dir), box, build)
    ParseCache(root).built(files_of(plans_dir), box, build)
    assert len(builds) == 1
    (package / "indexes.py").write_text("VERSION = 2\n")
    cache = ParseCache(root)
    assert cache.built(files_of(plans_dir), box, build) == [parse_file(f).document.id for f in files_of(plans_dir)]
    assert len(builds) == 2 and cache.stats.hits == 2  # the plans came from the cache; only the box was made again


def test_only_the_most_recently_used_kept_builds_stay(plans_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "cache"
    kept = []
    for i in range(KEEP + 2):  # each time another set of files: another kept build
        (plans_dir / f"extra-{i}.txt").write_text(OLDER_PLAN.read_text(encoding="utf-8").replace("数字青岛2024", f"数字青岛{2000 + i}", 1),
                                                  encoding="utf-8")
        ParseCache(root).built(files_of(plans_dir), list, lambda plans: [p.document.id for p in plans])
        kept.append({p.name for p in entries(root) if p.name.startswith("list-")})
    assert [len(k) for k in kept] == [min(i + 1, KEEP) for i in range(KEEP + 2)]
    assert len(entries(root)) - KEEP == 2 + KEEP + 2  # every plan's entry stays
