"""Finding a JDK that can run the pinned Neo4j (17 or 21): the one handed in, else /usr/lib/jvm and PATH."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from local_neo4j.errors import Neo4jServerError
from local_neo4j.versions import NEO4J_VERSION, SUPPORTED_JAVA


def java_major(java_home: Path) -> int | None:
    """Feature release of the JDK/JRE at java_home, or None if it is not one."""
    java = java_home / "bin" / "java"
    if not (java.is_file() and os.access(java, os.X_OK)):
        return None
    version = None
    release = java_home / "release"
    if release.is_file():
        match = re.search(r'^JAVA_VERSION="([^"]+)"', release.read_text(errors="replace"), re.M)
        if match:
            version = match.group(1)
    if version is None:
        try:
            out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30).stderr
        except (OSError, subprocess.SubprocessError):
            return None
        match = re.search(r'version "([^"]+)"', out)
        if not match:
            return None
        version = match.group(1)
    # "17.0.15", "21", "25.0.1", or the old "1.8.0_412" scheme
    match = re.match(r"1\.(\d+)|(\d+)", version)
    if not match:
        return None
    return int(match.group(1) or match.group(2))


def find_java(java_home: Path | None) -> Path:
    """JAVA_HOME of a JDK that can run the pinned Neo4j: ``java_home`` (what the caller read from
    JAVA_HOME) when it is one, else the first Java 17, then 21, under /usr/lib/jvm or on PATH."""
    seen: list[str] = []
    if java_home is not None:
        major = java_major(java_home)
        if major in SUPPORTED_JAVA:
            return java_home
        seen.append(f"JAVA_HOME={java_home} is Java {major or '?'}")
    candidates: dict[int, list[Path]] = {}
    jvm_root = Path("/usr/lib/jvm")
    # Real paths, so that Debian's aliases (java-1.17.0-openjdk-amd64 -> java-17-openjdk-amd64) count once.
    homes = sorted({p.resolve() for p in jvm_root.iterdir() if p.is_dir()}) if jvm_root.is_dir() else []
    which = shutil.which("java")
    if which:
        homes.append(Path(which).resolve().parent.parent)
    for home in homes:
        major = java_major(home)
        if major is not None and home not in candidates.get(major, []):
            candidates.setdefault(major, []).append(home)
    for wanted in SUPPORTED_JAVA:
        if wanted in candidates:
            return candidates[wanted][0]
    found = ", ".join(f"Java {m}" for m in sorted(candidates)) or "none"
    seen.append(f"found under /usr/lib/jvm and PATH: {found}")
    wanted_text = " or ".join(str(v) for v in SUPPORTED_JAVA)
    raise Neo4jServerError(f"Java {wanted_text} not found (Neo4j {NEO4J_VERSION} needs one; {'; '.join(seen)})")
