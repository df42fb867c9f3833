"""Errors with an HTTP status, and the one JSON shape every error response has.

Stores and handlers raise :class:`ApiError` subclasses; :func:`install` makes
them, FastAPI's own validation errors, unknown routes and anything unexpected
answer as ``{"error": {"status", "code", "message", "details"}}``. Clients never
see a stack trace: an unexpected exception is logged and answered with a
generic 500.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("policykg.api")


class ApiError(Exception):
    """Root of the API's errors; ``status`` and ``code`` say what kind of failure it is."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(ApiError):
    status = 404
    code = "not_found"


class BadInput(ApiError):
    status = 422
    code = "bad_input"


class StoreUnavailable(ApiError):
    """The store cannot answer now (Neo4j down, refused credentials): worth retrying later."""

    status = 503
    code = "store_unavailable"


class QueryTimeout(ApiError):
    status = 504
    code = "query_timeout"


class StoreError(ApiError):
    """The store answered with an error that is not the client's fault (a bug on our side)."""

    status = 500
    code = "store_error"


class ErrorBody(BaseModel):
    status: int = Field(examples=[404])
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["no agency named 大数据局"])
    details: dict[str, Any] = Field(
        default_factory=dict,
        examples=[{"query": "大数据局", "suggestions": [{"id": "青岛:市大数据局", "name": "市大数据局"}]}],
    )


class ErrorResponse(BaseModel):
    """What every error response holds."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"error": {
        "status": 404, "code": "not_found", "message": "no agency named 大数据局",
        "details": {"query": "大数据局", "suggestions": [{"id": "青岛:市大数据局", "name": "市大数据局"}]},
    }}]})

    error: ErrorBody


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (404, "Not found"),
        (422, "Bad input"),
        (503, "Store unavailable"),
        (504, "Query timed out"),
    )
}
"""For ``responses=`` on routers, so OpenAPI documents the error shape."""


def error_response(
    status: int, code: str, message: str, details: dict[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(status=status, code=code, message=message, details=details or {}))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    if exc.status >= 500:
        log.warning("%s %s -> %s: %s", request.method, request.url.path, exc.code, exc.message, exc_info=exc.__cause__)
    return error_response(exc.status, exc.code, exc.message, exc.details)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"loc": [str(part) for part in e.get("loc", ())], "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    where = ", ".join(".".join(p["loc"]) + ": " + p["message"] for p in problems)
    return error_response(422, "validation_error", f"invalid request ({where})", {"errors": problems})


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    # Keep the exception's headers: a 405 must say which methods are allowed (Allow, RFC 9110).
    return error_response(exc.status_code, code, str(exc.detail), headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "internal error; the server log has the details")


def install(app: FastAPI) -> None:
    """Route every error through the one JSON shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
