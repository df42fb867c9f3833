"""Run a local Neo4j Community server (with Neo4j Browser) for development and tests.

The server is assembled from Maven Central artifacts (see ``neo4j_server.pom.xml``),
configured to listen on loopback only, and started detached from the caller::

    python -m graph_loader.neo4j_server start|stop|status|kill

Everything lives under the cache folder (default ``<repo root>/.cache/neo4j``,
env ``POLICYKG_CACHE_DIR``): the Maven repository (``m2/``), the server's jars
(``dist/<version>/lib``), ``conf/``, ``data/``, ``logs/``, ``run/`` and the pid file
``neo4j.pid``.

Environment:
    NEO4J_PASSWORD            password of user ``neo4j`` (default ``policykg-dev``;
                              used when the database is first created)
    POLICYKG_CACHE_DIR        cache folder
    POLICYKG_NEO4J_BOLT_PORT  Bolt port (default 7687), on 127.0.0.1
    POLICYKG_NEO4J_HTTP_PORT  HTTP port (default 7474), on 127.0.0.1
    JAVA_HOME                 used when it is a JDK Neo4j supports (17 or 21)

See ``NEO4J_NOTES.md`` beside this file for the choices made here.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = [
    "BROWSER_VERSION",
    "DEFAULT_PASSWORD",
    "NEO4J_USER",
    "NEO4J_VERSION",
    "Neo4jServerError",
    "ServerInfo",
    "cache_dir",
    "kill",
    "local_bolt_uri",
    "main",
    "password",
    "start",
    "status",
    "stop",
]

NEO4J_VERSION = "5.26.30"
"""Neo4j Community LTS line 5.26; runs on Java 17 (the 2025.x/2026.x calendar releases need 21)."""

BROWSER_VERSION = "5.24.0"
"""Newest org.neo4j.client:neo4j-browser published on Maven Central."""

SUPPORTED_JAVA = (17, 21)
"""Java feature releases Neo4j 5.26 supports, most preferred first."""

NEO4J_USER = "neo4j"
DEFAULT_PASSWORD = "policykg-dev"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
HOST = "127.0.0.1"

HEAP_INITIAL = "512m"
HEAP_MAX = "1g"
PAGECACHE = "512m"

MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.server.startup.Neo4jAdminBoot"

POM_FILE = Path(__file__).resolve().with_name("neo4j_server.pom.xml")
REPO_ROOT = Path(__file__).resolve().parent.parent

# The JVM flags the official distribution's neo4j.conf passes (server.jvm.additional),
# less -XX:+AlwaysPreTouch (it commits the whole heap up front: slower start, no gain here).
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
    "-Dfile.encoding=UTF-8",
    # IPv4 sockets, so that ss/netstat show 127.0.0.1 rather than [::ffff:127.0.0.1].
    "-Djava.net.preferIPv4Stack=true",
)

# Run by a short-lived Python child: it starts the server in a new session and exits at
# once, so the server is re-parented away from the caller (no zombie, no tie to its tty).
_LAUNCHER = """\
import json, os, subprocess, sys
spec = json.loads(sys.argv[1])
log = open(spec["log"], "ab")
proc = subprocess.Popen(spec["cmd"], cwd=spec["cwd"], env=spec["env"], stdin=subprocess.DEVNULL,
                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)
