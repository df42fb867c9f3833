"""What ``policykg serve`` and ``policykg export`` do; the CLI only maps their errors to one line and exit 2."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import networkx as nx

from api.errors import ApiError
from api.settings import Settings, SettingsError
from api.stores import make_store
from api.stores.base import GraphStore
from graph_loader.errors import PlanParseError

ExportKind = Literal["network", "ego", "topic", "document"]


class CommandError(Exception):
    """A user's mistake or an unreachable store; ``str()`` is the one line to print."""


def settings_from_env(**overrides: object) -> Settings:
    try:
        settings = Settings.from_env()
    except SettingsError as e:
        raise CommandError(str(e)) from None
    given = {k: v for k, v in overrides.items() if v is not None}
    return Settings.model_validate({**settings.model_dump(), **given}) if given else settings


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name, checked to answer; raises CommandError otherwise."""
    if settings.store_kind == "memory" and not settings.source_dir.is_dir():
        raise CommandError(f"POLICYKG_SOURCE_DIR: {settings.source_dir} is not a folder of plans")
    try:
        store = make_store(settings)
    except PlanParseError as e:
        raise CommandError(f"cannot read the plans of {settings.source_dir}: {e}") from None
    health = store.health()
    if not health.reachable:
        store.close()
        raise CommandError(health.detail)
    return store


def serve(*, host: str | None, port: int | None, echo: Callable[[str], None]) -> None:
    """Run the API with uvicorn until interrupted."""
    import uvicorn

    from api.app import create_app

    settings = settings_from_env(host=host, port=port)
    store = open_store(settings)
    try:
        echo(f"policykg: serving the {store.kind} store ({store.health().detail})")
        echo(f"policykg: listening on http://{settings.host}:{settings.port} (docs at /docs)")
        uvicorn.run(create_app(settings, store), host=settings.host, port=settings.port, log_level="info")
    finally:
        store.close()


def export_graph(
    kind: ExportKind, target: str | None, *, radius: int = 1, min_weight: int = 1, include_generic: bool = False,
    document: str | None = None,
) -> nx.Graph:
    """The subgraph ``kind`` names, from the configured store; raises CommandError."""
    if kind in ("ego", "topic", "document") and not target:
        raise CommandError(f"export {kind} needs a target: {'an agency' if kind == 'ego' else 'a ' + kind}")
    store = open_store(settings_from_env())
    try:
        document_id = store.resolve_document(document).id if document else None
        if kind == "network":
            return store.network_graph(min_weight=min_weight, include_generic=include_generic,
                                       document_id=document_id)
        assert target is not None
        if kind == "ego":
            agency = store.resolve_agency(target)
            return store.ego_graph(agency.id, radius=radius, min_weight=min_weight, include_generic=include_generic)
        if kind == "topic":
            return store.topic_graph(store.resolve_topic(target))
        return store.document_graph(store.resolve_document(target).id)
    except ApiError as e:
        raise CommandError(e.message) from None
    finally:
        store.close()
