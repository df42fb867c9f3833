"""The API's settings: every environment variable it reads, read in one place, once.

===========================  ==========================================================
``NEO4J_URI``                Bolt URI of the Neo4j store; unset or empty = the embedded
                             (networkx) store built from ``POLICYKG_SOURCE_DIR``.
``NEO4J_USER``               default ``neo4j``.
``NEO4J_PASSWORD``           default ``policykg-dev`` (the password
                             ``graph_loader.neo4j_server`` gives a local server).
``NEO4J_DATABASE``           default: the server's default database.
``POLICYKG_ENV``             ``development`` or ``production`` (default).
``POLICYKG_HOST``            default ``127.0.0.1`` (loopback only).
``POLICYKG_PORT``            default ``8000``.
``POLICYKG_SOURCE_DIR``      plans of the embedded store (``*.txt``), default
                             ``<repo>/source_text``.
``POLICYKG_QUERY_TIMEOUT``   seconds a Neo4j query may run, default 10.
``POLICYKG_ROW_CAP``         most rows any one query returns, default 1000.
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
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graph_loader import neo4j_server

REPO_ROOT = Path(__file__).resolve().parent.parent
# One development default, the one the local server script gives the database.
DEV_PASSWORD = neo4j_server.DEFAULT_PASSWORD

_ENV_NAMES = {
    "neo4j_uri": "NEO4J_URI",
    "neo4j_user": "NEO4J_USER",
    "neo4j_password": "NEO4J_PASSWORD",
    "neo4j_database": "NEO4J_DATABASE",
    "env": "POLICYKG_ENV",
    "host": "POLICYKG_HOST",
    "port": "POLICYKG_PORT",
    "source_dir": "POLICYKG_SOURCE_DIR",
    "query_timeout": "POLICYKG_QUERY_TIMEOUT",
    "row_cap": "POLICYKG_ROW_CAP",
}


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
    query_timeout: float = Field(default=10.0, gt=0, le=3600)
    row_cap: int = Field(default=1000, ge=1, le=100_000)

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

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default ``os.environ``); empty variables count as unset."""
        environ = os.environ if environ is None else environ
        values = {field: environ[name].strip() for field, name in _ENV_NAMES.items() if environ.get(name, "").strip()}
        if "env" in values:
            values["env"] = values["env"].lower()
        try:
            return cls.model_validate(values)
        except ValidationError as e:
            first = e.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            name = _ENV_NAMES.get(field)
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
