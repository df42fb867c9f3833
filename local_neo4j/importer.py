"""Neo4j's own importer, ``neo4j-admin database import full``, run from the fetched jars on a stopped server.

The distribution's ``neo4j-admin`` script ends in the class ``org.neo4j.cli.AdminTool`` (``IMPORT_CLASS``) on
the same class path as the server (``conf/*:lib/*``; the import tool is ``lib/neo4j-import-tool-<version>.jar``),
so it is run as the server is: ``java -cp … AdminTool database import full <database> --nodes=… …``.

The database's store and transaction logs are moved aside first and put back if the import fails, so a failed
import changes nothing; they are deleted once it succeeds.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from local_neo4j.errors import Neo4jServerError
from local_neo4j.install import Paths
from local_neo4j.versions import HEAP_MAX, IMPORT_CLASS, IMPORT_OFF_HEAP

IMPORT_TIMEOUT = 3600.0


@dataclasses.dataclass(frozen=True)
class ImportResult:
    nodes: int
    relationships: int
    properties: int
    seconds: float
    """Wall time of the importer's JVM, start to exit."""


def backup_dir(paths: Paths, database: str) -> Path:
    """Where the database's old store waits while an import runs (left there only if we were killed)."""
    return paths.data / "bulk-import-backup" / database


def run_import(
    paths: Paths,
    java_home: Path,
    database: str,
    nodes: Sequence[tuple[str, Path]],
    relationships: Sequence[tuple[str, Path]],
    array_delimiter: str,
    multiline: Sequence[Path],
    work_dir: Path,
) -> ImportResult:
    """Import the CSV files into ``database`` of a stopped server; Neo4jServerError (one line) when it fails,
    with the old store back in place. ``multiline`` names the files with a line break inside a field (the
    importer reads those, and only those, field by field: slower)."""
    if any("," in str(path) for path in multiline):
        raise Neo4jServerError(f"a CSV file's path holds a comma, which --multiline-fields cannot take: {multiline}")
    store = [paths.data / "databases" / database, paths.data / "transactions" / database]
    backup = backup_dir(paths, database)
    if backup.exists():
        raise Neo4jServerError(
            f"an earlier bulk import was interrupted: the old store of {database} is in {backup}; "
            "move it back to data/databases and data/transactions, or delete it"
        )
    backup.mkdir(parents=True)
    for folder in store:
        if folder.exists():
            folder.rename(backup / folder.parent.name)
    log = work_dir / "import.log"
    cmd = [
        str(java_home / "bin" / "java"),
        f"-Xmx{HEAP_MAX}",
        # C1 only: a run of seconds is over before C2's code would pay back (measured: 10-15 % faster).
        "-XX:TieredStopAtLevel=1",
        "-cp",
        f"{paths.conf_dir}/*:{paths.lib}/*",
        "-Dfile.encoding=UTF-8",
        IMPORT_CLASS,
        "database",
        "import",
        "full",
        database,  # before the file lists: they take every argument that follows them
        "--verbose",  # the cause of a failure (the last "Caused by:"), not only "Error importing csv file."
        "--overwrite-destination=true",
        "--bad-tolerance=0",
        "--skip-bad-relationships=false",
        "--skip-duplicate-nodes=false",
        "--strict=true",
        *(["--multiline-fields-format=v2", f"--multiline-fields={','.join(map(str, multiline))}"] if multiline
          else ["--multiline-fields=false"]),
        f"--array-delimiter=U+{ord(array_delimiter):04X}",
        f"--max-off-heap-memory={IMPORT_OFF_HEAP}",
        f"--report-file={work_dir / 'import.report'}",
        *[f"--nodes={label}={path}" for label, path in nodes],
        *[f"--relationships={type_}={path}" for type_, path in relationships],
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS")}
    env |= {"JAVA_HOME": str(java_home), "NEO4J_HOME": str(paths.root), "NEO4J_CONF": str(paths.conf_dir)}
    start = time.perf_counter()
    try:
        with open(log, "wb") as out:
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=work_dir,
                                  timeout=IMPORT_TIMEOUT, check=False)
        output = log.read_text(encoding="utf-8", errors="replace")
        if proc.returncode != 0:
            raise Neo4jServerError(f"neo4j-admin database import failed (exit {proc.returncode}): {_reason(output)}")
        result = _imported(output, time.perf_counter() - start)
    except BaseException as exc:
        for folder in store:
            shutil.rmtree(folder, ignore_errors=True)
            if (backup / folder.parent.name).exists():
                (backup / folder.parent.name).rename(folder)
        shutil.rmtree(backup, ignore_errors=True)
        if isinstance(exc, (OSError, subprocess.SubprocessError)):
            raise Neo4jServerError(f"neo4j-admin database import failed: {exc}") from None
        raise
    shutil.rmtree(backup)
    return result


def _imported(output: str, seconds: float) -> ImportResult:
    """The counts the importer prints last: ``Imported:`` then ``N nodes``, ``N relationships``, ``N properties``."""
    tail = output.rsplit("Imported:", 1)[-1]
    counts = {name: int(n) for n, name in re.findall(r"(\d+) (nodes|relationships|properties)", tail)}
    if "IMPORT DONE" not in output or len(counts) != 3:
        raise Neo4jServerError(f"neo4j-admin database import said no counts: {_reason(output)}")
    return ImportResult(counts["nodes"], counts["relationships"], counts["properties"], seconds)


def _reason(output: str) -> str:
    """What went wrong, in one line: the root cause the importer names (``--verbose``), else its last lines."""
    causes = [line.strip().removeprefix("Caused by: ") for line in output.splitlines()
              if line.strip().startswith("Caused by: ")]
    if causes:
        return " ".join(re.sub(r"^(?:[a-z]\w*\.)+(?=[A-Z])", "", causes[-1]).split())[:500]
    lines = [line.strip() for line in output.splitlines() if line.strip() and not line.lstrip().startswith("at ")]
    return " | ".join(lines[-3:])[:500] or "no output"
