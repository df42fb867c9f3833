"""Installing the local Neo4j: the jars from Maven Central, neo4j.conf, the initial password.

Everything lives under the cache folder it is handed: the Maven repository
(``m2/``), the server's jars (``dist/<version>/lib``), ``conf/``, ``data/``,
``logs/``, ``run/`` and the pid file ``neo4j.pid``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from local_neo4j.errors import Neo4jServerError
from local_neo4j.versions import (
    ADMIN_CLASS,
    BROWSER_VERSION,
    HEAP_INITIAL,
    HEAP_MAX,
    HOST,
    NEO4J_VERSION,
    PAGECACHE,
)

POM_FILE = Path(__file__).resolve().with_name("pom.xml")


@dataclasses.dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def m2(self) -> Path:
        return self.root / "m2"

    @property
    def dist(self) -> Path:
        return self.root / "dist" / NEO4J_VERSION

    @property
    def lib(self) -> Path:
        return self.dist / "lib"

    @property
    def lib_marker(self) -> Path:
        return self.dist / "lib.complete"

    @property
    def conf_dir(self) -> Path:
        return self.root / "conf"

    @property
    def conf(self) -> Path:
        return self.conf_dir / "neo4j.conf"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def pid_file(self) -> Path:
        return self.root / "neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.logs / "console.log"

    @property
    def user_log(self) -> Path:
        return self.logs / "neo4j.log"

    @property
    def lock_file(self) -> Path:
        return self.root / "neo4j.lock"


def fetch(paths: Paths, java_home: Path) -> None:
    """Copy the pinned jars into paths.lib with Maven, unless they are there already."""
    if paths.lib_marker.is_file() and paths.lib.is_dir():
        return
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jServerError("Maven (mvn) not found on PATH; it is needed to fetch Neo4j")
    if not POM_FILE.is_file():
        raise Neo4jServerError(f"{POM_FILE} is missing")
    staging = paths.dist / "lib.partial"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(paths.lib, ignore_errors=True)
    paths.dist.mkdir(parents=True, exist_ok=True)
    cmd = [
        mvn,
        "-q",
        "-B",
        "-U",  # do not trust failures cached in the local repository by an earlier attempt
        "-Dstyle.color=never",
        "-f",
        str(POM_FILE),
        f"-Dmaven.repo.local={paths.m2}",
        f"-Dneo4j.version={NEO4J_VERSION}",
        f"-Dneo4j.browser.version={BROWSER_VERSION}",
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={staging}",
    ]
    env = dict(os.environ, JAVA_HOME=str(java_home))
    what = f"org.neo4j.app:neo4j-server:{NEO4J_VERSION}"
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=paths.root, timeout=1800)
    except subprocess.TimeoutExpired:
        raise Neo4jServerError(f"Maven could not fetch {what}: timed out after 1800 s") from None
    except OSError as exc:
        raise Neo4jServerError(f"Maven could not fetch {what}: {exc}") from None
    if proc.returncode != 0:
        output = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + "\n" + proc.stderr).strip()
        errors = [line.split("[ERROR]", 1)[1].strip() for line in output.splitlines() if "[ERROR]" in line]
        errors = [line for line in errors if line]
        goal = [line for line in errors if line.startswith("Failed to execute goal")]
        reason = (goal or errors or output.splitlines() or ["no output"])[0]
        reason = re.sub(r"^Failed to execute goal on project [^:]+: ", "", reason)
        reason = reason.removesuffix("-> [Help 1]").strip()
        raise Neo4jServerError(f"Maven could not fetch {what}: {reason} (exit {proc.returncode})")
    jars = list(staging.glob("*.jar"))
    names = {jar.name for jar in jars}
    for needed in (f"neo4j-server-{NEO4J_VERSION}.jar", f"neo4j-browser-{BROWSER_VERSION}.jar"):
        if needed not in names:
            raise Neo4jServerError(f"Maven could not fetch {what}: {needed} missing after the copy")
    staging.rename(paths.lib)
    paths.lib_marker.write_text(
        json.dumps({"neo4j": NEO4J_VERSION, "browser": BROWSER_VERSION, "jars": len(jars)}) + "\n"
    )


def write_conf(paths: Paths, bolt_port: int, http_port: int, overrides: dict[str, str] | None = None) -> None:
    """Write neo4j.conf: ours, then ``overrides`` (a key given there replaces ours)."""
    settings: dict[str, object] = {
        # Locations: everything under the cache folder.
        "server.directories.lib": paths.lib,
        "server.directories.data": paths.data,
        "server.directories.logs": paths.logs,
        "server.directories.run": paths.run,
        "server.directories.plugins": paths.root / "plugins",
        "server.directories.import": paths.root / "import",
        # Network: loopback only, Bolt + HTTP, no HTTPS.
        "server.default_listen_address": HOST,
        "server.default_advertised_address": HOST,
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"{HOST}:{bolt_port}",
        "server.bolt.advertised_address": f"{HOST}:{bolt_port}",
        "server.http.enabled": "true",
        "server.http.listen_address": f"{HOST}:{http_port}",
        "server.http.advertised_address": f"{HOST}:{http_port}",
        "server.https.enabled": "false",
        # The HTTP API answers cross-origin requests only from the Browser it serves itself, so that
        # no other web page open in the user's browser can run Cypher with the known password.
        "dbms.security.http_access_control_allow_origin": f"http://{HOST}:{http_port}",
        # Authentication on (user neo4j, password set before the first start).
        "dbms.security.auth_enabled": "true",
        # Memory, sized for a 2-core / 24 GiB machine shared with other work (versions.py).
        "server.memory.heap.initial_size": HEAP_INITIAL,
        "server.memory.heap.max_size": HEAP_MAX,
        "server.memory.pagecache.size": PAGECACHE,
        "db.tx_state.memory_allocation": "ON_HEAP",
        # Development store: no 256 MiB pre-allocated transaction log per database.
        "db.tx_log.preallocate": "false",
        # Keep at most about 512 MiB of old transaction logs: a day of repeated loads and wipes kept 8 GB.
        "db.tx_log.rotation.retention_policy": "512M size",
        # No outbound calls: usage data reporting off, Browser telemetry off,
        # Browser may fetch remote guides only from localhost.
        "dbms.usage_report.enabled": "false",
        "client.allow_telemetry": "false",
        "browser.remote_content_hostname_whitelist": "localhost",
        # Close the Bolt event loops at once on shutdown (default quiet period: 5 s, twice).
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
    }
    lines = [
        "# Written by local_neo4j/install.py on every start; edits are overwritten.",
        f"# Neo4j {NEO4J_VERSION} Community, Browser {BROWSER_VERSION}.",
    ]
    settings.update(overrides or {})
    lines += [f"{key}={value}" for key, value in settings.items()]
    paths.conf_dir.mkdir(parents=True, exist_ok=True)
    tmp = paths.conf.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(paths.conf)


def conf_ports(paths: Paths, bolt: int, http: int) -> tuple[int, int]:
    """Ports in the written neo4j.conf (those the running server uses); ``bolt``, ``http`` when there is none."""
    try:
        text = paths.conf.read_text(encoding="utf-8")
    except OSError:
        return bolt, http
    found = dict(re.findall(r"^server\.(bolt|http)\.listen_address=.*:(\d+)\s*$", text, re.M))
    return int(found.get("bolt", bolt)), int(found.get("http", http))


def set_initial_password(paths: Paths, java_home: Path, secret: str) -> None:
    """Run ``neo4j-admin dbms set-initial-password`` before the first start."""
    if (paths.data / "databases" / "system").exists():
        return  # the auth data is already in the system database
    cmd = [
        str(java_home / "bin" / "java"),
        "-Xmx256m",
        "-cp",
        f"{paths.conf_dir}/*:{paths.lib}/*",
        "-Dfile.encoding=UTF-8",
        ADMIN_CLASS,
        "dbms",
        "set-initial-password",
        secret,
    ]
    env = dict(
        os.environ,
        JAVA_HOME=str(java_home),
        NEO4J_HOME=str(paths.root),
        NEO4J_CONF=str(paths.conf_dir),
    )
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=paths.root, timeout=300)
    except (OSError, subprocess.SubprocessError) as exc:
        raise Neo4jServerError(f"neo4j-admin set-initial-password failed: {exc}") from None
    if proc.returncode != 0:
        out = " ".join((proc.stderr or proc.stdout).split())[:500]
        raise Neo4jServerError(f"neo4j-admin set-initial-password failed: {out}")
