"""Settings from the environment: defaults, validation, and the development password rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import DEV_PASSWORD, REPO_ROOT, Settings, SettingsError, is_loopback_uri


def test_defaults_serve_the_embedded_store_on_loopback() -> None:
    s = Settings.from_env({})
    assert s.store_kind == "memory"
    assert (s.host, s.port) == ("127.0.0.1", 8000)
    assert s.source_dir == REPO_ROOT / "source_text"
    assert (s.query_timeout, s.row_cap) == (10.0, 1000)
    assert (s.neo4j_user, s.neo4j_password) == ("neo4j", DEV_PASSWORD)


def test_values_come_from_the_environment() -> None:
    s = Settings.from_env({
        "NEO4J_URI": "bolt://db.example:7687", "NEO4J_USER": "reader", "NEO4J_PASSWORD": "s3cret",
        "POLICYKG_PORT": "9001", "POLICYKG_SOURCE_DIR": "/data/plans", "POLICYKG_QUERY_TIMEOUT": "2.5",
        "POLICYKG_ROW_CAP": "50", "POLICYKG_HOST": "0.0.0.0",
    })
    assert s.store_kind == "neo4j"
    assert (s.neo4j_user, s.neo4j_password, s.port, s.host) == ("reader", "s3cret", 9001, "0.0.0.0")
    assert (s.source_dir, s.query_timeout, s.row_cap) == (Path("/data/plans"), 2.5, 50)


def test_empty_variables_count_as_unset() -> None:
    assert Settings.from_env({"NEO4J_URI": "  ", "POLICYKG_PORT": ""}).store_kind == "memory"


@pytest.mark.parametrize("uri", ["bolt://localhost:7687", "neo4j://127.0.0.1:7687", "bolt://[::1]:7687"])
def test_dev_password_is_fine_on_this_machine(uri: str) -> None:
    assert is_loopback_uri(uri)
    assert Settings.from_env({"NEO4J_URI": uri}).neo4j_password == DEV_PASSWORD


def test_dev_password_is_refused_for_a_remote_database() -> None:
    with pytest.raises(SettingsError, match="NEO4J_PASSWORD is the development default"):
        Settings.from_env({"NEO4J_URI": "bolt://db.example:7687"})
    with pytest.raises(SettingsError):
        Settings.from_env({"NEO4J_URI": "bolt://10.0.0.5:7687", "NEO4J_PASSWORD": DEV_PASSWORD})


def test_dev_password_is_allowed_in_development() -> None:
    s = Settings.from_env({"NEO4J_URI": "bolt://db.example:7687", "POLICYKG_ENV": "Development"})
    assert s.env == "development" and s.neo4j_password == DEV_PASSWORD


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"POLICYKG_PORT": "eighty"}, "POLICYKG_PORT"),
        ({"POLICYKG_PORT": "70000"}, "POLICYKG_PORT"),
        ({"POLICYKG_ROW_CAP": "0"}, "POLICYKG_ROW_CAP"),
        ({"POLICYKG_QUERY_TIMEOUT": "-1"}, "POLICYKG_QUERY_TIMEOUT"),
        ({"POLICYKG_ENV": "staging"}, "POLICYKG_ENV"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert str(caught.value).startswith(f"{variable}: ")
    assert "\n" not in str(caught.value)


def test_the_parse_cache_is_in_the_checkout_unless_moved_or_off() -> None:
    assert Settings.from_env({}).parse_cache == REPO_ROOT / ".cache" / "parse"
    assert Settings.from_env({"POLICYKG_PARSE_CACHE": "/var/cache/plans"}).parse_cache == Path("/var/cache/plans")
    assert Settings.from_env({"POLICYKG_PARSE_CACHE": "~/plans"}).parse_cache == Path.home() / "plans"
    for off in ("off", " OFF ", "Off"):
        assert Settings.from_env({"POLICYKG_PARSE_CACHE": off}).parse_cache is None
    assert Settings.from_env({"POLICYKG_PARSE_CACHE": ""}).parse_cache == REPO_ROOT / ".cache" / "parse"
