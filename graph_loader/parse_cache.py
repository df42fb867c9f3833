"""The parse cache: a plan file is parsed once, then read back while neither it nor the parser changes.

Why: the embedded store parses every plan of its folder at each start, about 30 ms a plan after
jieba has loaded its dictionary (about 1 s), 30 s at 1,000 plans; reading a parsed plan back takes
about 1 ms, and jieba is not loaded at all when every plan comes from the cache.

**Entries.** One file per plan, named by the SHA-256 of the file's name and bytes (the name too: the
parser gives it to the plan as its document name). An entry is the pickled :class:`Plan`: the fastest
way back to the very objects the parser made, and safe here because we only read entries this module
wrote, in a folder only its owner can write (made 0700, entries 0600). Do not point the cache at a
folder other people can write to: reading a pickle runs what it says.

**Invalidation.** The entries live in a folder named by the *fingerprint* of everything a parse depends
on besides the file: the source of every module of ``graph_loader`` (the parser, the readers and the
models the entries are instances of), every file of the data folders (agency directory, jieba
dictionary, topics, policy tools, series: ``graph_loader/data/`` and a vocabulary's own folder), the
versions of Python and of the libraries the parse calls (jieba and its dictionary, OpenCC, pydantic,
the readers' libraries), and :data:`FORMAT`, bumped by hand if the entries' layout changes. We hash
the source rather than trust a version number bumped by hand: a forgotten bump would serve stale
parses (wrong answers, without a sign), while a needless miss costs one slow start; hashing the
300 KB of source takes about a millisecond. A new fingerprint starts a new folder; the folders of old
fingerprints are removed, all but the :data:`KEEP` most recently used (two checkouts may share a cache).

**Whole stores.** :meth:`ParseCache.built` keeps, beside the plans, what a function makes of a folder's
plans (the embedded store: its graph and indexes), keyed by every file's entry key and the source of
the package that makes it (``api``: a change there rebuilds the store from the cached plans); the
:data:`KEEP` most recently used of a kind are kept.

**Failures are misses.** A corrupt, truncated or unreadable entry, or one that holds anything but a
plan, is parsed again and written anew; a folder that cannot be written means no cache, never a
failed start. Writes go to a temporary file beside the entry, renamed over it (atomic on POSIX), so
two servers starting at once each write whole entries and a reader never sees half of one. A file
that is not a plan raises :class:`PlanParseError` as :func:`parse_file` does, and nothing is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from graph_loader.dictionary import DATA_DIR, Vocabulary
from graph_loader.models import Plan
from graph_loader.parser import cyclic_gc_paused, parse_document
from graph_loader.readers import read_bytes, read_plan_bytes

log = logging.getLogger(__name__)

FORMAT = 1
"""The entries' layout: bump it by hand when what an entry holds changes in a way the source hash cannot see."""
KEEP = 3
"""Fingerprint folders kept: the current one and the most recently used others."""
PACKAGE_DIR = Path(__file__).resolve().parent
LIBRARIES = ("jieba", "opencc", "pydantic", "pydantic-core", "charset-normalizer", "lxml", "trafilatura",
             "python-docx", "olefile", "openpyxl", "pypdfium2")
"""The distributions a parse calls: a new version of one may read or segment text differently."""
_ENTRY_SUFFIX = ".pickle"
T = TypeVar("T")


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


def _hash_files(digest: hashlib._Hash, root: Path, pattern: str) -> None:
    for path in sorted(root.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(root).as_posix()}\0{path.stat().st_size}\0".encode())
            digest.update(path.read_bytes())


def fingerprint(code_dir: Path = PACKAGE_DIR, data_dirs: Iterable[Path] = (DATA_DIR,)) -> str:
    """What a parse depends on besides its file: the package's source, the data files, the libraries' versions."""
    digest = hashlib.sha256(f"policykg parse cache {FORMAT}\0{sys.version}\0".encode())
    for name in LIBRARIES:
        digest.update(f"{name}={_version(name)}\0".encode())
    _hash_files(digest, code_dir, "*.py")
    for data_dir in sorted({Path(d).resolve() for d in data_dirs}):
        digest.update(b"data\0")
        _hash_files(digest, data_dir, "*")
    return digest.hexdigest()


def entry_key(name: str, data: bytes) -> str:
    """The key of a plan file's entry: its name (the plan's document name) and its bytes."""
    return hashlib.sha256(name.encode("utf-8", "surrogateescape") + b"\0" + data).hexdigest()


@dataclass
class CacheStats:
    hits: int = 0  # plans read from the cache
    misses: int = 0  # plans parsed (no entry, or an entry that could not be used)
    unreadable: int = 0  # of the misses: an entry was there but corrupt or not a plan
    unwritable: int = 0  # entries that could not be written (the plan was parsed all the same)


