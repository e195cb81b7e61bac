"""Checks every write under /api/ passes before a view runs: JSON in, or 415 / 400."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest

from taskweb.api.problems import problem

F = TypeVar("F", bound=Callable)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


def body_optional(view: F) -> F:
    """Mark a view whose JSON body may be left out altogether (refresh, logout)."""
    view.body_optional = True  # type: ignore[attr-defined]
    return view


def _has_body() -> bool:
    return bool(request.content_length) or request.headers.get("Transfer-Encoding") == "chunked"


def check_json_body() -> Response | None:
    if not request.path.startswith("/api/") or request.method not in WRITE_METHODS:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return None
    if not request.is_json:
        if getattr(view, "body_optional", False) and not _has_body():
            return None
        return problem(415, "The request body must be JSON (Content-Type: application/json).")
    try:
        request.get_json()
    except BadRequest:
        return problem(400, "The request body is not valid JSON.")
    return None
