"""Checks every request body under /api/ passes before a view runs: JSON in (or CSV where
a view says it takes CSV), or 415 / 400."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest

from taskweb.api.problems import problem

F = TypeVar("F", bound=Callable)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
CSV_MIMETYPE = "text/csv"
# A CSV is read as UTF-8 (a byte order mark is allowed); no other charset is.
CSV_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii"})


def body_optional(view: F) -> F:
    """Mark a view whose JSON body may be left out altogether (refresh, logout)."""
    view.body_optional = True  # type: ignore[attr-defined]
    return view


def accepts_csv(view: F) -> F:
    """Mark a view that takes a ``text/csv`` body (UTF-8) as well as JSON (the import)."""
    view.accepts_csv = True  # type: ignore[attr-defined]
    return view


def _has_body() -> bool:
    return bool(request.content_length) or request.headers.get("Transfer-Encoding") == "chunked"


def _handler() -> Any:
    """The function that will answer: a MethodView's method carries the marks, not the
    view function that dispatches to it."""
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, request.method.lower(), None)
    return view


def _check_csv() -> Response | None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in CSV_CHARSETS:
        return problem(415, "A CSV body must be UTF-8 (charset=utf-8).")
    try:
        request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        return problem(400, "The request body is not UTF-8 text.")
    return None


def check_json_body() -> Response | None:
    if not request.path.startswith("/api/"):
        return None
    # A DELETE may carry a body (the account's, with the password); if it does, the
    # same rules hold.
    if request.method not in WRITE_METHODS and not (request.method == "DELETE"
                                                    and _has_body()):
        return None
    handler = _handler()
    if handler is None:
        return None
    if getattr(handler, "accepts_csv", False) and request.mimetype == CSV_MIMETYPE:
        return _check_csv()
    if not request.is_json:
        if getattr(handler, "body_optional", False) and not _has_body():
            return None
        if getattr(handler, "accepts_csv", False):
            return problem(415, "The request body must be JSON (application/json) or CSV "
                                "(text/csv).")
        return problem(415, "The request body must be JSON (Content-Type: application/json).")
    try:
        request.get_json()
    except BadRequest:
        return problem(400, "The request body is not valid JSON.")
    return None