class ParseCache:
    """Parsed plans kept in ``root`` (None: no cache, every file parsed), parsed with ``vocabulary``."""

    def __init__(self, root: Path | None, *, vocabulary: Vocabulary | None = None):
        self.root = Path(root).expanduser() if root is not None else None
        self.vocabulary = vocabulary
        self.stats = CacheStats()
        self._folder: Path | None = None
        self._writable = True

    @property
    def enabled(self) -> bool:
        return self.root is not None

    @property
    def folder(self) -> Path | None:
        """The folder of the current fingerprint's entries (None when the cache is off)."""
        if self.root is None:
            return None
        if self._folder is None:
            data_dirs = {DATA_DIR.resolve()}
            if self.vocabulary is not None:
                data_dirs.add(Path(self.vocabulary.data_dir).resolve())
            self._folder = self.root / fingerprint(PACKAGE_DIR, data_dirs)[:32]
        return self._folder

    def parse_file(self, path: str | Path) -> Plan:
        """The plan of ``path``, as :func:`graph_loader.parser.parse_file` gives it. Raises PlanParseError."""
        path = Path(path)
        data = read_plan_bytes(path)
        folder = self.folder
        if folder is None:
            return self._parse(path, data)
        entry = folder / (entry_key(path.name, data) + _ENTRY_SUFFIX)
        plan = self._read(entry)
        if plan is not None:
            self.stats.hits += 1
            return plan
        self.stats.misses += 1
        plan = self._parse(path, data)
        self._write(entry, plan)
        return plan

    def parse_files(self, paths: Iterable[str | Path]) -> list[Plan]:
        """The plans of ``paths`` in order; then the folders of old fingerprints are pruned."""
        # Reading back makes many objects and no cycles: the cyclic collector would walk them again and again
        # (a third of the time at 1,000 plans), as it would while parsing.
        with cyclic_gc_paused():
            plans = [self.parse_file(p) for p in paths]
        self._mark_used()
        return plans

    def built(self, paths: Sequence[str | Path], kind: type[T], build: Callable[[list[Plan]], T]) -> T:
        """``build(plans of paths)``, kept whole beside the plans' entries and read back while every file and the
        parser are unchanged: what the embedded store makes of a folder (its graph and indexes) reads back in
        a fraction of the time it takes to make again from the plans. Keyed by every file's entry key, in
        order, ``kind``'s name and the source of ``kind``'s package (for the store: every module of ``api``,
        whose code made the graph's indexes and reads them); an entry that is unreadable or not a ``kind`` is
        made again."""
        folder = self.folder
        files = [Path(p) for p in paths]
        if folder is None:
            return build(self.parse_files(files))
        digest = hashlib.sha256(kind.__qualname__.encode())
        package = _package_dir(kind)
        if package is not None:
            _hash_files(digest, package, "*.py")
        for path in files:
            digest.update(entry_key(path.name, read_plan_bytes(path)).encode())
        entry = folder / f"{kind.__name__.lower()}-{digest.hexdigest()}{_ENTRY_SUFFIX}"
        with cyclic_gc_paused():
            value = self._read(entry, kind)
        if value is not None:
            with contextlib.suppress(OSError):
                os.utime(entry)
            self._mark_used()
            return value
        value = build(self.parse_files(files))
        self._write(entry, value)
        _prune(folder, f"{kind.__name__.lower()}-*{_ENTRY_SUFFIX}", keep=KEEP)
        return value

    # -- inside -------------------------------------------------------------------------------------------------

    def _parse(self, path: Path, data: bytes) -> Plan:
        return parse_document(read_bytes(data, str(path)), document=path.name, vocabulary=self.vocabulary)

    def _read(self, entry: Path, kind: type[T] = Plan) -> T | None:  # type: ignore[assignment]
        try:
            with entry.open("rb") as f:
                value = pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception as e:  # noqa: BLE001 - a corrupt pickle raises nearly anything; all of it is a miss
            self.stats.unreadable += 1
            log.warning("parse cache: %s is unreadable (%s: %s); parsing again", entry, type(e).__name__, e)
            return None
        if not isinstance(value, kind):
            self.stats.unreadable += 1
            log.warning("parse cache: %s holds a %s, not a %s; parsing again", entry, type(value).__name__,
                        kind.__name__)
            return None
        return value

    def _write(self, entry: Path, plan: object) -> None:
        if not self._writable:
            self.stats.unwritable += 1
            return
        tmp = None
        try:
            for folder in (entry.parent.parent, entry.parent):  # the root, then the fingerprint's folder
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=_ENTRY_SUFFIX)  # mode 0600
            with os.fdopen(fd, "wb") as f:
                pickle.dump(plan, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
            tmp = None
        except OSError as e:
            self.stats.unwritable += 1
            self._writable = False  # one warning, not one a file
            log.warning("parse cache: cannot write %s (%s); going on without caching", entry.parent, e.strerror or e)
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _mark_used(self) -> None:
        """Touch this fingerprint's folder and remove old fingerprints' folders beyond the KEEP most recent."""
        folder = self.folder
        if folder is None or self.root is None or not folder.is_dir():
            return
        with contextlib.suppress(OSError):
            os.utime(folder)
        try:
            others = [p for p in self.root.iterdir() if p.is_dir() and p != folder and _is_fingerprint(p.name)]
            others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return
        for old in others[KEEP - 1:]:
            shutil.rmtree(old, ignore_errors=True)


def _prune(folder: Path, pattern: str, keep: int) -> None:
    """Remove the entries matching ``pattern`` but the ``keep`` most recently used: a kept store is large
    (about 50 MB at 1,000 plans), and each new set of files makes another."""
    try:
        kept = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in kept[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _package_dir(kind: type) -> Path | None:
    """The folder of the top-level package ``kind`` is defined in (None for built-in types)."""
    top = sys.modules.get(kind.__module__.split(".")[0])
    file = getattr(top, "__file__", None)
    return Path(file).resolve().parent if file else None


def _is_fingerprint(name: str) -> bool:
    return len(name) == 32 and all(c in "0123456789abcdef" for c in name)
