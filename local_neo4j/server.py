"""The local Neo4j server: configured by what it is handed, started, stopped and asked about.

``LocalNeo4j(ServerConfig(cache_dir, password, bolt_port, http_port, java_home))``
is the whole surface; it reads no environment. ``policykg neo4j start|stop|status``
(api/cli.py) builds the config from the settings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from local_neo4j import importer, install, process
from local_neo4j.errors import Neo4jServerError
from local_neo4j.importer import ImportResult
from local_neo4j.java import find_java
from local_neo4j.versions import DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT, HOST, NEO4J_VERSION


@dataclasses.dataclass(frozen=True)
class ServerConfig:
    cache_dir: Path
    """Where the jars, the configuration, the data and the logs live."""
    password: str
    """The password of user neo4j: set when the database is first created, then used to check readiness."""
    bolt_port: int = DEFAULT_BOLT_PORT
    http_port: int = DEFAULT_HTTP_PORT
    java_home: Path | None = None
    """A JDK to prefer (JAVA_HOME); used when it is Java 17 or 21."""
    settings: tuple[tuple[str, str], ...] = ()
    """neo4j.conf lines written after (so over) ours, e.g. ``(("db.tx_state.memory_allocation", "OFF_HEAP"),)``:
    for measuring a setting (bench/load.py ``--variants``) without editing install.py."""
    jvm_options: tuple[str, ...] = ()
    """JVM flags put after ours on the command line (a later flag wins), e.g. ``("-XX:+UseParallelGC",)``."""

    def __post_init__(self) -> None:
        for name, port in (("Bolt", self.bolt_port), ("HTTP", self.http_port)):
            if not 0 < port < 65536:
                raise Neo4jServerError(f"the {name} port {port} is not a port number (1-65535)")
        if self.bolt_port == self.http_port:
            raise Neo4jServerError(f"the Bolt and HTTP ports are both {self.bolt_port}")
        if not self.password:
            raise Neo4jServerError("the password of user neo4j is empty")


@dataclasses.dataclass(frozen=True)
class ServerInfo:
    pid: int
    bolt_uri: str
    http_url: str
    version: str


class LocalNeo4j:
    """One Neo4j Community server per cache folder, on loopback only."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self.paths = install.Paths(config.cache_dir.expanduser().resolve())

    @property
    def conf_path(self) -> Path:
        return self.paths.conf

    def _ports(self) -> tuple[int, int]:
        """The ports of the written neo4j.conf (those a running server uses), else the configured ones."""
        return install.conf_ports(self.paths, self.config.bolt_port, self.config.http_port)

    @property
    def bolt_uri(self) -> str:
        """Where the server listens for Bolt (whether or not it runs now)."""
        return f"bolt://{HOST}:{self._ports()[0]}"

    def _info(self, pid: int) -> ServerInfo:
        bolt, http = self._ports()
        return ServerInfo(pid=pid, bolt_uri=f"bolt://{HOST}:{bolt}", http_url=f"http://{HOST}:{http}",
                          version=NEO4J_VERSION)

    def status(self) -> ServerInfo | None:
        """The running server of this cache folder, or None."""
        pid = process.read_pid(self.paths)
        return None if pid is None else self._info(pid)

    def start(self, timeout: float = 120) -> ServerInfo:
        """Fetch, configure and start Neo4j in the background; return once it answers.

        ``timeout`` bounds the wait for the server to answer ``RETURN 1`` with the
        password; the one-off Maven download before the first start is not counted in it.
        When the server is already running this only waits for it to answer. If the server
        started here does not answer in time it is stopped again and Neo4jServerError raised.
        """
        with process.locked(self.paths):
            pid = process.read_pid(self.paths)
            if pid is not None:
                bolt, http = self._ports()
                process.wait_ready(self.paths, pid, bolt, http, self.config.password, timeout)
                return self._info(pid)
            return self._launch(timeout)

    def _launch(self, timeout: float) -> ServerInfo:
        """Start the server that is not running (the caller holds the lock)."""
        config, paths = self.config, self.paths
        for name, port in (("Bolt", config.bolt_port), ("HTTP", config.http_port)):
            if process.port_in_use(port):
                raise Neo4jServerError(
                    f"{name} port {HOST}:{port} is already in use by another process"
                    " (another Neo4j? set POLICYKG_NEO4J_BOLT_PORT / POLICYKG_NEO4J_HTTP_PORT)"
                )
        java_home = find_java(config.java_home)
        install.fetch(paths, java_home)
        for folder in (paths.data, paths.logs, paths.run, paths.root / "plugins", paths.root / "import"):
            folder.mkdir(parents=True, exist_ok=True)
        install.write_conf(paths, config.bolt_port, config.http_port, dict(config.settings))
        install.set_initial_password(paths, java_home, config.password)
        pid, log_sizes = process.launch(paths, java_home, config.jvm_options)
        try:
            process.wait_ready(paths, pid, config.bolt_port, config.http_port, config.password, timeout, log_sizes)
        except BaseException:
            process.terminate(paths, pid, 30.0)
            raise
        return self._info(pid)

    def import_csv(
        self,
        nodes: Sequence[tuple[str, Path]],
        relationships: Sequence[tuple[str, Path]],
        *,
        array_delimiter: str,
        work_dir: Path,
        multiline: Sequence[Path] = (),
        check: Callable[[], None] | None = None,
        database: str = "neo4j",
        timeout: float = 120,
    ) -> ImportResult:
        """Replace ``database`` with the CSV files (``--nodes=<label>=<file>``, ``--relationships=<type>=<file>``,
        each file with its header; ``multiline``: those with a line break inside a field) by ``neo4j-admin
        database import full``, and start the server again.

        The server must be running: ``check`` is called first, with the server up (it raises to refuse: a
        database that is not empty), then the server is stopped, the import run and the server started, all
        under the folder's lock, so no ``start`` or ``stop`` of another process comes in between. A failed
        import leaves the old store in place (``importer.run_import``); either way the server runs again.
        """
        with process.locked(self.paths):
            pid = process.read_pid(self.paths)
            if pid is None:
                raise Neo4jServerError(f"the local Neo4j of {self.paths.root} is not running; "
                                       "start it with `policykg neo4j start`")
            if check is not None:
                check()
            java_home = find_java(self.config.java_home)
            process.terminate(self.paths, pid, 60.0)
            try:
                return importer.run_import(self.paths, java_home, database, nodes, relationships,
                                           array_delimiter, multiline, work_dir)
            finally:
                self._launch(timeout)

    def stop(self, timeout: float = 60) -> bool:
        """Shut the server down (SIGTERM, then SIGKILL after timeout s); True if it was running."""
        with process.locked(self.paths):
            pid = process.read_pid(self.paths)
            if pid is None:
                return False
            process.terminate(self.paths, pid, timeout)
            return True

    def kill(self) -> bool:
        """SIGKILL the server at once, as a crash would; True if it was running."""
        with process.locked(self.paths):
            pid = process.read_pid(self.paths)
            if pid is None:
                return False
            process.kill_now(self.paths, pid)
            return True