sys.stdout.write(str(proc.pid))
sys.stdout.flush()
os._exit(0)
"""


class Neo4jServerError(Exception):
    """The local Neo4j server could not be fetched, configured, started or stopped."""


@dataclasses.dataclass(frozen=True)
class ServerInfo:
    pid: int
    bolt_uri: str
    http_url: str
    version: str


@dataclasses.dataclass(frozen=True)
class _Paths:
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


# --------------------------------------------------------------------------- settings


def cache_dir() -> Path:
    """The cache folder: ``$POLICYKG_CACHE_DIR`` or ``<repo root>/.cache/neo4j``."""
    value = os.environ.get("POLICYKG_CACHE_DIR", "").strip()
    path = Path(value).expanduser() if value else REPO_ROOT / ".cache" / "neo4j"
    return path.resolve()


def password() -> str:
    """Password of user ``neo4j``: ``$NEO4J_PASSWORD`` or ``policykg-dev``."""
    return os.environ.get("NEO4J_PASSWORD") or DEFAULT_PASSWORD


def _port(env: str, default: int) -> int:
    value = os.environ.get(env, "").strip()
    if not value:
        return default
    try:
        port = int(value)
    except ValueError:
        raise Neo4jServerError(f"{env}={value!r} is not a port number") from None
    if not 0 < port < 65536:
        raise Neo4jServerError(f"{env}={value!r} is not a port number")
    return port


def _configured_ports() -> tuple[int, int]:
    bolt = _port("POLICYKG_NEO4J_BOLT_PORT", DEFAULT_BOLT_PORT)
    http = _port("POLICYKG_NEO4J_HTTP_PORT", DEFAULT_HTTP_PORT)
    if bolt == http:
        raise Neo4jServerError(f"Bolt and HTTP ports are both {bolt}")
    return bolt, http


def _info(pid: int, bolt_port: int, http_port: int) -> ServerInfo:
    return ServerInfo(
        pid=pid,
        bolt_uri=f"bolt://{HOST}:{bolt_port}",
        http_url=f"http://{HOST}:{http_port}",
        version=NEO4J_VERSION,
    )


# --------------------------------------------------------------------------- Java


def _java_major(java_home: Path) -> int | None:
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


def _find_java() -> Path:
    """JAVA_HOME of a JDK that can run the pinned Neo4j."""
    seen: list[str] = []
    env_home = os.environ.get("JAVA_HOME", "").strip()
    if env_home:
        major = _java_major(Path(env_home))
        if major in SUPPORTED_JAVA:
            return Path(env_home)
        seen.append(f"JAVA_HOME={env_home} is Java {major or '?'}")
    candidates: dict[int, list[Path]] = {}
    jvm_root = Path("/usr/lib/jvm")
    # Real paths, so that Debian's aliases (java-1.17.0-openjdk-amd64 -> java-17-openjdk-amd64) count once.
    homes = sorted({p.resolve() for p in jvm_root.iterdir() if p.is_dir()}) if jvm_root.is_dir() else []
    which = shutil.which("java")
    if which:
        homes.append(Path(which).resolve().parent.parent)
    for home in homes:
        major = _java_major(home)
        if major is not None and home not in candidates.get(major, []):
            candidates.setdefault(major, []).append(home)
    for wanted in SUPPORTED_JAVA:
        if wanted in candidates:
            return candidates[wanted][0]
    found = ", ".join(f"Java {m}" for m in sorted(candidates)) or "none"
    seen.append(f"found under /usr/lib/jvm and PATH: {found}")
    wanted_text = " or ".join(str(v) for v in SUPPORTED_JAVA)
    raise Neo4jServerError(f"Java {wanted_text} not found (Neo4j {NEO4J_VERSION} needs one; {'; '.join(seen)})")


# --------------------------------------------------------------------------- Maven


def _fetch(paths: _Paths, java_home: Path) -> None:
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


# --------------------------------------------------------------------------- config


def _write_conf(paths: _Paths, bolt_port: int, http_port: int) -> None:
    settings = {
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
        # Authentication on (user neo4j, password set before the first start).
        "dbms.security.auth_enabled": "true",
        # Memory, sized for a 2-core / 24 GiB machine shared with other work.
        "server.memory.heap.initial_size": HEAP_INITIAL,
        "server.memory.heap.max_size": HEAP_MAX,
        "server.memory.pagecache.size": PAGECACHE,
        "db.tx_state.memory_allocation": "ON_HEAP",
        # Development store: no 256 MiB pre-allocated transaction log per database.
        "db.tx_log.preallocate": "false",
        "db.tx_log.rotation.retention_policy": "1 days",
        # No outbound calls: usage data reporting off, Browser telemetry off,
        # Browser may fetch remote guides only from localhost.
        "dbms.usage_report.enabled": "false",
        "client.allow_telemetry": "false",
        "browser.remote_content_hostname_whitelist": "localhost",
        # Close the Bolt event loops at once on shutdown (default quiet period: 5 s, twice).
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
    }
    lines = [
        "# Written by graph_loader/neo4j_server.py on every start; edits are overwritten.",
        f"# Neo4j {NEO4J_VERSION} Community, Browser {BROWSER_VERSION}.",
    ]
    lines += [f"{key}={value}" for key, value in settings.items()]
    paths.conf_dir.mkdir(parents=True, exist_ok=True)
    tmp = paths.conf.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(paths.conf)


def _conf_ports(paths: _Paths) -> tuple[int, int]:
    """Ports in the written neo4j.conf (those the running server uses)."""
    bolt, http = _configured_ports()
    try:
        text = paths.conf.read_text(encoding="utf-8")
    except OSError:
        return bolt, http
    found = dict(re.findall(r"^server\.(bolt|http)\.listen_address=.*:(\d+)\s*$", text, re.M))
    return int(found.get("bolt", bolt)), int(found.get("http", http))


def _set_initial_password(paths: _Paths, java_home: Path, secret: str) -> None:
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


# --------------------------------------------------------------------------- processes


def _proc_state(pid: int) -> str | None:
    """Linux process state letter, or None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    except OSError:
        return "?"
    return stat.rsplit(")", 1)[-1].split()[0]


