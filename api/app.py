"""The FastAPI application: settings, a store, the routes and one error shape.

``create_app()`` reads the settings from the environment and builds the
store at start-up (``uvicorn --factory api.app:create_app``); tests and
``policykg serve`` hand it settings and a ready store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api import errors, explorer
from api.routes import agencies, documents, exports, meta, network, tasks
from api.settings import Settings, get_settings
from api.stores import make_store
from api.stores.base import GraphStore

DESCRIPTION = """\
Who is responsible for what in Chinese government action plans (数字青岛2025年行动方案 …).

Agencies can be named by id (`青岛:市大数据局`) or as typed (`市大數據局`, aliases, full-width).
Lists answer `{data, count, truncated}` and take `limit`/`offset`; errors answer
`{"error": {status, code, message, details}}`.
"""


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The app over ``store``, or over the store ``settings`` name (made at start-up, closed at shutdown)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = getattr(app.state, "store", None) is None
        if owned:
            app.state.store = make_store(settings)
        try:
            yield
        finally:
            if owned:
                app.state.store.close()
                app.state.store = None

    # /docs: Swagger UI served from the package, not a CDN (the page must work on a machine without
    # internet). No /redoc: ReDoc's bundle loads its logo from a CDN.
    app = FastAPIOffline(title="policykg", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                         redoc_url=None)
    app.state.settings = settings
    app.state.store = store
    errors.install(app)
    for module in (meta, documents, agencies, network, tasks, exports, explorer):
        app.include_router(module.router)
    return app
