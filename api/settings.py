"""The settings: every environment variable policykg reads (CLI, API, tests, benchmarks), read in one place.

===========================  ==========================================================
``NEO4J_URI``                Bolt URI of your Neo4j. Unset or empty: there is none —
                             ``serve`` and ``export`` use the embedded (networkx) store
                             built from ``POLICYKG_SOURCE_DIR``; ``load``, the tests and
                             the benchmarks use the local Neo4j this checkout runs
                             (``policykg neo4j start``) and refuse when it is not running.
``NEO4J_USER``               default ``neo4j``.
``NEO4J_PASSWORD``           default ``policykg-dev``, the development password (also
                             the one the local Neo4j is given when it is first created).
``NEO4J_DATABASE``           default: the server's default database.
``POLICYKG_ENV``             ``development`` or ``production`` (default).
``POLICYKG_HOST``            default ``127.0.0.1`` (loopback only).
``POLICYKG_PORT``            default ``8000``.
``POLICYKG_SOURCE_DIR``      plans of the embedded store (``*.txt``), default
                             ``<repo>/source_text``.
``POLICYKG_PARSE_CACHE``     folder of the embedded store's parsed plans and of the store made
                             of them, read back at the next start while the files and the code
                             are unchanged
                             (``graph_loader/parse_cache.py``), default ``<repo>/.cache/parse``;
                             ``off``: parse every plan at each start.
``POLICYKG_QUERY_TIMEOUT``   seconds a Neo4j query may run, default 10.
``POLICYKG_ROW_CAP``         most rows any one query returns, default 1000.
``POLICYKG_MAX_CONNECTIONS`` most open connections plus requests ``serve`` takes at once,
                             default 4096 (``--workers N``: a share of it each); past it new
                             requests answer 503.
``POLICYKG_KEEP_ALIVE``      seconds an idle keep-alive connection stays open, default 5.
``POLICYKG_CACHE_DIR``       the local Neo4j's folder (jars, conf, data, logs), default
                             ``<repo>/.cache/neo4j``.
``POLICYKG_NEO4J_BOLT_PORT`` the local Neo4j's Bolt port, default 7687 (on 127.0.0.1).
``POLICYKG_NEO4J_HTTP_PORT`` its HTTP port (Browser), default 7474.
``JAVA_HOME``                a JDK for the local Neo4j, used when it is Java 17 or 21.
===========================  ==========================================================

The development password is a known string, so it is refused — the settings
do not validate — when it would open a database other people can reach: it is
accepted only with ``POLICYKG_ENV=development`` or when ``NEO4J_URI`` names a
loopback host (localhost, 127.0.0.0/8, ::1), where only this machine's users
can connect anyway.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

if TYPE_CHECKING:
    import neo4j

    from local_neo4j import LocalNeo4j

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_PASSWORD = "policykg-dev"
"""The one development default: the local Neo4j is created with it, and it is refused for any other."""

_ENV_NAMES = {
    "neo4j_uri": "NEO4J_URI",
    "neo4j_user": "NEO4J_USER",
    "neo4j_password": "NEO4J_PASSWORD",
    "neo4j_database": "NEO4J_DATABASE",
    "env": "POLICYKG_ENV",
    "host": "POLICYKG_HOST",
    "port": "POLICYKG_PORT",
    "source_dir": "POLICYKG_SOURCE_DIR",
    "parse_cache": "POLICYKG_PARSE_CACHE",
    "query_timeout": "POLICYKG_QUERY_TIMEOUT",
    "row_cap": "POLICYKG_ROW_CAP",
    "max_connections": "POLICYKG_MAX_CONNECTIONS",
    "keep_alive": "POLICYKG_KEEP_ALIVE",
    "cache_dir": "POLICYKG_CACHE_DIR",
    "neo4j_bolt_port": "POLICYKG_NEO4J_BOLT_PORT",
    "neo4j_http_port": "POLICYKG_NEO4J_HTTP_PORT",
    "java_home": "JAVA_HOME",
}


NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
"""URI schemes the Neo4j driver connects with."""


class SettingsError(ValueError):
    """The environment does not make valid settings; ``str()`` is one line naming the variable."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    neo4j_uri: str | None = Field(default=None, description="Unset: the embedded store.")
    neo4j_user: str = "neo4j"
    neo4j_password: str = DEV_PASSWORD
    neo4j_database: str | None = None
    env: Literal["development", "production"] = "production"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    source_dir: Path = REPO_ROOT / "source_text"
    parse_cache: Path | None = Field(default=REPO_ROOT / ".cache" / "parse", description="None: off.")
    query_timeout: float = Field(default=10.0, gt=0, le=3600)
    row_cap: int = Field(default=1000, ge=1, le=100_000)
    max_connections: int = Field(default=4096, ge=16, le=100_000)
    keep_alive: int = Field(default=5, ge=1, le=300)
    cache_dir: Path = REPO_ROOT / ".cache" / "neo4j"
    neo4j_bolt_port: int = Field(default=7687, ge=1, le=65535)
    neo4j_http_port: int = Field(default=7474, ge=1, le=65535)
    java_home: Path | None = None

    @field_validator("neo4j_uri")
    @classmethod
    def _a_bolt_uri(cls, uri: str | None) -> str | None:
        """The driver speaks Bolt only; an http:// URI (Browser's port) or a bad port would fail deep inside it."""
        if uri is None:
            return None
        parts = urlsplit(uri)
        if parts.scheme not in NEO4J_SCHEMES:
            raise ValueError(f"{uri} is not a Bolt URI; use one of {', '.join(s + '://' for s in NEO4J_SCHEMES)}"
                             " (e.g. bolt://127.0.0.1:7687)")
        try:
            parts.port  # noqa: B018 - urlsplit checks the port only when asked
        except ValueError:
            raise ValueError(f"{uri} has no valid port number") from None
        if not parts.hostname:
            raise ValueError(f"{uri} names no host")
        return uri

    @field_validator("cache_dir")
    @classmethod
    def _one_name_per_folder(cls, path: Path) -> Path:
        """``~`` expanded and resolved: a running server is recognised by its folder's name (``--home-dir``)."""
        return path.expanduser().resolve()

    @field_validator("parse_cache", mode="before")
    @classmethod
    def _off_or_a_folder(cls, value: object) -> object:
        """``off`` turns the cache off; a folder is taken with ``~`` expanded."""
        if isinstance(value, str) and value.strip().lower() == "off":
            return None
        return Path(value).expanduser() if isinstance(value, str | Path) else value

    @model_validator(mode="after")
    def _no_known_password_in_the_open(self) -> Settings:
        if (
            self.neo4j_uri
            and self.neo4j_password == DEV_PASSWORD
            and self.env != "development"
            and not is_loopback_uri(self.neo4j_uri)
        ):
            raise ValueError(
                f"NEO4J_PASSWORD is the development default and NEO4J_URI ({self.neo4j_uri}) is not on this "
                "machine; set NEO4J_PASSWORD, or POLICYKG_ENV=development"
            )
        return self

    @property
    def store_kind(self) -> Literal["memory", "neo4j"]:
        return "neo4j" if self.neo4j_uri else "memory"

    def local_neo4j(self) -> LocalNeo4j:
        """The local Neo4j of this checkout (``policykg neo4j …``), handed its folder, password and ports."""
        from local_neo4j import LocalNeo4j, Neo4jServerError, ServerConfig

        try:
            config = ServerConfig(cache_dir=self.cache_dir, password=self.neo4j_password,
                                  bolt_port=self.neo4j_bolt_port, http_port=self.neo4j_http_port,
                                  java_home=self.java_home)
        except Neo4jServerError as e:
            # The ports are each checked by their field; what is left is the two of them together, or the password.
            names = ("POLICYKG_NEO4J_BOLT_PORT and POLICYKG_NEO4J_HTTP_PORT"
                     if self.neo4j_bolt_port == self.neo4j_http_port else "NEO4J_PASSWORD")
            raise SettingsError(f"{names}: {e}") from None
        return LocalNeo4j(config)

    def neo4j_target(self) -> str:
        """The Neo4j that ``policykg load``, the tests and the benchmarks write to.

        ``NEO4J_URI`` when it is set; else the local Neo4j this checkout runs (``policykg neo4j
        start``), and SettingsError when it is not running: a Neo4j that this checkout did not start
        is written to only when NEO4J_URI names it.
        """
        if self.neo4j_uri:
            return self.neo4j_uri
        server = self.local_neo4j()
        info = server.status()
        if info is None:
            raise SettingsError(
                f"NEO4J_URI is not set and the local Neo4j of {self.cache_dir} is not running; "
                "start it with `policykg neo4j start`, or set NEO4J_URI to the Neo4j to use"
            )
        return info.bolt_uri

    def driver(self, uri: str | None = None) -> neo4j.Driver:
        """The one way a Neo4j driver is made here (CLI, store, tests, benchmarks): ``uri`` (default
        ``NEO4J_URI``), the settings' credentials, and timeouts such that an unreachable server is
        reported within about the query timeout, not after the driver's default 30 s of retries."""
        import neo4j

        target = uri or self.neo4j_uri
        if not target:
            raise SettingsError("NEO4J_URI: no Neo4j to connect to")
        return neo4j.GraphDatabase.driver(
            target,
            auth=(self.neo4j_user, self.neo4j_password),
            connection_timeout=min(self.query_timeout, 5.0),
            max_transaction_retry_time=self.query_timeout,
        )

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, overrides: Mapping[str, object] | None = None
    ) -> Settings:
        """Settings from ``environ`` (default ``os.environ``), empty variables counting as unset, with
        ``overrides`` (the command line's options, by field name) over them."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {
            field: environ[name].strip() for field, name in _ENV_NAMES.items() if environ.get(name, "").strip()
        }
        if isinstance(values.get("env"), str):
            values["env"] = str(values["env"]).lower()
        values.update(overrides or {})
        try:
            return cls.model_validate(values)
        except ValidationError as e:
            first = e.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            name = f"--{field.replace('_', '-')}" if field in (overrides or {}) else _ENV_NAMES.get(field)
            message = first["msg"].removeprefix("Value error, ")
            raise SettingsError(f"{name}: {message}" if name else message) from None


def is_loopback_uri(uri: str) -> bool:
    host = urlsplit(uri).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment once."""
    return Settings.from_env()