def _alive(pid: int) -> bool:
    if Path("/proc").is_dir():
        state = _proc_state(pid)
        if state is None:
            return False
        if state in ("Z", "X"):
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)  # reap it if it happens to be our child
            return False
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_our_server(pid: int, paths: _Paths) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return _alive(pid)
    args = [arg.decode(errors="replace") for arg in cmdline]
    return MAIN_CLASS in args and f"--home-dir={paths.root}" in args


def _read_pid(paths: _Paths) -> int | None:
    try:
        pid = int(paths.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if pid > 0 and _alive(pid) and _is_our_server(pid, paths):
        return pid
    with contextlib.suppress(OSError):
        paths.pid_file.unlink()  # stale
    return None


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


@contextlib.contextmanager
def _locked(paths: _Paths) -> Iterator[None]:
    """Serialise start/stop/kill of one cache folder between processes."""
    paths.root.mkdir(parents=True, exist_ok=True)
    with open(paths.lock_file, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((HOST, port)) == 0


def _log_sizes(paths: _Paths) -> dict[Path, int]:
    sizes = {}
    for log in (paths.user_log, paths.console_log):
        try:
            sizes[log] = log.stat().st_size
        except OSError:
            sizes[log] = 0
    return sizes


def _log_tail(paths: _Paths, since: dict[Path, int] | None = None, lines: int = 12) -> str:
    """Last lines of neo4j.log and the JVM's console.log (those written after `since`)."""
    chunks = []
    for log in (paths.user_log, paths.console_log):
        try:
            with open(log, "rb") as handle:
                end = handle.seek(0, os.SEEK_END)
                begin = max(0, end - 16384)
                if since is not None:
                    begin = max(begin, min(since.get(log, 0), end))
                handle.seek(begin)
                text = handle.read().decode("utf-8", errors="replace")
        except OSError:
            continue
        tail = [line for line in text.splitlines() if line.strip() and not line.startswith("=== ")][-lines:]
        if tail:
            chunks.append(f"[{log.name}] " + " | ".join(tail))
    return " || ".join(chunks) if chunks else "(no log output)"


def _launch(paths: _Paths, java_home: Path) -> tuple[int, dict[Path, int]]:
    """Start the server detached; return its pid and the log sizes before it wrote anything."""
    cmd = [
        str(java_home / "bin" / "java"),
        "-cp",
        f"{paths.conf_dir}/*:{paths.lib}/*",
        *JVM_FLAGS,
        f"-Xms{HEAP_INITIAL}",
        f"-Xmx{HEAP_MAX}",
        MAIN_CLASS,
        f"--home-dir={paths.root}",
        f"--config-dir={paths.conf_dir}",
    ]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("NEO4J_HOME", "NEO4J_CONF", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS")
    }
    env["JAVA_HOME"] = str(java_home)
    spec = {
        "cmd": cmd,
        "cwd": str(paths.root),
        "env": env,
        "log": str(paths.console_log),
    }
    with open(paths.console_log, "ab") as log:
        log.write(f"=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting: {' '.join(cmd)}\n".encode())
    sizes = _log_sizes(paths)
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if proc.returncode != 0 or not proc.stdout.strip().isdigit():
        raise Neo4jServerError(f"could not launch Java: {(proc.stderr or proc.stdout).strip()[-500:]}")
    pid = int(proc.stdout.strip())
    tmp = paths.pid_file.with_suffix(".tmp")
    tmp.write_text(f"{pid}\n")
    tmp.replace(paths.pid_file)
    return pid, sizes


# --------------------------------------------------------------------------- readiness


class _AuthRejected(Exception):
    pass


def _bolt_query(bolt_uri: str, secret: str) -> None:
    """Run ``RETURN 1`` over Bolt; raises _AuthRejected or another exception if it fails."""
    try:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError
    except ImportError:
        _http_query(bolt_uri, secret)
        return
    try:
        with (
            GraphDatabase.driver(
                bolt_uri,
                auth=(NEO4J_USER, secret),
                connection_timeout=3.0,
                connection_acquisition_timeout=5.0,
                max_connection_pool_size=1,
            ) as driver,
            driver.session(database="neo4j") as session,
        ):
            record = session.run("RETURN 1 AS ok").single()
        if record is None or record["ok"] != 1:
            raise RuntimeError("RETURN 1 gave an unexpected result")
    except AuthError as exc:
        if "RateLimit" in (getattr(exc, "code", None) or ""):
            raise RuntimeError(str(exc)) from None  # locked for a few seconds: retry
        raise _AuthRejected(getattr(exc, "message", None) or str(exc)) from None


def _http_query(bolt_uri: str, secret: str) -> None:
    """Fallback without the Python driver: Bolt port open + RETURN 1 over HTTP."""
    bolt_port = int(bolt_uri.rsplit(":", 1)[1])
    if not _port_in_use(bolt_port):
        raise ConnectionError(f"nothing listens on {bolt_uri}")
    _, http_port = _conf_ports(_Paths(cache_dir()))
    request = urllib.request.Request(
        f"http://{HOST}:{http_port}/db/neo4j/tx/commit",
        data=json.dumps({"statements": [{"statement": "RETURN 1"}]}).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(f"{NEO4J_USER}:{secret}".encode()).decode(),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise _AuthRejected("HTTP 401 Unauthorized") from None
        raise
    if body.get("errors") or body["results"][0]["data"][0]["row"] != [1]:
        raise RuntimeError(f"RETURN 1 failed: {body.get('errors')}")


def _wait_ready(
    paths: _Paths, pid: int, info: ServerInfo, timeout: float, since: dict[Path, int] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    secret = password()
    last_error = "no answer yet"
    while True:
        if not _alive(pid):
            raise Neo4jServerError(
                f"Neo4j (pid {pid}) exited during start-up; last log lines: {_log_tail(paths, since)}"
            )
        try:
            _bolt_query(info.bolt_uri, secret)
            return
        except _AuthRejected as exc:
            raise Neo4jServerError(
                f"Neo4j on {info.bolt_uri} rejected user {NEO4J_USER} with the configured password"
                f" ({exc}); the database under {paths.data} was created with another"
                " password: set NEO4J_PASSWORD to it, or stop the server and delete that folder"
            ) from None
        except Exception as exc:  # noqa: BLE001 - not up yet; keep trying until the deadline
            last_error = f"{type(exc).__name__}: {exc}"
        if time.monotonic() >= deadline:
            raise Neo4jServerError(
                f"Neo4j did not answer on {info.bolt_uri} within {timeout:g} s"
                f" ({' '.join(last_error.split())[:300]}); last log lines: {_log_tail(paths, since)}"
            )
        time.sleep(0.5)


# --------------------------------------------------------------------------- public API


def status() -> ServerInfo | None:
    """The running server of this cache folder, or None."""
    paths = _Paths(cache_dir())
    pid = _read_pid(paths)
    if pid is None:
        return None
    bolt_port, http_port = _conf_ports(paths)
    return _info(pid, bolt_port, http_port)


def start(timeout: float = 120) -> ServerInfo:
    """Fetch, configure and start Neo4j in the background; return once Bolt answers.

    ``timeout`` bounds the wait for the server to answer ``RETURN 1`` over Bolt with the
    password; the one-off Maven download before the first start is not counted in it.
    When the server is already running this only waits for it to answer. If the server
    started here does not answer in time it is stopped again and Neo4jServerError raised.
    """
    paths = _Paths(cache_dir())
    with _locked(paths):
        pid = _read_pid(paths)
        if pid is not None:
            bolt_port, http_port = _conf_ports(paths)
            info = _info(pid, bolt_port, http_port)
            _wait_ready(paths, pid, info, timeout)
            return info

        bolt_port, http_port = _configured_ports()
        for name, port in (("Bolt", bolt_port), ("HTTP", http_port)):
            if _port_in_use(port):
                raise Neo4jServerError(
                    f"{name} port {HOST}:{port} is already in use by another process"
                    " (another Neo4j? set POLICYKG_NEO4J_BOLT_PORT / POLICYKG_NEO4J_HTTP_PORT)"
                )
        java_home = _find_java()
        _fetch(paths, java_home)
        for folder in (paths.data, paths.logs, paths.run, paths.root / "plugins", paths.root / "import"):
            folder.mkdir(parents=True, exist_ok=True)
        _write_conf(paths, bolt_port, http_port)
        _set_initial_password(paths, java_home, password())
        pid, log_sizes = _launch(paths, java_home)
        info = _info(pid, bolt_port, http_port)
        try:
            _wait_ready(paths, pid, info, timeout, log_sizes)
        except BaseException:
            _terminate(paths, pid, 30.0)
            raise
        return info


def _terminate(paths: _Paths, pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if _wait_gone(pid, timeout):
        with contextlib.suppress(OSError):
            paths.pid_file.unlink()
    else:
        _kill_now(paths, pid)


def _kill_now(paths: _Paths, pid: int) -> None:
    """SIGKILL, wait for the process to go, forget its pid file."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not _wait_gone(pid, 15.0):
        raise Neo4jServerError(f"Neo4j (pid {pid}) did not exit after SIGKILL")
    with contextlib.suppress(OSError):
        paths.pid_file.unlink()


def stop(timeout: float = 60) -> bool:
    """Shut the server down (SIGTERM, then SIGKILL after timeout s); True if it was running."""
    paths = _Paths(cache_dir())
    with _locked(paths):
        pid = _read_pid(paths)
        if pid is None:
            return False
        _terminate(paths, pid, timeout)
        return True


def kill() -> bool:
    """SIGKILL the server at once, as a crash would; True if it was running."""
    paths = _Paths(cache_dir())
    with _locked(paths):
        pid = _read_pid(paths)
        if pid is None:
            return False
        _kill_now(paths, pid)
        return True


def _describe(info: ServerInfo) -> str:
    return (
        f"running pid={info.pid} bolt={info.bolt_uri} http={info.http_url}"
        f" browser={info.http_url}/browser/ version={info.version}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: ``start|stop|status|kill``; one line out, errors one line on stderr, exit 2."""
    args = list(sys.argv[1:] if argv is None else argv)
    usage = "usage: python -m graph_loader.neo4j_server start|stop|status|kill"
    if len(args) != 1 or args[0] not in ("start", "stop", "status", "kill"):
        print(usage, file=sys.stderr)
        return 2
    command = args[0]
    try:
        if command == "start":
            print(_describe(start()))
        elif command == "stop":
            print("stopped" if stop() else "not running")
        elif command == "kill":
            print("killed" if kill() else "not running")
        else:
            info = status()
            print(_describe(info) if info else "not running")
            return 0 if info else 1
    except Neo4jServerError as exc:
        print(f"neo4j_server {command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"neo4j_server {command}: interrupted", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"neo4j_server {command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    return 0


def local_bolt_uri() -> str:
    """Bolt URI the local server listens on (configured ports), whether or not it runs now."""
    return f"bolt://{HOST}:{_configured_ports()[0]}"


if __name__ == "__main__":
    sys.exit(main())
