"""`policykg serve --workers N`: N processes answer on one port, each with its own store, and all stop on SIGINT.

Which process answered a connection is read from Linux's /proc (the server side of the TCP connection and
the process holding it): the API tells nothing about the machine it runs on, so no answer names a pid.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from api.cli import app, bind

from ..conftest import free_port, user_env  # noqa: TID252

POLICYKG = Path(sys.executable).with_name("policykg")


def children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def socket_inodes(pid: int) -> set[int]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def server_side_inode(server_port: int, client_port: int) -> int | None:
    """The inode of the accepted socket of the connection from ``client_port`` to ``server_port`` (IPv4)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16)
        if (local, remote) == (server_port, client_port):
            return int(fields[9])
    return None


def get_health(sock: socket.socket) -> bytes:
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    answer = b""
    while b'"reachable":true' not in answer:
        chunk = sock.recv(65536)
        assert chunk, answer
        answer += chunk
    return answer


def wait_for(base: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while True:
        assert proc.poll() is None, proc.communicate()[0]
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "policykg serve --workers 2 did not answer within 90 s"
        time.sleep(0.2)


def test_two_workers_answer_and_stop_cleanly(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([str(POLICYKG), "serve", "--workers", "2", "--port", str(port)],
                            env=user_env(POLICYKG_PARSE_CACHE=str(tmp_path / "cache")),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(f"http://127.0.0.1:{port}", proc)
        workers: dict[int, set[int]] = {}  # worker pid -> its sockets
        answered: set[int] = set()
        connections = 0
        deadline = time.monotonic() + 60  # the first answer may come while the other worker still starts
        while len(answered) < 2 and time.monotonic() < deadline:
            batch = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(8)]
            connections += len(batch)
            for sock in batch:
                assert get_health(sock).startswith(b"HTTP/1.1 200 OK")
            for pid in children(proc.pid):
                workers[pid] = socket_inodes(pid)
            for sock in batch:
                inode = server_side_inode(port, sock.getsockname()[1])
                answered |= {pid for pid, inodes in workers.items() if inode in inodes}
                sock.close()
            time.sleep(0.1)
        assert len(answered) == 2, f"only {answered} of the workers {sorted(workers)} answered {connections} connections"
        assert proc.pid not in answered
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert proc.returncode == 0, out
    assert "policykg: serving the memory store (embedded store, 1 plan(s) from source_text/, 2 workers)" in out
    assert f"listening on http://127.0.0.1:{port}" in out
    assert out.count("Application startup complete.") == 2 and out.count("Finished server process") == 2
    for pid in answered:
        assert not Path(f"/proc/{pid}").exists(), f"worker {pid} outlived policykg serve"
    assert list((tmp_path / "cache").rglob("*.pickle")), "the parse cache was not filled"


def test_the_number_of_workers_is_checked_before_anything_starts() -> None:
    limit = 4 * (os.cpu_count() or 1)
    for workers in (0, -1, limit + 1):
        done = CliRunner().invoke(app, ["serve", "--workers", str(workers), "--port", str(free_port())])
        assert (done.exit_code, done.stdout) == (2, "")
        assert done.stderr == (f"policykg: --workers: {workers} is not between 1 and {limit} "
                               f"(4 a core, {os.cpu_count()} cores)\n")


def test_a_port_in_use_is_refused_before_any_worker_starts() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([str(POLICYKG), "serve", "--workers", "2", "--port", str(port)], env=user_env(),
                              capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"policykg: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_the_listening_socket_says_tcp_so_that_asyncio_turns_nagle_off() -> None:
    """asyncio sets TCP_NODELAY only on accepted sockets whose proto is IPPROTO_TCP; without it each keep-alive
    answer waited for the client's delayed ACK (~40 ms)."""
    with bind("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP
        client = socket.create_connection(sock.getsockname(), timeout=5)
        accepted, _ = sock.accept()
        with client, accepted:
            assert accepted.proto == socket.IPPROTO_TCP


def test_plans_that_cannot_be_read_stop_serve_before_any_worker_starts(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    done = CliRunner(env={"POLICYKG_SOURCE_DIR": str(missing), "NEO4J_URI": ""}).invoke(
        app, ["serve", "--workers", "2", "--port", str(free_port())])
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == f"policykg: POLICYKG_SOURCE_DIR: {missing} is not a folder of plans\n"

    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "empty.txt").write_bytes(b"")
    done = CliRunner(env={"POLICYKG_SOURCE_DIR": str(tmp_path / "plans"), "NEO4J_URI": "",
                          "POLICYKG_PARSE_CACHE": "off"}).invoke(
        app, ["serve", "--workers", "2", "--port", str(free_port())])
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr.startswith(f"policykg: cannot read the plans of {tmp_path / 'plans'}: ")
    assert done.stderr.count("\n") == 1
