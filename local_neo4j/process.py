"""The local Neo4j as a process: its pid file and lock, launching it detached, waiting until it answers, stopping it."""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

from local_neo4j.errors import Neo4jServerError
from local_neo4j.install import Paths
from local_neo4j.versions import HEAP_INITIAL, HEAP_MAX, HOST, MAIN_CLASS, NEO4J_USER

# The JVM flags the official distribution's neo4j.conf passes (server.jvm.additional),
# less -XX:+AlwaysPreTouch (it commits the whole heap up front: slower start, no gain here).
# G1 stays: the parallel collector was no faster for a load (BENCHMARKS.md, Load, "the server's share").
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

_GC_FLAG = re.compile(r"-XX:\+Use\w+GC")

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


def _proc_state(pid: int) -> str | None:
    """Linux process state letter, or None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    except OSError:
        return "?"
    return stat.rsplit(")", 1)[-1].split()[0]


def alive(pid: int) -> bool:
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


def _is_our_server(pid: int, paths: Paths) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return alive(pid)
    args = [arg.decode(errors="replace") for arg in cmdline]
    return MAIN_CLASS in args and f"--home-dir={paths.root}" in args


def read_pid(paths: Paths) -> int | None:
    try:
        pid = int(paths.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if pid > 0 and alive(pid) and _is_our_server(pid, paths):
        return pid
    with contextlib.suppress(OSError):
        paths.pid_file.unlink()  # stale
    return None


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


@contextlib.contextmanager
def locked(paths: Paths) -> Iterator[None]:
    """Serialise start/stop/kill of one cache folder between processes."""
    paths.root.mkdir(parents=True, exist_ok=True)
    with open(paths.lock_file, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((HOST, port)) == 0


def _log_sizes(paths: Paths) -> dict[Path, int]:
    sizes = {}
    for log in (paths.user_log, paths.console_log):
        try:
            sizes[log] = log.stat().st_size
        except OSError:
            sizes[log] = 0
    return sizes


def _log_tail(paths: Paths, since: dict[Path, int] | None = None, lines: int = 12) -> str:
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


def command(paths: Paths, java_home: Path, extra_flags: Sequence[str] = ()) -> list[str]:
    """The server's java command line: our JVM flags, the heap, then ``extra_flags`` (a later flag wins; a
    collector named there replaces ours, as the JVM refuses two)."""
    ours: tuple[str, ...] = JVM_FLAGS
    if any(_GC_FLAG.fullmatch(flag) for flag in extra_flags):
        ours = tuple(flag for flag in ours if not _GC_FLAG.fullmatch(flag))
    return [
        str(java_home / "bin" / "java"),
        "-cp",
        f"{paths.conf_dir}/*:{paths.lib}/*",
        *ours,
        f"-Xms{HEAP_INITIAL}",
        f"-Xmx{HEAP_MAX}",
        *extra_flags,
        MAIN_CLASS,
        f"--home-dir={paths.root}",
        f"--config-dir={paths.conf_dir}",
    ]


def launch(paths: Paths, java_home: Path, extra_flags: Sequence[str] = ()) -> tuple[int, dict[Path, int]]:
    """Start the server detached (``command``); return its pid and the log sizes before it wrote anything."""
    cmd = command(paths, java_home, extra_flags)
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


# -- readiness


class _AuthRejected(Exception):
    pass


def _return_1(bolt_port: int, http_port: int, secret: str) -> None:
    """The Bolt port open and ``RETURN 1`` answered over the HTTP API with the password; raises otherwise."""
    if not port_in_use(bolt_port):
        raise ConnectionError(f"nothing listens on {HOST}:{bolt_port}")
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


def wait_ready(
    paths: Paths, pid: int, bolt_port: int, http_port: int, secret: str, timeout: float,
    since: dict[Path, int] | None = None,
) -> None:
    """Return once the server answers with ``secret``; Neo4jServerError when it exits, rejects the
    password or stays silent for ``timeout`` s."""
    deadline = time.monotonic() + timeout
    bolt_uri = f"bolt://{HOST}:{bolt_port}"
    last_error = "no answer yet"
    while True:
        if not alive(pid):
            raise Neo4jServerError(
                f"Neo4j (pid {pid}) exited during start-up; last log lines: {_log_tail(paths, since)}"
            )
        try:
            _return_1(bolt_port, http_port, secret)
            return
        except _AuthRejected as exc:
            raise Neo4jServerError(
                f"Neo4j on {bolt_uri} rejected user {NEO4J_USER} with the configured password"
                f" ({exc}); the database under {paths.data} was created with another"
                " password: set NEO4J_PASSWORD to it, or stop the server and delete that folder"
            ) from None
        except Exception as exc:  # noqa: BLE001 - not up yet; keep trying until the deadline
            last_error = f"{type(exc).__name__}: {exc}"
        if time.monotonic() >= deadline:
            raise Neo4jServerError(
                f"Neo4j did not answer on {bolt_uri} within {timeout:g} s"
                f" ({' '.join(last_error.split())[:300]}); last log lines: {_log_tail(paths, since)}"
            )
        time.sleep(0.5)


def terminate(paths: Paths, pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    if _wait_gone(pid, timeout):
        with contextlib.suppress(OSError):
            paths.pid_file.unlink()
    else:
        kill_now(paths, pid)


def kill_now(paths: Paths, pid: int) -> None:
    """SIGKILL, wait for the process to go, forget its pid file."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    if not _wait_gone(pid, 15.0):
        raise Neo4jServerError(f"Neo4j (pid {pid}) did not exit after SIGKILL")
    with contextlib.suppress(OSError):
        paths.pid_file.unlink()
